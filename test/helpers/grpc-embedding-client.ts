/**
 * A gRPC client of EmbeddingService built the way a service in another
 * language builds one: from proto/ with @grpc/proto-loader and
 * @grpc/grpc-js, over h2c.
 */
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { type CallOptions, type GrpcMessage, grpcTarget } from "./grpc-client.js";

const PROTO_DIR = fileURLToPath(new URL("../../proto", import.meta.url));

const definition = protoLoader.loadSync("openbedrock/v1/embedding.proto", {
  includeDirs: [PROTO_DIR],
  keepCase: true,
  longs: String,
  enums: String,
  defaults: false,
  oneofs: true,
});
const loaded = grpc.loadPackageDefinition(definition) as unknown as {
  openbedrock: { v1: { EmbeddingService: grpc.ServiceClientConstructor } };
};

export interface GrpcEmbeddingClient {
  create(request: GrpcMessage, options?: CallOptions): Promise<GrpcMessage>;
  close(): void;
}

export function createGrpcEmbeddingClient(url: string, defaultKey: string): GrpcEmbeddingClient {
  const client = new loaded.openbedrock.v1.EmbeddingService(grpcTarget(url), grpc.credentials.createInsecure());
  return {
    create: (request, options = {}) =>
      new Promise<GrpcMessage>((resolve, reject) => {
        const metadata = new grpc.Metadata();
        const key = options.key === undefined ? defaultKey : options.key;
        if (key !== null) metadata.set("authorization", `Bearer ${key}`);
        const call = client.CreateEmbeddings as (
          req: GrpcMessage,
          metadata: grpc.Metadata,
          options: grpc.CallOptions,
          callback: (error: grpc.ServiceError | null, response: GrpcMessage) => void,
        ) => void;
        const deadline = options.deadlineMs === undefined ? {} : { deadline: Date.now() + options.deadlineMs };
        call.call(client, request, metadata, deadline, (error, response) =>
          error ? reject(error) : resolve(response),
        );
      }),
    close: () => client.close(),
  };
}
