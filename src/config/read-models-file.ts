import { readFileSync } from "node:fs";
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { ModelsFile } from "./models-file.js";
import { ModelsFileError } from "./models-file-error.js";
import { checkModelsFile, type SchemaPath, SchemaProblem } from "./models-file-schema.js";

/** Anchors may be reused this many times: a file that expands beyond that is refused, not read. */
const MAX_ALIAS_COUNT = 100;

function keyText(node: unknown): string | undefined {
  return isScalar(node) ? String(node.value) : undefined;
}

/** The node a schema path points at: a map entry's key or its value, or a list item. */
function nodeAt(document: Document, path: SchemaPath, part: "key" | "value"): Node | undefined {
  let node: unknown = document.contents;
  for (const [index, step] of path.entries()) {
    if (isAlias(node)) node = node.resolve(document);
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(step));
      // A key that is missing: the mapping that lacks it.
      if (!pair) return node;
      node = last && part === "key" ? pair.key : pair.value;
    } else if (isSeq(node) && typeof step === "number") {
      node = node.items[step];
    } else {
      break;
    }
  }
  return node !== null && typeof node === "object" && "range" in node ? (node as Node) : undefined;
}

function problemAt(path: string, document: Document, lines: LineCounter, problem: SchemaProblem): ModelsFileError {
  const start = nodeAt(document, problem.path, problem.part)?.range?.[0];
  const where = problem.path.length > 0 ? `${problem.path.join(".")}: ` : "";
  return new ModelsFileError(
    path,
    start === undefined ? undefined : lines.linePos(start),
    `${where}${problem.message}.`,
  );
}

/**
 * Reads a models file, YAML or JSON (JSON is YAML too): parses it with its
 * line positions, expands `${NAME}` from `lookup`, and checks it against the
 * schema. Throws a ModelsFileError naming the file, the line and the fix.
 */
export function readModelsFile(path: string, lookup: (name: string) => string | undefined): ModelsFile {
  return parseModelsFile(path, readModelsFileText(path), lookup);
}

/** The models file's text; a ModelsFileError when it cannot be read. */
export function readModelsFileText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new ModelsFileError(path, undefined, `cannot be read (${reason}): check MODELS_FILE.`);
  }
}

/** A models file from its text (`path` names it in messages), as readModelsFile reads it. */
export function parseModelsFile(
  path: string,
  source: string,
  lookup: (name: string) => string | undefined,
): ModelsFile {
  const lines = new LineCounter();
  const document = parseDocument(source, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const [syntax] = document.errors;
  if (syntax) {
    // The parser's message; where it is goes in front, as for every other problem.
    const what = syntax.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? syntax.code;
    throw new ModelsFileError(
      path,
      lines.linePos(syntax.pos[0]),
      `not valid YAML or JSON: ${what}; correct the syntax there.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = document.toJS({ mapAsMap: true, maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new ModelsFileError(path, undefined, `cannot be expanded: ${(error as Error).message}; use fewer aliases.`);
  }
  try {
    const file = checkModelsFile(parsed, path, lookup);
    const warnings = file.providers
      .filter((provider) => provider.unsetVariables.length > 0)
      .map((provider) => {
        const start = nodeAt(document, ["providers", provider.name], "key")?.range?.[0];
        const position = start === undefined ? undefined : lines.linePos(start);
        const at = position === undefined ? "" : `:${position.line}:${position.col}`;
        const names = provider.unsetVariables.map((name) => `\${${name}}`).join(", ");
        return `${path}${at}: providers.${provider.name}: ${names} not set in the environment; the provider stays off until it is.`;
      });
    return { ...file, warnings };
  } catch (error) {
    if (error instanceof SchemaProblem) throw problemAt(path, document, lines, error);
    throw error;
  }
}
