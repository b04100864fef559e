import { type ModelRoute, NO_PROVIDER, PROVIDER_NAMES } from "../core/model-router.js";
import { expandVariables } from "./expand-variables.js";
import {
  type ModelAliasDefinition,
  type ModelsFile,
  type NamedBedrockProvider,
  type NamedOpenAIProvider,
  type NamedProvider,
  PROVIDER_TYPES,
  type ProviderType,
} from "./models-file.js";
import { notBlank, url } from "./settings.js";

/**
 * The models file's schema: its sections, each provider type's fields and
 * what every value must be. The checks read the parsed document (maps keep
 * the file's order) and stop at the first problem, which names where it is
 * (a path the reader turns into a line) and how to fix it.
 */

/** Where a problem is: the path of keys and list indexes from the top, and whether the key or its value is at fault. */
export type SchemaPath = readonly (string | number)[];

export class SchemaProblem extends Error {
  constructor(
    readonly path: SchemaPath,
    readonly part: "key" | "value",
    message: string,
  ) {
    super(message);
  }
}

export interface FieldRule {
  /** What the field holds, as the reference says it. */
  description: string;
  required?: boolean;
  check?: (value: string) => string | undefined;
}

const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/;

function region(value: string): string | undefined {
  return AWS_REGION.test(value) ? undefined : "must be an AWS region such as us-west-2";
}

function roleArn(value: string): string | undefined {
  return ROLE_ARN.test(value) ? undefined : "must be an IAM role ARN such as arn:aws:iam::123456789012:role/bedrock";
}

/** The fields of each provider type, besides `type`. */
export const PROVIDER_FIELDS: Readonly<Record<ProviderType, Readonly<Record<string, FieldRule>>>> = {
  openai: {
    base_url: {
      description: "the API's base URL, such as https://api.openai.com/v1",
      required: true,
      check: url,
    },
    api_key: { description: "the key sent as `Authorization: Bearer`", required: true, check: notBlank },
  },
  bedrock: {
    region: { description: "the AWS region (default: AWS_REGION)", check: region },
    endpoint_url: { description: "Bedrock Runtime endpoint override", check: url },
    control_endpoint_url: { description: "Bedrock control-plane endpoint override (model listing)", check: url },
    profile: { description: "profile of the shared AWS config and credentials files", check: notBlank },
    role_arn: { description: "role to assume (STS AssumeRole) with the other credentials", check: roleArn },
    external_id: { description: "external id for role_arn", check: notBlank },
    access_key_id: { description: "static AWS access key id", check: notBlank },
    secret_access_key: { description: "secret for access_key_id", check: notBlank },
    session_token: { description: "session token of temporary keys", check: notBlank },
  },
};

export const SECTIONS = ["providers", "models", "anthropic_models"] as const;

const PROVIDER_NAME = /^[a-z0-9-]+$/;
const TARGET = /^([a-z0-9-]+)\/(.+)$/;

function isMap(value: unknown): value is Map<unknown, unknown> {
  return value instanceof Map;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (isMap(value)) return "a mapping";
  if (Array.isArray(value)) return "a list";
  return typeof value === "string" ? "text" : `the ${typeof value} ${String(value)}`;
}

function entries(value: Map<unknown, unknown>): [string, unknown][] {
  return Array.from(value, ([key, item]) => [String(key), item]);
}

function text(value: unknown, path: SchemaPath): string {
  if (typeof value === "string") return value;
  throw new SchemaProblem(path, "value", `must be text, not ${describe(value)}; put the value in quotes`);
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? "an" : "a";
}

