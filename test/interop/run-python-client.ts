/**
 * Runs examples/python/client.py (grpcio, stubs generated from proto/) as the
 * README shows it, against the real server with the fake OpenAI upstream.
 * Needs Debian's python3-grpcio, python3-protobuf, protobuf-compiler and
 * protobuf-compiler-grpc; .ci/run installs them.
 */
import { runDocumentedClient } from "./documented-client.js";

await runDocumentedClient({
  runner: "test/interop/run-python-client.ts",
  expected: [
    "models: gpt-4o-mini, gpt-4o",
    "unary: You said: Hello! [stop]",
    "stream: You said: Hello!",
    "stream usage:",
  ],
  upstreamProblem: (upstream) =>
    JSON.stringify(upstream.chatRequests[0]?.body?.tools).includes('"required":["city"]')
      ? undefined
      : "the tool's JSON schema (a google.protobuf.Struct) did not reach the upstream",
  wrongKey: {
    command: ["/usr/bin/python3", "examples/python/client.py", "--api-key", "wrong", "--target"],
    says: "UNAUTHENTICATED: Incorrect API key provided.",
  },
});
