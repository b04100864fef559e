import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";

/** Every service registered on the router so far, once each, in the order of registration. */
export function servedServices(router: ConnectRouter): DescService[] {
  return [...new Set(router.handlers.map((handler) => handler.service))];
}

/** The full names (`package.Service`) of the services registered on the router so far. */
export function servedServiceNames(router: ConnectRouter): Set<string> {
  return new Set(router.handlers.map((handler) => handler.service.typeName));
}
