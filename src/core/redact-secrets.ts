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

/**
 * From this length on, a configured secret is removed wherever it appears.
 * A shorter one could be part of ordinary words ("abc" in "abcdef"), so it
 * is removed where it stands alone: not between letters or digits.
 */
export const MIN_EMBEDDED_SECRET_LENGTH = 8;

// The configured secrets themselves (upstream keys, AWS secrets, client keys),
// each with how many running servers registered it.
const registered = new Map<string, number>();
let embeddedForms: string[] = [];
let standaloneForms: RegExp | undefined;

/** How a secret may be written out: as given, URL-encoded, and escaped inside a JSON string (a log line). */
function formsOf(secret: string): string[] {
  return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function rebuild(): void {
  // Longest first, so a secret that contains another is removed whole.
  const forms = [...new Set([...registered.keys()].flatMap(formsOf))].sort((a, b) => b.length - a.length);
  embeddedForms = forms.filter((form) => form.length >= MIN_EMBEDDED_SECRET_LENGTH);
  const standalone = forms.filter((form) => form.length < MIN_EMBEDDED_SECRET_LENGTH);
  standaloneForms =
    standalone.length === 0
      ? undefined
      : new RegExp(`(?<![\\p{L}\\p{N}])(?:${standalone.map(escapeRegExp).join("|")})(?![\\p{L}\\p{N}])`, "gu");
}

/**
 * Adds configured secrets to what every redaction removes, whatever their
 * length or shape. Answers a function that takes them off again (once no
 * other server registered them), for a server that stops.
 */
export function registerSecrets(...secrets: (string | undefined)[]): () => void {
  // A blank value is no secret, and removing every space would ruin every text.
  const added = secrets.filter((secret): secret is string => secret !== undefined && secret.trim() !== "");
  for (const secret of added) registered.set(secret, (registered.get(secret) ?? 0) + 1);
  rebuild();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const secret of added) {
      const count = (registered.get(secret) ?? 1) - 1;
      if (count > 0) registered.set(secret, count);
      else registered.delete(secret);
    }
    rebuild();
  };
}

/** Removes the configured secrets and anything that looks like a key, a token or a signature. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const form of embeddedForms) {
    if (result.includes(form)) result = result.split(form).join("***");
  }
  if (standaloneForms !== undefined) result = result.replace(standaloneForms, "***");
  for (const [pattern, replacement] of SECRET_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}
