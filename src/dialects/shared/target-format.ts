import { invalidValue, quotedList } from "./field-checks.js";

/** The shapes an answer can be given in (`?target_format=`). */
export const TARGET_FORMATS = ["openai", "bedrock_claude", "bedrock_titan"] as const;
export type TargetFormat = (typeof TARGET_FORMATS)[number];

/** The `target_format` query parameter; absent means OpenAI's shape. */
export function readTargetFormat(value: string | null): TargetFormat {
  if (value === null || value === "") return "openai";
  if ((TARGET_FORMATS as readonly string[]).includes(value)) return value as TargetFormat;
  throw invalidValue(
    "target_format",
    `Invalid value for 'target_format': '${value}'. Supported values are: ${quotedList(TARGET_FORMATS)}.`,
  );
}
