/**
 * Reading a canonical request for Bedrock: the controls, the prompt-cache
 * rules, the reasoning and the way JSON is made, for each family and model,
 * before any body is written.
 */
import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { type BedrockSettings, DEFAULT_BEDROCK_SETTINGS } from "../../../src/providers/bedrock/bedrock-controls.js";
import { readBedrockRequest } from "../../../src/providers/bedrock/bedrock-request.js";
import {
  CLAUDE_FAMILY,
  CONVERSE_FAMILY,
  type FamilyName,
  TITAN_FAMILY,
} from "../../../src/providers/bedrock/family-name.js";
import { anImage } from "../../arbitraries/images.js";
import { canonicalRequest } from "./wire-fixtures.js";

const SONNET_4 = "us.anthropic.claude-sonnet-4-20250514-v1:0";
const SONNET_4_5 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const CLAUDE_3_5 = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const NOVA = "amazon.nova-lite-v1:0";

function read(
  body: Record<string, unknown>,
  modelId: string,
  family: FamilyName = modelId.includes("anthropic") ? CLAUDE_FAMILY : CONVERSE_FAMILY,
  settings: BedrockSettings = DEFAULT_BEDROCK_SETTINGS,
) {
  const request = canonicalRequest({ messages: [{ role: "user", content: "hi" }], ...body });
  return readBedrockRequest(request, modelId, family, settings)(anImage);
}

