import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InvalidSettingError } from "../../src/config/invalid-setting-error.js";
import { ModelsFileError } from "../../src/config/models-file-error.js";
import { readModelsFile } from "../../src/config/read-models-file.js";

const dir = mkdtempSync(join(tmpdir(), "open-bedrock-models-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let written = 0;
/** Writes `text` to a new file and answers its path. */
function file(text: string, extension = "yaml"): string {
  written += 1;
  const path = join(dir, `models-${written}.${extension}`);
  writeFileSync(path, text);
  return path;
}

const ENV: Record<string, string> = { BACKUP_KEY: "sk-backup-0123456789", WEST_SECRET: "west/secret+0123456789" };
const lookup = (name: string) => ENV[name];

/** The one line a file is refused with, its path shown as `models.yaml`. */
function refusal(text: string, extension = "yaml"): string {
  const path = file(text, extension);
  try {
    readModelsFile(path, lookup);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelsFileError);
    expect(error).toBeInstanceOf(InvalidSettingError);
    const message = (error as Error).message;
    expect(message).not.toContain("\n");
    return message.replace(path, `models.${extension}`);
  }
  throw new Error("the file was accepted");
}

const COMPLETE = `# Two Bedrock accounts, an OpenAI backup
providers:
  bedrock-west:
    type: bedrock
    region: us-west-2
    access_key_id: AKIAWEST000000000001
    secret_access_key: \${WEST_SECRET}
  bedrock-eu:
    type: bedrock
    region: eu-central-1
    endpoint_url: https://bedrock-runtime.eu-central-1.amazonaws.com
    control_endpoint_url: https://bedrock.eu-central-1.amazonaws.com
    role_arn: arn:aws:iam::210987654321:role/bedrock-caller
    external_id: tenant-42
  openai-backup:
    type: openai
    base_url: https://example.invalid/v1
    api_key: \${BACKUP_KEY}
models:
  smart:
    targets:
      - bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0
      - bedrock-west/us.anthropic.claude-sonnet-4-5-20250929-v1:0
      - openai-backup/gpt-4.1
  fast:
    targets: [bedrock-eu/eu.amazon.nova-lite-v1:0, openai/gpt-4o-mini]
anthropic_models:
  claude-sonnet-4-5-20250929: smart
`;

describe("readModelsFile", () => {
  it("reads named providers, models with their targets in order, and Anthropic names", () => {
    const path = file(COMPLETE);
    const read = readModelsFile(path, lookup);
    expect(read.path).toBe(path);
    expect(read.providers).toEqual([
      {
        type: "bedrock",
        name: "bedrock-west",
        region: "us-west-2",
        accessKeyId: "AKIAWEST000000000001",
        secretAccessKey: "west/secret+0123456789",
        unsetVariables: [],
      },
      {
        type: "bedrock",
        name: "bedrock-eu",
        region: "eu-central-1",
        endpointUrl: "https://bedrock-runtime.eu-central-1.amazonaws.com",
        controlEndpointUrl: "https://bedrock.eu-central-1.amazonaws.com",
        roleArn: "arn:aws:iam::210987654321:role/bedrock-caller",
        externalId: "tenant-42",
        unsetVariables: [],
      },
      {
        type: "openai",
        name: "openai-backup",
        baseUrl: "https://example.invalid/v1",
        apiKey: "sk-backup-0123456789",
        unsetVariables: [],
      },
    ]);
    expect(read.models).toEqual([
      {
        name: "smart",
        targets: [
          { provider: "bedrock", modelId: "us.anthropic.claude-sonnet-4-5-20250929-v1:0" },
          { provider: "bedrock-west", modelId: "us.anthropic.claude-sonnet-4-5-20250929-v1:0" },
          { provider: "openai-backup", modelId: "gpt-4.1" },
        ],
      },
      {
        name: "fast",
        targets: [
          { provider: "bedrock-eu", modelId: "eu.amazon.nova-lite-v1:0" },
          { provider: "openai", modelId: "gpt-4o-mini" },
        ],
      },
    ]);
    expect([...read.anthropicModels]).toEqual([["claude-sonnet-4-5-20250929", "smart"]]);
    expect(read.warnings).toEqual([]);
  });

  it("reads the same file written as JSON", () => {
    const json = {
      providers: {
        "openai-backup": { type: "openai", base_url: "https://example.invalid/v1", api_key: `\${BACKUP_KEY}` },
      },
      models: { smart: { targets: ["bedrock/anthropic.claude-3-haiku-20240307-v1:0", "openai-backup/gpt-4.1"] } },
    };
    const read = readModelsFile(file(JSON.stringify(json, null, 2), "json"), lookup);
    expect(read.providers.map((provider) => provider.name)).toEqual(["openai-backup"]);
    expect(read.models[0]?.targets.map((target) => target.provider)).toEqual(["bedrock", "openai-backup"]);
  });

  it("takes an empty file, or one of comments, as naming nothing", () => {
    for (const text of ["", "# nothing yet\n"]) {
      const read = readModelsFile(file(text), lookup);
      expect(read).toMatchObject({ providers: [], models: [], warnings: [] });
      expect(read.anthropicModels.size).toBe(0);
    }
  });

  it("leaves a provider whose variable is unset off, and says where", () => {
    const path = file(`providers:
  openai-backup:
    type: openai
    base_url: https://example.invalid/v1
    api_key: \${MISSING_KEY}
`);
    const read = readModelsFile(path, lookup);
    expect(read.providers[0]).toMatchObject({ name: "openai-backup", apiKey: "", unsetVariables: ["MISSING_KEY"] });
    expect(read.warnings).toEqual([
      `${path}:2:3: providers.openai-backup: \${MISSING_KEY} not set in the environment; the provider stays off until it is.`,
    ]);
  });

  it("keeps every other $ as written", () => {
    const read = readModelsFile(
      file(`providers:
  p:
    type: openai
    base_url: https://example.invalid/v1
    api_key: "k$y-\${BACKUP_KEY}-$HOME-\${not a name}"
`),
      lookup,
    );
    expect(read.providers[0]).toMatchObject({ apiKey: `k$y-sk-backup-0123456789-$HOME-\${not a name}` });
  });

  it("says so when the file cannot be read", () => {
    expect(() => readModelsFile(join(dir, "absent.yaml"), lookup)).toThrow(
      `${join(dir, "absent.yaml")}: cannot be read (no such file): check MODELS_FILE.`,
    );
  });
});

describe("what a bad models file is refused with: the file, the line, the fix", () => {
  it.each([
    [
      "YAML that does not parse",
      "providers:\n  a: {type: openai\n",
      "models.yaml:3:1: not valid YAML or JSON: Flow map in block collection must be sufficiently indented and end with a }; correct the syntax there.",
    ],
    [
      "a key given twice",
      "models:\n  smart: {targets: [openai/gpt-4o]}\n  smart: {targets: [openai/gpt-4o]}\n",
      "models.yaml:3:3: not valid YAML or JSON: Map keys must be unique; correct the syntax there.",
    ],
    [
      "a file that is not a mapping",
      "- openai/gpt-4o\n",
      "models.yaml:1:1: the file must be a mapping with the sections providers, models or anthropic_models.",
    ],
    [
      "an unknown section",
      "providers: {}\nmodel:\n  smart: {targets: [openai/gpt-4o]}\n",
      "models.yaml:2:1: model: unknown section 'model': the sections are providers, models or anthropic_models.",
    ],
    [
      "an unknown provider type",
      "providers:\n  west:\n    type: bedrok\n    region: us-west-2\n",
      "models.yaml:3:11: providers.west.type: unknown provider type 'bedrok': use openai or bedrock.",
    ],
    [
      "a provider without a type",
      "providers:\n  west:\n    region: us-west-2\n",
      "models.yaml:2:3: providers.west: the provider 'west' has no type: add type: openai or bedrock.",
    ],
    [
      "a provider name that cannot be a routing prefix",
      "providers:\n  Bedrock_West: {type: bedrock}\n",
      "models.yaml:2:3: providers.Bedrock_West: the provider name 'Bedrock_West' must use only a-z, 0-9 and -: rename it.",
    ],
    [
      "the environment's own provider name",
      "providers:\n  bedrock: {type: bedrock, region: us-west-2}\n",
      "models.yaml:2:3: providers.bedrock: 'bedrock' is the provider the environment configures: give this one another name, such as bedrock-2.",
    ],
    [
      "the name that means no provider",
      "providers:\n  none: {type: bedrock}\n",
      "models.yaml:2:3: providers.none: 'none' means no provider in the metrics: give this one another name.",
    ],
    [
      "a field its type does not have",
      "providers:\n  west:\n    type: bedrock\n    regoin: us-west-2\n",
      "models.yaml:4:5: providers.west.regoin: a bedrock provider has no field 'regoin'; its fields are region, endpoint_url, control_endpoint_url, profile, role_arn, external_id, access_key_id, secret_access_key or session_token.",
    ],
    [
      "a missing required field",
      "providers:\n  backup:\n    type: openai\n    api_key: sk-0123456789\n",
      "models.yaml:2:3: providers.backup: an openai provider needs base_url: add base_url: <the API's base URL, such as https://api.openai.com/v1>.",
    ],
    [
      "a URL that is not one",
      "providers:\n  backup:\n    type: openai\n    base_url: ftp://example.invalid\n    api_key: sk-0123456789\n",
      "models.yaml:4:15: providers.backup.base_url: base_url must be an http:// or https:// URL.",
    ],
    [
      "a region that is not one",
      "providers:\n  west: {type: bedrock, region: oregon}\n",
      "models.yaml:2:33: providers.west.region: region must be an AWS region such as us-west-2.",
    ],
    [
      "a role that is not an ARN",
      "providers:\n  west: {type: bedrock, role_arn: bedrock-caller}\n",
      "models.yaml:2:35: providers.west.role_arn: role_arn must be an IAM role ARN such as arn:aws:iam::123456789012:role/bedrock.",
    ],
    [
      "a value that is not text",
      "providers:\n  west: {type: bedrock, role_arn: arn:aws:iam::123456789012:role/r, external_id: 0042}\n",
      "models.yaml:2:82: providers.west.external_id: must be text, not the number 42; put the value in quotes.",
    ],
    [
      "a key without its secret",
      "providers:\n  west:\n    type: bedrock\n    access_key_id: AKIAWEST000000000001\n",
      "models.yaml:2:3: providers.west: access_key_id and secret_access_key go together: add secret_access_key.",
    ],
    [
      "an external id without a role",
      "providers:\n  west: {type: bedrock, external_id: tenant-42}\n",
      "models.yaml:2:3: providers.west: external_id is given when assuming a role: add role_arn.",
    ],
    [
      "a model without targets",
      "models:\n  smart:\n    fallbacks: [openai/gpt-4o]\n",
      "models.yaml:2:3: models.smart: the model 'smart' needs targets: a list of <provider>/<model id>.",
    ],
    [
      "an empty list of targets",
      "models:\n  smart:\n    targets: []\n",
      "models.yaml:3:14: models.smart.targets: targets must be a list of at least one <provider>/<model id>, not a list.",
    ],
    [
      "a target that names no provider",
      "models:\n  smart:\n    targets:\n      - gpt-4o\n",
      "models.yaml:4:9: models.smart.targets.0: the target 'gpt-4o' names no provider: write <provider>/<model id>, such as openai/gpt-4o.",
    ],
    [
      "a target whose provider is not defined",
      "providers:\n  bedrock-west: {type: bedrock, region: us-west-2}\nmodels:\n  smart:\n    targets:\n      - openai/gpt-4o\n      - bedrock-wst/anthropic.claude-3-haiku-20240307-v1:0\n",
      "models.yaml:7:9: models.smart.targets.1: the target 'bedrock-wst/anthropic.claude-3-haiku-20240307-v1:0' names no defined provider 'bedrock-wst': define it under providers, or use openai, bedrock or bedrock-west.",
    ],
    [
      "a field a model does not have",
      "models:\n  smart:\n    targets: [openai/gpt-4o]\n    retries: 3\n",
      "models.yaml:4:5: models.smart.retries: a model has no field 'retries'; it takes targets.",
    ],
    [
      "an Anthropic name that goes nowhere",
      'anthropic_models:\n  claude-sonnet-4-5: ""\n',
      "models.yaml:2:22: anthropic_models.claude-sonnet-4-5: name the model 'claude-sonnet-4-5' goes to.",
    ],
  ])("%s", (_what, text, message) => {
    expect(refusal(text)).toBe(message);
  });

  it("points at the line in JSON too", () => {
    const json = '{\n  "providers": {\n    "west": {"type": "bedrok"}\n  }\n}\n';
    expect(refusal(json, "json")).toBe(
      "models.json:3:22: providers.west.type: unknown provider type 'bedrok': use openai or bedrock.",
    );
  });

  it("never repeats a secret it refuses", () => {
    const message = refusal(
      "providers:\n  backup:\n    type: openai\n    base_url: https://example.invalid/v1\n    api_key: ''\n",
    );
    expect(message).toBe("models.yaml:5:14: providers.backup.api_key: api_key must not be empty.");
  });

  it("refuses a file that expands without end", () => {
    const anchors = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 8; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      anchors.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(", ")}]`);
    }
    expect(refusal(`${anchors.join("\n")}\n`)).toMatch(/^models\.yaml: cannot be expanded: .*; use fewer aliases\.$/);
  });
});
