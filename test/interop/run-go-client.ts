/**
 * Builds examples/go/ (offline, from Debian's Go packages) and runs its
 * client as docs/grpc.md shows it, against the real server with the fake
 * OpenAI upstream. Needs golang-go, golang-google-grpc-dev,
 * golang-google-protobuf-dev, golang-github-golang-protobuf-1-5-dev,
 * protoc-gen-go, protoc-gen-go-grpc and protobuf-compiler; .ci/run installs them.
 */
import { runDocumentedClient } from "./documented-client.js";

await runDocumentedClient({
  runner: "test/interop/run-go-client.ts",
  expected: [
    "models: gpt-4o-mini, gpt-4o",
    "unary: You said: Hello! [stop]",
    "stream: You said: Hello!",
    "stream usage:",
  ],
  wrongKey: {
    command: ["examples/go/build/client", "-api-key", "wrong", "-target"],
    says: "error: Unauthenticated: Incorrect API key provided.",
  },
});
