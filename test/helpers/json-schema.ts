/**
 * Checks a value against the JSON Schema keywords structured output uses
 * (type, properties, required, additionalProperties, items, enum, minimum,
 * maximum), answering what breaks it: enough to prove an answer follows
 * its schema without a validator library.
 */
export function schemaErrors(value: unknown, schema: Record<string, unknown>, at = "$"): string[] {
  const errors: string[] = [];
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) {
    errors.push(`${at}: not one of the enum values`);
  }
  const type = schema.type;
  const is: Record<string, (v: unknown) => boolean> = {
    object: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
    array: Array.isArray,
    string: (v) => typeof v === "string",
    number: (v) => typeof v === "number",
    integer: (v) => Number.isInteger(v),
    boolean: (v) => typeof v === "boolean",
    null: (v) => v === null,
  };
  if (typeof type === "string" && !is[type]?.(value)) return [...errors, `${at}: not of type ${type}`];
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${at}: below its minimum`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${at}: above its maximum`);
  }
  if (Array.isArray(value) && typeof schema.items === "object" && schema.items !== null) {
    for (const [index, item] of value.entries()) {
      errors.push(...schemaErrors(item, schema.items as Record<string, unknown>, `${at}[${index}]`));
    }
  }
  if (is.object?.(value)) {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    for (const name of (schema.required ?? []) as string[]) {
      if (!(name in object)) errors.push(`${at}.${name}: required`);
    }
    for (const [name, member] of Object.entries(object)) {
      const property = properties[name];
      if (property) errors.push(...schemaErrors(member, property, `${at}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${at}.${name}: not allowed`);
    }
  }
  return errors;
}
