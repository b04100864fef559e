/**
 * Runs `task` on every item, at most `limit` at a time, and answers the
 * results in the items' order, whatever order the tasks finish in. The
 * first failure is the failure of the whole: it aborts the tasks still
 * running (through the signal each is given) and no task starts after it.
 * `signal` (the caller's) aborts them all.
 */
export async function mapConcurrently<Item, Result>(
  items: readonly Item[],
  limit: number,
  signal: AbortSignal,
  task: (item: Item, signal: AbortSignal) => Promise<Result>,
): Promise<Result[]> {
  const controller = new AbortController();
  const abortAll = () => controller.abort(signal.reason);
  if (signal.aborted) abortAll();
  else signal.addEventListener("abort", abortAll, { once: true });
  const results: Result[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      controller.signal.throwIfAborted();
      const index = next;
      next += 1;
      try {
        results[index] = await task(items[index] as Item, controller.signal);
      } catch (error) {
        // At once, before another worker can take the next item.
        if (!controller.signal.aborted) controller.abort(error);
        throw error;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return results;
  } finally {
    signal.removeEventListener("abort", abortAll);
  }
}
