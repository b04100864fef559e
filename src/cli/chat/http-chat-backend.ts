import OpenAI from "openai";
import type { ServerTarget } from "../server-target.js";
import type { AnswerEvent, AnswerRequest, ChatBackend } from "./chat-backend.js";

/** Talks to the server's OpenAI API (`/v1/chat/completions`, SSE) with the openai SDK. */
export function createHttpChatBackend(target: ServerTarget): ChatBackend {
  // No retries: a person at the prompt sees the error at once and decides.
  const client = new OpenAI({ apiKey: target.apiKey, baseURL: `${target.serverUrl}/v1`, maxRetries: 0 });
  return {
    async *streamAnswer({ model, messages, signal }: AnswerRequest): AsyncGenerator<AnswerEvent> {
      const stream = await client.chat.completions.create(
        { model, messages: [...messages], stream: true, stream_options: { include_usage: true } },
        { signal },
      );
      for await (const chunk of stream) {
        const text = chunk.choices[0]?.delta.content;
        if (text) yield { type: "text", text };
        if (chunk.usage) {
          yield {
            type: "usage",
            usage: {
              promptTokens: chunk.usage.prompt_tokens,
              completionTokens: chunk.usage.completion_tokens,
              totalTokens: chunk.usage.total_tokens,
            },
          };
        }
      }
    },
    close() {},
  };
}
