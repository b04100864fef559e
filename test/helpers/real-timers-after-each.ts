/**
 * Set up before every file of the unit project, whose files share one
 * module graph per worker (`isolate: false`): a test that fakes timers or
 * the clock must not leave them faked for the files after it.
 */
import { afterEach, vi } from "vitest";

afterEach(() => {
  vi.useRealTimers();
});
