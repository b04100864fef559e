/**
 * Cohere Embed on InvokeModel, texts in batches (AWS Bedrock user guide,
 * model-parameters-embed-v3 and model-parameters-embed-v4).
 * v3 (`cohere.embed-english-v3`, `cohere.embed-multilingual-v3`): `{texts
 * (at most 96) | images (one data URI, jpeg or png), input_type
 * (search_document|search_query|classification|clustering|image), truncate
 * (NONE|START|END), embedding_types (float|int8|uint8|binary|ubinary)}`;
 * vectors of 1024.
 * v4 (`cohere.embed-v4:0`): `texts` or `images` (at most 96 each) or
 * `inputs`, input_type without `image`, `output_dimension`
 * (256|512|1024|1536, default 1536), `max_tokens`, truncate (NONE|LEFT|RIGHT).
 * The answer: `{id, embeddings, texts, response_type}`, `embeddings` the
 * list of float vectors (`embeddings_floats`) or, when `embedding_types`
 * was sent, the vectors by type (`embeddings_by_type`). No token counts.
 */
import { embedFamily, enumValue, listOf, nonEmptyString, ofType, required } from "./fake-bedrock-embed-rules.js";
import { type BodyRule, onlyKeys, type RequestBody } from "./fake-bedrock-model-family.js";
import { malformed, validationError } from "./fake-bedrock-rest.js";
import { fakeEmbedding } from "./fake-embeddings.js";

const INPUT_TYPES = ["search_document", "search_query", "classification", "clustering"];
const EMBEDDING_TYPES = ["float", "int8", "uint8", "binary", "ubinary"];
const V4_DIMENSIONS = [256, 512, 1024, 1536];
const MAX_TEXTS = 96;
const V3_IMAGE = /^data:image\/(?:png|jpeg);base64,[A-Za-z0-9+/]+={0,2}$/;
const V4_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

interface Version {
  keys: string[];
  inputTypes: string[];
  truncate: string[];
  maxImages: number;
  image: RegExp;
}

const V3: Version = {
  keys: ["texts", "images", "input_type", "truncate", "embedding_types"],
  inputTypes: [...INPUT_TYPES, "image"],
  truncate: ["NONE", "START", "END"],
  maxImages: 1,
  image: V3_IMAGE,
};

const V4: Version = {
  keys: ["texts", "images", "inputs", "input_type", "truncate", "embedding_types", "output_dimension", "max_tokens"],
  inputTypes: INPUT_TYPES,
  truncate: ["NONE", "LEFT", "RIGHT"],
  maxImages: 96,
  image: V4_IMAGE,
};

const versionOf = (modelId: string) => (modelId.startsWith("cohere.embed-v4") ? V4 : V3);

const inputs: BodyRule = (body, model) => {
  const version = versionOf(model.modelId);
  enumValue("#/input_type", required("#", body, "input_type"), version.inputTypes);
  const given = ["texts", "images", "inputs"].filter((key) => body[key] !== undefined);
  if (given.length !== 1) throw validationError("Exactly one of 'texts', 'images' or 'inputs' must be given.");
  if (body.texts !== undefined) listOf("#/texts", body.texts, MAX_TEXTS, (at, text) => ofType(at, text, "String"));
  if (body.images !== undefined) {
    listOf("#/images", body.images, version.maxImages, (at, image) => {
      nonEmptyString(at, image);
      if (!version.image.test(image as string)) malformed(`${at}: string is not a valid image data URI`);
    });
  }
};

const options: BodyRule = (body, model) => {
  const version = versionOf(model.modelId);
  if (body.truncate !== undefined) enumValue("#/truncate", body.truncate, version.truncate);
  if (body.embedding_types !== undefined) {
    listOf("#/embedding_types", body.embedding_types, EMBEDDING_TYPES.length, (at, type) =>
      enumValue(at, type, EMBEDDING_TYPES),
    );
  }
  if (body.output_dimension !== undefined) enumValue("#/output_dimension", body.output_dimension, V4_DIMENSIONS);
};

function contents(body: RequestBody): string[] {
  if (Array.isArray(body.texts)) return body.texts as string[];
  if (Array.isArray(body.images)) return body.images as string[];
  return (body.inputs as unknown[]).map((input) => JSON.stringify(input));
}

export const cohereEmbedFamily = embedFamily({
  name: "Cohere Embed on InvokeModel",
  models: /^cohere\.embed-/,
  rules: [(body, model) => onlyKeys(versionOf(model.modelId).keys)(body), inputs, options],
  answer(body, model, sequence) {
    const v4 = versionOf(model.modelId) === V4;
    const length = v4 ? Number(body.output_dimension ?? 1536) : 1024;
    const floats = contents(body).map((content) => fakeEmbedding(content, length));
    const types = body.embedding_types as string[] | undefined;
    return {
      id: `c0e1e2e3-0000-4000-8000-${String(sequence).padStart(12, "0")}`,
      texts: Array.isArray(body.texts) ? body.texts : [],
      ...(types === undefined
        ? { embeddings: floats, response_type: "embeddings_floats" }
        : {
            embeddings: Object.fromEntries(
              types.map((type) => [
                type,
                type === "float" ? floats : floats.map((v) => v.map((x) => Math.round(x * 127))),
              ]),
            ),
            response_type: "embeddings_by_type",
          }),
    };
  },
});
