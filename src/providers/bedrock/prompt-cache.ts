import type { CacheControl, ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../core/errors.js";
import type { BedrockConversation } from "./bedrock-conversation.js";
import type { FamilyName } from "./family-name.js";
import type { ModelCapabilities } from "./model-capabilities.js";
import type { ToolSelection } from "./tool-selection.js";

/** Bedrock's limit on cache breakpoints in one request (Claude's and Converse's alike). */
export const MAX_CACHE_BREAKPOINTS = 4;

interface Breakpoint {
  control: CacheControl;
  /** Where the caller put it: `tools.[0].cache_control`, `messages.[1].content.[0].cache_control`. */
  param: string;
}

/**
 * The request's cache breakpoints in the order Bedrock reads the prompt:
 * tools, then the system prompt (system and developer messages), then the
 * conversation.
 */
function breakpoints(request: ChatCompletionRequest): Breakpoint[] {
  const found: Breakpoint[] = [];
  request.tools.forEach((tool, index) => {
    if (tool.cacheControl) found.push({ control: tool.cacheControl, param: `tools.[${index}].cache_control` });
  });
  const fromMessages = (system: boolean) =>
    request.messages.forEach((message, index) => {
      if ((message.role === "system" || message.role === "developer") !== system) return;
      message.contentParts.forEach((part, partIndex) => {
        if (part.cacheControl) {
          found.push({ control: part.cacheControl, param: `messages.[${index}].content.[${partIndex}].cache_control` });
        }
      });
    });
  fromMessages(true);
  fromMessages(false);
  return found;
}

function refused(param: string, message: string, code = "invalid_value"): InvalidRequestError {
  return new InvalidRequestError(message, { param, code });
}

const minutes = (ttl: string) => (ttl === "1h" ? 60 : 5);

/**
 * Checks the caller's `cache_control` marks against Bedrock's rules before
 * the call: type `ephemeral`, TTL `5m` or `1h` (the hour only on models
 * that have it), a model that caches prompts, at most four breakpoints, and
 * TTLs that never increase along tools -> system -> messages. Each refusal
 * names the mark that breaks the rule. Answers whether the caller placed any.
 */
export function checkPromptCache(
  request: ChatCompletionRequest,
  capabilities: ModelCapabilities,
  family: FamilyName,
): boolean {
  const marks = breakpoints(request);
  let previous: Breakpoint | undefined;
  marks.forEach((mark, index) => {
    const { control, param } = mark;
    if (control.type !== "ephemeral") {
      throw refused(
        `${param}.type`,
        `Invalid value for '${param}.type': '${control.type}'. Supported values are: 'ephemeral'.`,
      );
    }
    if (control.ttl !== "" && control.ttl !== "5m" && control.ttl !== "1h") {
      throw refused(
        `${param}.ttl`,
        `Invalid value for '${param}.ttl': '${control.ttl}'. Supported values are: '5m', '1h'.`,
      );
    }
    if (capabilities.known && !capabilities.promptCache) {
      throw refused(
        param,
        `'${param}' is not supported for ${capabilities.model}: it does not cache prompts on Bedrock.`,
        "unsupported_parameter",
      );
    }
    if (control.ttl === "1h" && capabilities.known && !capabilities.cacheHour) {
      throw refused(
        `${param}.ttl`,
        `'${param}.ttl' '1h' is not supported for ${capabilities.model}: its Bedrock cache lives 5 minutes.`,
        "unsupported_parameter",
      );
    }
    if (index === MAX_CACHE_BREAKPOINTS) {
      throw refused(
        param,
        `Too many cache breakpoints for ${family}: at most ${MAX_CACHE_BREAKPOINTS} per request; '${param}' is the ${index + 1}th.`,
      );
    }
    if (previous && minutes(control.ttl) > minutes(previous.control.ttl)) {
      throw refused(
        `${param}.ttl`,
        `Invalid '${param}.ttl': Bedrock needs cache TTLs that never increase along tools, system and messages, and '${previous.param}' lives shorter.`,
      );
    }
    previous = mark;
  });
  return marks.length > 0;
}

/**
 * `BEDROCK_PROMPT_CACHE=auto`: when the caller placed no breakpoint and the
 * model caches prompts, the prompt is cached up to the end of the tools and
 * up to the end of the system prompt, the parts every turn repeats.
 */
export function placeCacheBreakpoints(conversation: BedrockConversation, tools: ToolSelection): void {
  const lastTool = tools.tools.at(-1);
  if (lastTool) lastTool.cache ??= { ttl: undefined };
  const lastSystem = conversation.system.at(-1);
  if (lastSystem) lastSystem.cache ??= { ttl: undefined };
}
