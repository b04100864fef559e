import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import type { ProviderCall } from "../../core/provider.js";

/** How one model family (Claude, Titan, Converse) is called: its body, its operations, its answers. */
export interface FamilyStrategy {
  complete(request: ChatCompletionRequest, call: ProviderCall): Promise<ChatCompletionResponse>;
  stream(request: ChatCompletionRequest, call: ProviderCall): AsyncIterable<ChatCompletionChunk>;
}
