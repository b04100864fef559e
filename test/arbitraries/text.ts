/** fast-check generators of text, for the property tests that take any string. */
import fc from "fast-check";

const fromCode = (code: number) => String.fromCharCode(code);
const printable = fc.integer({ min: 0x20, max: 0x7e }).map(fromCode);
// Any UTF-16 code unit, lone surrogates and control characters included.
// (fast-check's own `unit: "binary"` spends most of a second building its table.)
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map(fromCode);

/** Arbitrary text: printable ASCII most of the time, any UTF-16 code unit otherwise. */
export function anyText(maxLength = 60, minLength = 0): fc.Arbitrary<string> {
  const unit = fc.oneof({ weight: 3, arbitrary: printable }, { weight: 1, arbitrary: codeUnit });
  return fc.string({ unit, minLength, maxLength });
}
