import type { ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../core/errors.js";

/** A parameter some Bedrock family cannot honour, and how to tell it was asked for. */
export interface Unsupported {
  param: string;
  asked: (request: ChatCompletionRequest) => boolean;
  why: string;
}

/**
 * What no Bedrock model does. Neutral values (n 1, penalties 0, text
 * format) pass: many clients send them by default. `seed` and `user` are
 * best-effort hints in OpenAI's API and are left out rather than refused.
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
    param: "response_format",
    asked: (r) => r.responseFormat !== undefined && r.responseFormat.type !== "text",
    why: "Bedrock models have no JSON output mode; describe the format in the prompt or use a tool",
  },
  {
    param: "reasoning_effort",
    asked: (r) => r.reasoningEffort !== "",
    why: "reasoning effort applies to OpenAI reasoning models only",
  },
  {
    param: "temperature",
    asked: (r) => (r.temperature ?? 0) > 1,
    why: "Bedrock models take a temperature from 0 to 1",
  },
];

/** Refuses the first parameter of the list the request asks for, naming it. */
export function refuseUnsupported(request: ChatCompletionRequest, family: string, rules: Unsupported[]): void {
  for (const rule of rules) {
    if (rule.asked(request)) {
      throw new InvalidRequestError(`'${rule.param}' is not supported for ${family}: ${rule.why}.`, {
        param: rule.param,
        code: "unsupported_parameter",
      });
    }
  }
}