function list(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

/** The provider's fields as written, each `${NAME}` expanded; fields whose variables are unset are left out. */
function readFields(
  type: ProviderType,
  definition: Map<unknown, unknown>,
  path: SchemaPath,
  lookup: (name: string) => string | undefined,
): { fields: Record<string, string>; unset: string[] } {
  const rules = PROVIDER_FIELDS[type];
  const fields: Record<string, string> = {};
  const unset: string[] = [];
  for (const [key, raw] of entries(definition)) {
    if (key === "type") continue;
    const rule = rules[key];
    if (!rule) {
      throw new SchemaProblem(
        [...path, key],
        "key",
        `${article(type)} ${type} provider has no field '${key}'; its fields are ${list(Object.keys(rules))}`,
      );
    }
    const expanded = expandVariables(text(raw, [...path, key]), lookup);
    if (expanded.unset.length > 0) {
      unset.push(...expanded.unset.filter((name) => !unset.includes(name)));
      continue;
    }
    const problem = rule.check?.(expanded.value);
    if (problem) throw new SchemaProblem([...path, key], "value", `${key} ${problem}`);
    fields[key] = expanded.value;
  }
  for (const [key, rule] of Object.entries(rules)) {
    if (rule.required && !definition.has(key)) {
      throw new SchemaProblem(
        path,
        "key",
        `${article(type)} ${type} provider needs ${key}: add ${key}: <${rule.description}>`,
      );
    }
  }
  return { fields, unset };
}

/** Fields that mean nothing alone. */
function checkBedrockPairs(definition: Map<unknown, unknown>, path: SchemaPath): void {
  const has = (key: string) => definition.has(key);
  if (has("access_key_id") !== has("secret_access_key")) {
    const missing = has("access_key_id") ? "secret_access_key" : "access_key_id";
    throw new SchemaProblem(path, "key", `access_key_id and secret_access_key go together: add ${missing}`);
  }
  if (has("session_token") && !has("access_key_id")) {
    throw new SchemaProblem(path, "key", "session_token belongs to access_key_id and secret_access_key: add them");
  }
  if (has("external_id") && !has("role_arn")) {
    throw new SchemaProblem(path, "key", "external_id is given when assuming a role: add role_arn");
  }
}

function readProvider(
  name: string,
  definition: unknown,
  path: SchemaPath,
  lookup: (name: string) => string | undefined,
): NamedProvider {
  if (!PROVIDER_NAME.test(name)) {
    throw new SchemaProblem(path, "key", `the provider name '${name}' must use only a-z, 0-9 and -: rename it`);
  }
  if (name === NO_PROVIDER) {
    throw new SchemaProblem(path, "key", `'${name}' means no provider in the metrics: give this one another name`);
  }
  if (PROVIDER_NAMES.includes(name)) {
    throw new SchemaProblem(
      path,
      "key",
      `'${name}' is the provider the environment configures: give this one another name, such as ${name}-2`,
    );
  }
  if (!isMap(definition)) {
    throw new SchemaProblem(path, "value", `a provider is a mapping such as {type: bedrock, region: us-west-2}`);
  }
  const type = definition.get("type");
  if (type === undefined) {
    throw new SchemaProblem(path, "key", `the provider '${name}' has no type: add type: ${list(PROVIDER_TYPES)}`);
  }
  if (!PROVIDER_TYPES.includes(type as ProviderType)) {
    throw new SchemaProblem(
      [...path, "type"],
      "value",
      `unknown provider type ${typeof type === "string" ? `'${type}'` : describe(type)}: use ${list(PROVIDER_TYPES)}`,
    );
  }
  const { fields, unset } = readFields(type as ProviderType, definition, path, lookup);
  if (type === "openai") {
    const provider: NamedOpenAIProvider = {
      type,
      name,
      baseUrl: fields.base_url ?? "",
      apiKey: fields.api_key ?? "",
      unsetVariables: unset,
    };
    return provider;
  }
  checkBedrockPairs(definition, path);
  const optional = (key: string, property: keyof NamedBedrockProvider) =>
    fields[key] === undefined ? {} : { [property]: fields[key] };
  return {
    type: "bedrock",
    name,
    unsetVariables: unset,
    ...optional("region", "region"),
    ...optional("endpoint_url", "endpointUrl"),
    ...optional("control_endpoint_url", "controlEndpointUrl"),
    ...optional("profile", "profile"),
    ...optional("role_arn", "roleArn"),
    ...optional("external_id", "externalId"),
    ...optional("access_key_id", "accessKeyId"),
    ...optional("secret_access_key", "secretAccessKey"),
    ...optional("session_token", "sessionToken"),
  };
}

function readTarget(value: unknown, path: SchemaPath, providers: readonly string[]): ModelRoute {
  const target = text(value, path).trim();
  const match = TARGET.exec(target);
  if (!match) {
    throw new SchemaProblem(
      path,
      "value",
      `the target '${target}' names no provider: write <provider>/<model id>, such as openai/${target || "gpt-4o"}`,
    );
  }
  const [, provider = "", modelId = ""] = match;
  if (!providers.includes(provider)) {
    throw new SchemaProblem(
      path,
      "value",
      `the target '${target}' names no defined provider '${provider}': define it under providers, or use ${list(providers)}`,
    );
  }
  return { provider, modelId };
}

function readAlias(name: string, definition: unknown, path: SchemaPath, providers: readonly string[]) {
  if (!/^\S+$/.test(name)) {
    throw new SchemaProblem(path, "key", `the model name '${name}' must not be empty or hold spaces: rename it`);
  }
  if (!isMap(definition) || !definition.has("targets")) {
    throw new SchemaProblem(path, "key", `the model '${name}' needs targets: a list of <provider>/<model id>`);
  }
  for (const key of definition.keys()) {
    if (key !== "targets") {
      throw new SchemaProblem([...path, String(key)], "key", `a model has no field '${String(key)}'; it takes targets`);
    }
  }
  const targets = definition.get("targets");
  if (!Array.isArray(targets) || targets.length === 0) {
    throw new SchemaProblem(
      [...path, "targets"],
      "value",
      `targets must be a list of at least one <provider>/<model id>, not ${describe(targets)}`,
    );
  }
  return { name, targets: targets.map((target, index) => readTarget(target, [...path, "targets", index], providers)) };
}

function section(document: Map<unknown, unknown>, name: (typeof SECTIONS)[number]): [string, unknown][] {
  const value = document.get(name);
  if (value === undefined || value === null) return [];
  if (!isMap(value))
    throw new SchemaProblem([name], "value", `${name} must be a mapping of names, not ${describe(value)}`);
  return entries(value);
}

/**
 * Checks a parsed models file (maps as `Map`, in the file's order) and
 * answers what it says; `lookup` reads the environment for `${NAME}`.
 * Throws a SchemaProblem at the first thing wrong.
 */
export function checkModelsFile(
  document: unknown,
  path: string,
  lookup: (name: string) => string | undefined,
): Omit<ModelsFile, "warnings"> {
  if (document === null || document === undefined) {
    return { path, providers: [], models: [], anthropicModels: new Map() };
  }
  if (!isMap(document)) {
    throw new SchemaProblem([], "value", `the file must be a mapping with the sections ${list(SECTIONS)}`);
  }
  for (const key of document.keys()) {
    if (!SECTIONS.includes(String(key) as (typeof SECTIONS)[number])) {
      throw new SchemaProblem(
        [String(key)],
        "key",
        `unknown section '${String(key)}': the sections are ${list(SECTIONS)}`,
      );
    }
  }
  const providers = section(document, "providers").map(([name, definition]) =>
    readProvider(name, definition, ["providers", name], lookup),
  );
  const names = [...PROVIDER_NAMES, ...providers.map((provider) => provider.name)];
  const models: ModelAliasDefinition[] = section(document, "models").map(([name, definition]) =>
    readAlias(name, definition, ["models", name], names),
  );
  const anthropicModels = new Map(
    section(document, "anthropic_models").map(([name, model]): [string, string] => {
      const value = text(model, ["anthropic_models", name]).trim();
      if (value === "") {
        throw new SchemaProblem(["anthropic_models", name], "value", `name the model '${name}' goes to`);
      }
      return [name, value];
    }),
  );
  return { path, providers, models, anthropicModels };
}
