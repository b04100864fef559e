import { defineConfig } from "vitest/config";

/**
 * Tests that start processes: the built CLI (`open-bedrock ...`, its
 * terminal sessions) and `bin/`.
 */
const CLI = [
  "test/bin/**/*.test.ts",
  "test/cli/**/{chat-pipe,chat-terminal,cli-docs,config-command,models-command,npm-start,run-cli,serve-command,serve-workers}.test.ts",
  // The documents' shell blocks run as a reader would run them: npm, curl, the server in a terminal.
  "test/docs/shell-blocks.test.ts",
  "test/ci/**/*.test.ts",
  // The Dockerfile's own build and start steps, in a scratch directory.
  "test/deploy/dockerfile.test.ts",
  // `npm run bench` on a tiny budget: the fakes, the floor and four servers as processes.
  "test/bench/**/*.test.ts",
];

/**
 * Tests that open sockets: the real server (in process or as a process),
 * the fake upstreams, or a local HTTP server around the code under test.
 * Named by file as well as by folder, so a file keeps its project when it
 * moves.
 */
const E2E = [
  "test/e2e/**/*.test.ts",
  "test/fakes/**/*.test.ts",
  "test/scripts/**/*.test.ts",
  "test/deploy/kubernetes-manifests.test.ts",
  "test/**/{exchange-contract,cors-and-request-id,health,one-port-server,reflection,shutdown}.test.ts",
  "test/**/{answer-formats,sse-writer,stream-encoder,image-fetcher}.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // A test that cannot finish must fail, not hang CI.
    teardownTimeout: 10_000,
    // `npm test` runs them all; `npm test -- --project unit` only the fast ones.
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          // Pure code: no socket, no process; everything not named below.
          include: ["test/**/*.test.ts"],
          exclude: [...E2E, ...CLI],
          // Sharing the module graph between files makes the run a few seconds instead of half a
          // minute; what a test may leave behind (timers, stubbed env and globals) is undone after it.
          isolate: false,
          unstubEnvs: true,
          unstubGlobals: true,
          setupFiles: ["test/helpers/real-timers-after-each.ts"],
        },
      },
      { extends: true, test: { name: "e2e", include: E2E } },
      { extends: true, test: { name: "cli", include: CLI } },
    ],
  },
});
