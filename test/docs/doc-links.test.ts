/**
 * Every place the documents and the server's messages send a reader exists:
 * relative links of the README and docs/ (and their #anchors), and every
 * `docs/<file>.md#<section>` a message in src/ or a comment of the contract
 * in proto/ names.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { DOCUMENTS, headingAnchors, ROOT, readDocument } from "./doc-blocks.js";

const anchorsOf = (file: string) => headingAnchors(readFileSync(join(ROOT, file), "utf8"));

/** Where a link points, or why it points nowhere. */
function brokenTarget(from: string, target: string): string | undefined {
  const [path = "", anchor] = target.split("#");
  const file = path === "" ? from : relative(ROOT, join(ROOT, dirname(from), path));
  if (!existsSync(join(ROOT, file))) return `${file} does not exist`;
  if (anchor === undefined || !file.endsWith(".md")) return undefined;
  return anchorsOf(file).has(anchor) ? undefined : `${file} has no section #${anchor}`;
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("the documents", () => {
  const links = DOCUMENTS.flatMap((file) =>
    [
      ...readDocument(file)
        .replace(/^```[\s\S]*?^```$/gm, "")
        .matchAll(/\]\(([^)\s]+)\)/g),
    ]
      .map((match) => match[1] ?? "")
      .filter((target) => !/^[a-z]+:/.test(target))
      .map((target) => [file, target] as const),
  );

  it.each(links)("%s links to %s, which exists", (file, target) => {
    expect(brokenTarget(file, target)).toBeUndefined();
  });
});

describe("the server's messages and the contract", () => {
  const named = [...filesUnder("src"), ...filesUnder("proto")]
    .filter((file) => file.endsWith(".ts") || file.endsWith(".proto"))
    .flatMap((file) =>
      [...readFileSync(join(ROOT, file), "utf8").matchAll(/docs\/[\w-]+\.md(?:#[\w-]+)?/g)].map(
        (match) => [file, match[0]] as const,
      ),
    );

  it("name documents", () => {
    expect(named.length).toBeGreaterThan(0);
  });

  it.each(named)("%s names %s, which exists", (_file, target) => {
    expect(brokenTarget("README.md", target)).toBeUndefined();
  });
});
