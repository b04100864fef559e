import OpenAI from "openai";
import { PROVIDER_NAMES, type ProviderName, routeModel } from "../../core/model-router.js";
import { CliError } from "../cli-error.js";
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

/** The provider a request for this id goes to: what the server's router decides. */
export function providerOf(id: string): ProviderName {
  try {
    return routeModel(id, "").provider;
  } catch {
    return "openai";
  }
}

/** The server's models with their providers, filtered, ordered by provider then id. */
export function listedModels(
  models: readonly { id: string; owned_by: string; created: number }[],
  provider?: ProviderName,
): ListedModel[] {
  return models
    .map(({ id, owned_by, created }) => ({ id, provider: providerOf(id), owned_by, created }))
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

/** `/health`'s providers: which the server has credentials for. */
async function configuredProviders(serverUrl: string): Promise<ProviderName[] | undefined> {
  try {
    const response = await fetch(`${serverUrl}/health`, { signal: AbortSignal.timeout(5_000) });
    const { providers } = (await response.json()) as { providers?: Partial<Record<ProviderName, boolean>> };
    if (!providers) return undefined;
    return PROVIDER_NAMES.filter((name) => providers[name] === true);
  } catch {
    return undefined;
  }
}

/** What a server needs for each provider. */
const PROVIDER_SETUP: Record<ProviderName, string> = {
  openai: "OPENAI_API_KEY",
  bedrock: "AWS credentials",
};

/** Why a list came back empty, and what to do about it (`configured`: what `/health` says, when it answered). */
export function emptyListMessage(provider: ProviderName | undefined, configured: ProviderName[] | undefined): string {
  const none = `The server offers no ${provider ? `${provider} ` : ""}models`;
  if (configured === undefined) return `${none}.`;
  if (provider && !configured.includes(provider)) {
    return `${none}: its ${provider} provider is not configured; start it with ${PROVIDER_SETUP[provider]} (docs/configuration.md).`;
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
  const listed = listedModels(models, options.provider);
  const format = options.json ? "json" : io.stdout.isTTY ? "table" : "tsv";
  if (listed.length === 0 && format !== "json") {
    io.stderr.write(`${emptyListMessage(options.provider, await configuredProviders(target.serverUrl))}\n`);
    return;
  }
  io.stdout.write(renderModels(listed, format));
}
