import { afterAll, describe, expect, it } from "vitest";
import { ROLE_SESSION_NAME } from "../../src/providers/bedrock/aws-credentials.js";
import { FAKE_AWS_CREDENTIALS, FAKE_AWS_REGION, FAKE_BEDROCK_API_KEY } from "../fakes/fake-bedrock.js";
import { BEDROCK_HTTP_CLIENTS, startBedrockStack } from "../fakes/fake-bedrock-stack.js";
import { FAKE_TEMPORARY_CREDENTIALS, FakeSts } from "../fakes/fake-bedrock-sts.js";

const ask = { model: "amazon.nova-lite-v1:0", messages: [{ role: "user" as const, content: "who am I?" }] };

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
