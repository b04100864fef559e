/**
 * Titan embeddings on InvokeModel, one input per call.
 * Titan Text Embeddings (AWS Bedrock user guide, model-parameters-titan-embed-text):
 * v2 `{inputText, dimensions (1024|512|256), normalize (true), embeddingTypes
 * (["float"] | ["binary"] | both)}` -> `{embedding, inputTextTokenCount,
 * embeddingsByType}`; G1 (`amazon.titan-embed-text-v1`) takes `inputText`
 * only and answers `{embedding (1536 numbers), inputTextTokenCount}`.
 * Titan Multimodal Embeddings G1 (model-parameters-titan-embed-mm):
 * `{inputText, inputImage (base64), embeddingConfig {outputEmbeddingLength
 * (256|384|1024)}}`, at least one input; both average their vectors ->
 * `{embedding, inputTextTokenCount, message}`.
 */
import {
  embedFamily,
  enumValue,
  listOf,
  nested,
  nonEmptyString,
  ofType,
  required,
} from "./fake-bedrock-embed-rules.js";
import { type BodyRule, onlyKeys } from "./fake-bedrock-model-family.js";
import { malformed } from "./fake-bedrock-rest.js";
import { fakeEmbedding, fakeTokenCount } from "./fake-embeddings.js";

const V2_DIMENSIONS = [1024, 512, 256];
const MULTIMODAL_LENGTHS = [256, 384, 1024];

const inputText: BodyRule = (body) => nonEmptyString("#/inputText", required("#", body, "inputText"));

const v2Options: BodyRule = (body) => {
  if (body.dimensions !== undefined) enumValue("#/dimensions", body.dimensions, V2_DIMENSIONS);
  if (body.normalize !== undefined) ofType("#/normalize", body.normalize, "Boolean");
  if (body.embeddingTypes !== undefined) {
    listOf("#/embeddingTypes", body.embeddingTypes, 2, (at, value) => enumValue(at, value, ["float", "binary"]));
  }
};

export const titanTextEmbedFamily = embedFamily({
  name: "Titan Text Embeddings on InvokeModel",
  models: /^amazon\.titan-embed-(?:text|g1-text)-/,
  rules: [
    (body, model) =>
      onlyKeys(
        model.modelId.includes("-v2") ? ["inputText", "dimensions", "normalize", "embeddingTypes"] : ["inputText"],
      )(body),
    inputText,
    v2Options,
  ],
  answer(body, model) {
    const text = String(body.inputText);
    const v2 = model.modelId.includes("-v2");
    const embedding = fakeEmbedding(text, v2 ? Number(body.dimensions ?? 1024) : 1536, body.normalize !== false);
    const types = (body.embeddingTypes as string[] | undefined) ?? ["float"];
    const byType = {
      ...(types.includes("float") ? { float: embedding } : {}),
      ...(types.includes("binary") ? { binary: embedding.map((value) => (value > 0 ? 1 : 0)) } : {}),
    };
    return {
      embedding,
      inputTextTokenCount: fakeTokenCount(text),
      ...(v2 ? { embeddingsByType: byType } : {}),
    };
  },
});

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const multimodalInputs: BodyRule = (body) => {
  if (body.inputText === undefined && body.inputImage === undefined) {
    malformed("#: required key [inputText] or [inputImage] not found");
  }
  if (body.inputText !== undefined) nonEmptyString("#/inputText", body.inputText);
  if (body.inputImage !== undefined) {
    ofType("#/inputImage", body.inputImage, "String");
    if (!BASE64.test(body.inputImage as string)) malformed("#/inputImage: string is not a valid base64 encoding");
  }
  nested("#/embeddingConfig", body.embeddingConfig, (config) => {
    onlyKeys(["outputEmbeddingLength"], "#/embeddingConfig")(config);
    enumValue("#/embeddingConfig/outputEmbeddingLength", config.outputEmbeddingLength, MULTIMODAL_LENGTHS);
  });
};

export const titanMultimodalEmbedFamily = embedFamily({
  name: "Titan Multimodal Embeddings on InvokeModel",
  models: /^amazon\.titan-embed-image-/,
  rules: [onlyKeys(["inputText", "inputImage", "embeddingConfig"]), multimodalInputs],
  answer(body) {
    const config = body.embeddingConfig as { outputEmbeddingLength?: number } | undefined;
    const length = config?.outputEmbeddingLength ?? 1024;
    const text = body.inputText === undefined ? undefined : String(body.inputText);
    // The fake embeds what it was given: the text, the image's base64, or both together.
    const content = [text, body.inputImage].filter((part) => part !== undefined).join("\n");
    return { embedding: fakeEmbedding(content, length), inputTextTokenCount: text ? fakeTokenCount(text) : 0 };
  },
});
