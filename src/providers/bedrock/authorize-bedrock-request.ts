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

/** Answers the headers to send: the request's own plus the authorization. */
export type AuthorizeRequest = (request: UnsignedRequest) => Promise<Record<string, string>>;

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
 * for temporary credentials, `x-amz-security-token`. The signer caches its
 * signing key per day; the credentials provider caches what it fetches.
 */
export function bedrockAuthorizer(options: AuthorizerOptions): AuthorizeRequest {
  if (options.bearerToken) {
    const authorization = `Bearer ${options.bearerToken}`;
    return async ({ headers }) => ({ ...headers, authorization });
  }
  const signer = new SignatureV4({
    service: "bedrock",
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
    uriEscapePath: true,
    applyChecksum: true,
  });
  return async ({ url, headers, body }) => {
    const signed = await signer.sign({
      method: "POST",
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port === "" ? {} : { port: Number(url.port) }),
      path: url.pathname,
      query: {},
      headers,
      body,
    });
    return signed.headers;
  };
}
