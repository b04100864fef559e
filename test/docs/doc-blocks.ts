/**
 * Reads the project's Markdown as the documentation tests need it: its
 * fenced code blocks with their markers, and its headings' anchors.
 *
 * A shell block (```sh or ```bash) is run by test/docs/shell-blocks.test.ts.
 * Its info string may carry, after the language, one marker:
 *
 * - `server`: it runs until stopped (a server, in a terminal of its own).
 * - `status=NNN`: its curl commands answer NNN rather than 2xx.
 * - `skip-test: <reason>`: not run there; the reason says why, and where it
 *   is run when it is (the interop runners find their blocks by their own
 *   path in the reason).
 *
 * GitHub shows only the language of an info string, so markers stay unseen.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The documents whose shell blocks are run: the README and every docs/*.md. */
export const DOCUMENTS = [
  "README.md",
  ...readdirSync(`${ROOT}docs`)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`),
];

export type Marker = { kind: "run"; status?: number } | { kind: "server" } | { kind: "skip"; reason: string };

export interface CodeBlock {
  /** The document, relative to the repository. */
  file: string;
  /** Line of the opening fence, from 1. */
  line: number;
  lang: string;
  /** What follows the language on the opening fence. */
  info: string;
  text: string;
}

/** An answer a document shows after a command: a `text` block of `HTTP/1.1 NNN ...`, headers, a blank line, a body. */
export interface ShownAnswer {
  status: number;
  headers: string[];
  body: string;
}

export interface ShellBlock extends CodeBlock {
  marker: Marker;
  /** The answer shown right after the block, when there is one. */
  shown?: ShownAnswer;
}

function shownAnswer(block: CodeBlock | undefined): ShownAnswer | undefined {
  const status = block?.lang === "text" ? /^HTTP\/1\.1 (\d{3})/.exec(block.text) : null;
  if (!block || !status) return undefined;
  const [head = "", body = ""] = block.text.split("\n\n");
  return { status: Number(status[1]), headers: head.split("\n").slice(1), body: body.trim() };
}

export const readDocument = (file: string): string => readFileSync(`${ROOT}${file}`, "utf8");

export function codeBlocks(file: string, markdown = readDocument(file)): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split("\n");
  for (let at = 0; at < lines.length; at += 1) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[at] ?? "");
    if (!open) continue;
    const end = lines.findIndex((line, index) => index > at && line === "```");
    if (end === -1) throw new Error(`${file}:${at + 1}: a code block that never closes`);
    blocks.push({
      file,
      line: at + 1,
      lang: open[1] ?? "",
      info: (open[2] ?? "").trim(),
      text: `${lines.slice(at + 1, end).join("\n")}\n`,
    });
    at = end;
  }
  return blocks;
}

export function readMarker(block: CodeBlock): Marker {
  const { info } = block;
  if (info === "") return { kind: "run" };
  if (info === "server") return { kind: "server" };
  const status = /^status=(\d{3})$/.exec(info);
  if (status) return { kind: "run", status: Number(status[1]) };
  const skip = /^skip-test:\s*(\S.*)$/.exec(info);
  if (skip) return { kind: "skip", reason: skip[1] ?? "" };
  throw new Error(`${block.file}:${block.line}: unknown marker '${info}' (server, status=NNN, skip-test: <reason>)`);
}

export function shellBlocks(file: string, markdown = readDocument(file)): ShellBlock[] {
  const blocks = codeBlocks(file, markdown);
  return blocks.flatMap((block, index) => {
    if (block.lang !== "sh" && block.lang !== "bash") return [];
    const shown = shownAnswer(blocks[index + 1]);
    return [{ ...block, marker: readMarker(block), ...(shown ? { shown } : {}) }];
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a document's headings (not of `#` lines inside code blocks). */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.+)$/.exec(line);
    if (heading) anchors.add(anchorOf(heading[1] ?? ""));
  }
  return anchors;
}
