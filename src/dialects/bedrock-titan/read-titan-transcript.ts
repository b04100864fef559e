import type { MessageInitShape } from "@bufbuild/protobuf";
import type { MessageSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { TITAN_BOT_PREFIX, TITAN_USER_PREFIX } from "../../wire/titan-text.js";

type MessageInit = MessageInitShape<typeof MessageSchema>;

const SYSTEM_PREFIX = "System: ";
const SYSTEM_END = `\n\n${TITAN_USER_PREFIX}`;
const TURN_START = new RegExp(`\\n(?=${TITAN_USER_PREFIX}|${TITAN_BOT_PREFIX})`);

/**
 * Reads Titan's `inputText` as a conversation. Text written in the
 * transcript convention of the Titan documentation (an optional `System:`
 * paragraph, then `User: ...` and `Bot: ...` lines, ending with `Bot:` for
 * the model to continue) becomes system, user and assistant messages; the
 * final empty `Bot:` is only the cue and is dropped. Any other text is one
 * user message, as it stands.
 */
export function readTitanTranscript(inputText: string): MessageInit[] {
  let system: string | undefined;
  let transcript = inputText;
  if (inputText.startsWith(SYSTEM_PREFIX)) {
    const end = inputText.indexOf(SYSTEM_END);
    if (end === -1) return [{ role: "user", content: inputText }];
    system = inputText.slice(SYSTEM_PREFIX.length, end);
    transcript = inputText.slice(end + 2);
  }
  if (!transcript.startsWith(TITAN_USER_PREFIX)) return [{ role: "user", content: inputText }];
  const messages: MessageInit[] = system === undefined ? [] : [{ role: "system", content: system }];
  for (const line of transcript.split(TURN_START)) {
    if (line.startsWith(TITAN_USER_PREFIX)) {
      messages.push({ role: "user", content: line.slice(TITAN_USER_PREFIX.length) });
    } else {
      // `Bot: text`: one space separates the prefix from the text.
      const text = line.slice(TITAN_BOT_PREFIX.length).replace(/^ /, "");
      if (text !== "") messages.push({ role: "assistant", content: text });
    }
  }
  return messages;
}
