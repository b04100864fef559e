import type { JsonObject } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BEDROCK_ANTHROPIC_BETAS,
  bedrockBetas,
} from "../../../../src/providers/bedrock/claude/bedrock-anthropic-betas.js";
import {
  FIELDS_LEFT_OUT,
  toBedrockMessagesBody,
} from "../../../../src/providers/bedrock/claude/to-bedrock-messages-body.js";
import { wireBody } from "../../../helpers/wire-fixtures.js";

describe("bedrockBetas", () => {
  it("keeps the flags Bedrock takes, in the caller's order, once each", () => {
    expect(
      bedrockBetas([
        "claude-code-20250219",
        "interleaved-thinking-2025-05-14",
        " context-1m-2025-08-07 ",
        "interleaved-thinking-2025-05-14",
      ]),
    ).toEqual(["interleaved-thinking-2025-05-14", "context-1m-2025-08-07"]);
  });

  it("turns Anthropic's advanced tool use into Bedrock's tool search and tool examples", () => {
    expect(bedrockBetas(["advanced-tool-use-2025-11-20", "tool-examples-2025-10-29"])).toEqual([
      "tool-search-tool-2025-10-19",
      "tool-examples-2025-10-29",
    ]);
  });

  it("leaves out every flag Bedrock refuses, and names that are no flag at all", () => {
    const refused = [
      "claude-code-20250219",
      "files-api-2025-04-14",
      "prompt-caching-scope-2026-01-05",
      "web-search-2025-03-05",
      "fast-mode-2026-02-01",
      "constructor",
      "__proto__",
      "",
    ];
    expect(bedrockBetas(refused)).toEqual([]);
  });

  it("gives only flags of the table's right-hand side, whatever comes in", () => {
    const taken = new Set(Object.values(BEDROCK_ANTHROPIC_BETAS).flat());
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.constantFrom(...Object.keys(BEDROCK_ANTHROPIC_BETAS)))),
        (flags) => {
          const out = bedrockBetas(flags);
          expect(new Set(out).size).toBe(out.length);
          for (const flag of out) expect(taken.has(flag)).toBe(true);
        },
      ),
    );
  });
});

describe("toBedrockMessagesBody", () => {
  // The recorded InvokeModel body, as an Anthropic client would have sent it to /v1/messages.
  const bedrockBody = wireBody<JsonObject>("bedrock/claude_invoke_request.json");
  const { anthropic_version: _version, ...anthropicBody } = bedrockBody;

  it("gives back the recorded Bedrock body for the same request sent to Anthropic's API", () => {
    const sent = { model: "claude-3-5-sonnet-20240620", stream: false, ...anthropicBody };
    expect(toBedrockMessagesBody(sent, [])).toEqual(bedrockBody);
  });

  it("leaves out the fields Bedrock refuses and keeps only user_id of metadata", () => {
    const body = toBedrockMessagesBody(
      {
        ...anthropicBody,
        anthropic_version: "2023-06-01",
        service_tier: "auto",
        container: "container_1",
        inference_geo: "us",
        speed: "fast",
        metadata: { user_id: "user-1", team: "a" },
      },
      [],
    );
    expect(body).toEqual({ ...bedrockBody, metadata: { user_id: "user-1" } });
  });

  it("drops a metadata without user_id", () => {
    expect(toBedrockMessagesBody({ ...anthropicBody, metadata: {} }, [])).toEqual(bedrockBody);
  });

  it("joins the header's flags and the body's own anthropic_beta, filtered", () => {
    const body = toBedrockMessagesBody(
      { ...anthropicBody, anthropic_beta: ["context-1m-2025-08-07", "claude-code-20250219"] },
      ["interleaved-thinking-2025-05-14", "context-1m-2025-08-07"],
    );
    expect(body.anthropic_beta).toEqual(["interleaved-thinking-2025-05-14", "context-1m-2025-08-07"]);
  });

  it("passes every other field as the caller wrote it", () => {
    const reserved = new Set([...Object.keys(FIELDS_LEFT_OUT), "anthropic_version", "anthropic_beta", "metadata"]);
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string().filter((key) => !reserved.has(key)),
          fc.jsonValue(),
        ),
        (fields) => {
          const body = toBedrockMessagesBody(fields as JsonObject, []);
          expect(body.anthropic_version).toBe("bedrock-2023-05-31");
          for (const [key, value] of Object.entries(fields)) expect(body[key]).toEqual(value);
          expect(Object.keys(body).length).toBe(Object.keys(fields).length + 1);
        },
      ),
    );
  });
});
