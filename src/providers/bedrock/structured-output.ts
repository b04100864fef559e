import type { ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../core/errors.js";
import type { ModelCapabilities } from "./model-capabilities.js";
import type { Reasoning } from "./reasoning.js";
import type { ToolDefinition } from "./tool-selection.js";

/** How a Bedrock model is made to answer in JSON. */
export type OutputPlan =
  | { kind: "text" }
  /** Bedrock's structured output: Claude's `output_config.format`, Converse's `outputConfig.textFormat`. */
  | { kind: "native"; schema: Record<string, unknown>; name: string; description: string }
  /** A tool the model must call, whose input is the answer; its arguments become the message's content. */
  | { kind: "tool"; tool: ToolDefinition };

/** The answer tool of `json_object`, which has no schema of its own. */
export const JSON_OBJECT_TOOL = "json_response";

function refused(param: string, message: string): InvalidRequestError {
  return new InvalidRequestError(message, { param, code: "unsupported_parameter" });
}

/**
 * How `response_format` is honoured on a Bedrock model: through Bedrock's
 * structured output where the model has it (Claude 4.5 and later; models
 * the id does not reveal are given it too, and Bedrock answers for them),
 * else through a forced tool (Claude before 4.5, Nova), else a 400. The
 * forced tool cannot go with Claude's extended thinking nor with a
 * tool_choice that forces another tool.
 */
export function planOutput(
  request: ChatCompletionRequest,
  capabilities: ModelCapabilities,
  reasoning: Reasoning | undefined,
): OutputPlan {
  const format = request.responseFormat;
  if (!format || format.type === "text") return { kind: "text" };
  const schema = format.jsonSchema;
  const withSchema = format.type === "json_schema";
  if (withSchema && (capabilities.nativeStructuredOutput || !capabilities.known)) {
    return {
      kind: "native",
      schema: (schema?.schema as Record<string, unknown> | undefined) ?? { type: "object" },
      name: schema?.name ?? "",
      description: schema?.description ?? "",
    };
  }
  if (!capabilities.forcedToolChoice && capabilities.known) {
    throw refused(
      "response_format",
      `'response_format' '${format.type}' is not supported for ${capabilities.model}: it has neither Bedrock's structured output nor a tool choice to force JSON.`,
    );
  }
  if (reasoning?.kind === "claude-thinking" && reasoning.enabled) {
    throw refused(
      "response_format",
      `'response_format' '${format.type}' needs a forced tool on ${capabilities.model}, which Claude's extended thinking does not allow; remove reasoning_effort or response_format.`,
    );
  }
  const choice = request.toolChoice?.type;
  if (choice === "required" || choice === "function") {
    throw refused(
      "tool_choice",
      `'tool_choice' '${choice}' cannot go with 'response_format' on ${capabilities.model}, which answers in JSON through a tool of its own.`,
    );
  }
  const name = withSchema ? (schema?.name ?? "") : JSON_OBJECT_TOOL;
  if (request.tools.some((tool) => tool.function?.name === name)) {
    throw new InvalidRequestError(
      `Invalid 'response_format': a tool named '${name}' already exists, and the answer needs that name for its own tool.`,
      { param: withSchema ? "response_format.json_schema.name" : "response_format", code: "invalid_value" },
    );
  }
  return {
    kind: "tool",
    tool: {
      name,
      description:
        schema?.description ||
        "Give the answer by calling this tool: its input is the answer, as JSON that follows the schema.",
      schema: withSchema
        ? ((schema?.schema as Record<string, unknown> | undefined) ?? { type: "object" })
        : { type: "object" },
    },
  };
}
