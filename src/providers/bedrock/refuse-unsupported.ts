import type { ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../core/errors.js";
import { isNeutral } from "../../core/extension-fields.js";

/** A parameter some Bedrock family cannot honour, and how to tell it was asked for. */
export interface Unsupported {
  param: string;
  asked: (request: ChatCompletionRequest) => boolean;
  why: string;
}

/**
 * What no Bedrock model does. Neutral values (n 1, penalties 0) pass: many
 * clients send them by default.
 */
export const UNSUPPORTED_ON_BEDROCK: Unsupported[] = [
  { param: "n", asked: (r) => (r.n ?? 1) > 1, why: "Bedrock models generate one choice per request" },
  {
    param: "presence_penalty",
    asked: (r) => (r.presencePenalty ?? 0) !== 0,
    why: "Bedrock models have no presence penalty",
  },
  {
    param: "frequency_penalty",
    asked: (r) => (r.frequencyPenalty ?? 0) !== 0,
    why: "Bedrock models have no frequency penalty",
  },
  {
    param: "seed",
    asked: (r) => r.seed !== undefined,
    why: "Bedrock models take no seed, so their sampling cannot be made repeatable",
  },
  {
    param: "temperature",
    asked: (r) => (r.temperature ?? 0) > 1,
    why: "Bedrock models take a temperature from 0 to 1",
  },
];

function refused(param: string, family: string, why: string): InvalidRequestError {
  return new InvalidRequestError(`'${param}' is not supported for ${family}: ${why}.`, {
    param,
    code: "unsupported_parameter",
  });
}

/** Refuses the first parameter of the list the request asks for, naming it. */
export function refuseUnsupported(request: ChatCompletionRequest, family: string, rules: Unsupported[]): void {
  for (const rule of rules) {
    if (rule.asked(request)) throw refused(rule.param, family, rule.why);
  }
}

/** Message fields of an answer that a client sends back and that say nothing a Bedrock model could read. */
const ANSWER_ONLY_MESSAGE_FIELDS = new Set(["annotations"]);

/** Content part types a Bedrock conversation carries. */
const PART_TYPES = new Set(["text", "image_url", "file"]);

/**
 * Refuses what a Bedrock conversation cannot carry, naming where it is:
 * participant names (a tool message's repeats its call and passes),
 * message fields other than the mapped ones (neutral values and an
 * answer's `annotations` pass), part types other than text, images and
 * files, files outside user messages, `detail: "low"` images (Bedrock reads
 * every image whole), tools and tool calls that are not functions, and the
 * fields of any of them this server does not map.
 */
export function refuseUnsupportedContent(request: ChatCompletionRequest, family: string): void {
  request.messages.forEach((message, index) => {
    const at = `messages.[${index}]`;
    if (message.role === "function") {
      throw refused(`${at}.role`, family, "legacy function messages are OpenAI's; send 'tool' messages");
    }
    // A tool message's name repeats what its tool_call_id says; other turns have no place for one.
    if (message.name !== "" && message.role !== "tool") {
      throw refused(`${at}.name`, family, "Bedrock turns have no participant names; say who speaks in the text");
    }
    for (const [key, value] of Object.entries(message.extensions ?? {})) {
      if (isNeutral(value) || ANSWER_ONLY_MESSAGE_FIELDS.has(key)) continue;
      throw refused(`${at}.${key}`, family, "Bedrock messages have no such field");
    }
    message.contentParts.forEach((part, partIndex) => {
      const partAt = `${at}.content.[${partIndex}]`;
      if (!PART_TYPES.has(part.type)) {
        throw refused(`${partAt}.type`, family, `they take text, image_url and file parts, not '${part.type}'`);
      }
      if (part.type === "file" && message.role !== "user") {
        throw refused(partAt, family, "documents go in user messages");
      }
      if (part.type === "image_url" && part.imageUrl?.detail === "low") {
        throw refused(`${partAt}.image_url.detail`, family, "Bedrock models read every image at its full size");
      }
      for (const key of Object.keys(part.extensions ?? {})) {
        throw refused(`${partAt}.${key}`, family, "Bedrock content has no such field");
      }
    });
    message.toolCalls.forEach((call, callIndex) => {
      if (call.type !== "function") {
        throw refused(`${at}.tool_calls.[${callIndex}].type`, family, "they call functions only");
      }
    });
  });
  request.tools.forEach((tool, index) => {
    if (tool.type !== "function") throw refused(`tools.[${index}].type`, family, "they call functions only");
    for (const key of Object.keys(tool.extensions ?? {})) {
      throw refused(`tools.[${index}].${key}`, family, "Bedrock tools have no such field");
    }
  });
}
