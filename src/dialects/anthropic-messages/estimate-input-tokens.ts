import { isObject } from "../shared/json-fields.js";

/** Tokens counted for each image or PDF: about what an image of 1.2 megapixels costs (width × height ÷ 750). */
export const TOKENS_PER_BINARY_SOURCE = 1600;
/** Characters per token in English text and code, the usual rule of thumb. */
export const CHARACTERS_PER_TOKEN = 4;

/** Characters of text in a value, and how many base64 sources (images, PDFs) it holds. */
function measure(value: unknown, tally: { characters: number; binary: number }): void {
  if (typeof value === "string") {
    tally.characters += value.length;
  } else if (Array.isArray(value)) {
    for (const item of value) measure(item, tally);
  } else if (isObject(value)) {
    if (value.type === "base64" && typeof value.data === "string") {
      tally.binary += 1;
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      // Block types and cache marks are structure, not prompt text.
      if (key === "type" || key === "cache_control") continue;
      tally.characters += key.length;
      measure(item, tally);
    }
  }
}

/**
 * An estimate of a Messages body's input tokens, for models whose upstream
 * cannot count them: the characters of the system prompt, the messages and
 * the tools (their names, descriptions and schemas) divided by four, plus
 * 1,600 tokens for each base64 image or PDF. Real counts differ by model;
 * the estimate is for budgeting, not billing.
 */
export function estimateInputTokens(body: Readonly<Record<string, unknown>>): number {
  const tally = { characters: 0, binary: 0 };
  measure(body.system, tally);
  measure(body.messages, tally);
  measure(body.tools, tally);
  return Math.ceil(tally.characters / CHARACTERS_PER_TOKEN) + tally.binary * TOKENS_PER_BINARY_SOURCE;
}
