import { unreadableAnswer } from "../../upstream/upstream-failures.js";
import { BEDROCK } from "../bedrock-exchange.js";

// One decoder for every answer: making one per stream event showed in the profile of a Bedrock stream.
const decoder = new TextDecoder();
const EMPTY = new Uint8Array();

/** A JSON answer or chunk; anything else is an answer this server cannot read. */
export function readJsonAnswer(bytes: Uint8Array | undefined, what: string): unknown {
  try {
    return JSON.parse(decoder.decode(bytes ?? EMPTY));
  } catch {
    throw unreadableAnswer(BEDROCK, `${what} is not JSON`);
  }
}
