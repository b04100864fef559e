import { readFileSync } from "node:fs";
import type { RunningServer } from "./app.js";
import { type ConfigSourceOptions, ConfigSources } from "./config/config-sources.js";
import { readModelsFile } from "./config/read-models-file.js";
import { type FileWatch, watchFile } from "./config/watch-file.js";
import type { Logger } from "./core/logger.js";

export interface ModelsFileReloader {
  /** Reads the file again and puts it in force; a file that does not check out leaves the one in force. */
  reload(reason: string): void;
  close(): void;
}

function contentOf(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Keeps a running server's models file current: reloads it when asked
 * (SIGHUP) and when it changes on disk. `${NAME}` is read again from the
 * same sources as at start (the environment, .env, the config file), so a
 * rotated key in .env takes effect on SIGHUP. Calls in flight keep the
 * routing they began with.
 */
export function reloadModelsFile(
  server: Pick<RunningServer, "reloadModels">,
  path: string,
  sources: ConfigSourceOptions,
  logger: Logger,
  debounceMs?: number,
): ModelsFileReloader {
  const reload = (reason: string) => {
    try {
      const lookup = new ConfigSources(sources);
      server.reloadModels(readModelsFile(path, (name) => lookup.get(name)?.value));
    } catch (error) {
      logger.error(
        { reason, modelsFile: path },
        `models file not reloaded, the one in force stays: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  // What the file held when last read: the directory changes for other files too.
  let seen = contentOf(path);
  const watch: FileWatch = watchFile(
    path,
    () => {
      const content = contentOf(path);
      if (content === seen) return;
      seen = content;
      reload("the file changed");
    },
    debounceMs,
  );
  return { reload, close: () => watch.close() };
}
