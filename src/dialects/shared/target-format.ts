import { create } from "@bufbuild/protobuf";
import { type ChatCompletionRequest, StreamOptionsSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { invalidValue, quotedList, unsupported } from "./field-checks.js";

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

const NAMES: Record<TargetFormat, string> = {
  openai: "OpenAI",
  bedrock_claude: "Claude",
  bedrock_titan: "Titan",
};

/**
 * Readies a request for an answer in the target format: refuses what that
 * shape cannot carry (several choices; tool calls for Titan) before anything
 * is sent upstream, and has a streamed Bedrock-shaped answer keep its usage,
 * which Claude's `message_delta` and Titan's last chunk report.
 */
export function prepareForTarget(request: ChatCompletionRequest, target: TargetFormat, stream: boolean): void {
  if (target === "openai") return;
  const name = NAMES[target];
  if ((request.n ?? 1) > 1) {
    throw unsupported("n", `a ${name}-format answer (target_format=${target}) carries one choice`);
  }
  if (target === "bedrock_titan" && request.tools.length > 0) {
    throw unsupported("tools", `a Titan-format answer (target_format=${target}) cannot carry tool calls`);
  }
  if (stream) request.streamOptions = create(StreamOptionsSchema, { includeUsage: true });
}
