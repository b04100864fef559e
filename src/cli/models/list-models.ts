import OpenAI from "openai";
import { type ProviderName, routeModel } from "../../core/model-router.js";
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
    const which = options.provider ? `${options.provider} ` : "";
    io.stderr.write(`The server offers no ${which}models.\n`);
    return;
  }
  io.stdout.write(renderModels(listed, format));
}
