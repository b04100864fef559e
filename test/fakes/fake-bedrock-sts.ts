/**
 * A fake AWS STS for the role the server may assume (`AWS_ROLE_ARN`): the
 * query-protocol `AssumeRole` over HTTP/1.1, SigV4-checked against the base
 * credentials, answering XML with temporary credentials that it registers
 * with the fake Bedrock, so Bedrock calls must then be signed with them.
 */
import type { FakeBedrock } from "./fake-bedrock.js";
import { type AwsTestCredentials, verifySigV4 } from "./fake-bedrock-sigv4.js";
import { type FakeExchange, FakeServer, type RequestLifecycle } from "./fake-server.js";

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

export interface StsRequest extends RequestLifecycle {
  /** The query-protocol form the client posted. */
  form: URLSearchParams;
}

export class FakeSts extends FakeServer<StsRequest> {
  readonly calls: AssumeRoleCall[] = [];
  readonly #region: string;
  readonly #base: AwsTestCredentials;
  readonly #bedrock: FakeBedrock;

  constructor(region: string, base: AwsTestCredentials, bedrock: FakeBedrock) {
    super();
    this.#region = region;
    this.#base = base;
    this.#bedrock = bedrock;
  }

  protected async handle(exchange: FakeExchange): Promise<void> {
    const { body } = exchange;
    const form = new URLSearchParams(body.toString("utf8"));
    this.record(exchange, { form });
    const verdict = verifySigV4(
      { method: exchange.method, rawUrl: exchange.rawUrl, headers: exchange.headers, body },
      {
        region: this.#region,
        service: "sts",
        credentials: (id) => (id === this.#base.accessKeyId ? this.#base : undefined),
      },
    );
    if (!verdict.ok) {
      exchange.head(403, { "content-type": "text/xml" });
      exchange.end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>${verdict.errorType}</Code><Message>${verdict.message}</Message></Error></ErrorResponse>`,
      );
      return;
    }
    if (form.get("Action") !== "AssumeRole") {
      exchange.head(400, { "content-type": "text/xml" });
      exchange.end("<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>");
      return;
    }
    this.calls.push({
      roleArn: form.get("RoleArn"),
      roleSessionName: form.get("RoleSessionName"),
      externalId: form.get("ExternalId"),
    });
    const temporary = FAKE_TEMPORARY_CREDENTIALS;
    this.#bedrock.credentials.set(temporary.accessKeyId, temporary);
    exchange.head(200, { "content-type": "text/xml" });
    exchange.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
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
