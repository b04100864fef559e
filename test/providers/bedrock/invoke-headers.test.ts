import { describe, expect, it } from "vitest";
import { invokeHeaders } from "../../../src/providers/bedrock/bedrock-exchange.js";

describe("invokeHeaders", () => {
  it("writes InvokeModel's guardrail, trace, latency and service tier headers as the SDK's serializer does", () => {
    expect(
      invokeHeaders({
        guardrail: { identifier: "gr1", version: "DRAFT", trace: "enabled_full" },
        latency: "optimized",
        serviceTier: "flex",
      }),
    ).toEqual({
      "x-amzn-bedrock-guardrailidentifier": "gr1",
      "x-amzn-bedrock-guardrailversion": "DRAFT",
      "x-amzn-bedrock-trace": "ENABLED_FULL",
      "x-amzn-bedrock-performanceconfig-latency": "optimized",
      "x-amzn-bedrock-service-tier": "flex",
    });
    expect(invokeHeaders()).toEqual({});
  });
});
