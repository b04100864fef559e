import type { ChatCompletionRequest } from "../../../../gen/openbedrock/v1/chat_pb.js";
import { type OptionalParameters, readParameters } from "../../../core/parameter-table.js";
import type {
  ConverseContentBlock,
  ConverseInferenceConfiguration,
  ConverseMessage,
  ConverseRequest,
  ConverseToolChoice,
  ConverseToolConfiguration,
} from "../../../wire/bedrock-converse.js";
import type { BedrockConversation, Turn, TurnBlock } from "../bedrock-conversation.js";
import { maxTokensOf, stopSequencesOf } from "../generation-limits.js";
import { selectTools, type ToolSelection } from "../tool-selection.js";

export interface ConverseRequestInput {
  request: ChatCompletionRequest;
  conversation: BedrockConversation;
  tools: ToolSelection;
}

function converseBlock(block: TurnBlock): ConverseContentBlock {
  switch (block.kind) {
    case "text":
      return { text: block.text };
    case "image":
      return { image: { format: block.image.format, source: { bytes: block.image.base64 } } };
    case "tool-use":
      return { toolUse: { toolUseId: block.id, name: block.name, input: block.input } };
    case "tool-result":
      // Converse refuses blank text; an empty result is an empty JSON object.
      return {
        toolResult: {
          toolUseId: block.toolUseId,
          content: [block.text.trim() === "" ? { json: {} } : { text: block.text }],
        },
      };
  }
}

function converseMessage(turn: Turn): ConverseMessage {
  return { role: turn.role, content: turn.blocks.map(converseBlock) };
}

/** Converse has no `none`: with tools that the history requires, the model is left to choose. */
function converseToolChoice({ mode }: ToolSelection): ConverseToolChoice | undefined {
  switch (mode.kind) {
    case "auto":
      return { auto: {} };
    case "any":
      return { any: {} };
    case "tool":
      return { tool: { name: mode.name } };
    default:
      return undefined;
  }
}

function converseToolConfig(selection: ToolSelection): ConverseToolConfiguration | undefined {
  if (selection.tools.length === 0) return undefined;
  const toolChoice = converseToolChoice(selection);
  return {
    tools: selection.tools.map((tool) => ({
      toolSpec: {
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        inputSchema: { json: tool.schema },
      },
    })),
    ...(toolChoice ? { toolChoice } : {}),
  };
}

/** `inferenceConfig`'s parameters, each read from the canonical request. */
const INFERENCE_PARAMETERS: OptionalParameters<ConverseInferenceConfiguration, ChatCompletionRequest> = {
  maxTokens: maxTokensOf,
  temperature: (r) => r.temperature,
  topP: (r) => r.topP,
  stopSequences: stopSequencesOf,
};

function inferenceConfig(request: ChatCompletionRequest): ConverseInferenceConfiguration | undefined {
  const config = readParameters(INFERENCE_PARAMETERS, request);
  return Object.keys(config).length > 0 ? config : undefined;
}

/**
 * The Converse body's optional parameters, each read from the canonical
 * request and its conversation.
 */
const PARAMETERS: OptionalParameters<ConverseRequest, ConverseRequestInput> = {
  system: ({ conversation }) =>
    conversation.system.length > 0 ? conversation.system.map((text) => ({ text })) : undefined,
  inferenceConfig: ({ request }) => inferenceConfig(request),
  toolConfig: ({ tools }) => converseToolConfig(tools),
  // Converse has no top_k; the models that take one read it from here (Claude, Mistral).
  additionalModelRequestFields: ({ request }) => (request.topK === undefined ? undefined : { top_k: request.topK }),
  guardrailConfig: () => undefined,
  additionalModelResponseFieldPaths: () => undefined,
  requestMetadata: () => undefined,
  performanceConfig: () => undefined,
};

/** The Converse / ConverseStream body. */
export function toConverseRequest(request: ChatCompletionRequest, conversation: BedrockConversation): ConverseRequest {
  const input: ConverseRequestInput = { request, conversation, tools: selectTools(request, conversation) };
  return { messages: conversation.turns.map(converseMessage), ...readParameters(PARAMETERS, input) };
}
