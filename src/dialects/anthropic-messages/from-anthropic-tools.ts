import type { JsonObject, MessageInitShape } from "@bufbuild/protobuf";
import type { ToolChoiceSchema, ToolSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { TOOL_NAME } from "../../core/validate-request.js";
import { invalidValue, missing, oneOf, unsupported } from "../shared/field-checks.js";
import { JsonFields } from "../shared/json-fields.js";
import { cacheControlOf } from "./from-anthropic-messages.js";

type ToolInit = MessageInitShape<typeof ToolSchema>;
type ToolChoiceInit = MessageInitShape<typeof ToolChoiceSchema>;

export interface AnthropicToolSelection {
  tools: ToolInit[];
  toolChoice?: ToolChoiceInit;
  /** `disable_parallel_tool_use: true` as OpenAI's `parallel_tool_calls: false`. */
  parallelToolCalls?: boolean;
}

/** A custom tool (`input_schema`) as a function tool; Anthropic's own versioned tools are refused. */
function fromAnthropicTool(value: unknown, path: string): ToolInit {
  const tool = JsonFields.of(value, path);
  const type = tool.string("type");
  if (type !== undefined && type !== "custom") {
    throw unsupported(
      tool.param("type"),
      `'${type}' is one of Anthropic's own tools, which other models do not have; define a custom tool with an input_schema`,
    );
  }
  const name = tool.requiredString("name");
  if (!TOOL_NAME.test(name)) {
    throw invalidValue(
      tool.param("name"),
      `Invalid '${tool.param("name")}': '${name}'. Names use a-z, A-Z, 0-9, underscores and dashes, at most 64 characters.`,
    );
  }
  const schema = tool.nested("input_schema");
  if (!schema) throw missing(tool.param("input_schema"));
  if (schema.raw("type") !== "object") {
    throw invalidValue(
      schema.param("type"),
      `Invalid '${schema.param("type")}': a tool's input_schema must be a JSON Schema of type 'object'.`,
    );
  }
  return {
    type: "function",
    function: {
      name,
      description: tool.string("description") ?? "",
      parameters: schema.object as JsonObject,
    },
    ...cacheControlOf(tool),
  };
}

const CHOICES = ["auto", "any", "tool", "none"] as const;

/** Anthropic's `tool_choice` in OpenAI's terms: auto, any (required), tool (one function), none. */
function fromAnthropicToolChoice(body: JsonFields, tools: ToolInit[]): Omit<AnthropicToolSelection, "tools"> {
  const choice = body.nested("tool_choice");
  if (!choice) return {};
  const type = oneOf(choice, "type", CHOICES) as (typeof CHOICES)[number];
  const oneCall = choice.boolean("disable_parallel_tool_use") === true;
  const parallel = oneCall ? { parallelToolCalls: false } : {};
  if ((type === "any" || type === "tool") && tools.length === 0) {
    throw invalidValue(choice.param("type"), `Invalid '${choice.param("type")}': '${type}' needs 'tools'.`);
  }
  switch (type) {
    case "auto":
      return { toolChoice: { type: "auto" }, ...parallel };
    case "any":
      return { toolChoice: { type: "required" }, ...parallel };
    case "none":
      return { toolChoice: { type: "none" } };
    case "tool": {
      const name = choice.requiredString("name");
      if (!tools.some((tool) => tool.function?.name === name)) {
        throw invalidValue(
          choice.param("name"),
          `Invalid '${choice.param("name")}': the tool '${name}' is not in 'tools'.`,
        );
      }
      return { toolChoice: { type: "function", function: { name } }, ...parallel };
    }
  }
}

/** Anthropic's `tools` and `tool_choice`. */
export function fromAnthropicTools(body: JsonFields): AnthropicToolSelection {
  const tools = (body.array("tools") ?? []).map(({ value, path }) => fromAnthropicTool(value, path));
  return { tools, ...fromAnthropicToolChoice(body, tools) };
}
