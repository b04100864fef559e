/** `${NAME}`: a variable of the environment, as shells and compose files write it. */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface Expanded {
  value: string;
  /** The names referenced that have no value; `value` is then incomplete. */
  unset: string[];
}

/**
 * Replaces each `${NAME}` with its value from `lookup`, so secrets can stay
 * out of the file. Any other `$` is kept as written.
 */
export function expandVariables(text: string, lookup: (name: string) => string | undefined): Expanded {
  const unset: string[] = [];
  const value = text.replace(REFERENCE, (_reference, name: string) => {
    const found = lookup(name);
    if (found === undefined || found === "") {
      if (!unset.includes(name)) unset.push(name);
      return "";
    }
    return found;
  });
  return { value, unset };
}
