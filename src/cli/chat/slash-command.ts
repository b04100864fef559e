/** The commands a chat prompt understands besides the text it sends. */
export type SlashCommand =
  | { name: "model"; argument: string }
  | { name: "system"; argument: string }
  | { name: "clear" }
  | { name: "help" }
  | { name: "exit" }
  | { name: "unknown"; typed: string };

export const SLASH_COMMAND_HELP: readonly [string, string][] = [
  ["/model NAME", "use another model from the next answer on (no NAME: show the current one)"],
  ["/system TEXT", "set the system message (no TEXT: show the current one)"],
  ["/clear", "forget the conversation so far"],
  ["/help", "show these commands"],
  ["/exit", "leave (so do Ctrl-D, and Ctrl-C at an empty prompt)"],
];

/** The command a prompt line holds, or undefined when it is text to send. */
export function parseSlashCommand(line: string): SlashCommand | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith("/")) return undefined;
  const match = /^\/(\S*)\s*([\s\S]*)$/.exec(trimmed);
  const name = match?.[1]?.toLowerCase() ?? "";
  const argument = match?.[2]?.trim() ?? "";
  switch (name) {
    case "model":
    case "system":
      return { name, argument };
    case "clear":
    case "help":
      return { name };
    case "exit":
    case "quit":
      return { name: "exit" };
    default:
      return { name: "unknown", typed: `/${name}` };
  }
}
