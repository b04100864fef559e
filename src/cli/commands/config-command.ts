import { join } from "node:path";
import type { Command } from "commander";
import { ConfigSources, readDotEnv, readUserConfig, userConfigPath } from "../../config/config-sources.js";
import { InvalidSettingError } from "../../config/invalid-setting-error.js";
import { type AppConfig, loadConfig } from "../../config/load-config.js";
import type { ModelsFile } from "../../config/models-file.js";
import { findSetting, SETTINGS, type Setting } from "../../config/settings.js";
import { writeUserConfig } from "../../config/write-user-config.js";
import { CliError, UsageError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { formatTable } from "../format-table.js";
import { LineAsker } from "../line-asker.js";
import { maskSecret } from "../mask-secret.js";
import { styleFor } from "../text-style.js";

function settingNamed(name: string): Setting {
  const setting = findSetting(name.toUpperCase());
  if (!setting) {
    throw new UsageError(`Unknown setting '${name}'; \`open-bedrock config --help\` lists the settings.`);
  }
  return setting;
}

function checkValue(setting: Setting, value: string): string | undefined {
  const problem = setting.check?.(value);
  return problem ? `${setting.name} ${problem}.` : undefined;
}

function settingsHelp(): string {
  const width = Math.max(...SETTINGS.map((setting) => setting.name.length));
  const lines = SETTINGS.map((setting) => {
    const extra = setting.default === undefined ? "" : ` (default ${setting.default})`;
    return `  ${setting.name.padEnd(width)}  ${setting.description}${extra}`;
  });
  return `\nSettings:\n${lines.join("\n")}\n`;
}

/** Where a value set in the file would be hidden by one the server reads first. */
function shadowedBy(name: string, io: CliIo): string | undefined {
  if (io.env[name]) return "the environment";
  if (readDotEnv(join(process.cwd(), ".env"))[name]) return "./.env";
  return undefined;
}

function noteShadowing(names: readonly string[], io: CliIo): void {
  for (const name of names) {
    const where = shadowedBy(name, io);
    if (where) io.stderr.write(`Note: ${name} is also set in ${where}, which the server reads first.\n`);
  }
}

/**
 * Asks for each setting on a terminal (or reads one answer per line from a
 * pipe). Enter keeps the value shown in brackets. Answers the new values.
 */
async function askSettings(
  settings: readonly Setting[],
  stored: Readonly<Record<string, string>>,
  io: CliIo,
): Promise<Record<string, string>> {
  const asker = new LineAsker(io.stdin, io.stdout);
  const style = styleFor(io.stdout, io.env);
  const errorStyle = styleFor(io.stderr, io.env);
  const changes: Record<string, string> = {};
  try {
    for (const setting of settings) {
      const current = stored[setting.name] ?? setting.default;
      const shown = current === undefined ? "" : ` [${setting.secret ? maskSecret(current) : current}]`;
      const question = `${style.bold(setting.name)} ${style.dim(`(${setting.description})`)}${shown}: `;
      for (;;) {
        const answer = await asker.ask(question, { secret: setting.secret === true });
        if (answer === undefined) return changes;
        const value = answer.trim();
        if (value === "") break;
        const problem = checkValue(setting, value);
        if (!problem) {
          changes[setting.name] = value;
          break;
        }
        if (!asker.terminal) throw new UsageError(`${problem} Nothing was saved.`);
        io.stderr.write(`${errorStyle.red(problem)}\n`);
      }
    }
    return changes;
  } finally {
    asker.close();
  }
}

function counted(count: number, what: string, names: readonly string[]): string {
  const listed = names.length > 0 ? ` (${names.join(", ")})` : "";
  return `${count} ${what}${count === 1 ? "" : "s"}${listed}`;
}

function describeModelsFile(file: ModelsFile): string {
  const providers = counted(
    file.providers.length,
    "provider",
    file.providers.map((provider) => provider.name),
  );
  const models = counted(
    file.models.length,
    "model",
    file.models.map((model) => model.name),
  );
  const anthropic =
    file.anthropicModels.size > 0 ? `, ${counted(file.anthropicModels.size, "Anthropic name", [])}` : "";
  return `The models file ${file.path} is valid: ${providers}, ${models}${anthropic}.\n`;
}

/** Reads the settings as the server does at start, or fails with the line the server would stop with. */
function checkedConfig(io: CliIo): AppConfig {
  try {
    return loadConfig({ env: io.env });
  } catch (error) {
    if (error instanceof InvalidSettingError) throw new CliError(error.message, { cause: error });
    throw error;
  }
}

export function registerConfigCommand(program: Command, io: CliIo): void {
  const path = () => userConfigPath(io.env);
  const config = program
    .command("config")
    .description("Read and change the settings in the user config file")
    .addHelpText(
      "after",
      `${settingsHelp()}\nThe server reads the command line, then the environment, then .env, then this file.`,
    );

  config
    .command("set")
    .description("Set a setting; without arguments, asks for the common ones; with a NAME alone, asks for its value")
    .argument("[name]", "setting name, such as PORT")
    .argument("[value]", "its value")
    .addHelpText("after", settingsHelp())
    .action(async (name: string | undefined, value: string | undefined) => {
      const file = path();
      const stored = readUserConfig(file);
      let changes: Record<string, string>;
      if (name !== undefined && value !== undefined) {
        const setting = settingNamed(name);
        const problem = checkValue(setting, value);
        if (problem) throw new UsageError(problem);
        changes = { [setting.name]: value };
      } else {
        const settings = name === undefined ? SETTINGS.filter((setting) => setting.common) : [settingNamed(name)];
        if (name === undefined) {
          io.stdout.write(`Settings are saved in ${file}. Press Enter to keep the value in brackets.\n`);
        }
        changes = await askSettings(settings, stored, io);
        const count = Object.keys(changes).length;
        if (count === 0) {
          io.stderr.write("Nothing changed.\n");
          return;
        }
        io.stderr.write(`Saved ${count === 1 ? "1 setting" : `${count} settings`} to ${file}.\n`);
      }
      writeUserConfig(file, { ...stored, ...changes });
      noteShadowing(Object.keys(changes), io);
    });

  config
    .command("get")
    .description("Print the value the server would use for a setting")
    .argument("<name>", "setting name, such as PORT")
    .action((name: string) => {
      const setting = settingNamed(name);
      const found = new ConfigSources({ env: io.env }).get(setting.name);
      const value = found?.value ?? setting.default;
      if (value === undefined) throw new CliError(`${setting.name} is not set.`);
      io.stdout.write(`${value}\n`);
    });

  config
    .command("list")
    .description("Show every setting, where its value comes from, secrets masked")
    .action(() => {
      const sources = new ConfigSources({ env: io.env });
      const rows = SETTINGS.map((setting) => {
        const found = sources.get(setting.name);
        const value = found?.value ?? setting.default;
        if (value === undefined) return [setting.name, "-", "not set"];
        const shown = setting.secret ? maskSecret(value) : value;
        return [setting.name, shown, found?.origin ?? "default"];
      });
      const unknown = Object.keys(readUserConfig(path())).filter((name) => !findSetting(name));
      for (const name of unknown) rows.push([name, "?", "config file, unknown name: ignored"]);
      io.stdout.write(formatTable(["NAME", "VALUE", "FROM"], rows));
    });

  config
    .command("unset")
    .description("Remove a setting from the config file")
    .argument("<name>", "setting name, such as PORT")
    .action((name: string) => {
      const file = path();
      const stored = readUserConfig(file);
      // A name the file holds can always be removed, even one this version does not know.
      const key = name in stored ? name : settingNamed(name).name;
      if (!(key in stored)) {
        io.stderr.write(`${key} is not set in ${file}.\n`);
        return;
      }
      const { [key]: _removed, ...rest } = stored;
      writeUserConfig(file, rest);
    });

  config
    .command("check")
    .description("Check the settings and the models file (MODELS_FILE) as the server does at start, without serving")
    .action(() => {
      const checked = checkedConfig(io);
      for (const warning of checked.modelsFile?.warnings ?? []) io.stderr.write(`Note: ${warning}\n`);
      io.stdout.write("The settings are valid.\n");
      io.stdout.write(checked.modelsFile ? describeModelsFile(checked.modelsFile) : "No MODELS_FILE is set.\n");
    });

  config
    .command("path")
    .description("Print where the config file is (it may not exist yet)")
    .action(() => {
      io.stdout.write(`${path()}\n`);
    });
}
