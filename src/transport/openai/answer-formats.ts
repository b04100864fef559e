import type { ChatCompletionRequest, ChatCompletionResponse } from "../../../gen/openbedrock/v1/chat_pb.js";
import { toGatewayError } from "../../core/errors.js";
import { toClaudeError } from "../../formats/claude/to-claude-error.js";
import { toClaudeResponse } from "../../formats/claude/to-claude-response.js";
import { ClaudeStreamEvents } from "../../formats/claude/to-claude-stream-events.js";
import { prepareForTarget, type TargetFormat } from "../../formats/target-format.js";
import { toTitanError } from "../../formats/titan/to-titan-error.js";
import { toTitanResponse } from "../../formats/titan/to-titan-response.js";
import { TitanStreamChunks } from "../../formats/titan/to-titan-stream-chunks.js";
import { errorAnswer } from "./error-body.js";
import { openAIStreamEncoder, type StreamEncoder } from "./stream-encoder.js";
import { chatCompletionJson } from "./to-openai-json.js";

export interface FailureAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** How answers and failures look in one target format. */
export interface AnswerFormat {
  /** Refuses what the format cannot carry and asks for what it needs (see prepareForTarget). */
  prepare(request: ChatCompletionRequest, stream: boolean): void;
  unary(response: ChatCompletionResponse): unknown;
  encoder(request: ChatCompletionRequest): StreamEncoder;
  failure(failure: unknown): FailureAnswer;
}

/** Anthropic's SSE: every event named by its type, errors as an `error` event. */
function claudeStreamEncoder(): StreamEncoder {
  const events = new ClaudeStreamEvents();
  return {
    chunk: (chunk) => events.chunk(chunk).map((event) => ({ event: event.type, data: event })),
    end: () => events.end().map((event) => ({ event: event.type, data: event })),
    error: (error) => [{ event: "error", data: toClaudeError(error) }],
  };
}

/** Titan's chunk JSON as SSE data; a failure as an `error` event naming Bedrock's exception. */
function titanStreamEncoder(): StreamEncoder {
  const chunks = new TitanStreamChunks();
  return {
    chunk: (chunk) => chunks.chunk(chunk).map((data) => ({ data })),
    end: () => chunks.end().map((data) => ({ data })),
    error: (error) => {
      const { exception, body } = toTitanError(error);
      return [{ event: "error", data: { type: exception, ...body } }];
    },
  };
}

const ANSWER_FORMATS: Record<TargetFormat, Omit<AnswerFormat, "prepare">> = {
  openai: {
    unary: chatCompletionJson,
    encoder: (request) => openAIStreamEncoder(request.streamOptions?.includeUsage === true),
    failure: errorAnswer,
  },
  bedrock_claude: {
    unary: toClaudeResponse,
    encoder: claudeStreamEncoder,
    failure: (failure) => {
      const answer = errorAnswer(failure);
      return { ...answer, body: toClaudeError(toGatewayError(failure)) };
    },
  },
  bedrock_titan: {
    unary: toTitanResponse,
    encoder: titanStreamEncoder,
    failure: (failure) => {
      const answer = errorAnswer(failure);
      const { exception, body } = toTitanError(toGatewayError(failure));
      // As Bedrock Runtime: the exception's name in a header, the message in the body.
      return { ...answer, headers: { ...answer.headers, "x-amzn-errortype": exception }, body };
    },
  },
};

export function answerFormat(target: TargetFormat): AnswerFormat {
  return { ...ANSWER_FORMATS[target], prepare: (request, stream) => prepareForTarget(request, target, stream) };
}
