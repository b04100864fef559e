import type { Message } from "../../../gen/openbedrock/v1/chat_pb.js";
import { UpstreamError } from "../../core/errors.js";

/** The whole text of an answer's message: its content, then any text parts. */
export function answerText(message: Message | undefined): string {
  if (!message) return "";
  let text = message.content ?? "";
  for (const part of message.contentParts) if (part.type === "text") text += part.text;
  return text;
}

/**
 * A tool call's arguments (JSON text) as the object Bedrock formats carry.
 * Empty arguments mean none; anything that is not a JSON object cannot be
 * carried, and is the answering model's fault.
 */
export function toolCallInput(args: string, format: string): Record<string, unknown> {
  if (args.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UpstreamError(
      `The model answered with tool call arguments that are not a JSON object, which a ${format} answer cannot carry.`,
    );
  }
  return parsed as Record<string, unknown>;
}
