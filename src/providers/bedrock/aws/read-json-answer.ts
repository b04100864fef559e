import { unreadableAnswer } from "../../upstream/upstream-failures.js";
import { BEDROCK } from "../bedrock-exchange.js";

/** A JSON answer or chunk; anything else is an answer this server cannot read. */
export function readJsonAnswer(bytes: Uint8Array | undefined, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array()));
  } catch {
    throw unreadableAnswer(BEDROCK, `${what} is not JSON`);
  }
}
