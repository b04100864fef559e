import type { ChatCompletionRequest } from "../../../../gen/openbedrock/v1/chat_pb.js";
import { type OptionalParameters, readParameters } from "../../../core/parameter-table.js";
import type { TitanTextGenerationConfig, TitanTextRequest } from "../../../wire/titan-text.js";
import type { BedrockConversation } from "../bedrock-conversation.js";
import { maxTokensOf, stopSequencesOf } from "../generation-limits.js";
import { renderTitanTranscript } from "./render-titan-transcript.js";

/** Without it Titan writes the user's next line too. */
export const TITAN_DEFAULT_STOP = "User:";

export interface TitanRequestInput {
  request: ChatCompletionRequest;
  conversation: BedrockConversation;
}

/** `textGenerationConfig`'s parameters, each read from the canonical request. */
const GENERATION_PARAMETERS: OptionalParameters<TitanTextGenerationConfig, ChatCompletionRequest> = {
  maxTokenCount: maxTokensOf,
  temperature: (r) => r.temperature,
  topP: (r) => r.topP,
  // The caller's stops replace the default rather than join it: Titan Text
  // Express and Lite have been seen to take a single stop sequence ("|" or
  // "User:"), so adding "User:" would turn a call that works into a refusal.
  stopSequences: (r) => stopSequencesOf(r) ?? [TITAN_DEFAULT_STOP],
};

/** The Titan body's optional parameters. */
const PARAMETERS: OptionalParameters<TitanTextRequest, TitanRequestInput> = {
  textGenerationConfig: ({ request }) => readParameters(GENERATION_PARAMETERS, request),
};

/** The InvokeModel body for a Titan text model. */
export function toTitanRequest(request: ChatCompletionRequest, conversation: BedrockConversation): TitanTextRequest {
  return { inputText: renderTitanTranscript(conversation), ...readParameters(PARAMETERS, { request, conversation }) };
}
