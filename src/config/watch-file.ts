import { type FSWatcher, watch } from "node:fs";
import { dirname, resolve } from "node:path";

export interface FileWatch {
  close(): void;
}

/**
 * Calls `onChange` once the directory of `path` has been quiet for
 * `debounceMs` after a change. The directory is watched, not the file:
 * editors save by renaming a new file over the old one, and mounted config
 * (a Kubernetes ConfigMap) swaps a symlink beside it, and a watch on the
 * file alone would miss both. So `onChange` may be called when the file did
 * not change: it should compare what it reads.
 */
export function watchFile(path: string, onChange: () => void, debounceMs = 200): FileWatch {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(resolve(path)), { persistent: false }, () => {
      clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
    });
    // A directory that goes away ends the watch; SIGHUP still reloads.
    watcher.on("error", () => watcher?.close());
  } catch {
    // Not watchable here (no such directory, no inotify left): SIGHUP still reloads.
  }
  return {
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
