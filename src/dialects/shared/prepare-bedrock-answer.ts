import { create } from "@bufbuild/protobuf";
import { type ChatCompletionRequest, StreamOptionsSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { unsupported } from "./field-checks.js";

/**
 * Readies a request for an answer in a Bedrock model's shape, named by
 * `answer` in the refusal: such an answer carries one choice, and a
 * streamed one reports the usage at its end (Claude's `message_delta`,
 * Titan's last chunk), which the canonical stream must then carry.
 */
export function prepareBedrockAnswer(request: ChatCompletionRequest, stream: boolean, answer: string): void {
  if ((request.n ?? 1) > 1) throw unsupported("n", `${answer} carries one choice`);
  if (stream) request.streamOptions = create(StreamOptionsSchema, { includeUsage: true });
}
