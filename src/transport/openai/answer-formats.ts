import type { ChatCompletionRequest, ChatCompletionResponse } from "../../../gen/openbedrock/v1/chat_pb.js";
import { GatewayError } from "../../core/errors.js";
import { claudeAnswers } from "../../formats/claude/claude-answers.js";
import type { ForeignAnswers } from "../../formats/foreign-answers.js";
import { prepareForTarget, type TargetFormat } from "../../formats/target-format.js";
import { titanAnswers } from "../../formats/titan/titan-answers.js";
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
      const shaped = answers.error(GatewayError.from(failure));
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
