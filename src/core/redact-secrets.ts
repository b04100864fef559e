// Shapes of credentials that an upstream may echo in an error text.
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\bsk-[A-Za-z0-9_*-]{6,}/g, "sk-***"],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{12,}/g, "AKIA***"],
  [/Signature=[0-9a-f]{16,}/gi, "Signature=***"],
  [/Credential=[^,\s]+/g, "Credential=***"],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g, "Bearer ***"],
  [/X-Amz-Security-Token=[^&\s]+/gi, "X-Amz-Security-Token=***"],
];

/** Removes anything that looks like a key, a token or a signature. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}
