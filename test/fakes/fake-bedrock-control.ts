/**
 * A fake Bedrock control plane (the API `@aws-sdk/client-bedrock` calls,
 * over HTTP/1.1 as that client speaks it): `GET /foundation-models` and
 * `GET /inference-profiles` (paged by `nextToken`), SigV4-checked, with
 * errors in Bedrock's shape. It can be told to fail.
 */
import { fakeFoundationModels, fakeInferenceProfiles } from "./fake-bedrock-catalog.js";
import { authenticate, BedrockError, sendError, sendJson } from "./fake-bedrock-rest.js";
import type { AwsTestCredentials } from "./fake-bedrock-sigv4.js";
import { type FakeExchange, FakeServer, type RequestLifecycle } from "./fake-server.js";

export interface ControlFailure {
  status: number;
  errorType: string;
  message: string;
}

const PAGE_SIZE = 2;

export interface ControlRequest extends RequestLifecycle {
  path: string;
  query: Record<string, string>;
}

export class FakeBedrockControl extends FakeServer<ControlRequest> {
  /** Set to make every listing of this kind fail. */
  failFoundationModels: ControlFailure | undefined;
  failInferenceProfiles: ControlFailure | undefined;
  readonly #region: string;
  readonly #credentials: AwsTestCredentials;

  constructor(region: string, credentials: AwsTestCredentials) {
    super();
    this.#region = region;
    this.#credentials = credentials;
  }

  protected async handle(exchange: FakeExchange): Promise<void> {
    const { url } = exchange;
    const query = Object.fromEntries(url.searchParams);
    this.record(exchange, { path: url.pathname, query });
    try {
      authenticate(exchange, {
        region: this.#region,
        service: "bedrock",
        credentials: (id) => (id === this.#credentials.accessKeyId ? this.#credentials : undefined),
      });
      sendJson(exchange, this.#list(exchange.method, url.pathname, query), this.#requestId());
    } catch (error) {
      if (!(error instanceof BedrockError)) throw error;
      sendError(exchange, error, this.#requestId());
    }
  }

  #list(method: string, path: string, query: Record<string, string>): unknown {
    if (method === "GET" && path === "/foundation-models") {
      failWith(this.failFoundationModels);
      const modality = query.byOutputModality;
      const models = fakeFoundationModels(this.#region).filter(
        (model) => !modality || model.outputModalities.includes(modality),
      );
      return { modelSummaries: models };
    }
    if (method === "GET" && path === "/inference-profiles") {
      failWith(this.failInferenceProfiles);
      const all = fakeInferenceProfiles(this.#region);
      const start = Number(query.nextToken ?? "0");
      const page = all.slice(start, start + PAGE_SIZE);
      const next = start + PAGE_SIZE < all.length ? String(start + PAGE_SIZE) : undefined;
      return { inferenceProfileSummaries: page, ...(next ? { nextToken: next } : {}) };
    }
    throw new BedrockError(404, "UnknownOperationException", `No operation at ${method} ${path}.`);
  }

  #requestId(): string {
    return `c0ffee00-0000-4000-8000-${String(this.requests.length).padStart(12, "0")}`;
  }
}

function failWith(failure: ControlFailure | undefined): void {
  if (failure) throw new BedrockError(failure.status, failure.errorType, failure.message);
}
