import { describe, expect, it } from "vitest";
import { formatOfMediaType, sniffImageFormat } from "../../../../src/providers/bedrock/images/image-format.js";
import { parseDataUrl } from "../../../../src/providers/bedrock/images/parse-data-url.js";
import { PNG_BASE64 } from "../../../arbitraries/images.js";

const bytes = (...values: (number | string)[]) =>
  new Uint8Array(values.flatMap((value) => (typeof value === "string" ? [...Buffer.from(value)] : [value])));

describe("image formats", () => {
  it("knows the four Bedrock formats by signature", () => {
    expect(sniffImageFormat(Buffer.from(PNG_BASE64, "base64"))).toBe("png");
    expect(sniffImageFormat(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe("jpeg");
    expect(sniffImageFormat(bytes("GIF89a", 1, 0))).toBe("gif");
    expect(sniffImageFormat(bytes("RIFF", 0, 0, 0, 0, "WEBPVP8 "))).toBe("webp");
    expect(sniffImageFormat(bytes("<html>"))).toBeUndefined();
    expect(sniffImageFormat(bytes())).toBeUndefined();
  });

  it("reads media types, jpg included", () => {
    expect(formatOfMediaType("image/jpg")).toBe("jpeg");
    expect(formatOfMediaType("IMAGE/PNG")).toBe("png");
    expect(formatOfMediaType("image/svg+xml")).toBeUndefined();
  });
});

describe("parseDataUrl", () => {
  it("reads base64 data URLs", () => {
    const parsed = parseDataUrl(`data:image/png;base64,${PNG_BASE64}`);
    expect(parsed?.mediaType).toBe("image/png");
    expect(parsed?.bytes.toString("base64")).toBe(PNG_BASE64);
    expect(parseDataUrl("data:image/png;name=x.png;base64,AAAA")?.bytes).toHaveLength(3);
  });

  it("refuses what is not base64 data", () => {
    expect(parseDataUrl("data:image/png,rawtext")).toBeUndefined();
    expect(parseDataUrl("data:image/png;base64,@@@")).toBeUndefined();
    expect(parseDataUrl("https://example.com/a.png")).toBeUndefined();
  });
});
