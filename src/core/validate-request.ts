import type { ChatCompletionRequest, Message } from "../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "./errors.js";

/** OpenAI's roles; `function` is its legacy tool-result role, for the legacy `functions` (OpenAI models only). */
export const MESSAGE_ROLES = ["system", "developer", "user", "assistant", "tool", "function"] as const;
export const TOOL_CHOICE_TYPES = ["none", "auto", "required", "function"] as const;
export const RESPONSE_FORMAT_TYPES = ["text", "json_object", "json_schema"] as const;
export const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const THINKING_BLOCK_TYPES = ["thinking", "redacted_thinking"] as const;
const MAX_STOP_SEQUENCES = 4;
const MAX_SAFE_SEED = BigInt(Number.MAX_SAFE_INTEGER);

function invalidValue(param: string, message: string): InvalidRequestError {
  return new InvalidRequestError(message, { param, code: "invalid_value" });
}

function quotedList(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(", ");
}

function checkRange(value: number | undefined, param: string, min: number, max: number, integer = false): void {
  if (value === undefined) return;
  const valid = Number.isFinite(value) && value >= min && value <= max;
  if (!valid || (integer && !Number.isInteger(value))) {
    const kind = integer ? "an integer" : "a number";
    const bound = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw invalidValue(param, `Invalid '${param}': expected ${kind} ${bound}, got ${value}.`);
  }
}

function hasContent(message: Message): boolean {
  return message.content !== undefined || message.contentParts.length > 0;
}

function validateMessage(message: Message, index: number): void {
  const at = `messages.[${index}]`;
  if (!(MESSAGE_ROLES as readonly string[]).includes(message.role)) {
    throw invalidValue(
      `${at}.role`,
      `Invalid value for '${at}.role': '${message.role}'. Supported values are: ${quotedList(MESSAGE_ROLES)}.`,
    );
  }
  if (message.role === "tool" && message.toolCallId === "") {
    throw new InvalidRequestError(
      `Missing parameter 'tool_call_id': messages with role 'tool' must have a 'tool_call_id'.`,
      { param: `${at}.tool_call_id`, code: "missing_required_parameter" },
    );
  }
  if (message.role !== "assistant" && !hasContent(message)) {
    throw new InvalidRequestError(
      `Invalid value for '${at}.content': messages with role '${message.role}' must have content.`,
      { param: `${at}.content`, code: "missing_required_parameter" },
    );
  }
  // An answer can also be only a legacy function_call or an audio reply: fields the provider judges.
  const answered =
    message.toolCalls.length > 0 || message.thinkingBlocks.length > 0 || message.extensions !== undefined;
  if (message.role === "assistant" && !hasContent(message) && !answered) {
    throw new InvalidRequestError(
      `Invalid value for '${at}.content': an assistant message needs content or tool_calls.`,
      { param: `${at}.content`, code: "missing_required_parameter" },
    );
  }
  if (message.role !== "assistant" && message.toolCalls.length > 0) {
    throw invalidValue(`${at}.tool_calls`, `Only assistant messages can have 'tool_calls'.`);
  }
  message.contentParts.forEach((part, partIndex) => {
    const partAt = `${at}.content.[${partIndex}]`;
    if (part.type === "file") {
      if (!part.file || (part.file.fileData === "" && part.file.fileId === "")) {
        throw new InvalidRequestError(`Missing '${partAt}.file.file_data': a file part needs file_data or file_id.`, {
          param: `${partAt}.file.file_data`,
          code: "missing_required_parameter",
        });
      }
      return;
    }
    // Text, and part types the providers judge (OpenAI's own, such as `input_audio`).
    if (part.type !== "image_url") return;
    if (!part.imageUrl || part.imageUrl.url === "") {
      throw new InvalidRequestError(`Missing '${partAt}.image_url.url'.`, {
        param: `${partAt}.image_url.url`,
        code: "missing_required_parameter",
      });
    }
    if (message.role !== "user") {
      throw invalidValue(`${partAt}.type`, `Image content is only allowed in user messages.`);
    }
  });
  message.thinkingBlocks.forEach((block, blockIndex) => {
    const blockAt = `${at}.thinking_blocks.[${blockIndex}]`;
    if (message.role !== "assistant") {
      throw invalidValue(blockAt, `Only assistant messages can have 'thinking_blocks'.`);
    }
    if (!(THINKING_BLOCK_TYPES as readonly string[]).includes(block.type)) {
      throw invalidValue(
        `${blockAt}.type`,
        `Invalid value for '${blockAt}.type': '${block.type}'. Supported values are: ${quotedList(THINKING_BLOCK_TYPES)}.`,
      );
    }
  });
  message.toolCalls.forEach((call, callIndex) => {
    const callAt = `${at}.tool_calls.[${callIndex}]`;
    if (call.id === "") {
      throw new InvalidRequestError(`Missing '${callAt}.id'.`, {
        param: `${callAt}.id`,
        code: "missing_required_parameter",
      });
    }
    // Calls of other types (OpenAI's `custom` ...) are the provider's to judge.
    if (call.type !== "function") return;
    if (!call.function || call.function.name === "") {
      throw new InvalidRequestError(`Missing '${callAt}.function.name'.`, {
        param: `${callAt}.function.name`,
        code: "missing_required_parameter",
      });
    }
  });
}

