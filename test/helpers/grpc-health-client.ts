/**
 * A client of gRPC's standard health service, built as other gRPC programs
 * build one: @grpc/grpc-js with @grpc/proto-loader, from the health.proto
 * vendored in proto/ (the one grpc-health-probe and Kubernetes speak).
 */
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { grpcTarget } from "./grpc-client.js";

const PROTO_DIR = fileURLToPath(new URL("../../proto", import.meta.url));

const definition = protoLoader.loadSync("grpc/health/v1/health.proto", {
  includeDirs: [PROTO_DIR],
  keepCase: true,
  enums: String,
  defaults: true,
});
const loaded = grpc.loadPackageDefinition(definition) as unknown as {
  grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
};

export type ServingStatus = "UNKNOWN" | "SERVING" | "NOT_SERVING" | "SERVICE_UNKNOWN";

export interface HealthClient {
  /** The status of `service` ("" for the server), or the call's error. */
  check(service: string): Promise<ServingStatus>;
  /** The statuses a Watch of `service` receives, as they come. */
  watch(service: string): grpc.ClientReadableStream<{ status: ServingStatus }>;
  close(): void;
}

export function createHealthClient(url: string): HealthClient {
  const client = new loaded.grpc.health.v1.Health(grpcTarget(url), grpc.credentials.createInsecure());
  return {
    check: (service) =>
      new Promise((resolve, reject) => {
        (
          client.Check as (
            request: { service: string },
            options: grpc.CallOptions,
            callback: (error: grpc.ServiceError | null, response: { status: ServingStatus }) => void,
          ) => void
        ).call(client, { service }, { deadline: Date.now() + 10_000 }, (error, response) =>
          error ? reject(error) : resolve(response.status),
        );
      }),
    watch: (service) =>
      (client.Watch as (request: { service: string }) => grpc.ClientReadableStream<{ status: ServingStatus }>).call(
        client,
        { service },
      ),
    close: () => client.close(),
  };
}