function refusal(...args: Parameters<typeof read>): InvalidRequestError {
  try {
    read(...args);
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error("the request was accepted");
}

describe("controls", () => {
  it("reads the service tier, the latency, a request's guardrail over the server's, and the end user", () => {
    const settings = { autoCache: false, guardrail: { identifier: "g1", version: "2", trace: "enabled" as const } };
    const { controls } = read(
      {
        service_tier: "flex",
        performance_config: { latency: "optimized" },
        guardrail_config: { trace: "disabled" },
        user: "u-1",
        metadata: { team: "a" },
      },
      NOVA,
      CONVERSE_FAMILY,
      settings,
    );
    expect(controls).toEqual({
      serviceTier: "flex",
      latency: "optimized",
      guardrail: { identifier: "g1", version: "2", trace: "disabled" },
      requestMetadata: { user: "u-1", team: "a" },
    });
    expect(read({ user: "u-1" }, CLAUDE_3_5).controls.userId).toBe("u-1");
    expect(read({ safety_identifier: "s" }, CLAUDE_3_5).controls.userId).toBe("s");
    // Claude has one place for an end-user id.
    expect(refusal({ user: "u-1", safety_identifier: "s" }, CLAUDE_3_5).param).toBe("safety_identifier");
    expect(read({ service_tier: "auto" }, NOVA).controls.serviceTier).toBeUndefined();
  });

  it("needs a version for another guardrail than the server's", () => {
    const settings = { autoCache: false, guardrail: { identifier: "g1", version: "2", trace: "enabled" as const } };
    expect(refusal({ guardrail_config: { guardrail_identifier: "g2" } }, NOVA, CONVERSE_FAMILY, settings).param).toBe(
      "guardrail_config.guardrail_version",
    );
    expect(refusal({ guardrail_config: { trace: "sometimes" } }, NOVA, CONVERSE_FAMILY, settings).param).toBe(
      "guardrail_config.trace",
    );
  });

  it("passes Claude's own fields to Claude only", () => {
    const { controls, reasoning } = read({ thinking: { type: "disabled" }, anthropic_beta: ["b1"] }, CLAUDE_3_5);
    expect(controls).toMatchObject({ thinking: { type: "disabled" }, anthropicBeta: ["b1"] });
    // Thinking turned off is what a model that does not think does: nothing is sent.
    expect(reasoning).toBeUndefined();
    expect(read({ thinking: { type: "disabled" } }, SONNET_4).reasoning).toMatchObject({
      thinking: { type: "disabled" },
    });
    expect(refusal({ anthropic_beta: ["b1"] }, NOVA).param).toBe("anthropic_beta");
    expect(refusal({ anthropic_beta: "b1" }, CLAUDE_3_5)).toMatchObject({
      param: "anthropic_beta",
      code: "invalid_type",
    });
  });
});

describe("prompt-cache rules", () => {
  const marked = (ttl?: string) => ({
    type: "text",
    text: "x",
    cache_control: { type: "ephemeral", ...(ttl ? { ttl } : {}) },
  });

  it("counts tools, then system, then messages, whatever the order of the messages", () => {
    const error = refusal(
      {
        messages: [
          { role: "user", content: [marked(), marked()] },
          { role: "system", content: [marked(), marked()] },
        ],
        tools: [{ type: "function", function: { name: "f" }, cache_control: { type: "ephemeral" } }],
      },
      SONNET_4,
    );
    expect(error.param).toBe("messages.[0].content.[1].cache_control");
  });

  it("takes TTLs that never increase, the hour only where the model has it", () => {
    const ok = read(
      {
        messages: [
          { role: "system", content: [marked("1h")] },
          { role: "user", content: [marked("1h"), marked("5m"), marked()] },
        ],
      },
      SONNET_4_5,
    );
    expect(ok.conversation.system[0]?.cache).toEqual({ ttl: "1h" });
    expect(ok.conversation.turns[0]?.blocks.map((block) => block.cache)).toEqual([
      { ttl: "1h" },
      { ttl: "5m" },
      { ttl: undefined },
    ]);
    expect(refusal({ messages: [{ role: "user", content: [marked(), marked("1h")] }] }, SONNET_4_5).param).toBe(
      "messages.[0].content.[1].cache_control.ttl",
    );
  });

  it("refuses cache marks on Titan, and places none for a model that does not cache even when set to", () => {
    expect(
      refusal({ messages: [{ role: "user", content: [marked()] }] }, "amazon.titan-text-express-v1", TITAN_FAMILY)
        .param,
    ).toBe("messages.[0].content.[0].cache_control");
    const auto = { autoCache: true };
    const claude35 = read(
      {
        messages: [
          { role: "system", content: "rules" },
          { role: "user", content: "hi" },
        ],
      },
      CLAUDE_3_5,
      CLAUDE_FAMILY,
      auto,
    );
    expect(claude35.conversation.system[0]?.cache).toBeUndefined();
    const sonnet = read(
      {
        messages: [
          { role: "system", content: "rules" },
          { role: "user", content: "hi" },
        ],
      },
      SONNET_4,
      CLAUDE_FAMILY,
      auto,
    );
    expect(sonnet.conversation.system[0]?.cache).toEqual({ ttl: undefined });
  });
});

describe("reasoning", () => {
  it.each([
    ["minimal", 1024],
    ["low", 2048],
    ["medium", 8192],
    ["high", 16384],
  ])("gives Claude a budget of %s tokens for %s, above which max_tokens must be", (effort, budget) => {
    const { reasoning } = read({ reasoning_effort: effort }, SONNET_4);
    expect(reasoning).toEqual({
      kind: "claude-thinking",
      thinking: { type: "enabled", budget_tokens: budget },
      maxTokens: budget + 4096,
      enabled: true,
    });
    expect(refusal({ reasoning_effort: effort, max_tokens: budget }, SONNET_4).param).toBe("max_tokens");
    expect(read({ reasoning_effort: effort, max_tokens: budget + 1 }, SONNET_4).reasoning).toMatchObject({
      maxTokens: budget + 1,
    });
  });

  it("asks nothing for none, takes Claude's own thinking as given, and Nova 2's effort", () => {
    expect(read({ reasoning_effort: "none" }, SONNET_4).reasoning).toBeUndefined();
    expect(read({ thinking: { type: "enabled", budget_tokens: 3000 }, max_tokens: 5000 }, SONNET_4).reasoning).toEqual({
      kind: "claude-thinking",
      thinking: { type: "enabled", budget_tokens: 3000 },
      maxTokens: 5000,
      enabled: true,
    });
    expect(read({ reasoning_effort: "high" }, "us.amazon.nova-2-lite-v1:0").reasoning).toEqual({
      kind: "nova-effort",
      effort: "high",
    });
  });
});

describe("JSON output", () => {
  const schema = { type: "object", properties: { a: { type: "string" } } };
  const format = { type: "json_schema", json_schema: { name: "answer", schema } };

  it("uses Bedrock's structured output where the model has it, and for a model the id hides", () => {
    expect(read({ response_format: format }, SONNET_4_5).output).toEqual({
      kind: "native",
      schema,
      name: "answer",
      description: "",
    });
    expect(
      read({ response_format: format }, "arn:aws:bedrock:us-west-2:123456789012:provisioned-model/x").output.kind,
    ).toBe("native");
  });

  it("forces a tool elsewhere, alone or beside the caller's tools", () => {
    const alone = read({ response_format: format }, CLAUDE_3_5);
    expect(alone.output).toMatchObject({ kind: "tool", tool: { name: "answer", schema } });
    expect(alone.tools.mode).toEqual({ kind: "tool", name: "answer" });
    const beside = read({ response_format: format, tools: [{ type: "function", function: { name: "f" } }] }, NOVA);
    expect(beside.tools.tools.map((tool) => tool.name)).toEqual(["f", "answer"]);
    expect(beside.tools.mode).toEqual({ kind: "any" });
    const none = read(
      { response_format: format, tools: [{ type: "function", function: { name: "f" } }], tool_choice: "none" },
      NOVA,
    );
    expect(none.tools.tools.map((tool) => tool.name)).toEqual(["answer"]);
  });
});
