import { create } from "@bufbuild/protobuf";
import { type Model, ModelSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { BEDROCK_GEOGRAPHIES } from "../../core/model-router.js";
import type { BedrockExchange, FoundationModelInfo, InferenceProfileInfo } from "./bedrock-exchange.js";

/** The vendor a model id names (`anthropic` for `us.anthropic.claude-...`). */
function vendorOf(modelId: string): string | undefined {
  if (modelId.startsWith("arn:")) return undefined;
  const parts = modelId.split(".");
  const vendor = parts.length > 2 && BEDROCK_GEOGRAPHIES.includes(parts[0] ?? "") ? parts[1] : parts[0];
  return parts.length > 1 ? vendor : undefined;
}

/** What the server serves: chat (text out) and embeddings. */
const SERVED_OUTPUTS = ["TEXT", "EMBEDDING"];

/** Chat and embedding models callable by their bare id: text or vectors out, on-demand throughput. */
function fromFoundationModel(model: FoundationModelInfo): Model[] {
  const served = model.outputModalities.some((output) => SERVED_OUTPUTS.includes(output));
  if (!served || !model.inferenceTypes.includes("ON_DEMAND")) return [];
  const ownedBy = vendorOf(model.modelId) ?? model.providerName.toLowerCase();
  return [create(ModelSchema, { id: model.modelId, created: 0n, ownedBy })];
}

/** Active profiles; an application profile is called by its ARN (its short id does not route). */
function fromInferenceProfile(profile: InferenceProfileInfo): Model[] {
  if (profile.status !== "ACTIVE") return [];
  const id = profile.type === "APPLICATION" ? profile.arn : profile.id;
  const created = profile.createdAt ? BigInt(Math.floor(profile.createdAt.getTime() / 1000)) : 0n;
  return [create(ModelSchema, { id, created, ownedBy: vendorOf(id) ?? "bedrock" })];
}

/**
 * The Bedrock models a caller can name: on-demand chat and embedding
 * foundation models, and inference profiles. One listing failing leaves the other's models; both
 * failing is a failure (the catalog then keeps its last good list).
 */
export async function listBedrockModels(exchange: BedrockExchange, signal: AbortSignal): Promise<Model[]> {
  const [foundation, profiles] = await Promise.allSettled([
    exchange.listFoundationModels(signal),
    exchange.listInferenceProfiles(signal),
  ]);
  if (foundation.status === "rejected" && profiles.status === "rejected") throw foundation.reason;
  return [
    ...(foundation.status === "fulfilled" ? foundation.value.flatMap(fromFoundationModel) : []),
    ...(profiles.status === "fulfilled" ? profiles.value.flatMap(fromInferenceProfile) : []),
  ];
}
