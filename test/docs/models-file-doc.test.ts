/**
 * docs/models-file.md against the code: its complete example is a file the
 * server takes, its field tables are the schema's, and the error and the
 * `config check` summary it shows are the ones the server gives.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROVIDER_FIELDS } from "../../src/config/models-file-schema.js";
import { readModelsFile } from "../../src/config/read-models-file.js";

const doc = readFileSync(new URL("../../docs/models-file.md", import.meta.url), "utf8");
const dir = mkdtempSync(join(tmpdir(), "open-bedrock-models-doc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The doc's fenced blocks of one kind, in order. */
function blocks(kind: string): string[] {
  return [...doc.matchAll(new RegExp(`\`\`\`${kind}\\n([\\s\\S]*?)\`\`\``, "g"))].map((match) => match[1] ?? "");
}

const example = blocks("yaml")[0] ?? "";
const VARIABLES: Record<string, string> = {
  EU_EXTERNAL_ID: "tenant-42",
  BATCH_AWS_ACCESS_KEY_ID: "AKIABATCHACCOUNT0001",
  BATCH_AWS_SECRET_ACCESS_KEY: "batch/secret+0123456789",
  OPENAI_BACKUP_KEY: "sk-backup-0123456789",
};

function read(text: string) {
  const path = join(dir, "models.yaml");
  writeFileSync(path, text);
  return { path, file: () => readModelsFile(path, (name) => VARIABLES[name]) };
}

describe("docs/models-file.md", () => {
  it("shows a complete example the server takes, with every provider configured", () => {
    const { file } = read(example);
    const models = file();
    expect(models.warnings).toEqual([]);
    expect(models.providers.map((provider) => provider.type)).toEqual([
      "bedrock",
      "bedrock",
      "bedrock",
      "bedrock",
      "openai",
      "openai",
    ]);
    // Several regions and accounts, and an OpenAI backup.
    expect(
      new Set(models.providers.flatMap((provider) => (provider.type === "bedrock" ? [provider.region] : []))),
    ).toEqual(new Set(["us-west-2", "eu-central-1", "us-east-2", "ap-northeast-1"]));
    expect(models.models.find((model) => model.name === "smart")?.targets.at(-1)).toEqual({
      provider: "openai-backup",
      modelId: "gpt-4.1",
    });
  });

  it("sums the example up as config check does", () => {
    const models = read(example).file();
    const summary =
      /The models file models\.yaml is valid: (\d+) providers \(([^)]*)\), (\d+) models \(([^)]*)\), (\d+) Anthropic names\./.exec(
        doc,
      );
    expect(summary).not.toBeNull();
    const [, providers, providerNames, count, modelNames, anthropic] = summary ?? [];
    expect(Number(providers)).toBe(models.providers.length);
    expect(providerNames?.split(", ")).toEqual(models.providers.map((provider) => provider.name));
    expect(Number(count)).toBe(models.models.length);
    expect(modelNames?.split(", ")).toEqual(models.models.map((model) => model.name));
    expect(Number(anthropic)).toBe(models.anthropicModels.size);
  });

  it("shows the error the server stops with for a target whose provider is not defined", () => {
    const shown = doc.split("\n").find((line) => line.startsWith("open-bedrock: models.yaml:")) ?? "";
    const typo = example.replace(
      "- bedrock-west/us.anthropic.claude-sonnet",
      "- bedrock-wst/us.anthropic.claude-sonnet",
    );
    const { path, file } = read(typo);
    expect(file).toThrow();
    try {
      file();
    } catch (error) {
      expect(`open-bedrock: ${(error as Error).message.replace(path, "models.yaml")}`).toBe(shown);
    }
  });

  it("has a row for every field of each provider type, and no other", () => {
    for (const [type, fields] of Object.entries(PROVIDER_FIELDS)) {
      const section = doc.slice(doc.indexOf(`Fields of a${type === "openai" ? "n" : ""} \`${type}\` provider`));
      const table = section.slice(0, section.indexOf("\n\n", section.indexOf("| ---")));
      const documented = [...table.matchAll(/^\| `([a-z_]+)` /gm)].map((match) => match[1]);
      expect(documented, type).toEqual(Object.keys(fields));
    }
  });
});
