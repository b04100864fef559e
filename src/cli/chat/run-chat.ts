import type { CliIo } from "../cli-io.js";
import { resolveServerTarget, type ServerTarget, type ServerTargetOptions } from "../server-target.js";
import { styleFor } from "../text-style.js";
import type { ChatBackend } from "./chat-backend.js";
import { Conversation } from "./conversation.js";
import { createGrpcChatBackend } from "./grpc-chat-backend.js";
import { createHttpChatBackend } from "./http-chat-backend.js";
import { runInteractiveChat } from "./interactive-chat.js";
import { runOneShotChat } from "./one-shot-chat.js";

export const CHAT_PROTOCOLS = ["http", "grpc"] as const;
export type ChatProtocol = (typeof CHAT_PROTOCOLS)[number];

export interface ChatOptions extends ServerTargetOptions {
  model?: string;
  system?: string;
  protocol: ChatProtocol;
}

const BACKENDS: Record<ChatProtocol, (target: ServerTarget) => ChatBackend> = {
  http: createHttpChatBackend,
  grpc: createGrpcChatBackend,
};

/** `open-bedrock chat`: a session when stdin is a terminal, one answer when it is not. */
export async function runChat(options: ChatOptions, io: CliIo): Promise<void> {
  const target = resolveServerTarget(options, io.env);
  const backend = BACKENDS[options.protocol](target);
  const conversation = new Conversation(options.model ?? "", options.system);
  try {
    if (io.stdin.isTTY) {
      await runInteractiveChat({
        backend,
        conversation,
        io,
        style: styleFor(io.stdout, io.env),
        serverUrl: target.serverUrl,
        protocol: options.protocol,
      });
    } else {
      await runOneShotChat(backend, conversation, io, target.serverUrl);
    }
  } finally {
    backend.close();
  }
}
