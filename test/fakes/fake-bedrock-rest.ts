/**
 * How Bedrock speaks REST, shared by the fake runtime and control plane:
 * the runtime's operations by path (model ids URL-encoded), who may call
 * (SigV4 or a Bedrock API key), errors as `x-amzn-errortype` plus
 * `{"message"}`, JSON answers, and answers in the event-stream framing.
 */
import { type AwsTestCredentials, verifySigV4 } from "./fake-bedrock-sigv4.js";
import type { FakeExchange } from "./fake-server.js";

const ERROR_NAMESPACE = "http://internal.amazon.com/coral/com.amazon.bedrock/";

/** The runtime operations on `/model/{modelId}/...`, named by their last path segment. */
export const MODEL_OPERATIONS = [
  "invoke",
  "invoke-with-response-stream",
  "converse",
  "converse-stream",
  "count-tokens",
] as const;
export type Operation = (typeof MODEL_OPERATIONS)[number];

const MODEL_PATH = new RegExp(`^/model/(.+)/(${MODEL_OPERATIONS.join("|")})$`);

/** The operation a request names and its model id (decoded), or undefined for a path Bedrock does not serve. */
export function readModelOperation(
  method: string,
  path: string,
): { operation: Operation; modelId: string } | undefined {
  const match = MODEL_PATH.exec(path);
  if (method !== "POST" || !match) return undefined;
  return { operation: match[2] as Operation, modelId: decodeURIComponent(match[1] ?? "") };
}

export const isStreaming = (operation: Operation) => operation.endsWith("stream");

/** An answer in Bedrock's error shape; thrown anywhere while a request is answered, and sent as it is. */
export class BedrockError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A 400 ValidationException, what Bedrock answers for a body it refuses. */
export function validationError(message: string): BedrockError {
  return new BedrockError(400, "ValidationException", message);
}

/** Bedrock's words for a body that does not match the model's JSON schema. */
export function malformed(detail: string): never {
  throw validationError(`Malformed input request: ${detail}, please reformat your input and try again.`);
}

export function sendJson(exchange: FakeExchange, body: unknown, requestId: string, status = 200): void {
  exchange.json(status, body, { "x-amzn-requestid": requestId });
}

export function sendError(exchange: FakeExchange, error: BedrockError, requestId: string): void {
  exchange.json(
    error.status,
    { message: error.message, ...error.extra },
    { "x-amzn-errortype": `${error.errorType}:${ERROR_NAMESPACE}`, "x-amzn-requestid": requestId },
  );
}

/** What a stream sends and how it ends: whole, left open until the client leaves, or cut with a reset. */
export interface StreamPlan {
  frames: Uint8Array[];
  ending: "end" | "hold" | "cut";
  /** Wait this long before each frame. */
  frameDelayMs?: number;
}

export async function sendEventStream(
  exchange: FakeExchange,
  plan: StreamPlan,
  options: { requestId: string; operation: Operation },
): Promise<void> {
  exchange.head(200, {
    "content-type": "application/vnd.amazon.eventstream",
    "x-amzn-requestid": options.requestId,
    ...(options.operation === "invoke-with-response-stream"
      ? { "x-amzn-bedrock-content-type": "application/json" }
      : {}),
  });
  for (const frame of plan.frames) {
    if (plan.frameDelayMs) await exchange.pause(plan.frameDelayMs);
    if (exchange.destroyed) return;
    await exchange.write(frame);
  }
  if (plan.ending === "hold") await exchange.lifecycle.whenAborted;
  else if (plan.ending === "cut") exchange.cut();
  else exchange.end();
}

export interface CallerCheck {
  region: string;
  service: string;
  /** The AWS credentials accepted, by access key id. */
  credentials: (accessKeyId: string) => AwsTestCredentials | undefined;
  /** A Bedrock API key accepted as `Authorization: Bearer`, when the API takes them. */
  apiKey?: string;
}

/** How the caller proved who it is; throws the 403 Bedrock answers otherwise. */
export function authenticate(exchange: FakeExchange, check: CallerCheck): "sigv4" | "bearer" {
  const authorization = String(exchange.headers.authorization ?? "");
  if (check.apiKey !== undefined && authorization.startsWith("Bearer ")) {
    if (authorization === `Bearer ${check.apiKey}`) return "bearer";
    throw new BedrockError(
      403,
      "UnrecognizedClientException",
      "Invalid API Key format: Must start with pre-defined prefix",
    );
  }
  const verdict = verifySigV4(
    { method: exchange.method, rawUrl: exchange.rawUrl, headers: exchange.headers, body: exchange.body },
    check,
  );
  if (!verdict.ok) throw new BedrockError(403, verdict.errorType, verdict.message);
  return "sigv4";
}
