import type { ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import { type BedrockConversation, type CacheMark, cacheOf, hasToolBlocks } from "./bedrock-conversation.js";

/** A tool as both Claude and Converse describe it. */
export interface ToolDefinition {
  name: string;
  description: string | undefined;
  /** A JSON Schema whose top level is an object. */
  schema: Record<string, unknown>;
  /** OpenAI's `strict`: the calls follow the schema (Bedrock's strict tool use). */
  strict?: boolean;
  /** A prompt-cache breakpoint after this tool's definition. */
  cache?: CacheMark;
}

/** OpenAI's tool_choice in the terms both Bedrock APIs share. */
export type ToolMode =
  | { kind: "default" }
  | { kind: "auto" }
  | { kind: "any" }
  | { kind: "tool"; name: string }
  | { kind: "none" };

/** The tools to send and how the model may use them; no tools means neither is sent. */
export interface ToolSelection {
  tools: ToolDefinition[];
  mode: ToolMode;
  /** OpenAI's `parallel_tool_calls: false`. */
  oneCallOnly: boolean;
}

const EMPTY_OBJECT_SCHEMA = { type: "object", properties: {} };

function modeOf(request: ChatCompletionRequest): ToolMode {
  const choice = request.toolChoice;
  switch (choice?.type) {
    case "auto":
      return { kind: "auto" };
    case "required":
      return { kind: "any" };
    case "function":
      return { kind: "tool", name: choice.function?.name ?? "" };
    case "none":
      return { kind: "none" };
    default:
      return { kind: "default" };
  }
}

/**
 * Which tools a Bedrock request carries. Both APIs want tool definitions
 * whenever the history holds tool calls, so a caller that stopped sending
 * `tools` gets minimal definitions of the tools it used; `tool_choice: none`
 * sends no tools at all unless the history needs them (then the tools go
 * unforced: neither API on Bedrock takes `none`).
 */
export function selectTools(
  request: ChatCompletionRequest,
  conversation: BedrockConversation,
  responseTool?: ToolDefinition,
): ToolSelection {
  const selection = callerTools(request, conversation);
  if (!responseTool) return selection;
  // Structured output through a forced tool: the answer tool alone, or among the caller's tools with `any`.
  const tools = [...selection.tools, responseTool];
  const callerChooses = selection.tools.length > 0 && selection.mode.kind !== "none";
  return {
    tools,
    mode: callerChooses ? { kind: "any" } : { kind: "tool", name: responseTool.name },
    oneCallOnly: selection.oneCallOnly,
  };
}

function callerTools(request: ChatCompletionRequest, conversation: BedrockConversation): ToolSelection {
  const mode = modeOf(request);
  const oneCallOnly = request.parallelToolCalls === false;
  const history = hasToolBlocks(conversation);
  if (mode.kind === "none" && !history) return { tools: [], mode, oneCallOnly };
  const given: ToolDefinition[] = request.tools.map((tool) => ({
    name: tool.function?.name ?? "",
    description: tool.function?.description || undefined,
    // The schema's top level must be an object; an omitted one means "no arguments".
    schema: { ...EMPTY_OBJECT_SCHEMA, ...(tool.function?.parameters ?? {}) },
    ...(tool.function?.strict ? { strict: true } : {}),
    ...cacheOf(tool),
  }));
  const tools =
    given.length > 0 || !history
      ? given
      : conversation.toolNamesUsed.map((name) => ({ name, description: undefined, schema: EMPTY_OBJECT_SCHEMA }));
  return { tools, mode, oneCallOnly };
}
