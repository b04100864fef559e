import { afterEach, describe, expect, it } from "vitest";
import { BedrockClients } from "../../../../src/providers/bedrock/aws/bedrock-clients.js";
import { FAKE_AWS_REGION, fakeBedrockConfig } from "../../../fakes/fake-bedrock.js";

const RUNTIME_URL = "http://127.0.0.1:4010";

describe("BedrockClients", () => {
  let clients: BedrockClients;
  afterEach(() => clients.destroy());

  it("builds one runtime and one control-plane client per region and hands the same ones out again", () => {
    clients = new BedrockClients(fakeBedrockConfig(RUNTIME_URL));
    const runtime = clients.runtime();
    const control = clients.control();
    expect(clients.runtime()).toBe(runtime);
    expect(clients.runtime(FAKE_AWS_REGION)).toBe(runtime);
    expect(clients.control()).toBe(control);
    expect(clients.control(FAKE_AWS_REGION)).toBe(control);
    const elsewhere = clients.runtime("eu-central-1");
    expect(elsewhere).not.toBe(runtime);
    expect(clients.runtime("eu-central-1")).toBe(elsewhere);
    expect(clients.control("eu-central-1")).not.toBe(control);
    expect(clients.control("eu-central-1")).toBe(clients.control("eu-central-1"));
  });

  it("asks the endpoint rules once per region", async () => {
    clients = new BedrockClients(fakeBedrockConfig(RUNTIME_URL));
    const url = clients.runtimeUrl();
    expect(clients.runtimeUrl()).toBe(url);
    expect((await url).href).toBe(`${RUNTIME_URL}/`);
  });

  it("builds new clients after destroy, for a configuration used again", () => {
    clients = new BedrockClients(fakeBedrockConfig(RUNTIME_URL));
    const runtime = clients.runtime();
    const control = clients.control();
    clients.destroy();
    expect(clients.runtime()).not.toBe(runtime);
    expect(clients.control()).not.toBe(control);
  });
});
