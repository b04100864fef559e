/**
 * Titan text on InvokeModel: the `inputText` transcript body as Bedrock
 * checks it, and Titan's `results` answer, unary or as stream chunks.
 */
import { chunkFrame } from "./fake-bedrock-eventstream.js";
import {
  type Answer,
  type BodyRule,
  chatFamily,
  invocationMetrics,
  isRecord,
  onlyKeys,
  type Turn,
  textPieces,
} from "./fake-bedrock-model-family.js";
import { malformed } from "./fake-bedrock-rest.js";

const bodyKeys = onlyKeys(["inputText", "textGenerationConfig"]);
const configKeys = onlyKeys(["maxTokenCount", "temperature", "topP", "stopSequences"], "#/textGenerationConfig");

const inputText: BodyRule = (body) => {
  if (typeof body.inputText !== "string") malformed("#: required key [inputText] not found");
};

const generationConfig: BodyRule = (body) => {
  if (body.textGenerationConfig === undefined) return;
  if (!isRecord(body.textGenerationConfig)) malformed("#/textGenerationConfig: expected type: JSONObject");
  configKeys(body.textGenerationConfig);
};

/** The last `User: ...` line of a Titan transcript, as the one turn the default answer repeats. */
function titanTurns(body: Record<string, unknown>): Turn[] {
  const text = String(body.inputText);
  const lastUser = text.lastIndexOf("User: ");
  const said = lastUser === -1 ? text : text.slice(lastUser + 6).replace(/\n+Bot:\s*$/, "");
  return [{ role: "user", texts: [said.trim()], images: [], toolResults: [], toolUses: 0 }];
}

function response(answer: Answer) {
  return {
    inputTextTokenCount: answer.inputTokens,
    results: [{ tokenCount: answer.outputTokens, outputText: answer.text ?? "", completionReason: answer.stopReason }],
  };
}

function frames(answer: Answer): Uint8Array[] {
  const chunks: Record<string, unknown>[] = textPieces(answer.text ?? "").map((outputText, position) => ({
    outputText,
    index: 0,
    totalOutputTextTokenCount: null,
    completionReason: null,
    inputTextTokenCount: position === 0 ? answer.inputTokens : null,
  }));
  chunks.push({
    outputText: "",
    index: 0,
    totalOutputTextTokenCount: answer.outputTokens,
    completionReason: answer.stopReason,
    inputTextTokenCount: null,
    ...invocationMetrics(answer, { invocation: 2420, firstByte: 1160 }),
  });
  return chunks.map(chunkFrame);
}

export const titanFamily = chatFamily({
  name: "Titan text on InvokeModel",
  handles: (operation, model) => operation.startsWith("invoke") && model.modelId.startsWith("amazon.titan-text"),
  rules: [bodyKeys, inputText, generationConfig],
  turns: titanTurns,
  stopReason: () => "FINISH",
  toolUseId: (sequence, index) => `tooluse_fake${sequence}x${index}`,
  message: response,
  frames,
});
