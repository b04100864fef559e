import { readFileSync } from "node:fs";
import type { RunningServer } from "./app.js";
import { type ConfigSourceOptions, ConfigSources } from "./config/config-sources.js";
import { parseModelsFile, readModelsFileText } from "./config/read-models-file.js";
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
  // What the file held when last read: the directory changes for other files too.
  let seen = contentOf(path);
  /** Puts the file in force: `text`, when the watch has just read it, or what the file holds now. */
  const reload = (reason: string, text?: string) => {
    try {
      const source = text ?? readModelsFileText(path);
      seen = source;
      const lookup = new ConfigSources(sources);
      server.reloadModels(parseModelsFile(path, source, (name) => lookup.get(name)?.value));
    } catch (error) {
      logger.error(
        { reason, modelsFile: path },
        `models file not reloaded, the one in force stays: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  const watch: FileWatch = watchFile(
    path,
    () => {
      const content = contentOf(path);
      if (content === seen) return;
      seen = content;
      // A file that cannot be read is read again by reload, for the reason to log.
      reload("the file changed", content);
    },
    debounceMs,
  );
  return { reload, close: () => watch.close() };
}
