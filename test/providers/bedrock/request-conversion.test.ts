import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { validateChatRequest } from "../../../src/core/validate-request.js";
import { toBedrockConversation } from "../../../src/providers/bedrock/bedrock-conversation.js";
import { toClaudeRequest } from "../../../src/providers/bedrock/claude/to-claude-request.js";
import { toConverseRequest } from "../../../src/providers/bedrock/converse/to-converse-request.js";
import { refuseUnsupported, UNSUPPORTED_ON_BEDROCK } from "../../../src/providers/bedrock/refuse-unsupported.js";
import { refuseTitanUnsupported } from "../../../src/providers/bedrock/titan/titan-limits.js";
import { toTitanRequest } from "../../../src/providers/bedrock/titan/to-titan-request.js";
import { request as requests } from "../../arbitraries/canonical-requests.js";
import { anImage } from "../../arbitraries/images.js";

/** Each family's synchronous path from a canonical request to its body. */
const FAMILIES: Record<string, (request: ChatCompletionRequest) => unknown> = {
  claude: (request) => {
    refuseUnsupported(request, "Claude", UNSUPPORTED_ON_BEDROCK);
    return toClaudeRequest(request, toBedrockConversation(request.messages, anImage));
  },
  converse: (request) => {
    refuseUnsupported(request, "Converse", UNSUPPORTED_ON_BEDROCK);
    return toConverseRequest(request, toBedrockConversation(request.messages, anImage));
  },
  titan: (request) => {
    refuseTitanUnsupported(request);
    return toTitanRequest(request, toBedrockConversation(request.messages, anImage));
  },
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
