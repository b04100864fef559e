import type { ChatCompletionRequest, ChatCompletionResponse } from "../../../gen/openbedrock/v1/chat_pb.js";
import { toGatewayError } from "../../core/errors.js";
import { claudeAnswers } from "../anthropic-messages/anthropic-messages-dialect.js";
import { titanAnswers } from "../bedrock-titan/bedrock-titan-dialect.js";
import type { ForeignAnswers } from "../dialect.js";
import { prepareForTarget, type TargetFormat } from "../shared/target-format.js";
import { errorAnswer } from "./error-body.js";
import { openAIStreamEncoder, type StreamEncoder } from "./openai-stream-writer.js";
import { chatCompletionJson } from "./to-openai-json.js";

export interface FailureAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** How answers and failures look in one target format. */
export interface AnswerFormat {
  readonly target: TargetFormat;
  /** Refuses what the format cannot carry and asks for what it needs (see prepareForTarget). */
  prepare(request: ChatCompletionRequest, stream: boolean): void;
  unary(response: ChatCompletionResponse): unknown;
  encoder(request: ChatCompletionRequest): StreamEncoder;
  failure(failure: unknown): FailureAnswer;
}

type Renderers = Omit<AnswerFormat, "target" | "prepare">;

const OPENAI: Renderers = {
  unary: chatCompletionJson,
  encoder: (request) => openAIStreamEncoder(request.streamOptions?.includeUsage === true),
  failure: errorAnswer,
};

/** A foreign format's answers on HTTP: its bodies and events, with the status and headers every failure has. */
function foreign(answers: ForeignAnswers): Renderers {
  return {
    unary: answers.unary,
    encoder: () => answers.stream(),
    failure: (failure) => {
      const http = errorAnswer(failure);
      const shaped = answers.error(toGatewayError(failure));
      return { status: http.status, headers: { ...http.headers, ...shaped.headers }, body: shaped.body };
    },
  };
}

const RENDERERS: Record<TargetFormat, Renderers> = {
  openai: OPENAI,
  bedrock_claude: foreign(claudeAnswers),
  bedrock_titan: foreign(titanAnswers),
};

export function answerFormat(target: TargetFormat): AnswerFormat {
  return { ...RENDERERS[target], target, prepare: (request, stream) => prepareForTarget(request, target, stream) };
}
