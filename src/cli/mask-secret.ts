/**
 * Shows enough of a secret to tell which one is set, never enough to use it:
 * the last four characters of a long secret, nothing of a short one.
 */
export function maskSecret(value: string): string {
  return value.length >= 16 ? `****${value.slice(-4)}` : "****";
}
