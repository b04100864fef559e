import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { type ChatCompletionRequest, ChatCompletionRequestSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { type PartialParameterTable, readParameters } from "../../core/parameter-table.js";
import type { IncomingRequest } from "../dialect.js";

/** The canonical request's fields, as `create` takes them. */
type RequestFields = Exclude<MessageInitShape<typeof ChatCompletionRequestSchema>, ChatCompletionRequest>;

/** How a dialect reads each canonical field from its body. */
export type RequestTable<Input> = PartialParameterTable<RequestFields, Input>;

/** The canonical request a table reads from a body; the caller wants a stream when the request says so. */
export function readByTable<Input>(table: RequestTable<Input>, input: Input): IncomingRequest {
  const request = create(ChatCompletionRequestSchema, readParameters(table, input));
  return { request, stream: request.stream };
}
