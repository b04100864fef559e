import { describe, expect, it } from "vitest";
import {
  bedrockAuthorizer,
  type UnsignedRequest,
} from "../../../../src/providers/bedrock/aws/authorize-bedrock-request.js";
import { FAKE_AWS_CREDENTIALS, FAKE_BEDROCK_API_KEY } from "../../../fakes/fake-bedrock.js";
import { type AwsTestCredentials, verifySigV4 } from "../../../fakes/fake-bedrock-sigv4.js";

const REGION = "eu-central-1";
const body = Buffer.from(JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] }));

function unsigned(): UnsignedRequest {
  const url = new URL("https://bedrock-runtime.eu-central-1.amazonaws.com/model/amazon.nova-lite-v1%3A0/converse");
  return {
    url,
    headers: { host: url.host, "content-type": "application/json", "content-length": String(body.length) },
    body,
  };
}

function verify(headers: Record<string, string>, credentials: AwsTestCredentials) {
  return verifySigV4(
    { method: "POST", rawUrl: "/model/amazon.nova-lite-v1%3A0/converse", headers, body },
    {
      region: REGION,
      service: "bedrock",
      credentials: (id) => (id === credentials.accessKeyId ? credentials : undefined),
    },
  );
}

const amzDate = (headers: Record<string, string>) => {
  const value = headers["x-amz-date"] ?? "";
  return Date.parse(value.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"));
};

describe("bedrockAuthorizer", () => {
  it("signs with SigV4 for bedrock in the region, over the encoded path, the headers and the body's hash", async () => {
    const authorizer = bedrockAuthorizer({ region: REGION, credentials: FAKE_AWS_CREDENTIALS });
    const headers = await authorizer.authorize(unsigned());
    expect(verify(headers, FAKE_AWS_CREDENTIALS)).toMatchObject({ ok: true, region: REGION, service: "bedrock" });
    expect(headers.authorization).toMatch(
      /SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date,/,
    );
    expect(headers["content-type"]).toBe("application/json");
  });

  it("sends the session token of temporary credentials, signed", async () => {
    const temporary = { ...FAKE_AWS_CREDENTIALS, sessionToken: "FwoGZXIvYXdzEFAKETOKEN" };
    const headers = await bedrockAuthorizer({ region: REGION, credentials: async () => temporary }).authorize(
      unsigned(),
    );
    expect(headers["x-amz-security-token"]).toBe(temporary.sessionToken);
    expect(verify(headers, temporary)).toMatchObject({ ok: true });
  });

  it("a signature made for another body or region does not verify", async () => {
    const headers = await bedrockAuthorizer({ region: "us-east-1", credentials: FAKE_AWS_CREDENTIALS }).authorize(
      unsigned(),
    );
    expect(verify(headers, FAKE_AWS_CREDENTIALS)).toMatchObject({ ok: false, errorType: "InvalidSignatureException" });
  });

  it("sends a Bedrock API key as a bearer token, unsigned", async () => {
    const headers = await bedrockAuthorizer({
      region: REGION,
      credentials: FAKE_AWS_CREDENTIALS,
      bearerToken: FAKE_BEDROCK_API_KEY,
    }).authorize(unsigned());
    expect(headers).toEqual({ ...unsigned().headers, authorization: `Bearer ${FAKE_BEDROCK_API_KEY}` });
  });

  it("signs by Bedrock's clock once an answer told it, as the SDK corrects clock skew", async () => {
    const authorizer = bedrockAuthorizer({ region: REGION, credentials: FAKE_AWS_CREDENTIALS });
    const hourAhead = new Date(Date.now() + 3_600_000).toUTCString();
    const before = amzDate(await authorizer.authorize(unsigned()));
    // An answer from a cache, or one that took too long, says nothing about the clock.
    authorizer.observeAnswer(hourAhead, "12", Date.now());
    authorizer.observeAnswer(hourAhead, undefined, Date.now() - 1_000_000);
    authorizer.observeAnswer("not a date", undefined, Date.now());
    expect(amzDate(await authorizer.authorize(unsigned())) - before).toBeLessThan(600_000);
    authorizer.observeAnswer(hourAhead, undefined, Date.now());
    const after = await authorizer.authorize(unsigned());
    expect(amzDate(after) - before).toBeGreaterThan(3_000_000);
    expect(verify(after, FAKE_AWS_CREDENTIALS)).toMatchObject({ ok: true });
  });
});
