/**
 * The embedding models' own bodies on Bedrock InvokeModel (none of them
 * streams). Sources, AWS Bedrock user guide: `model-parameters-titan-embed-text`
 * (Titan Text Embeddings G1 and v2), `model-parameters-titan-embed-mm`
 * (Titan Multimodal Embeddings G1), `model-parameters-embed-v3` and
 * `model-parameters-embed-v4` (Cohere Embed); Amazon Nova user guide
 * `embeddings-schema` (Nova Multimodal Embeddings, synchronous schema).
 */

/** Titan Text Embeddings: one text per call. G1 takes `inputText` only. */
export interface TitanTextEmbeddingRequest {
  inputText: string;
  /** v2: 256, 512 or 1024 (default). */
  dimensions?: number;
  /** v2: scale the vector to length 1; default true. */
  normalize?: boolean;
  /** v2: `float` (default) and/or `binary`. */
  embeddingTypes?: ("float" | "binary")[];
}

export interface TitanTextEmbeddingResponse {
  /** Always the float vector. */
  embedding: number[];
  inputTextTokenCount: number;
  /** v2: the vectors by the types asked for (`float` always there). */
  embeddingsByType?: { float?: number[]; binary?: number[] };
}

/** Titan Multimodal Embeddings G1: a text, an image, or both (their vectors averaged). */
export interface TitanMultimodalEmbeddingRequest {
  inputText?: string;
  /** The image's bytes in base64 (no data-URL prefix). */
  inputImage?: string;
  embeddingConfig?: {
    /** 256, 384 or 1024 (default). */
    outputEmbeddingLength: number;
  };
}

export interface TitanMultimodalEmbeddingResponse {
  embedding: number[];
  inputTextTokenCount: number;
  /** Any error met while generating. */
  message?: string | null;
}

/** What the vectors are for, in Cohere's words; v3 adds `image` for its image inputs. */
export type CohereInputType = "search_document" | "search_query" | "classification" | "clustering" | "image";

/** Cohere Embed v3 and v4: a batch of texts (at most 96), or images as data URIs. */
export interface CohereEmbeddingRequest {
  input_type: CohereInputType;
  texts?: string[];
  /** `data:<media type>;base64,...` URIs: v3 one per call (png or jpeg), v4 up to 96. */
  images?: string[];
  /** `NONE` (default: too long is an error), `START`/`END` (v3), `LEFT`/`RIGHT` (v4). */
  truncate?: string;
  embedding_types?: ("float" | "int8" | "uint8" | "binary" | "ubinary")[];
  /** v4: 256, 512, 1024 or 1536 (default). */
  output_dimension?: number;
}

/**
 * `embeddings` is the list of float vectors (`response_type:
 * "embeddings_floats"`) when no `embedding_types` were asked for, and the
 * vectors by type (`"embeddings_by_type"`) when they were. No token counts.
 */
export interface CohereEmbeddingResponse {
  id: string;
  response_type: "embeddings_floats" | "embeddings_by_type";
  embeddings: number[][] | { float?: number[][]; int8?: number[][]; uint8?: number[][] };
  texts?: string[];
}

export const NOVA_EMBEDDING_SCHEMA = "nova-multimodal-embed-v1";

/** What Nova optimizes a vector for. */
export type NovaEmbeddingPurpose =
  | "GENERIC_INDEX"
  | "GENERIC_RETRIEVAL"
  | "TEXT_RETRIEVAL"
  | "IMAGE_RETRIEVAL"
  | "VIDEO_RETRIEVAL"
  | "DOCUMENT_RETRIEVAL"
  | "AUDIO_RETRIEVAL"
  | "CLASSIFICATION"
  | "CLUSTERING";

/** Nova Multimodal Embeddings, synchronous: exactly one of text, image (audio, video) per call. */
export interface NovaEmbeddingRequest {
  schemaVersion?: typeof NOVA_EMBEDDING_SCHEMA;
  taskType: "SINGLE_EMBEDDING";
  singleEmbeddingParams: {
    embeddingPurpose: NovaEmbeddingPurpose;
    /** 256, 384, 1024 or 3072 (default). */
    embeddingDimension?: number;
    /** `truncationMode` is required: `NONE` fails on a text too long, as the other models do. */
    text?: { truncationMode: "START" | "END" | "NONE"; value: string };
    image?: { format: "png" | "jpeg" | "gif" | "webp"; source: { bytes: string } };
  };
}

/** One vector per call; no token counts. */
export interface NovaEmbeddingResponse {
  embeddings: { embeddingType: string; embedding: number[]; truncatedCharLength?: number }[];
}
