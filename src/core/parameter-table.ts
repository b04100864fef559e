/**
 * A body's fields, each with the function that reads it from one input;
 * a reader that answers undefined leaves its field out. Written as a table,
 * a conversion reads as the list of parameters it sets.
 */
export type ParameterTable<Body, Input> = { readonly [Name in keyof Body]?: (input: Input) => Body[Name] | undefined };

/** The fields a parameter table reads from an input. */
export function fromParameterTable<Body extends object, Input>(
  table: ParameterTable<Body, Input>,
  input: Input,
): Partial<Body> {
  const body: Partial<Body> = {};
  for (const name of Object.keys(table) as (keyof Body)[]) {
    const value = table[name]?.(input);
    if (value !== undefined) body[name] = value;
  }
  return body;
}
