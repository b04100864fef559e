import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { ChatCompletionRequestSchema, ChatService, MessageSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import type { ServerTarget } from "../server-target.js";
import type { AnswerEvent, AnswerRequest, ChatBackend } from "./chat-backend.js";

/** Talks to the server's `openbedrock.v1.ChatService` over gRPC (h2c, or h2 over TLS for https). */
export function createGrpcChatBackend(target: ServerTarget): ChatBackend {
  const sessionManager = new Http2SessionManager(target.serverUrl);
  const client = createClient(ChatService, createGrpcTransport({ baseUrl: target.serverUrl, sessionManager }));
  const headers = { authorization: `Bearer ${target.apiKey}` };
  return {
    async *streamAnswer({ model, messages, signal }: AnswerRequest): AsyncGenerator<AnswerEvent> {
      const request = create(ChatCompletionRequestSchema, {
        model,
        messages: messages.map(({ role, content }) => create(MessageSchema, { role, content })),
        streamOptions: { includeUsage: true },
      });
      for await (const chunk of client.streamChatCompletion(request, { signal, headers })) {
        const text = chunk.choices[0]?.delta?.content;
        if (text) yield { type: "text", text };
        if (chunk.usage) {
          const { promptTokens, completionTokens, totalTokens } = chunk.usage;
          yield { type: "usage", usage: { promptTokens, completionTokens, totalTokens } };
        }
      }
    },
    close() {
      sessionManager.abort();
    },
  };
}
