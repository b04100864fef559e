/** fast-check generators of tool names and arguments. */
import fc from "fast-check";
import { anyText } from "./text.js";

/** A tool's name, from a short list so that generated calls and definitions meet. */
export const toolName = fc.constantFrom("get_weather", "lookup", "now");

/** Tool arguments: a JSON object, as every Bedrock format carries them. */
export const toolArguments: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.string({ maxLength: 6 }).filter((key) => key !== "__proto__"),
  fc.oneof(anyText(10), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 })),
  { maxKeys: 3 },
);
