/** The ConverseStream events the converters read; others are skipped, as the SDK skips unknown ones. */
export const CONVERSE_STREAM_EVENT_TYPES = [
  "messageStart",
  "contentBlockStart",
  "contentBlockDelta",
  "contentBlockStop",
  "messageStop",
  "metadata",
] as const;
