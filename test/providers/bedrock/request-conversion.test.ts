import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { validateChatRequest } from "../../../src/core/validate-request.js";
import { DEFAULT_BEDROCK_SETTINGS } from "../../../src/providers/bedrock/bedrock-controls.js";
import { readBedrockRequest } from "../../../src/providers/bedrock/bedrock-request.js";
import { toClaudeRequest } from "../../../src/providers/bedrock/claude/to-claude-request.js";
import { toConverseRequest } from "../../../src/providers/bedrock/converse/to-converse-request.js";
import { CLAUDE_FAMILY, CONVERSE_FAMILY } from "../../../src/providers/bedrock/family-name.js";
import { titanFamily } from "../../../src/providers/bedrock/titan/titan-strategy.js";
import { request as requests } from "../../arbitraries/canonical-requests.js";
import { anImage } from "../../arbitraries/images.js";

/** Each family's synchronous path from a canonical request to its body, images answered at once. */
const FAMILIES: Record<string, (request: ChatCompletionRequest) => unknown> = {
  claude: (request) =>
    toClaudeRequest(
      readBedrockRequest(
        request,
        "anthropic.claude-sonnet-4-20250514-v1:0",
        CLAUDE_FAMILY,
        DEFAULT_BEDROCK_SETTINGS,
      )(anImage),
    ),
  converse: (request) =>
    toConverseRequest(
      readBedrockRequest(request, "amazon.nova-lite-v1:0", CONVERSE_FAMILY, DEFAULT_BEDROCK_SETTINGS)(anImage),
    ),
  titan: (request) =>
    titanFamily(DEFAULT_BEDROCK_SETTINGS).prepare(request, { modelId: "amazon.titan-text-express-v1" }).body,
};

function passesValidation(request: ChatCompletionRequest): boolean {
  try {
    validateChatRequest(request);
    return true;
  } catch {
    return false;
  }
}

describe.each(Object.entries(FAMILIES))("%s request conversion", (_family, convert) => {
  it("converts any valid canonical request, or refuses it with InvalidRequestError naming a param", () => {
    fc.assert(
      fc.property(requests, (request) => {
        fc.pre(passesValidation(request));
        let body: unknown;
        try {
          body = convert(request);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidRequestError);
          expect((error as InvalidRequestError).param).toBeTruthy();
          return;
        }
        // A body is plain JSON that survives the wire unchanged.
        expect(JSON.parse(JSON.stringify(body))).toEqual(body);
      }),
      { numRuns: 400 },
    );
  });
});
