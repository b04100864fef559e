/**
 * A fake Bedrock control plane (the API `@aws-sdk/client-bedrock` calls,
 * over HTTP/1.1 as that client speaks it): `GET /foundation-models` and
 * `GET /inference-profiles` (paged by `nextToken`), SigV4-checked, with
 * errors in Bedrock's shape. It can be told to fail.
 */
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fakeFoundationModels, fakeInferenceProfiles } from "./fake-bedrock-catalog.js";
import { type AwsTestCredentials, verifySigV4 } from "./fake-bedrock-sigv4.js";

export interface ControlFailure {
  status: number;
  errorType: string;
  message: string;
}

const PAGE_SIZE = 2;

export class FakeBedrockControl {
  readonly requests: { path: string; query: Record<string, string> }[] = [];
  /** Set to make every listing of this kind fail. */
  failFoundationModels: ControlFailure | undefined;
  failInferenceProfiles: ControlFailure | undefined;
  readonly #region: string;
  readonly #credentials: AwsTestCredentials;
  readonly #server = http.createServer((req, res) => {
    this.#handle(req, res).catch((error: unknown) => res.destroy(error as Error));
  });

  constructor(region: string, credentials: AwsTestCredentials) {
    this.#region = region;
    this.#credentials = credentials;
  }

  async start(): Promise<string> {
    this.#server.listen(0, "127.0.0.1");
    await once(this.#server, "listening");
    return this.url;
  }

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://fake");
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ path: url.pathname, query });
    const verdict = verifySigV4(
      { method: req.method ?? "", rawUrl: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks) },
      {
        region: this.#region,
        service: "bedrock",
        credentials: (id) => (id === this.#credentials.accessKeyId ? this.#credentials : undefined),
      },
    );
    if (!verdict.ok) {
      this.#send(res, 403, { message: verdict.message }, verdict.errorType);
      return;
    }
    if (req.method === "GET" && url.pathname === "/foundation-models") {
      if (this.failFoundationModels) {
        const { status, message, errorType } = this.failFoundationModels;
        this.#send(res, status, { message }, errorType);
        return;
      }
      const modality = query.byOutputModality;
      const models = fakeFoundationModels(this.#region).filter(
        (model) => !modality || model.outputModalities.includes(modality),
      );
      this.#send(res, 200, { modelSummaries: models });
      return;
    }
    if (req.method === "GET" && url.pathname === "/inference-profiles") {
      if (this.failInferenceProfiles) {
        const { status, message, errorType } = this.failInferenceProfiles;
        this.#send(res, status, { message }, errorType);
        return;
      }
      const all = fakeInferenceProfiles(this.#region);
      const start = Number(query.nextToken ?? "0");
      const page = all.slice(start, start + PAGE_SIZE);
      const next = start + PAGE_SIZE < all.length ? String(start + PAGE_SIZE) : undefined;
      this.#send(res, 200, { inferenceProfileSummaries: page, ...(next ? { nextToken: next } : {}) });
      return;
    }
    this.#send(res, 404, { message: `No operation at ${req.method} ${url.pathname}.` }, "UnknownOperationException");
  }

  #send(res: http.ServerResponse, status: number, body: unknown, errorType?: string): void {
    res.writeHead(status, {
      "content-type": "application/json",
      "x-amzn-requestid": `c0ffee00-0000-4000-8000-${String(this.requests.length).padStart(12, "0")}`,
      ...(errorType ? { "x-amzn-errortype": `${errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/` } : {}),
    });
    res.end(JSON.stringify(body));
  }
}
