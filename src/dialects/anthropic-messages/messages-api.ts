import type { JsonObject } from "@bufbuild/protobuf";
import type { ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import type { StreamEvent, StreamWriter } from "../dialect.js";
import { missing } from "../shared/field-checks.js";
import { JsonFields } from "../shared/json-fields.js";
import { anthropicErrorEvent, anthropicMessages, anthropicStreamWriter } from "./anthropic-messages-dialect.js";
import { fromAnthropicRequest } from "./from-anthropic-request.js";
import { thinkingAsEffort } from "./thinking-as-effort.js";

/** A `POST /v1/messages` body, checked only as far as routing needs: the rest is the model's to judge. */
export interface MessagesApiBody {
  body: JsonObject;
  model: string;
  stream: boolean;
}

/** Reads Anthropic's Messages body (or count_tokens body): an object naming its model, streaming or not. */
export function readMessagesApiBody(value: unknown): MessagesApiBody {
  const fields = JsonFields.of(value, "");
  const model = fields.string("model")?.trim();
  if (!model) throw missing("model", ": name the model to use");
  return { body: fields.object as JsonObject, model, stream: fields.boolean("stream") ?? false };
}

/** The flags of `anthropic-beta` headers (comma-separated, possibly repeated). */
export function readBetaHeader(value: string | string[] | undefined): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.flatMap((line) => line.split(",").map((flag) => flag.trim())).filter((flag) => flag !== "");
}

/**
 * A Messages body as the canonical request, for models that do not take it
 * as it is: read as the Claude body reader reads it (Claude's own fields
 * travel in `extensions`), its `thinking` as the reasoning effort, readied
 * for an Anthropic-shaped answer.
 */
export function messagesToCanonical(body: JsonObject): ChatCompletionRequest {
  const { request, stream } = fromAnthropicRequest(body, {}, { bedrockBody: false });
  thinkingAsEffort(request);
  anthropicMessages.prepareAnswer(request, stream);
  return request;
}

const PING: StreamEvent = { event: "ping", data: { type: "ping" } };

/** Anthropic sends a `ping` right after `message_start`; clients that wait for it get it here too. */
function withPing(events: StreamEvent[]): StreamEvent[] {
  const start = events.findIndex((event) => event.event === "message_start");
  return start < 0 ? events : [...events.slice(0, start + 1), PING, ...events.slice(start + 1)];
}

/** Writes the upstream's own Anthropic events as they came, each named by its type. */
export function nativeMessagesStream(): StreamWriter<JsonObject> {
  return {
    chunk: (event) => withPing([{ event: String(event.type), data: event }]),
    end: () => [],
    error: (error) => [anthropicErrorEvent(error)],
  };
}

/** Writes canonical chunks as Anthropic's events, with the ping. */
export function canonicalMessagesStream(): StreamWriter {
  const writer = anthropicStreamWriter();
  return {
    chunk: (chunk) => withPing(writer.chunk(chunk)),
    end: () => withPing(writer.end()),
    error: (error) => writer.error(error),
  };
}
