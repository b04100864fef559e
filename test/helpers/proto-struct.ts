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

function jsonValue(value: GrpcMessage): unknown {
  if ("nullValue" in value) return null;
  if ("stringValue" in value) return value.stringValue;
  if ("numberValue" in value) return value.numberValue;
  if ("boolValue" in value) return value.boolValue;
  if ("listValue" in value) return ((value.listValue?.values ?? []) as GrpcMessage[]).map(jsonValue);
  if ("structValue" in value) return jsonOfStruct(value.structValue);
  return undefined;
}

/** A `google.protobuf.Struct` as grpc-js clients receive it, back as plain JSON. */
export function jsonOfStruct(struct: GrpcMessage | undefined | null): Record<string, unknown> | undefined {
  if (!struct) return undefined;
  return Object.fromEntries(
    Object.entries((struct.fields ?? {}) as Record<string, GrpcMessage>).map(([key, value]) => [key, jsonValue(value)]),
  );
}
