import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import {
  Health,
  type HealthCheckResponse,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "../../../gen/grpc/health/v1/health_pb.js";
import { servedServiceNames } from "./served-services.js";

/** Resolves when either signal fires; leaves no listener behind on the other. */
function firstAbort(a: AbortSignal, b: AbortSignal): Promise<void> {
  if (a.aborted || b.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      a.removeEventListener("abort", done);
      b.removeEventListener("abort", done);
      resolve();
    };
    a.addEventListener("abort", done, { once: true });
    b.addEventListener("abort", done, { once: true });
  });
}

/**
 * gRPC's standard health service (`grpc.health.v1.Health`), which
 * Kubernetes' gRPC probes, load balancers and grpc-health-probe call:
 * SERVING for the server as a whole (`""`) and for each service the router
 * serves, NOT_SERVING for all of them from the moment `draining` fires.
 * The services are read from the router when asked, so every service
 * registered on it is covered, whenever it was registered.
 */
export function healthRoutes(draining: AbortSignal) {
  return (router: ConnectRouter) => {
    const known = (service: string) => service === "" || servedServiceNames(router).has(service);
    const response = (status: ServingStatus): HealthCheckResponse => create(HealthCheckResponseSchema, { status });
    const statusOf = (service: string): ServingStatus => {
      if (!known(service)) return ServingStatus.SERVICE_UNKNOWN;
      return draining.aborted ? ServingStatus.NOT_SERVING : ServingStatus.SERVING;
    };
    router.service(Health, {
      check(request) {
        if (!known(request.service)) {
          throw new ConnectError(`This server does not serve ${request.service}.`, Code.NotFound);
        }
        return response(statusOf(request.service));
      },
      async *watch(request, context) {
        const first = statusOf(request.service);
        yield response(first);
        await firstAbort(draining, context.signal);
        if (context.signal.aborted) return;
        const now = statusOf(request.service);
        if (now !== first) yield response(now);
        // A draining server ends the stream, as it ends every call: the client watches
        // again on a new connection, which reaches a server that is not going away.
      },
      list() {
        const statuses = Object.fromEntries(
          ["", ...servedServiceNames(router)].map((name) => [name, response(statusOf(name))]),
        );
        return { statuses };
      },
    });
  };
}
