/** Seconds since `started` (a `performance.now()` reading), as the metrics count durations. */
export function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}
