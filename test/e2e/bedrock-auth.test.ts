import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";
import { ROLE_SESSION_NAME } from "../../src/providers/bedrock/aws/aws-credentials.js";
import { FAKE_AWS_CREDENTIALS, FAKE_AWS_REGION, FAKE_BEDROCK_API_KEY } from "../fakes/fake-bedrock.js";
import { BEDROCK_HTTP_CLIENTS, startBedrockStack } from "../fakes/fake-bedrock-stack.js";
import { FAKE_TEMPORARY_CREDENTIALS, FakeSts } from "../fakes/fake-bedrock-sts.js";

const ask = { model: "amazon.nova-lite-v1:0", messages: [{ role: "user" as const, content: "who am I?" }] };

// A shared credentials file with a default profile and a named one; only the named one may sign.
const PROFILE = "bedrock-test";
const PROFILE_CREDENTIALS = {
  accessKeyId: "AKIAFAKEPROFILE00001",
  secretAccessKey: "fakeProfileSecret/For+Tests/0123456789abcd",
};
const DEFAULT_PROFILE_KEY_ID = "AKIAFAKEDEFAULT00001";
const CREDENTIALS_FILE = `[default]
aws_access_key_id = ${DEFAULT_PROFILE_KEY_ID}
aws_secret_access_key = fakeDefaultSecret/For+Tests/0123456789abcd

[${PROFILE}]
aws_access_key_id = ${PROFILE_CREDENTIALS.accessKeyId}
aws_secret_access_key = ${PROFILE_CREDENTIALS.secretAccessKey}
`;
const CONFIG_FILE = `[default]
region = eu-west-1

[profile ${PROFILE}]
region = ${FAKE_AWS_REGION}
`;

/**
 * Runs a test with none of the machine's AWS settings in process.env (where
 * the AWS SDK's credential chain reads them), only the shared files given;
 * puts the machine's back afterwards.
 */
function useIsolatedAwsEnvironment(files: () => Record<string, string>): void {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const name of Object.keys(process.env).filter((name) => name.startsWith("AWS_"))) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
    // Nothing below may fall through to an instance's metadata service.
    process.env.AWS_EC2_METADATA_DISABLED = "true";
    Object.assign(process.env, files());
  });
  afterEach(() => {
    for (const name of Object.keys(process.env).filter((name) => name.startsWith("AWS_"))) delete process.env[name];
    Object.assign(process.env, saved);
  });
}

// The same behaviour whichever exchange reaches Bedrock Runtime.
describe.each(BEDROCK_HTTP_CLIENTS)("Credentials (Bedrock through %s)", (httpClient) => {
  describe("the credentials Bedrock calls are made with", () => {
    it("a Bedrock API key is sent as a bearer token instead of a signature", async () => {
      const stack = await startBedrockStack({
        bedrock: { httpClient, credentials: undefined, bearerToken: FAKE_BEDROCK_API_KEY },
      });
      try {
        const answer = await stack.openai.chat.completions.create(ask);
        expect(answer.choices[0]?.message.content).toBe("You said: who am I?");
        expect(stack.bedrock.last().auth).toBe("bearer");
        expect(stack.bedrock.last().headers.authorization).toBe(`Bearer ${FAKE_BEDROCK_API_KEY}`);
        expect(stack.gateway.logText()).not.toContain(FAKE_BEDROCK_API_KEY);
      } finally {
        await stack.close();
      }
    });

    describe("with AWS_PROFILE and no keys: the standard AWS chain", () => {
      let dir: string;
      const files = () => {
        dir = mkdtempSync(join(tmpdir(), "open-bedrock-aws-profile-"));
        writeFileSync(join(dir, "credentials"), CREDENTIALS_FILE, { mode: 0o600 });
        writeFileSync(join(dir, "config"), CONFIG_FILE);
        return { AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"), AWS_CONFIG_FILE: join(dir, "config") };
      };
      useIsolatedAwsEnvironment(files);
      afterEach(() => rmSync(dir, { recursive: true, force: true }));

      it("signs with the named profile's keys from the shared credentials file", async () => {
        // AWS_PROFILE reaches the server as its setting (here from its own
        // environment), not through process.env: the SDK sees the profile
        // only if the server passes it on, and would sign with [default] otherwise.
        const loaded = loadConfig({
          env: { HOME: dir, AWS_PROFILE: PROFILE, AWS_REGION: FAKE_AWS_REGION, BEDROCK_HTTP_CLIENT: httpClient },
          envFile: join(dir, "no.env"),
          configFile: join(dir, "no-config.json"),
        }).bedrock;
        expect(loaded).toMatchObject({ profile: PROFILE, credentialSource: `AWS profile ${PROFILE}` });
        expect(loaded).not.toHaveProperty("credentials");
        const stack = await startBedrockStack({ bedrock: { ...loaded, credentials: undefined } });
        stack.bedrock.credentials.set(PROFILE_CREDENTIALS.accessKeyId, PROFILE_CREDENTIALS);
        try {
          const answer = await stack.openai.chat.completions.create(ask);
          expect(answer.choices[0]?.message.content).toBe("You said: who am I?");
          await stack.grpc.create(ask);
          expect(stack.bedrock.requests).toHaveLength(2);
          for (const request of stack.bedrock.requests) {
            expect(request.auth).toBe("sigv4");
            expect(request.headers.authorization).toContain(`Credential=${PROFILE_CREDENTIALS.accessKeyId}/20`);
            expect(request.headers.authorization).toContain(`/${FAKE_AWS_REGION}/bedrock/aws4_request`);
            expect(request.headers["x-amz-security-token"]).toBeUndefined();
          }
          expect(stack.gateway.logText()).not.toContain(PROFILE_CREDENTIALS.secretAccessKey);
        } finally {
          await stack.close();
        }
      });
    });

    describe("with AWS_ROLE_ARN", () => {
      const previous = process.env.AWS_ENDPOINT_URL_STS;
      let sts: FakeSts | undefined;

      afterAll(async () => {
        if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_STS;
        else process.env.AWS_ENDPOINT_URL_STS = previous;
        await sts?.close();
      });

      it("assumes the role with the external id and signs with the temporary credentials", async () => {
        const roleArn = "arn:aws:iam::123456789012:role/bedrock-caller";
        const stack = await startBedrockStack({ bedrock: { httpClient, roleArn, externalId: "tenant-42" } });
        sts = new FakeSts(FAKE_AWS_REGION, FAKE_AWS_CREDENTIALS, stack.bedrock);
        // The STS client the role provider builds honours the SDKs' own endpoint variable.
        process.env.AWS_ENDPOINT_URL_STS = await sts.start();
        try {
          await stack.openai.chat.completions.create(ask);
          await stack.grpc.create(ask);
          // Assumed once, then the credentials are cached and reused.
          expect(sts.calls).toEqual([{ roleArn, roleSessionName: ROLE_SESSION_NAME, externalId: "tenant-42" }]);
          for (const request of stack.bedrock.requests) {
            expect(request.headers.authorization).toContain(`Credential=${FAKE_TEMPORARY_CREDENTIALS.accessKeyId}/`);
            expect(request.headers["x-amz-security-token"]).toBe(FAKE_TEMPORARY_CREDENTIALS.sessionToken);
          }
          expect(stack.bedrock.requests).toHaveLength(2);
        } finally {
          await stack.close();
        }
      });
    });
  });
});
