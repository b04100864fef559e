/**
 * Reads the Prometheus text exposition format (version 0.0.4) into samples,
 * so tests look values up by metric name and labels instead of matching
 * whole lines.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  /** `# TYPE` of each metric family. */
  types: Map<string, string>;
  /** `# HELP` of each metric family. */
  help: Map<string, string>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const ESCAPES: Record<string, string> = { "\\": "\\", '"': '"', n: "\n" };

function parseValue(text: string): number {
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  if (text === "NaN" || text === "Nan") return Number.NaN;
  const value = Number(text);
  if (text === "" || Number.isNaN(value)) throw new Error(`not a sample value: ${JSON.stringify(text)}`);
  return value;
}

function parseSample(line: string): Sample {
  const name = NAME.exec(line)?.[0];
  if (!name) throw new Error(`no metric name in ${JSON.stringify(line)}`);
  let at = name.length;
  const labels: Record<string, string> = {};
  if (line[at] === "{") {
    at += 1;
    while (line[at] !== "}") {
      const labelName = LABEL_NAME.exec(line.slice(at))?.[0];
      if (!labelName || line[at + labelName.length] !== "=" || line[at + labelName.length + 1] !== '"') {
        throw new Error(`bad label at ${at} in ${JSON.stringify(line)}`);
      }
      at += labelName.length + 2;
      let value = "";
      while (line[at] !== '"') {
        const char = line[at];
        if (char === undefined) throw new Error(`unterminated label value in ${JSON.stringify(line)}`);
        if (char === "\\") {
          const escaped = ESCAPES[line[at + 1] ?? ""];
          if (escaped === undefined) throw new Error(`bad escape at ${at} in ${JSON.stringify(line)}`);
          value += escaped;
          at += 2;
        } else {
          value += char;
          at += 1;
        }
      }
      labels[labelName] = value;
      at += 1;
      if (line[at] === ",") at += 1;
    }
    at += 1;
  }
  if (line[at] !== " ") throw new Error(`no value in ${JSON.stringify(line)}`);
  const [value = "", _timestamp] = line.slice(at + 1).split(" ");
  return { name, labels, value: parseValue(value) };
}

export function parsePrometheusText(text: string): Exposition {
  const exposition: Exposition = { samples: [], types: new Map(), help: new Map() };
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const comment = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (comment) {
      const [, kind, name = "", rest = ""] = comment;
      (kind === "TYPE" ? exposition.types : exposition.help).set(name, rest);
      continue;
    }
    if (line.startsWith("#")) continue;
    exposition.samples.push(parseSample(line));
  }
  return exposition;
}

/** The samples named `name` whose labels include every one of `labels`. */
export function samplesOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return exposition.samples.filter(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
  );
}

/** The sum of those samples' values: 0 when there are none. */
export function sampleSum(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  return samplesOf(exposition, name, labels).reduce((sum, sample) => sum + sample.value, 0);
}
