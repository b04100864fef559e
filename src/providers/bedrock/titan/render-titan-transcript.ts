import { TITAN_BOT_PREFIX, TITAN_USER_PREFIX } from "../../../wire/titan-text.js";
import type { BedrockConversation, Turn } from "../bedrock-conversation.js";

function turnText(turn: Turn): string {
  return turn.blocks
    .map((block) => (block.kind === "text" ? block.text : ""))
    .filter((text) => text !== "")
    .join("\n");
}

/**
 * Titan has no roles: the chat is written as the transcript its
 * documentation uses (`User: ...` / `Bot: ...`), system texts first, ending
 * with `Bot:` for the model to continue (or with a final assistant text,
 * which the model then extends).
 */
export function renderTitanTranscript(conversation: BedrockConversation): string {
  const lines = conversation.turns.map((turn) =>
    turn.role === "user" ? `${TITAN_USER_PREFIX}${turnText(turn)}` : `${TITAN_BOT_PREFIX} ${turnText(turn)}`,
  );
  if (conversation.turns.at(-1)?.role === "user") lines.push(TITAN_BOT_PREFIX);
  const transcript = lines.join("\n");
  return conversation.system.length > 0
    ? `System: ${conversation.system.map((part) => part.text).join("\n")}\n\n${transcript}`
    : transcript;
}
