import { InvalidArgumentError } from "commander";
import { findSetting } from "../config/settings.js";

/**
 * A commander argument parser that checks an option's value with the
 * setting it overrides, so `--port x` is refused with the words
 * `config set PORT x` would use.
 */
export function checkedBy(settingName: string): (value: string) => string {
  const setting = findSetting(settingName);
  if (!setting) throw new Error(`no setting ${settingName}`);
  return (value: string) => {
    const problem = setting.check?.(value);
    if (problem) throw new InvalidArgumentError(`${settingName} ${problem}.`);
    return value;
  };
}
