/** A message of the conversation the CLI keeps. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** What arrives while an answer streams: text to show, and at the end the usage. */
export type AnswerEvent = { type: "text"; text: string } | { type: "usage"; usage: TokenUsage };

export interface AnswerRequest {
  /** Empty for the server's default model. */
  model: string;
  messages: readonly ChatMessage[];
  /** Aborting it cancels the request, and the server cancels its upstream call. */
  signal: AbortSignal;
}

/** One way of talking to the server: the OpenAI HTTP API or gRPC. */
export interface ChatBackend {
  streamAnswer(request: AnswerRequest): AsyncIterable<AnswerEvent>;
  close(): void;
}