function validateTools(request: ChatCompletionRequest): void {
  request.tools.forEach((tool, index) => {
    const at = `tools.[${index}]`;
    // Tools of other types (OpenAI's `custom` ...) are the provider's to judge.
    if (tool.type !== "function") return;
    const name = tool.function?.name ?? "";
    if (!TOOL_NAME.test(name)) {
      throw invalidValue(
        `${at}.function.name`,
        `Invalid '${at}.function.name': '${name}'. Names use a-z, A-Z, 0-9, underscores and dashes, at most 64 characters.`,
      );
    }
  });
  const choice = request.toolChoice;
  if (!choice) return;
  if (!(TOOL_CHOICE_TYPES as readonly string[]).includes(choice.type)) {
    throw invalidValue(
      "tool_choice",
      `Invalid value for 'tool_choice': '${choice.type}'. Supported values are: ${quotedList(TOOL_CHOICE_TYPES)}.`,
    );
  }
  if (choice.type === "required" && request.tools.length === 0) {
    throw invalidValue("tool_choice", `'tool_choice' is 'required' but no 'tools' were given.`);
  }
  if (choice.type === "function") {
    const name = choice.function?.name ?? "";
    if (!request.tools.some((tool) => tool.function?.name === name)) {
      throw invalidValue("tool_choice", `'tool_choice' names the function '${name}', which is not in 'tools'.`);
    }
  }
}

/** MAX_MESSAGES: the most messages one request may carry, whatever shape it came in. */
export function checkMessageCount(count: number, maxMessages = Number.POSITIVE_INFINITY): void {
  if (count > maxMessages) {
    // OpenAI's own words for its limit (2048 there).
    throw new InvalidRequestError(
      `Invalid 'messages': array too long. Expected an array with maximum length ${maxMessages}, but got an array with length ${count} instead.`,
      { param: "messages", code: "array_above_max_length" },
    );
  }
}

/**
 * Checks what every provider needs of a request, so that a bad request gets
 * the same 400 / INVALID_ARGUMENT whichever transport and model it came by.
 */
export function validateChatRequest(request: ChatCompletionRequest, maxMessages = Number.POSITIVE_INFINITY): void {
  if (request.messages.length === 0) {
    throw new InvalidRequestError("'messages' must contain at least one message.", {
      param: "messages",
      code: "missing_required_parameter",
    });
  }
  checkMessageCount(request.messages.length, maxMessages);
  request.messages.forEach(validateMessage);
  checkRange(request.temperature, "temperature", 0, 2);
  checkRange(request.topP, "top_p", 0, 1);
  checkRange(request.maxTokens, "max_tokens", 1, Number.MAX_SAFE_INTEGER, true);
  checkRange(request.maxCompletionTokens, "max_completion_tokens", 1, Number.MAX_SAFE_INTEGER, true);
  checkRange(request.n, "n", 1, 128, true);
  checkRange(request.presencePenalty, "presence_penalty", -2, 2);
  checkRange(request.frequencyPenalty, "frequency_penalty", -2, 2);
  checkRange(request.topK, "top_k", 1, Number.MAX_SAFE_INTEGER, true);
  if (request.seed !== undefined && (request.seed > MAX_SAFE_SEED || request.seed < -MAX_SAFE_SEED)) {
    // Upstreams take JSON numbers, which are exact only up to 2^53.
    throw invalidValue("seed", `Invalid 'seed': expected an integer between -${MAX_SAFE_SEED} and ${MAX_SAFE_SEED}.`);
  }
  if (request.stop.length > MAX_STOP_SEQUENCES) {
    throw invalidValue("stop", `'stop' takes at most ${MAX_STOP_SEQUENCES} sequences, got ${request.stop.length}.`);
  }
  validateTools(request);
  const format = request.responseFormat;
  if (format && !(RESPONSE_FORMAT_TYPES as readonly string[]).includes(format.type)) {
    throw invalidValue(
      "response_format.type",
      `Invalid value for 'response_format.type': '${format.type}'. Supported values are: ${quotedList(RESPONSE_FORMAT_TYPES)}.`,
    );
  }
  if (format?.type === "json_schema" && !format.jsonSchema?.name) {
    throw new InvalidRequestError("Missing 'response_format.json_schema.name'.", {
      param: "response_format.json_schema.name",
      code: "missing_required_parameter",
    });
  }
}
