import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { FileContentSchema } from "../../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../../../src/core/errors.js";
import { documentName, readDocument } from "../../../../src/providers/bedrock/documents/read-document.js";

const file = (fileData: string, filename = "", fileId = "") =>
  create(FileContentSchema, { fileData, filename, fileId });
const data = (mediaType: string, text: string) => `data:${mediaType};base64,${Buffer.from(text).toString("base64")}`;

describe("documentName", () => {
  it.each([
    ["report.pdf", "report"],
    ["Q3 report (final) [v2].pdf", "Q3 report (final) [v2]"],
    ["my_file.v2.docx", "my-file-v2"],
    ["a   b.txt", "a b"],
    ["résumé.pdf", "r-sum-"],
    ["", "document"],
    ["...", "-"],
  ])("%j becomes %j", (filename, name) => {
    expect(documentName(filename)).toBe(name);
  });
});

describe("readDocument", () => {
  it("reads the format from the media type, else from a generic type's file extension", () => {
    const names = new Set<string>();
    expect(readDocument(file(data("application/pdf", "%PDF"), "a.pdf"), "p", names)).toEqual({
      format: "pdf",
      base64: Buffer.from("%PDF").toString("base64"),
      name: "a",
      param: "p",
    });
    expect(readDocument(file(data("text/markdown", "# x"), "b"), "p", names).format).toBe("md");
    expect(readDocument(file(data("application/octet-stream", "x,y"), "c.csv"), "p", names).format).toBe("csv");
    expect(
      readDocument(
        file(data("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"), "d"),
        "p",
        names,
      ).format,
    ).toBe("xlsx");
  });

  it("keeps names unique in a request", () => {
    const names = new Set<string>();
    const read = () => readDocument(file(data("text/plain", "x"), "notes.txt"), "p", names).name;
    expect([read(), read(), read()]).toEqual(["notes", "notes (2)", "notes (3)"]);
  });

  it.each([
    ["an OpenAI file id", file("", "a.pdf", "file-1"), "p.file_id", "unsupported_parameter"],
    ["data that is not a data URL", file("https://example.com/a.pdf"), "p.file_data", "invalid_value"],
    ["a type Bedrock does not take", file(data("image/png", "x"), "a.png"), "p.file_data", "invalid_value"],
    [
      "a generic type with an unknown extension",
      file(data("application/octet-stream", "x"), "a.bin"),
      "p.file_data",
      "invalid_value",
    ],
  ])("refuses %s, naming it", (_name, content, param, code) => {
    let error: unknown;
    try {
      readDocument(content, "p", new Set());
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ param, code });
  });
});
