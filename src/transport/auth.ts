import { createHash, timingSafeEqual } from "node:crypto";
import { AuthenticationError } from "../core/errors.js";

const digest = (key: string) => createHash("sha256").update(key).digest();

/**
 * Checks `Authorization: Bearer <key>` against the configured client keys.
 * Keys are compared as SHA-256 digests in constant time, and every key is
 * compared, so timing tells nothing about which key or prefix matched.
 */
export class ApiKeyVerifier {
  readonly #digests: Buffer[];

  constructor(keys: readonly string[]) {
    if (keys.length === 0) throw new Error("At least one client key is required.");
    this.#digests = keys.map(digest);
  }

  /** Throws AuthenticationError unless the header carries a valid key. */
  verify(authorization: string | null | undefined): void {
    const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? "");
    if (!match?.[1]) {
      throw new AuthenticationError("You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.", {
        code: "missing_api_key",
      });
    }
    const presented = digest(match[1].trim());
    let valid = false;
    for (const expected of this.#digests) valid = timingSafeEqual(presented, expected) || valid;
    if (!valid) throw new AuthenticationError("Incorrect API key provided.", { code: "invalid_api_key" });
  }
}
