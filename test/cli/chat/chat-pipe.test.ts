import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, useOpenAIGateway } from "../../helpers/gateway.js";
import { BUILD_TIMEOUT_MS, cliCommand, createSandbox, runCli, spawnCli, waitForOutput } from "../../helpers/run-cli.js";

// The first run builds the command (see built-cli.ts).
beforeAll(() => cliCommand(), BUILD_TIMEOUT_MS);

const setup = useOpenAIGateway();
const sandbox = createSandbox();
afterAll(() => sandbox.remove());

function chat(args: string[], input: string, env: NodeJS.ProcessEnv = { API_KEY: setup.gateway.key }) {
  return runCli(["chat", "--server-url", setup.gateway.url, ...args], { sandbox, input, env });
}

describe.each(["http", "grpc"] as const)("chat with stdin from a pipe, over %s", (protocol) => {
  it("sends the whole input as one prompt and prints only the answer", async () => {
    const result = await chat(
      ["--protocol", protocol, "--model", "gpt-4o", "--system", "Be brief."],
      "line one\nline two\n",
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("You said: line one\nline two\n");
    expect(result.code).toBe(0);
    const body = setup.upstream.lastChatBody();
    expect(body.model).toBe("gpt-4o");
    expect(body.stream).toBe(true);
    expect(body.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "line one\nline two" },
    ]);
  });

  it("reports a server error as one line on stderr and exits 1", async () => {
    setup.upstream.enqueue({
      kind: "error",
      status: 404,
      body: {
        error: {
          message: "The model `gpt-9` does not exist or you do not have access to it.",
          type: "invalid_request_error",
          param: null,
          code: "model_not_found",
        },
      },
    });
    const result = await chat(["--protocol", protocol, "--model", "gpt-9"], "hi");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const status = protocol === "http" ? "HTTP 404" : "gRPC NOT_FOUND";
    expect(result.stderr).toBe(
      `open-bedrock: The model \`gpt-9\` does not exist or you do not have access to it. (${status})\n`,
    );
  });

  it("keeps the text streamed before an error in the middle of the answer", async () => {
    setup.upstream.enqueue({
      kind: "midstream-error",
      afterChunks: 3,
      error: {
        error: {
          message: "The server had an error while processing your request. Sorry about that!",
          type: "server_error",
          param: null,
          code: null,
        },
      },
    });
    const result = await chat(["--protocol", protocol], "tell me more");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("You said: \n");
    expect(result.stderr).toMatch(/^open-bedrock: OpenAI failed while streaming: The server had an error [^\n]*\n$/);
  });

  it("stops on Ctrl-C (SIGINT) with exit code 130, the text so far kept, and the server cancels upstream", async () => {
    // The role chunk and two words, then the upstream holds the answer open: the signal comes mid-stream.
    setup.upstream.enqueue({ kind: "reply", text: "one two three four five", holdAfterChunks: 3 });
    const child = await spawnCli(["chat", "--server-url", setup.gateway.url, "--protocol", protocol], {
      sandbox,
      env: { API_KEY: setup.gateway.key },
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
    });
    child.stderr?.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
    });
    const closed = once(child, "close");
    child.stdin?.end("count for me");
    await waitForOutput(child.stdout as NodeJS.ReadableStream, /one two /);
    child.kill("SIGINT");
    const [code] = (await closed) as [number | null];
    expect(code).toBe(130);
    expect(stdout).toBe("one two \n");
    expect(stderr).toBe("open-bedrock: Cancelled.\n");
    const request = setup.upstream.chatRequests[0];
    await request?.whenAborted;
    expect(request?.aborted).toBe(true);
  });

  it("reports a wrong key as one line, and adds the stack trace only under --verbose", async () => {
    const status = protocol === "http" ? "HTTP 401" : "gRPC UNAUTHENTICATED";
    const line = `open-bedrock: Incorrect API key provided. (${status})`;
    const result = await chat(["--protocol", protocol, "--api-key", "not-the-key"], "hi");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`${line}\n`);
    for (const args of [
      ["--verbose", "--protocol", protocol],
      ["--protocol", protocol, "--verbose"],
    ]) {
      const verbose = await chat([...args, "--api-key", "not-the-key"], "hi");
      expect(verbose.code).toBe(1);
      expect(verbose.stdout).toBe("");
      const [first, ...stack] = verbose.stderr.split("\n");
      expect(first).toBe(line);
      expect(stack.join("\n")).toMatch(/^CliError: Incorrect API key provided[^\n]*\n {4}at /);
    }
    expect(setup.upstream.chatRequests).toHaveLength(0);
  });
});

describe("chat from a pipe: failures before any request", () => {
  it("refuses an empty prompt", async () => {
    const result = await chat([], "  \n");
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("open-bedrock: No prompt: stdin was empty.\n");
    expect(setup.upstream.chatRequests).toHaveLength(0);
  });

  it("needs an API key", async () => {
    const result = await chat([], "hi", {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^open-bedrock: No API key: pass --api-key, or set API_KEY [^\n]*\n$/);
  });

  it("takes the API key from the user config file, as the server does", async () => {
    const own = createSandbox();
    try {
      const set = await runCli(["config", "set", "API_KEY", setup.gateway.key], { sandbox: own });
      expect(set.code).toBe(0);
      const result = await runCli(["chat", "--server-url", setup.gateway.url], { sandbox: own, input: "from config" });
      expect(result.stdout).toBe("You said: from config\n");
      expect(result.code).toBe(0);
    } finally {
      own.remove();
    }
  });

  it("says when the server cannot be reached", async () => {
    const closed = await startGateway();
    const url = closed.url;
    await closed.close(100);
    for (const protocol of ["http", "grpc"]) {
      const result = await runCli(["chat", "--server-url", url, "--protocol", protocol], {
        sandbox,
        input: "hi",
        env: { API_KEY: "k" },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `open-bedrock: Cannot reach the server at ${url} (ECONNREFUSED). Is \`open-bedrock serve\` running?\n`,
      );
    }
  });

  it("refuses a server URL that is not http(s)", async () => {
    const result = await runCli(["chat", "--server-url", "ftp://example.com"], { sandbox, input: "hi" });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "open-bedrock: --server-url must be an http:// or https:// URL, not 'ftp://example.com'.\n",
    );
  });
});
