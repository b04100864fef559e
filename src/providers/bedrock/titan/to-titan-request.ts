import type { ChatCompletionRequest } from "../../../../gen/openbedrock/v1/chat_pb.js";
import type { TitanTextGenerationConfig, TitanTextRequest } from "../../../wire/titan-text.js";
import type { BedrockConversation } from "../bedrock-conversation.js";
import { renderTitanTranscript } from "./render-titan-transcript.js";

/** Without it Titan writes the user's next line too. */
export const TITAN_DEFAULT_STOP = "User:";

export interface TitanRequestInput {
  request: ChatCompletionRequest;
  conversation: BedrockConversation;
}

/** `textGenerationConfig`'s parameters, each read from the canonical request. */
const GENERATION_PARAMETERS: {
  [Name in keyof TitanTextGenerationConfig]-?: (
    request: ChatCompletionRequest,
  ) => TitanTextGenerationConfig[Name] | undefined;
} = {
  maxTokenCount: (r) => r.maxCompletionTokens ?? r.maxTokens,
  temperature: (r) => r.temperature,
  topP: (r) => r.topP,
  // The caller's stops replace the default rather than join it: Titan Text
  // Express and Lite have been seen to take a single stop sequence ("|" or
  // "User:"), so adding "User:" would turn a call that works into a refusal.
  stopSequences: (r) => {
    const stops = r.stop.filter((stop) => stop !== "");
    return stops.length > 0 ? stops : [TITAN_DEFAULT_STOP];
  },
};

function generationConfig(request: ChatCompletionRequest): TitanTextGenerationConfig {
  const config: Record<string, unknown> = {};
  for (const [name, read] of Object.entries(GENERATION_PARAMETERS)) {
    const value = (read as (r: ChatCompletionRequest) => unknown)(request);
    if (value !== undefined) config[name] = value;
  }
  return config as TitanTextGenerationConfig;
}

/** The Titan body's parameters. */
const PARAMETERS: {
  [Name in keyof TitanTextRequest]-?: (input: TitanRequestInput) => TitanTextRequest[Name] | undefined;
} = {
  inputText: ({ conversation }) => renderTitanTranscript(conversation),
  textGenerationConfig: ({ request }) => generationConfig(request),
};

/** The InvokeModel body for a Titan text model. */
export function toTitanRequest(request: ChatCompletionRequest, conversation: BedrockConversation): TitanTextRequest {
  const body: Record<string, unknown> = {};
  for (const [name, read] of Object.entries(PARAMETERS)) {
    const value = (read as (input: TitanRequestInput) => unknown)({ request, conversation });
    if (value !== undefined) body[name] = value;
  }
  return body as unknown as TitanTextRequest;
}
