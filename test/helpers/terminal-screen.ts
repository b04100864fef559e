/**
 * What a terminal shows for the bytes a program wrote to it: the lines as
 * the cursor left them. It follows the few controls that line editors and
 * prompts use (carriage return, newline, backspace, cursor to a column, up,
 * down, left, right, erase to the end of the line or of the screen); colors
 * and every other sequence change nothing shown.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what it reads
const CSI = /^\u001b\[([0-9;?]*)([A-Za-z])/;

export function renderTerminal(raw: string): string {
  const lines: string[][] = [[]];
  let row = 0;
  let column = 0;
  const line = () => {
    lines[row] ??= [];
    return lines[row] as string[];
  };
  for (let at = 0; at < raw.length; at += 1) {
    const char = raw[at] ?? "";
    if (char === "\u001b") {
      const sequence = CSI.exec(raw.slice(at, at + 32));
      if (!sequence) continue;
      at += sequence[0].length - 1;
      const parameter = sequence[1] ?? "";
      const count = Number(parameter) || 1;
      switch (sequence[2]) {
        case "G":
          column = count - 1;
          break;
        case "A":
          row = Math.max(0, row - count);
          break;
        case "B":
          row += count;
          break;
        case "C":
          column += count;
          break;
        case "D":
          column = Math.max(0, column - count);
          break;
        case "K":
          if (parameter === "" || parameter === "0") line().length = Math.min(line().length, column);
          else if (parameter === "2") line().length = 0;
          break;
        case "J":
          if (parameter === "" || parameter === "0") {
            line().length = Math.min(line().length, column);
            lines.length = row + 1;
          }
          break;
      }
      continue;
    }
    if (char === "\r") column = 0;
    else if (char === "\n") {
      row += 1;
      column = 0;
    } else if (char === "\b") column = Math.max(0, column - 1);
    else if (char >= " ") {
      const cells = line();
      while (cells.length < column) cells.push(" ");
      cells[column] = char;
      column += 1;
    }
  }
  line();
  return Array.from(lines, (cells) => (cells ?? []).join("")).join("\n");
}
