// Shapes of credentials that an upstream may echo in an error text. The
// look-behinds keep words such as "task-list" intact while still catching a
// key glued to digits or to a URL-encoded separator.
const SECRET_PATTERNS: [RegExp, string][] = [
  [/(?<![A-Za-z])sk-[A-Za-z0-9_*-]{6,}/g, "sk-***"],
  [/(?:AKIA|ASIA)[A-Z0-9]{12,}/g, "AKIA***"],
  [/Signature(=|%3D)[0-9a-f]{16,}/gi, "Signature$1***"],
  [/Credential(=|%3D)[^,\s&]+/gi, "Credential$1***"],
  [/Bearer(\s+|%20|\+)[A-Za-z0-9._~+/=-]{8,}/gi, "Bearer$1***"],
  [/X-Amz-Security-Token(=|%3D)[^&\s]+/gi, "X-Amz-Security-Token$1***"],
];

// The configured secrets themselves (upstream keys, AWS secrets, client keys),
// as given and URL-encoded: whatever their shape, they never leave the server.
const knownSecrets = new Set<string>();
const MIN_SECRET_LENGTH = 8;

/** Adds configured secrets to what every redaction removes. */
export function registerSecrets(...secrets: (string | undefined)[]): void {
  for (const secret of secrets) {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) continue;
    knownSecrets.add(secret);
    knownSecrets.add(encodeURIComponent(secret));
  }
}

/** Removes the configured secrets and anything that looks like a key, a token or a signature. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const secret of knownSecrets) {
    if (result.includes(secret)) result = result.split(secret).join("***");
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}
