import { createHash } from "node:crypto";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentials } from "./aws-credentials.js";

/** A Bedrock Runtime request as it will be sent, before it is authorized. */
export interface UnsignedRequest {
  /** The whole URL, its path already percent-encoded as the SDK encodes it. */
  url: URL;
  /** Lower-case names; `host` included, as it is signed. */
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface RequestAuthorizer {
  /** Answers the headers to send: the request's own plus the authorization. */
  authorize(request: UnsignedRequest): Promise<Record<string, string>>;
  /** Learns Bedrock's clock from an answer's `date` (sent at `sentAt`, epoch ms), to sign later requests by it. */
  observeAnswer(date: string | undefined, age: string | undefined, sentAt: number): void;
}

// An answer older than this says nothing about the clock now (the SDK's bound).
const STALE_ANSWER_MS = 900_000;

/**
 * Bedrock's clock as its answers tell it, kept as the SDK client keeps it:
 * every answer's `date` sets the offset, unless a cache answered (`age`) or
 * the answer took too long to mean anything. A skewed server clock then
 * corrects itself after one answer instead of failing every signature.
 */
class ServerClock {
  #offset = 0;

  now(): Date {
    return new Date(Date.now() + this.#offset);
  }

  observe(date: string | undefined, age: string | undefined, sentAt: number): void {
    if (date === undefined || age !== undefined) return;
    const server = Date.parse(date);
    const received = Date.now();
    if (Number.isNaN(server) || received - sentAt > STALE_ANSWER_MS) return;
    this.#offset = server - received;
  }
}

export interface AuthorizerOptions {
  region: string;
  credentials: AwsCredentials;
  /** A Bedrock API key: sent as a bearer token instead of a signature. */
  bearerToken?: string | undefined;
}

/**
 * Authorizes Bedrock Runtime requests as the SDK client does: with the
 * Bedrock API key as `Authorization: Bearer` when one is configured,
 * otherwise with SigV4 (service `bedrock`, the region) over the method, the
 * encoded path (encoded once more, as for every service but S3), the headers
 * and the body's SHA-256 (`x-amz-content-sha256`), adding `x-amz-date` and,
 * for temporary credentials, `x-amz-security-token`, dated by Bedrock's
 * clock as its answers tell it. The signer caches its signing key per day;
 * the credentials provider caches what it fetches.
 */
export function bedrockAuthorizer(options: AuthorizerOptions): RequestAuthorizer {
  if (options.bearerToken) {
    const authorization = `Bearer ${options.bearerToken}`;
    return { authorize: async ({ headers }) => ({ ...headers, authorization }), observeAnswer: () => {} };
  }
  const clock = new ServerClock();
  const signer = new SignatureV4({
    service: "bedrock",
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
    uriEscapePath: true,
    applyChecksum: true,
  });
  return {
    async authorize({ url, headers, body }) {
      const request = {
        method: "POST",
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port === "" ? {} : { port: Number(url.port) }),
        path: url.pathname,
        query: {},
        // The body's hash given, the signer signs it as it is instead of
        // hashing the body through its asynchronous hash (a tenth of its cost
        // in the profile of a Bedrock call).
        headers: { ...headers, "x-amz-content-sha256": createHash("sha256").update(body).digest("hex") },
        body,
      };
      return (await signer.sign(request, { signingDate: clock.now() })).headers;
    },
    observeAnswer: (date, age, sentAt) => clock.observe(date, age, sentAt),
  };
}
