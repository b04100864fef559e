/**
 * The `gateway` duration of a `server-timing` value
 * (`gateway;dur=0.42, upstream;dur=12.3`), in milliseconds.
 */
export function gatewayMs(serverTiming: string | undefined): number | undefined {
  if (serverTiming === undefined) return undefined;
  const match = /(?:^|,)\s*gateway\s*;(?:[^,]*;)?\s*dur=([\d.]+)/.exec(serverTiming);
  return match ? Number(match[1]) : undefined;
}
