import type { MessageInitShape } from "@bufbuild/protobuf";
import { create, createRegistry, type DescFile, type DescService, fromBinary, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, type ConnectRouter } from "@connectrpc/connect";
import {
  ServerReflection,
  type ServerReflectionRequest,
  ServerReflectionRequestSchema,
  type ServerReflectionResponse,
  ServerReflectionResponseSchema,
} from "../../../gen/grpc/reflection/v1/reflection_pb.js";
import {
  ServerReflectionRequestSchema as ServerReflectionRequestSchemaV1Alpha,
  ServerReflectionResponseSchema as ServerReflectionResponseSchemaV1Alpha,
  ServerReflection as ServerReflectionV1Alpha,
} from "../../../gen/grpc/reflection/v1alpha/reflection_pb.js";

type ResponseInit = MessageInitShape<typeof ServerReflectionResponseSchema>["messageResponse"];

/** Every file the services are defined in, and the files those import. */
function filesOf(services: readonly DescService[]): Map<string, DescFile> {
  const files = new Map<string, DescFile>();
  const add = (file: DescFile) => {
    if (files.has(file.proto.name)) return;
    files.set(file.proto.name, file);
    for (const dependency of file.dependencies) add(dependency);
  };
  for (const service of services) add(service.file);
  return files;
}

/** A file and everything it imports, as serialized FileDescriptorProtos. */
function withDependencies(file: DescFile): Uint8Array[] {
  const seen = new Map<string, Uint8Array>();
  const add = (next: DescFile) => {
    if (seen.has(next.proto.name)) return;
    seen.set(next.proto.name, toBinary(FileDescriptorProtoSchema, next.proto));
    for (const dependency of next.dependencies) add(dependency);
  };
  add(file);
  return [...seen.values()];
}

/**
 * gRPC server reflection (`grpc.reflection.v1` and `v1alpha`): lets grpcurl,
 * `buf curl`, Postman and the like list the services and call them without
 * the proto files. It reveals only the public contract that is in proto/.
 */
export function reflectionRoutes(served: readonly DescService[]) {
  const services = [...served, ServerReflection, ServerReflectionV1Alpha];
  const files = filesOf(services);
  const registry = createRegistry(...files.values());

  const fileOf = (symbol: string): DescFile | undefined => {
    const found = registry.get(symbol);
    if (found && "file" in found) return found.file;
    // A method is named by its service's name and its own.
    const service = registry.getService(symbol.slice(0, symbol.lastIndexOf(".")));
    return service?.methods.some((method) => `${service.typeName}.${method.name}` === symbol)
      ? service.file
      : undefined;
  };

  const answer = (request: ServerReflectionRequest): ResponseInit => {
    const { case: kind, value } = request.messageRequest;
    const notFound = (what: string): ResponseInit => ({
      case: "errorResponse",
      value: { errorCode: Code.NotFound, errorMessage: `${what} not found` },
    });
    switch (kind) {
      case "listServices":
        return { case: "listServicesResponse", value: { service: services.map((s) => ({ name: s.typeName })) } };
      case "fileByFilename": {
        const file = files.get(value);
        return file
          ? { case: "fileDescriptorResponse", value: { fileDescriptorProto: withDependencies(file) } }
          : notFound(`file ${value}`);
      }
      case "fileContainingSymbol": {
        const file = fileOf(value);
        return file
          ? { case: "fileDescriptorResponse", value: { fileDescriptorProto: withDependencies(file) } }
          : notFound(`symbol ${value}`);
      }
      case "allExtensionNumbersOfType":
        // No message of this contract has extensions.
        return registry.getMessage(value)
          ? { case: "allExtensionNumbersResponse", value: { baseTypeName: value, extensionNumber: [] } }
          : notFound(`type ${value}`);
      case "fileContainingExtension":
        return notFound(`extension ${value.containingType}(${value.extensionNumber})`);
      default:
        return { case: "errorResponse", value: { errorCode: Code.Unimplemented, errorMessage: "unknown request" } };
    }
  };

  const respond = (request: ServerReflectionRequest): ServerReflectionResponse =>
    create(ServerReflectionResponseSchema, {
      validHost: request.host,
      originalRequest: request,
      messageResponse: answer(request),
    });

  return (router: ConnectRouter) => {
    router.service(ServerReflection, {
      async *serverReflectionInfo(requests) {
        for await (const request of requests) yield respond(request);
      },
    });
    // v1alpha has the same messages on the wire, for older clients.
    router.service(ServerReflectionV1Alpha, {
      async *serverReflectionInfo(requests) {
        for await (const alpha of requests) {
          const request = fromBinary(
            ServerReflectionRequestSchema,
            toBinary(ServerReflectionRequestSchemaV1Alpha, alpha),
          );
          const response = toBinary(ServerReflectionResponseSchema, respond(request));
          yield fromBinary(ServerReflectionResponseSchemaV1Alpha, response);
        }
      },
    });
  };
}
