/**
 * What the bench (`bench/run.ts`) and its profiler (`bench/profile.ts`)
 * start and call alike: processes pinned to a core, the fake Bedrock's
 * settings, and a grpc-js client of ChatService.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Whether processes can be pinned to a core (Linux's `taskset`). */
export const hasTaskset = (() => {
  try {
    execFileSync("taskset", ["-c", "0", "true"]);
    return true;
  } catch {
    return false;
  }
})();

/** Starts `command` on `core` when it can be pinned, with the environment plus `env`; its stdout is piped. */
export function startProcess(command: string, args: string[], env: Record<string, string>, core: number): ChildProcess {
  const [file, argv] = hasTaskset ? ["taskset", ["-c", String(core), command, ...args]] : [command, args];
  return spawn(file, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
}

/** A server's Bedrock settings for the fake Bedrock on `port`: static keys, both endpoints on the fake. */
export function fakeBedrockEnv(port: number): Record<string, string> {
  return {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "AKIABENCH00000000001",
    AWS_SECRET_ACCESS_KEY: "benchSecretAccessKey/0123456789abcdefghij",
    BEDROCK_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    // Model listing is not measured; it must not leave this machine either.
    AWS_ENDPOINT_URL_BEDROCK: `http://127.0.0.1:${port}`,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}

export type ChatServiceMethod = (...args: unknown[]) => unknown;

/** A grpc-js ChatService client on `port` (fields as the proto names them), and the metadata carrying `key`. */
export function chatServiceClient(
  port: number,
  key: string,
): { client: Record<"CreateChatCompletion" | "StreamChatCompletion", ChatServiceMethod>; metadata: grpc.Metadata } {
  const definition = protoLoader.loadSync("openbedrock/v1/chat.proto", {
    includeDirs: [`${ROOT}proto`],
    keepCase: true,
  });
  const service = (
    grpc.loadPackageDefinition(definition) as unknown as {
      openbedrock: { v1: { ChatService: grpc.ServiceClientConstructor } };
    }
  ).openbedrock.v1.ChatService;
  const client = new service(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as Record<
    "CreateChatCompletion" | "StreamChatCompletion",
    ChatServiceMethod
  >;
  const metadata = new grpc.Metadata();
  metadata.set("authorization", `Bearer ${key}`);
  return { client, metadata };
}
