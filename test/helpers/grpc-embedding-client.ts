/**
 * A gRPC client of EmbeddingService built the way a service in another
 * language builds one: from proto/ with @grpc/proto-loader and
 * @grpc/grpc-js, over h2c.
 */
import * as grpc from "@grpc/grpc-js";
import { type CallOptions, callOptions, type GrpcMessage, grpcTarget, keyMetadata, loadProto } from "./grpc-client.js";

const loaded = loadProto<{ openbedrock: { v1: { EmbeddingService: grpc.ServiceClientConstructor } } }>(
  "openbedrock/v1/embedding.proto",
);

export interface GrpcEmbeddingClient {
  create(request: GrpcMessage, options?: CallOptions): Promise<GrpcMessage>;
  close(): void;
}

export function createGrpcEmbeddingClient(url: string, defaultKey: string): GrpcEmbeddingClient {
  const client = new loaded.openbedrock.v1.EmbeddingService(grpcTarget(url), grpc.credentials.createInsecure());
  const createEmbeddings = client.CreateEmbeddings as (
    request: GrpcMessage,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response: GrpcMessage) => void,
  ) => grpc.ClientUnaryCall;
  return {
    create: (request, options = {}) =>
      new Promise<GrpcMessage>((resolve, reject) => {
        const running = createEmbeddings.call(
          client,
          request,
          keyMetadata(defaultKey, options),
          callOptions(options),
          (error, response) => (error ? reject(error) : resolve(response)),
        );
        if (options.onMetadata) running.on("metadata", options.onMetadata);
      }),
    close: () => client.close(),
  };
}
