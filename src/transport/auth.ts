import { createHash, timingSafeEqual } from "node:crypto";
import { AuthenticationError } from "../core/errors.js";

/**
 * RPC services anyone may call without a key. Reflection serves only the
 * schema, which is public in proto/; as most gRPC servers do, it answers
 * without credentials, so grpcurl and `buf curl` work with the key on the
 * call alone (no `--reflect-header`), and a wrong key is reported as such.
 * Health says only whether the server serves, to probes that carry no key
 * (Kubernetes' gRPC probes cannot send one).
 */
export const KEYLESS_SERVICES: ReadonlySet<string> = new Set([
  "grpc.reflection.v1.ServerReflection",
  "grpc.reflection.v1alpha.ServerReflection",
  "grpc.health.v1.Health",
]);

const digest = (key: string) => createHash("sha256").update(key).digest();
const HOW = "Send the key as 'Authorization: Bearer <key>'.";
/** How Anthropic's routes take the key: as Anthropic's clients send it, or as a bearer token. */
export const HOW_ANTHROPIC = "Send the key as 'x-api-key: <key>' or 'Authorization: Bearer <key>'.";
/** Schemes named back to the caller; any other first word could be part of a key. */
const KNOWN_SCHEMES = new Set(["basic", "digest", "token", "negotiate", "apikey", "api-key", "aws4-hmac-sha256"]);

/** What is wrong with an Authorization header that has no bearer key; never the header's value, which may be a key. */
function withoutBearerKey(header: string, how: string): string {
  if (header === "") return `You didn't provide an API key. ${how}`;
  const scheme = /^(\S+)\s+\S/.exec(header)?.[1];
  if (scheme === undefined) {
    if (/^Bearer$/i.test(header)) return `The Authorization header has the Bearer scheme but no key after it. ${how}`;
    return `The Authorization header has no scheme: put 'Bearer ' before the key. ${how}`;
  }
  const named = KNOWN_SCHEMES.has(scheme.toLowerCase()) ? `the ${scheme} scheme` : "a scheme other than Bearer";
  return `The Authorization header uses ${named}; this server takes only Bearer. ${how}`;
}

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

  /** Throws AuthenticationError unless the header carries a valid key; `how` tells a caller without one how to send it. */
  verify(authorization: string | null | undefined, how = HOW): void {
    const header = authorization?.trim() ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match?.[1]) throw new AuthenticationError(withoutBearerKey(header, how), { code: "missing_api_key" });
    const presented = digest(match[1].trim());
    let valid = false;
    for (const expected of this.#digests) valid = timingSafeEqual(presented, expected) || valid;
    if (!valid) throw new AuthenticationError("Incorrect API key provided.", { code: "invalid_api_key" });
  }
}
