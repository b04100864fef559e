import type { AnthropicStreamEvent } from "../../wire/anthropic-messages.js";
import type { ForeignAnswers, WireEvent } from "../dialect.js";
import { toClaudeError } from "./to-anthropic-error.js";
import { toClaudeResponse } from "./to-anthropic-response.js";
import { ClaudeStreamEvents } from "./to-anthropic-stream-events.js";

/** Anthropic's SSE names every event by its type. */
const named = (events: AnthropicStreamEvent[]): WireEvent[] => events.map((data) => ({ event: data.type, data }));

/** Answers in Anthropic's Messages shape; failures as Anthropic's error object (an `error` event in streams). */
export const claudeAnswers: ForeignAnswers = {
  unary: toClaudeResponse,
  stream: () => {
    const events = new ClaudeStreamEvents();
    return {
      chunk: (chunk) => named(events.chunk(chunk)),
      end: () => named(events.end()),
      error: (error) => [{ event: "error", data: toClaudeError(error) }],
    };
  },
  error: (error) => ({ headers: {}, body: toClaudeError(error) }),
};
