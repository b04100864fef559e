import type { ChatCompletionRequest, Message } from "../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../core/errors.js";
import type { ProviderCall } from "../../core/provider.js";
import { type BedrockControls, type BedrockSettings, readBedrockControls } from "./bedrock-controls.js";
import { type BedrockConversation, type ImageAt, toBedrockConversation } from "./bedrock-conversation.js";
import type { InvokeOptions } from "./bedrock-exchange.js";
import { CONVERSE_FAMILY, type FamilyName } from "./family-name.js";
import { type ModelCapabilities, modelCapabilities } from "./model-capabilities.js";
import { checkPromptCache, placeCacheBreakpoints } from "./prompt-cache.js";
import { type Reasoning, readReasoning } from "./reasoning.js";
import { refuseUnsupported, refuseUnsupportedContent, UNSUPPORTED_ON_BEDROCK } from "./refuse-unsupported.js";
import { type OutputPlan, planOutput } from "./structured-output.js";
import { selectTools, type ToolSelection } from "./tool-selection.js";

/** A request read for Bedrock: everything a family needs to write its body, checked against the model. */
export interface BedrockRequest {
  request: ChatCompletionRequest;
  capabilities: ModelCapabilities;
  controls: BedrockControls;
  conversation: BedrockConversation;
  tools: ToolSelection;
  reasoning: Reasoning | undefined;
  output: OutputPlan;
}

/** What InvokeModel takes in headers: the guardrail, the service tier, the latency profile (Converse has them in its body). */
export function invokeOptionsOf({ controls }: BedrockRequest): InvokeOptions {
  return {
    ...(controls.guardrail ? { guardrail: controls.guardrail } : {}),
    ...(controls.serviceTier ? { serviceTier: controls.serviceTier } : {}),
    ...(controls.latency ? { latency: controls.latency } : {}),
  };
}

/** Loads the images of the messages (fetching http(s) URLs), by position. */
export type ImageLoader = (messages: Message[], signal: AbortSignal) => Promise<ImageAt>;

function refused(param: string, family: FamilyName, why: string): InvalidRequestError {
  return new InvalidRequestError(`'${param}' is not supported for ${family}: ${why}.`, {
    param,
    code: "unsupported_parameter",
  });
}

/** Rules of the model: Claude 4.5 and later take temperature or top_p; `top_k` and strict tools only where the model has them. */
function refuseForModel(request: ChatCompletionRequest, capabilities: ModelCapabilities, family: FamilyName): void {
  if (capabilities.temperatureOrTopP && request.temperature !== undefined && request.topP !== undefined) {
    throw refused("top_p", family, "this model takes 'temperature' or 'top_p', not both; remove one of them");
  }
  if (family === CONVERSE_FAMILY && request.parallelToolCalls === false && request.tools.length > 0) {
    throw refused("parallel_tool_calls", family, "Converse has no way to hold a model to one tool call per turn");
  }
  if (request.topK !== undefined && capabilities.topK === "none") {
    throw refused("top_k", family, "this model has no top_k");
  }
  request.tools.forEach((tool, index) => {
    if (tool.function?.strict && capabilities.known && !capabilities.nativeStructuredOutput) {
      throw refused(`tools.[${index}].function.strict`, family, "this model has no strict tool use on Bedrock");
    }
  });
}

/**
 * Reads a canonical request for a Bedrock model: refuses, naming the
 * field, whatever the family or the model cannot honour; reads the
 * controls (guardrail, service tier ...), the reasoning and the way JSON
 * output is made. Answers how to finish once the images are loaded: build
 * the conversation and the tools, placing cache breakpoints when the server
 * is set to. The checks come first, so a refused request fetches nothing.
 */
export function readBedrockRequest(
  request: ChatCompletionRequest,
  modelId: string,
  family: FamilyName,
  settings: BedrockSettings,
): (imageAt: ImageAt) => BedrockRequest {
  refuseUnsupported(request, family, UNSUPPORTED_ON_BEDROCK);
  refuseUnsupportedContent(request, family);
  const capabilities = modelCapabilities(modelId);
  refuseForModel(request, capabilities, family);
  const controls = readBedrockControls(request, family, settings);
  const callerCached = checkPromptCache(request, capabilities, family);
  const reasoning = readReasoning(request, capabilities, controls);
  const output = planOutput(request, capabilities, reasoning);
  return (imageAt) => {
    const conversation = toBedrockConversation(request.messages, imageAt);
    const tools = selectTools(request, conversation, output.kind === "tool" ? output.tool : undefined);
    if (settings.autoCache && !callerCached && capabilities.promptCache) placeCacheBreakpoints(conversation, tools);
    return { request, capabilities, controls, conversation, tools, reasoning, output };
  };
}

/** The request read for a family that takes images: checked first, then its images loaded. */
export async function prepareBedrockRequest(
  request: ChatCompletionRequest,
  call: ProviderCall,
  family: FamilyName,
  settings: BedrockSettings,
  loadImages: ImageLoader,
): Promise<BedrockRequest> {
  const finish = readBedrockRequest(request, call.modelId, family, settings);
  return finish(await loadImages(request.messages, call.signal));
}
