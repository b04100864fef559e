/**
 * A gRPC client built the way a service in another language builds one:
 * from proto/ with @grpc/proto-loader and @grpc/grpc-js, over h2c.
 */
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

const PROTO_DIR = fileURLToPath(new URL("../../proto", import.meta.url));

/** A proto file of proto/ loaded with @grpc/proto-loader, its messages as plain objects named as in the proto. */
export function loadProto<Package>(file: string): Package {
  const definition = protoLoader.loadSync(file, {
    includeDirs: [PROTO_DIR],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  return grpc.loadPackageDefinition(definition) as unknown as Package;
}

const loaded = loadProto<{ openbedrock: { v1: { ChatService: grpc.ServiceClientConstructor } } }>(
  "openbedrock/v1/chat.proto",
);

// biome-ignore lint/suspicious/noExplicitAny: messages are plain objects shaped by the proto
export type GrpcMessage = Record<string, any>;

export interface GrpcChatClient {
  create(request: GrpcMessage, options?: CallOptions): Promise<GrpcMessage>;
  stream(request: GrpcMessage, options?: CallOptions): grpc.ClientReadableStream<GrpcMessage>;
  collect(request: GrpcMessage, options?: CallOptions): Promise<GrpcMessage[]>;
  listModels(options?: CallOptions): Promise<GrpcMessage>;
  close(): void;
}

export interface CallOptions {
  key?: string | null;
  deadlineMs?: number;
  /** Told the response metadata (headers) when they arrive. */
  onMetadata?: (metadata: grpc.Metadata) => void;
}

/** The `authorization` metadata of a call: the default key, another, or none (`key: null`). */
export function keyMetadata(defaultKey: string, options: CallOptions = {}): grpc.Metadata {
  const metadata = new grpc.Metadata();
  const key = options.key === undefined ? defaultKey : options.key;
  if (key !== null) metadata.set("authorization", `Bearer ${key}`);
  return metadata;
}

/** The grpc-js options of a call: its deadline, when it has one. */
export function callOptions(options: CallOptions = {}): grpc.CallOptions {
  return options.deadlineMs === undefined ? {} : { deadline: Date.now() + options.deadlineMs };
}

/** `host:port` from the server's URL. */
export function grpcTarget(url: string): string {
  return new URL(url).host;
}

export function createGrpcChatClient(
  url: string,
  defaultKey: string,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  channelOptions: grpc.ChannelOptions = {},
): GrpcChatClient {
  const client = new loaded.openbedrock.v1.ChatService(grpcTarget(url), credentials, channelOptions);
  const metadataFor = (options: CallOptions = {}) => keyMetadata(defaultKey, options);
  const unary = (method: string, request: GrpcMessage, options?: CallOptions) =>
    new Promise<GrpcMessage>((resolve, reject) => {
      const call = client[method] as (
        req: GrpcMessage,
        metadata: grpc.Metadata,
        options: grpc.CallOptions,
        callback: (error: grpc.ServiceError | null, response: GrpcMessage) => void,
      ) => grpc.ClientUnaryCall;
      const running = call.call(client, request, metadataFor(options), callOptions(options), (error, response) =>
        error ? reject(error) : resolve(response),
      );
      if (options?.onMetadata) running.on("metadata", options.onMetadata);
    });
  const stream = (request: GrpcMessage, options?: CallOptions) => {
    const running = (
      client.StreamChatCompletion as (
        req: GrpcMessage,
        metadata: grpc.Metadata,
        options: grpc.CallOptions,
      ) => grpc.ClientReadableStream<GrpcMessage>
    ).call(client, request, metadataFor(options), callOptions(options));
    if (options?.onMetadata) running.on("metadata", options.onMetadata);
    return running;
  };
  return {
    create: (request, options) => unary("CreateChatCompletion", request, options),
    stream,
    collect: async (request, options) => {
      const chunks: GrpcMessage[] = [];
      for await (const chunk of stream(request, options)) chunks.push(chunk as GrpcMessage);
      return chunks;
    },
    listModels: (options) => unary("ListModels", {}, options),
    close: () => client.close(),
  };
}
