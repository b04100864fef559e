/**
 * JSON as a `google.protobuf.Struct` in the object form grpc-js clients
 * built with @grpc/proto-loader send: `{fields: {name: {stringValue}}}`.
 * A plain JSON object in its place reaches the server as an empty Struct.
 */
import type { GrpcMessage } from "./grpc-client.js";

function protoValue(value: unknown): GrpcMessage {
  if (value === null) return { nullValue: "NULL_VALUE" };
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "number") return { numberValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(protoValue) } };
  return { structValue: protoStruct(value as Record<string, unknown>) };
}

export function protoStruct(json: Record<string, unknown>): GrpcMessage {
  return { fields: Object.fromEntries(Object.entries(json).map(([key, value]) => [key, protoValue(value)])) };
}
