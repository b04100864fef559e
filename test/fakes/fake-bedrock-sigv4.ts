/**
 * Checks an AWS Signature Version 4 `Authorization` header the way AWS does:
 * the scope (`<AKID>/<date>/<region>/<service>/aws4_request`), the payload
 * hash, and the signature itself, recomputed here independently of the SDK
 * from the canonical request (method, doubly-encoded path, sorted query,
 * signed headers, payload hash).
 */
import { createHash, createHmac } from "node:crypto";

export interface AwsTestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignedRequest {
  method: string;
  /** The path as received, still percent-encoded, with its query string. */
  rawUrl: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type SigV4Verdict =
  | { ok: true; accessKeyId: string; region: string; service: string }
  | { ok: false; errorType: string; message: string };

const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();

/** RFC 3986 encoding, as SigV4 wants it: only unreserved characters stay. */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function header(headers: SignedRequest["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function canonicalQuery(search: string): string {
  if (search === "") return "";
  const pairs = search
    .slice(1)
    .split("&")
    .filter(Boolean)
    .map((pair) => {
      const [key = "", value = ""] = pair.split("=");
      return [uriEncode(decodeURIComponent(key)), uriEncode(decodeURIComponent(value.replace(/\+/g, " ")))] as const;
    });
  pairs.sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1));
  return pairs.map(([key, value]) => `${key}=${value}`).join("&");
}

export function verifySigV4(
  request: SignedRequest,
  expected: { region: string; service: string; credentials: (accessKeyId: string) => AwsTestCredentials | undefined },
): SigV4Verdict {
  const authorization = header(request.headers, "authorization") ?? "";
  const match = AUTH_PATTERN.exec(authorization);
  if (!match) {
    return {
      ok: false,
      errorType: "IncompleteSignatureException",
      message: "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
    };
  }
  const [, accessKeyId = "", date = "", region = "", service = "", signedHeaders = "", signature = ""] = match;
  const credentials = expected.credentials(accessKeyId);
  if (!credentials) {
    return {
      ok: false,
      errorType: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    };
  }
  if (region !== expected.region || service !== expected.service) {
    return {
      ok: false,
      errorType: "InvalidSignatureException",
      message: `Credential should be scoped to a valid region and service: expected ${expected.region}/${expected.service}, got ${region}/${service}.`,
    };
  }
  if (credentials.sessionToken && header(request.headers, "x-amz-security-token") !== credentials.sessionToken) {
    return {
      ok: false,
      errorType: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    };
  }
  const amzDate = header(request.headers, "x-amz-date") ?? "";
  if (!amzDate.startsWith(date)) {
    return { ok: false, errorType: "InvalidSignatureException", message: "Date in Credential scope does not match." };
  }
  const bodyHash = sha256Hex(request.body);
  const claimedHash = header(request.headers, "x-amz-content-sha256") ?? bodyHash;
  if (claimedHash !== bodyHash) {
    return {
      ok: false,
      errorType: "InvalidSignatureException",
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    };
  }
  const url = new URL(request.rawUrl, "http://fake");
  // Non-S3 services sign each path segment encoded once more.
  const canonicalPath = url.pathname
    .split("/")
    .map((segment) => uriEncode(segment))
    .join("/");
  const names = signedHeaders.split(";");
  const canonicalHeaders = names
    .map((name) => {
      const value =
        name === "host"
          ? (header(request.headers, "host") ?? header(request.headers, ":authority"))
          : header(request.headers, name);
      return `${name}:${(value ?? "").trim().replace(/\s+/g, " ")}\n`;
    })
    .join("");
  const canonicalRequest = [
    request.method,
    canonicalPath,
    canonicalQuery(url.search),
    canonicalHeaders,
    signedHeaders,
    claimedHash,
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), service),
    "aws4_request",
  );
  const expectedSignature = createHmac("sha256", signingKey).update(stringToSign).digest("hex");
  if (expectedSignature !== signature) {
    return {
      ok: false,
      errorType: "InvalidSignatureException",
      message:
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    };
  }
  return { ok: true, accessKeyId, region, service };
}
