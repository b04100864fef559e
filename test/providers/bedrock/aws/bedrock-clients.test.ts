import { afterEach, describe, expect, it } from "vitest";
import { BedrockClients } from "../../../../src/providers/bedrock/aws/bedrock-clients.js";
import { FAKE_AWS_REGION, fakeBedrockConfig } from "../../../fakes/fake-bedrock.js";

const RUNTIME_URL = "http://127.0.0.1:4010";

describe("BedrockClients", () => {
  let clients: BedrockClients;
  afterEach(() => clients.destroy());

  it("builds one runtime and one control-plane client per region and hands the same ones out again", async () => {
    clients = new BedrockClients(fakeBedrockConfig(RUNTIME_URL));
    const runtime = await clients.runtime();
    const control = await clients.control();
    expect(await clients.runtime()).toBe(runtime);
    expect(await clients.runtime(FAKE_AWS_REGION)).toBe(runtime);
    expect(await clients.control()).toBe(control);
    expect(await clients.control(FAKE_AWS_REGION)).toBe(control);
    expect(await runtime.config.region()).toBe(FAKE_AWS_REGION);
    const elsewhere = await clients.runtime("eu-central-1");
    expect(elsewhere).not.toBe(runtime);
    expect(await elsewhere.config.region()).toBe("eu-central-1");
    expect(await clients.runtime("eu-central-1")).toBe(elsewhere);
    expect(await clients.control("eu-central-1")).not.toBe(control);
    expect(await clients.control("eu-central-1")).toBe(await clients.control("eu-central-1"));
  });

  it("asks the endpoint rules once per region", async () => {
    clients = new BedrockClients(fakeBedrockConfig(RUNTIME_URL));
    const url = clients.runtimeUrl();
    expect(clients.runtimeUrl()).toBe(url);
    expect((await url).href).toBe(`${RUNTIME_URL}/`);
  });

  it("builds new clients after destroy, for a configuration used again", async () => {
    clients = new BedrockClients(fakeBedrockConfig(RUNTIME_URL));
    const runtime = await clients.runtime();
    const control = await clients.control();
    clients.destroy();
    expect(await clients.runtime()).not.toBe(runtime);
    expect(await clients.control()).not.toBe(control);
  });
});
