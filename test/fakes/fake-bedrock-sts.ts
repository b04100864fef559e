/**
 * A fake AWS STS for the role the server may assume (`AWS_ROLE_ARN`): the
 * query-protocol `AssumeRole` over HTTP/1.1, SigV4-checked against the base
 * credentials, answering XML with temporary credentials that it registers
 * with the fake Bedrock, so Bedrock calls must then be signed with them.
 */
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { FakeBedrock } from "./fake-bedrock.js";
import { type AwsTestCredentials, verifySigV4 } from "./fake-bedrock-sigv4.js";

export interface AssumeRoleCall {
  roleArn: string | null;
  roleSessionName: string | null;
  externalId: string | null;
}

export const FAKE_TEMPORARY_CREDENTIALS: Required<AwsTestCredentials> = {
  accessKeyId: "ASIAFAKEASSUMEDROLE01",
  secretAccessKey: "fakeTemporarySecret/0123456789abcdefghijklm",
  sessionToken: "FwoGZXIvYXdzEFAKESESSIONTOKEN0123456789",
};

export class FakeSts {
  readonly calls: AssumeRoleCall[] = [];
  readonly #region: string;
  readonly #base: AwsTestCredentials;
  readonly #bedrock: FakeBedrock;
  readonly #server = http.createServer((req, res) => {
    this.#handle(req, res).catch((error: unknown) => res.destroy(error as Error));
  });

  constructor(region: string, base: AwsTestCredentials, bedrock: FakeBedrock) {
    this.#region = region;
    this.#base = base;
    this.#bedrock = bedrock;
  }

  async start(): Promise<string> {
    this.#server.listen(0, "127.0.0.1");
    await once(this.#server, "listening");
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
    const body = Buffer.concat(chunks);
    const verdict = verifySigV4(
      { method: req.method ?? "", rawUrl: req.url ?? "/", headers: req.headers, body },
      {
        region: this.#region,
        service: "sts",
        credentials: (id) => (id === this.#base.accessKeyId ? this.#base : undefined),
      },
    );
    if (!verdict.ok) {
      res.writeHead(403, { "content-type": "text/xml" });
      res.end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>${verdict.errorType}</Code><Message>${verdict.message}</Message></Error></ErrorResponse>`,
      );
      return;
    }
    const form = new URLSearchParams(body.toString("utf8"));
    if (form.get("Action") !== "AssumeRole") {
      res.writeHead(400, { "content-type": "text/xml" });
      res.end("<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>");
      return;
    }
    this.calls.push({
      roleArn: form.get("RoleArn"),
      roleSessionName: form.get("RoleSessionName"),
      externalId: form.get("ExternalId"),
    });
    const temporary = FAKE_TEMPORARY_CREDENTIALS;
    this.#bedrock.credentials.set(temporary.accessKeyId, temporary);
    res.writeHead(200, { "content-type": "text/xml" });
    res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>${temporary.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${temporary.secretAccessKey}</SecretAccessKey>
      <SessionToken>${temporary.sessionToken}</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/bedrock-caller/${form.get("RoleSessionName")}</Arn>
      <AssumedRoleId>AROAFAKEROLEID0000001:${form.get("RoleSessionName")}</AssumedRoleId>
    </AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>5c0ffee0-0000-4000-8000-000000000001</RequestId></ResponseMetadata>
</AssumeRoleResponse>`);
  }
}
