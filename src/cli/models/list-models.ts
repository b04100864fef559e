import OpenAI from "openai";
import { ALIAS_OWNER } from "../../core/model-catalog.js";
import { PROVIDER_NAMES, type ProviderName, routeModel } from "../../core/model-router.js";
import { CliError, UsageError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { describeError } from "../describe-error.js";
import { formatTable } from "../format-table.js";
import { resolveServerTarget, type ServerTargetOptions } from "../server-target.js";

export interface ModelsOptions extends ServerTargetOptions {
  json?: boolean;
  provider?: ProviderName;
}

export interface ListedModel {
  id: string;
  provider: ProviderName;
  owned_by: string;
  created: number;
}

/** The PROVIDER of a models-file name, whose targets may be at several providers. */
const ALIAS_PROVIDER = "alias";

/**
 * The provider a request for this id goes to, as the server's router decides
 * with `providers` (the server's, models-file names included, as `/health`
 * lists them); a models-file name is an `alias`.
 */
export function providerOf(
  model: { id: string; owned_by?: string },
  providers: readonly ProviderName[] = PROVIDER_NAMES,
): ProviderName {
  if (model.owned_by === ALIAS_OWNER) return ALIAS_PROVIDER;
  try {
    return routeModel(model.id, "", providers).provider;
  } catch {
    return "openai";
  }
}

/** The server's models with their providers, filtered, ordered by provider then id. */
export function listedModels(
  models: readonly { id: string; owned_by: string; created: number }[],
  provider?: ProviderName,
  providers: readonly ProviderName[] = PROVIDER_NAMES,
): ListedModel[] {
  return models
    .map(({ id, owned_by, created }) => ({ id, provider: providerOf({ id, owned_by }, providers), owned_by, created }))
    .filter((model) => provider === undefined || model.provider === provider)
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.id.localeCompare(b.id));
}

function day(created: number): string {
  return created > 0 ? new Date(created * 1000).toISOString().slice(0, 10) : "-";
}

/** Aligned columns for a person; tab-separated lines without a header for a pipe; JSON on request. */
export function renderModels(models: readonly ListedModel[], format: "table" | "tsv" | "json"): string {
  if (format === "json") return `${JSON.stringify(models, null, 2)}\n`;
  const rows = models.map((model) => [model.id, model.provider, model.owned_by, day(model.created)]);
  if (format === "tsv") return rows.map((row) => `${row.join("\t")}\n`).join("");
  return formatTable(["ID", "PROVIDER", "OWNED BY", "CREATED"], rows);
}

interface ServerProviders {
  /** Every provider the server routes to: its own and its models file's. */
  names: ProviderName[];
  /** Those it has credentials for. */
  configured: ProviderName[];
}

/** `/health`'s providers, or undefined when it does not say. */
async function serverProviders(serverUrl: string): Promise<ServerProviders | undefined> {
  try {
    const response = await fetch(`${serverUrl}/health`, { signal: AbortSignal.timeout(5_000) });
    const { providers } = (await response.json()) as { providers?: Record<ProviderName, boolean> };
    if (!providers) return undefined;
    const names = Object.keys(providers);
    return { names, configured: names.filter((name) => providers[name] === true) };
  } catch {
    return undefined;
  }
}

/** What a server needs for each provider. */
const PROVIDER_SETUP: Partial<Record<ProviderName, string>> = {
  openai: "OPENAI_API_KEY",
  bedrock: "AWS credentials",
};

/** Why a list came back empty, and what to do about it (`configured`: what `/health` says, when it answered). */
export function emptyListMessage(provider: ProviderName | undefined, configured: ProviderName[] | undefined): string {
  const none = `The server offers no ${provider ? `${provider} ` : ""}models`;
  if (configured === undefined) return `${none}.`;
  if (provider && !configured.includes(provider)) {
    const setup = PROVIDER_SETUP[provider];
    return setup
      ? `${none}: its ${provider} provider is not configured; start it with ${setup} (docs/configuration.md).`
      : `${none}: it has no ${provider} provider configured (its models file names the settings it needs: docs/models-file.md).`;
  }
  if (configured.length === 0) {
    const all = PROVIDER_NAMES.map((name) => PROVIDER_SETUP[name]).join(" or ");
    return `${none}: it has no provider configured; start it with ${all} (docs/configuration.md).`;
  }
  const asked = provider ? [provider] : configured;
  const listings = `${asked.join(" and ")} listing${asked.length > 1 ? "s" : ""}`;
  return `${none}: the ${listings} came back empty or failed; the server's log says why.`;
}

/** `open-bedrock models`: `GET /v1/models` of a running server. */
export async function listModels(options: ModelsOptions, io: CliIo): Promise<void> {
  const target = resolveServerTarget(options, io.env);
  const client = new OpenAI({ apiKey: target.apiKey, baseURL: `${target.serverUrl}/v1`, maxRetries: 0 });
  const models: OpenAI.Models.Model[] = [];
  try {
    for await (const model of client.models.list()) models.push(model);
  } catch (error) {
    throw new CliError(describeError(error, target.serverUrl), { cause: error });
  }
  const providers = await serverProviders(target.serverUrl);
  const asked = options.provider;
  if (asked !== undefined && providers && asked !== ALIAS_PROVIDER && !providers.names.includes(asked)) {
    throw new UsageError(
      `The server has no provider '${asked}': it has ${providers.names.join(", ")}, and ${ALIAS_PROVIDER} for its models file's names.`,
    );
  }
  const listed = listedModels(models, options.provider, providers?.names);
  const format = options.json ? "json" : io.stdout.isTTY ? "table" : "tsv";
  if (listed.length === 0 && format !== "json") {
    io.stderr.write(`${emptyListMessage(options.provider, providers?.configured)}\n`);
    return;
  }
  io.stdout.write(renderModels(listed, format));
}
