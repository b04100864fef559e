/** The requests and inputs the tests of the Bedrock embedding families build. */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  type CreateEmbeddingsRequest,
  CreateEmbeddingsRequestSchema,
} from "../../../../gen/openbedrock/v1/embedding_pb.js";
import type { EmbeddingInput } from "../../../../src/providers/bedrock/embeddings/embedding-input.js";
import { PNG_BASE64, PNG_DATA_URL } from "../../../arbitraries/images.js";

type RequestInit = Exclude<MessageInitShape<typeof CreateEmbeddingsRequestSchema>, CreateEmbeddingsRequest>;

export const embeddingsRequest = (init: Partial<RequestInit> = {}) => create(CreateEmbeddingsRequestSchema, init);
export const textInput = (value: string): EmbeddingInput => ({ kind: "text", text: value });
/** The test PNG as an input. */
export const imageInput: EmbeddingInput = {
  kind: "image",
  image: { format: "png", base64: PNG_BASE64 },
  dataUri: PNG_DATA_URL,
};
