/**
 * Nova Multimodal Embeddings on InvokeModel, one input per call (Amazon Nova
 * user guide, embeddings-schema, synchronous schema): `{schemaVersion
 * ("nova-multimodal-embed-v1"), taskType ("SINGLE_EMBEDDING"),
 * singleEmbeddingParams {embeddingPurpose (GENERIC_INDEX|GENERIC_RETRIEVAL|
 * TEXT_RETRIEVAL|IMAGE_RETRIEVAL|VIDEO_RETRIEVAL|DOCUMENT_RETRIEVAL|
 * AUDIO_RETRIEVAL|CLASSIFICATION|CLUSTERING), embeddingDimension
 * (256|384|1024|3072, default 3072), exactly one of text {truncationMode
 * (START|END|NONE, required), value} | image {format (png|jpeg|gif|webp),
 * source {bytes}} | audio | video}}` -> `{embeddings: [{embeddingType,
 * embedding}]}`. No token counts.
 */
import { embedFamily, enumValue, nested, nonEmptyString, ofType, required } from "./fake-bedrock-embed-rules.js";
import { type BodyRule, onlyKeys, type RequestBody } from "./fake-bedrock-model-family.js";
import { validationError } from "./fake-bedrock-rest.js";
import { fakeEmbedding } from "./fake-embeddings.js";

const PURPOSES = [
  "GENERIC_INDEX",
  "GENERIC_RETRIEVAL",
  "TEXT_RETRIEVAL",
  "IMAGE_RETRIEVAL",
  "VIDEO_RETRIEVAL",
  "DOCUMENT_RETRIEVAL",
  "AUDIO_RETRIEVAL",
  "CLASSIFICATION",
  "CLUSTERING",
];
const DIMENSIONS = [256, 384, 1024, 3072];
const MODALITIES = ["text", "image", "audio", "video"];
const PARAMS = "#/singleEmbeddingParams";

const params = (body: RequestBody) => body.singleEmbeddingParams as RequestBody;

const task: BodyRule = (body) => {
  if (body.schemaVersion !== undefined) enumValue("#/schemaVersion", body.schemaVersion, ["nova-multimodal-embed-v1"]);
  enumValue("#/taskType", required("#", body, "taskType"), ["SINGLE_EMBEDDING"]);
  required("#", body, "singleEmbeddingParams");
  nested(PARAMS, body.singleEmbeddingParams, (single) => {
    onlyKeys(["embeddingPurpose", "embeddingDimension", ...MODALITIES], PARAMS)(single);
    enumValue(`${PARAMS}/embeddingPurpose`, required(PARAMS, single, "embeddingPurpose"), PURPOSES);
    if (single.embeddingDimension !== undefined) {
      enumValue(`${PARAMS}/embeddingDimension`, single.embeddingDimension, DIMENSIONS);
    }
  });
};

const content: BodyRule = (body) => {
  const single = params(body);
  const given = MODALITIES.filter((modality) => single[modality] !== undefined);
  if (given.length !== 1) throw validationError("Exactly one of text, image, video, audio must be present.");
  nested(`${PARAMS}/text`, single.text, (text) => {
    onlyKeys(["truncationMode", "value", "source"], `${PARAMS}/text`)(text);
    enumValue(`${PARAMS}/text/truncationMode`, required(`${PARAMS}/text`, text, "truncationMode"), [
      "START",
      "END",
      "NONE",
    ]);
    nonEmptyString(`${PARAMS}/text/value`, text.value);
  });
  nested(`${PARAMS}/image`, single.image, (image) => {
    enumValue(`${PARAMS}/image/format`, required(`${PARAMS}/image`, image, "format"), ["png", "jpeg", "gif", "webp"]);
    nested(`${PARAMS}/image/source`, required(`${PARAMS}/image`, image, "source"), (source) =>
      ofType(`${PARAMS}/image/source/bytes`, source.bytes, "String"),
    );
  });
};

export const novaEmbedFamily = embedFamily({
  name: "Nova Multimodal Embeddings on InvokeModel",
  models: /^amazon\.nova-[a-z0-9-]*multimodal-embeddings/,
  rules: [onlyKeys(["schemaVersion", "taskType", "singleEmbeddingParams"]), task, content],
  answer(body) {
    const single = params(body);
    const text = single.text as { value: string } | undefined;
    const image = single.image as { source: { bytes: string } } | undefined;
    const embedded = text ? text.value : (image?.source.bytes ?? "");
    const dimension = Number(single.embeddingDimension ?? 3072);
    return {
      embeddings: [{ embeddingType: text ? "TEXT" : "IMAGE", embedding: fakeEmbedding(embedded, dimension) }],
    };
  },
});
