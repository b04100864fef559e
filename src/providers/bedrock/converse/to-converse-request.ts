import { type OptionalParameters, readParameters } from "../../../core/parameter-table.js";
import type {
  ConverseCachePoint,
  ConverseContentBlock,
  ConverseInferenceConfiguration,
  ConverseMessage,
  ConverseRequest,
  ConverseSystemContentBlock,
  ConverseToolChoice,
  ConverseToolConfiguration,
} from "../../../wire/bedrock-converse.js";
import type { CacheMark, Turn, TurnBlock } from "../bedrock-conversation.js";
import type { BedrockRequest } from "../bedrock-request.js";
import { maxTokensOf, stopSequencesOf } from "../generation-limits.js";
import type { ToolSelection } from "../tool-selection.js";

/** Converse marks a cache breakpoint with a block of its own, after what it caches. */
function cachePoint(cache: CacheMark | undefined): { cachePoint: ConverseCachePoint }[] {
  if (!cache) return [];
  return [{ cachePoint: { type: "default", ...(cache.ttl ? { ttl: cache.ttl } : {}) } }];
}

function converseBlock(block: TurnBlock): ConverseContentBlock {
  switch (block.kind) {
    case "text":
      return { text: block.text };
    case "image":
      return { image: { format: block.image.format, source: { bytes: block.image.base64 } } };
    case "document":
      return {
        document: {
          format: block.document.format,
          name: block.document.name,
          source: { bytes: block.document.base64 },
        },
      };
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
    case "thinking":
      return { reasoningContent: { reasoningText: { text: block.thinking, signature: block.signature } } };
    case "redacted-thinking":
      return { reasoningContent: { redactedContent: block.data } };
  }
}

function converseMessage(turn: Turn): ConverseMessage {
  return {
    role: turn.role,
    content: turn.blocks.flatMap((block) => [converseBlock(block), ...cachePoint(block.cache)]),
  };
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
    tools: selection.tools.flatMap((tool) => [
      {
        toolSpec: {
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          inputSchema: { json: tool.schema },
          ...(tool.strict ? { strict: true } : {}),
        },
      },
      ...cachePoint(tool.cache),
    ]),
    ...(toolChoice ? { toolChoice } : {}),
  };
}

/** `inferenceConfig`'s parameters, each read from the prepared request. */
const INFERENCE_PARAMETERS: OptionalParameters<ConverseInferenceConfiguration, BedrockRequest> = {
  maxTokens: ({ request, reasoning }) =>
    reasoning?.kind === "claude-thinking" ? reasoning.maxTokens : maxTokensOf(request),
  temperature: ({ request }) => request.temperature,
  topP: ({ request }) => request.topP,
  stopSequences: ({ request }) => stopSequencesOf(request),
};

function inferenceConfig(prepared: BedrockRequest): ConverseInferenceConfiguration | undefined {
  const config = readParameters(INFERENCE_PARAMETERS, prepared);
  return Object.keys(config).length > 0 ? config : undefined;
}

/** Converse has no top_k: each model that has one reads it under its own name. */
function topKField({ request, capabilities }: BedrockRequest): Record<string, unknown> {
  const k = request.topK;
  if (k === undefined) return {};
  switch (capabilities.topK) {
    case "nova":
      return { inferenceConfig: { topK: k } };
    case "cohere":
      return { k };
    default:
      return { top_k: k };
  }
}

/** The model's own fields Converse passes through: top_k, Claude's thinking, Nova 2's reasoning. */
function additionalFields(prepared: BedrockRequest): Record<string, unknown> | undefined {
  const reasoning = prepared.reasoning;
  const fields = {
    ...topKField(prepared),
    ...(reasoning?.kind === "claude-thinking" ? { thinking: reasoning.thinking } : {}),
    ...(reasoning?.kind === "nova-effort"
      ? { reasoningConfig: { type: "enabled", maxReasoningEffort: reasoning.effort } }
      : {}),
  };
  return Object.keys(fields).length > 0 ? fields : undefined;
}

function system({ conversation }: BedrockRequest): ConverseSystemContentBlock[] | undefined {
  if (conversation.system.length === 0) return undefined;
  return conversation.system.flatMap((text) => [{ text: text.text }, ...cachePoint(text.cache)]);
}

/** The Converse body's optional parameters, each read from the prepared request. */
const PARAMETERS: OptionalParameters<ConverseRequest, BedrockRequest> = {
  system,
  inferenceConfig,
  toolConfig: ({ tools }) => converseToolConfig(tools),
  additionalModelRequestFields: additionalFields,
  guardrailConfig: ({ controls }) =>
    controls.guardrail
      ? {
          guardrailIdentifier: controls.guardrail.identifier,
          guardrailVersion: controls.guardrail.version,
          trace: controls.guardrail.trace,
        }
      : undefined,
  additionalModelResponseFieldPaths: () => undefined,
  requestMetadata: ({ controls }) =>
    Object.keys(controls.requestMetadata).length > 0 ? controls.requestMetadata : undefined,
  performanceConfig: ({ controls }) => (controls.latency ? { latency: controls.latency } : undefined),
  serviceTier: ({ controls }) => (controls.serviceTier ? { type: controls.serviceTier } : undefined),
  outputConfig: ({ output }) =>
    output.kind === "native"
      ? {
          textFormat: {
            type: "json_schema",
            structure: {
              jsonSchema: {
                schema: JSON.stringify(output.schema),
                ...(output.name ? { name: output.name } : {}),
                ...(output.description ? { description: output.description } : {}),
              },
            },
          },
        }
      : undefined,
};

/** The Converse / ConverseStream body. */
export function toConverseRequest(prepared: BedrockRequest): ConverseRequest {
  return { messages: prepared.conversation.turns.map(converseMessage), ...readParameters(PARAMETERS, prepared) };
}
