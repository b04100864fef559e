import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sniffProtocol } from "../../src/transport/one-port-server.js";

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
const bytes = (text: string) => Buffer.from(text, "latin1");

describe("sniffProtocol", () => {
  it("waits for a first byte", () => {
    expect(sniffProtocol(Buffer.alloc(0))).toBeUndefined();
  });

  it("takes a TLS handshake record (0x16) for TLS", () => {
    expect(sniffProtocol(Buffer.from([0x16]))).toBe("tls");
    expect(sniffProtocol(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]))).toBe("tls");
  });

  it("takes the full HTTP/2 preface for h2c, with or without the frames after it", () => {
    expect(sniffProtocol(PREFACE)).toBe("h2c");
    const settings = Buffer.from([0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00]);
    expect(sniffProtocol(Buffer.concat([PREFACE, settings]))).toBe("h2c");
  });

  it("waits for more bytes on every strict prefix of the preface", () => {
    for (let length = 1; length < PREFACE.length; length++) {
      expect(sniffProtocol(PREFACE.subarray(0, length)), `prefix of ${length} bytes`).toBeUndefined();
    }
  });

  it.each(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE", "PRI"])(
    "takes an HTTP/1 %s request for h1 once it leaves the preface",
    (method) => {
      const request = bytes(`${method} /v1/models HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      expect(sniffProtocol(request)).toBe("h1");
    },
  );

  it("decides for POST, PUT and PATCH at their second byte although they start like the preface", () => {
    expect(sniffProtocol(bytes("P"))).toBeUndefined();
    expect(sniffProtocol(bytes("PO"))).toBe("h1");
    expect(sniffProtocol(bytes("PU"))).toBe("h1");
    expect(sniffProtocol(bytes("PA"))).toBe("h1");
    expect(sniffProtocol(bytes("PR"))).toBeUndefined();
  });

  it("takes an HTTP/1.1 upgrade to h2c (not prior knowledge) for h1", () => {
    expect(sniffProtocol(bytes("GET / HTTP/1.1\r\nUpgrade: h2c\r\n\r\n"))).toBe("h1");
  });

  it("takes a preface that goes wrong near its end for h1", () => {
    expect(sniffProtocol(bytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r_"))).toBe("h1");
    expect(sniffProtocol(bytes("PRI * HTTP/1.1\r\n"))).toBe("h1");
  });

  it("never throws on arbitrary bytes, and answers one of the three or undefined", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (array) => {
        expect([undefined, "h1", "h2c", "tls"]).toContain(sniffProtocol(Buffer.from(array)));
      }),
    );
  });

  it("takes any byte string that diverges from the preface (and is not TLS) for h1", () => {
    const diverging = fc
      .tuple(fc.nat({ max: PREFACE.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 }))
      .filter(([at, byte]) => byte !== PREFACE[at] && !(at === 0 && byte === 0x16))
      .map(([at, byte, rest]) => Buffer.concat([PREFACE.subarray(0, at), Buffer.from([byte]), Buffer.from(rest)]));
    fc.assert(
      fc.property(diverging, (input) => {
        expect(sniffProtocol(input)).toBe("h1");
      }),
    );
  });

  it("takes anything that starts with the full preface for h2c", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (rest) => {
        expect(sniffProtocol(Buffer.concat([PREFACE, Buffer.from(rest)]))).toBe("h2c");
      }),
    );
  });
});
