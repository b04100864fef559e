import type { ConverseStreamEvent } from "../../../wire/bedrock-converse.js";
import type { AnswerEvent, StreamEventMapper } from "../answer-chunks.js";
import { converseUsage } from "./from-converse-response.js";
import { mapConverseStopReason } from "./map-stop-reason.js";

/**
 * Reads ConverseStream events: text deltas (text blocks have no start
 * event), tool-use blocks (a start with id and name, then JSON fragments),
 * the stop reason in `messageStop`, usage in the `metadata` that follows it.
 */
export class ConverseStreamMapper implements StreamEventMapper<ConverseStreamEvent> {
  map(event: ConverseStreamEvent): AnswerEvent[] {
    if ("contentBlockStart" in event) {
      const { contentBlockIndex, start } = event.contentBlockStart;
      const use = start?.toolUse;
      return use ? [{ type: "tool-call-start", block: contentBlockIndex, id: use.toolUseId, name: use.name }] : [];
    }
    if ("contentBlockDelta" in event) {
      const { contentBlockIndex, delta } = event.contentBlockDelta;
      if ("text" in delta) return [{ type: "text", text: delta.text }];
      if ("toolUse" in delta) {
        return [{ type: "tool-call-arguments", block: contentBlockIndex, fragment: delta.toolUse.input }];
      }
      return [];
    }
    if ("messageStop" in event)
      return [{ type: "finish", reason: mapConverseStopReason(event.messageStop.stopReason) }];
    if ("metadata" in event) {
      const usage = converseUsage(event.metadata.usage);
      return usage ? [{ type: "usage", usage }] : [];
    }
    return [];
  }
}
