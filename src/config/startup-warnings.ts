import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { AppConfig, BedrockConfig } from "./load-config.js";

/** Said at start and by `/health` while the server can answer no model request. */
export const NO_PROVIDER_WARNING =
  "No provider is configured, so every model request fails with 503 and the model list is empty: " +
  "set OPENAI_API_KEY, or give the server AWS credentials for Bedrock (docs/configuration.md#providers).";

/** The profile names a shared AWS file defines: `[name]` in credentials, `[profile name]` (or `[default]`) in config. */
function profilesIn(path: string, inConfigFile: boolean): Set<string> {
  if (!existsSync(path)) return new Set();
  const names = new Set<string>();
  for (const [, section = ""] of readFileSync(path, "utf8").matchAll(/^\s*\[([^\]]+)\]/gm)) {
    const words = section.trim().split(/\s+/);
    if (!inConfigFile) names.add(section.trim());
    else if (words[0] === "profile" && words[1]) names.add(words[1]);
    else if (words.length === 1 && words[0] === "default") names.add("default");
  }
  return names;
}

/** AWS_PROFILE naming a profile that neither shared AWS file defines, when nothing else supplies credentials. */
function missingProfile(bedrock: BedrockConfig, env: NodeJS.ProcessEnv): string | undefined {
  const { profile } = bedrock;
  if (!profile || bedrock.credentials || bedrock.bearerToken) return undefined;
  const home = env.HOME ?? homedir();
  const configFile = env.AWS_CONFIG_FILE ?? join(home, ".aws", "config");
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, ".aws", "credentials");
  if (profilesIn(configFile, true).has(profile) || profilesIn(credentialsFile, false).has(profile)) return undefined;
  return (
    `AWS_PROFILE names the profile '${profile}', which neither ${configFile} nor ${credentialsFile} defines, ` +
    `so Bedrock requests will fail until it exists: create it (aws configure --profile ${profile}) or correct AWS_PROFILE.`
  );
}

/** Whether any provider has what it needs: the environment's, or one of the models file's whose variables are set. */
function configuresAProvider(config: AppConfig): boolean {
  if (config.openai || config.bedrock) return true;
  return config.modelsFile?.providers.some((provider) => provider.unsetVariables.length === 0) ?? false;
}

/** What a person starting the server should know about its configuration: each a line for the log. */
export function startupWarnings(config: AppConfig, env: NodeJS.ProcessEnv = process.env): string[] {
  const warnings: string[] = [];
  if (!configuresAProvider(config)) warnings.push(NO_PROVIDER_WARNING);
  const profile = config.bedrock && missingProfile(config.bedrock, env);
  if (profile) warnings.push(profile);
  return warnings;
}
