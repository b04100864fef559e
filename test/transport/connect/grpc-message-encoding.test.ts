import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeGrpcMessage } from "../../../src/transport/connect/grpc-message-encoding.js";

/** A full percent-decoder, as grpc-go, grpc-java and the Python client read grpc-message. */
const percentDecode = (value: string) =>
  Buffer.from(
    value.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
    "latin1",
  ).toString("utf8");

describe("encodeGrpcMessage", () => {
  it("escapes only what gRPC's spec escapes", () => {
    expect(encodeGrpcMessage("Limit: 1, per minute/key?")).toBe("Limit: 1, per minute/key?");
    expect(encodeGrpcMessage("100% café\n")).toBe("100%25 caf%C3%A9%0A");
  });

  it("reads back whole with a full percent-decoder and with grpc-js's decodeURI", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (message) => {
        const encoded = encodeGrpcMessage(message);
        expect(encoded).toMatch(/^[\x20-\x7e]*$/);
        expect(percentDecode(encoded)).toBe(message);
        expect(decodeURI(encoded)).toBe(message);
      }),
    );
  });
});
