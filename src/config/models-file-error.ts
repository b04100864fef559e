import { InvalidSettingError } from "./invalid-setting-error.js";

/** A place in a file, 1-based as editors count. */
export interface FilePosition {
  line: number;
  col: number;
}

/**
 * A models file the server cannot use. The message is one line, as
 * compilers write it: `<file>:<line>:<col>: <what> <the fix>`, so an editor
 * or a terminal jumps to the place.
 */
export class ModelsFileError extends InvalidSettingError {
  override name = "ModelsFileError";

  constructor(file: string, position: FilePosition | undefined, problem: string) {
    super(`${file}${position ? `:${position.line}:${position.col}` : ""}: ${problem}`);
  }
}
