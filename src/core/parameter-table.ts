/**
 * A request body written as a table of its parameters: for each, how it is
 * read from the converter's input. A reader that answers undefined leaves
 * its parameter out. Typed end to end: a reader must answer its parameter's
 * own type, and a table typed `ParameterTable<Body, Input>` must name every
 * parameter of `Body`, so a field added to a wire type is not forgotten.
 */
export type ParameterTable<Body, Input> = {
  readonly [Name in keyof Body]-?: (input: Input) => Body[Name] | undefined;
};

/** A table that names only some parameters of `Body` (the rest are never sent). */
export type PartialParameterTable<Body, Input> = Partial<ParameterTable<Body, Input>>;

/** The parameters a `Body` may leave out. */
export type OptionalKeys<Body> = {
  [Name in keyof Body]-?: object extends Pick<Body, Name> ? Name : never;
}[keyof Body];

/**
 * Every optional parameter of `Body` with its reader; the required ones are
 * written where the body is built, where the compiler checks they are there.
 */
export type OptionalParameters<Body, Input> = ParameterTable<Pick<Body, OptionalKeys<Body>>, Input>;

/** The parameters a table reads from `input`, those answered undefined left out. */
export function readParameters<Body, Input>(table: PartialParameterTable<Body, Input>, input: Input): Partial<Body> {
  const body: Partial<Body> = {};
  for (const name in table) {
    const value = table[name]?.(input);
    if (value !== undefined) body[name] = value;
  }
  return body;
}
