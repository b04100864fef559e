/** The few ways the CLI marks text on a terminal. */
export interface TextStyle {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
}

const ANSI: Record<keyof TextStyle, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  cyan: [36, 39],
};

/**
 * Colors only on a terminal that can show them, and never when the user set
 * NO_COLOR (https://no-color.org: any non-empty value).
 */
export function colorsWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

export function textStyle(colors: boolean): TextStyle {
  const paint = ([open, close]: [number, number]) =>
    colors ? (text: string) => `\u001b[${open}m${text}\u001b[${close}m` : (text: string) => text;
  return {
    bold: paint(ANSI.bold),
    dim: paint(ANSI.dim),
    red: paint(ANSI.red),
    green: paint(ANSI.green),
    cyan: paint(ANSI.cyan),
  };
}

export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): TextStyle {
  return textStyle(colorsWanted(stream, env));
}
