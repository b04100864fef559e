import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";

export type SettingOrigin = "command line" | "environment" | ".env" | "config file" | "default";

export interface SettingValue {
  value: string;
  origin: SettingOrigin;
}

/** Where the CLI's `config set` keeps settings for this user. */
export function userConfigPath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, "open-bedrock", "config.json");
  const home = env.HOME ?? homedir();
  if (platform === "darwin") return join(home, "Library", "Application Support", "open-bedrock", "config.json");
  if (platform === "win32" && env.APPDATA) return join(env.APPDATA, "open-bedrock", "config.json");
  return join(home, ".config", "open-bedrock", "config.json");
}

export function readDotEnv(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, "utf8")) as Record<string, string>;
}

export function readUserConfig(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`The config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`The config file ${path} must hold a JSON object.`);
  }
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value === "string") values[name] = value;
    else if (typeof value === "number" || typeof value === "boolean") values[name] = String(value);
  }
  return values;
}

export interface ConfigSourceOptions {
  /** Values given on the command line (`serve --port`): above everything else. */
  overrides?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /** The `.env` file to read; by default `.env` in the working directory. */
  envFile?: string;
  /** The user config file; by default userConfigPath(). */
  configFile?: string;
}

/**
 * The settings in precedence order: command-line overrides, environment,
 * then `.env`, then the user config file. Empty values count as unset, as in most twelve-factor tools.
 */
export class ConfigSources {
  readonly #layers: [SettingOrigin, Record<string, string | undefined>][];

  constructor(options: ConfigSourceOptions = {}) {
    const env = options.env ?? process.env;
    this.#layers = [
      ["command line", options.overrides ?? {}],
      ["environment", env],
      [".env", readDotEnv(options.envFile ?? join(process.cwd(), ".env"))],
      ["config file", readUserConfig(options.configFile ?? userConfigPath(env))],
    ];
  }

  get(name: string): SettingValue | undefined {
    for (const [origin, values] of this.#layers) {
      const value = values[name];
      if (value !== undefined && value !== "") return { value, origin };
    }
    return undefined;
  }
}
