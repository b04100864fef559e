import { afterEach, describe, expect, it, vi } from "vitest";
import {
  AuthenticationError,
  type GatewayError,
  InvalidRequestError,
  ModelNotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  TimeoutError,
  UpstreamError,
} from "../../../src/core/errors.js";
import { errorAnswer } from "../../../src/dialects/openai-chat/error-body.js";
import { mapOpenAIErrorAnswer, type OpenAIErrorAnswer } from "../../../src/providers/openai/map-openai-error.js";
import { sseJson, wireJson } from "../../helpers/wire-fixtures.js";

interface ErrorExample {
  name: string;
  status: number;
  headers: Record<string, string>;
  body: { error: { message: string; type: string; param: string | null; code: string | null } };
}

const examples = wireJson<{ examples: ErrorExample[] }>("openai/errors.json").examples;
const example = (name: string): ErrorExample => {
  const found = examples.find((entry) => entry.name === name);
  if (!found) throw new Error(`no example ${name}`);
  return found;
};

/** What the exchange hands the mapping for one recorded answer. */
function answerOf(recorded: ErrorExample): OpenAIErrorAnswer {
  return { status: recorded.status, error: recorded.body.error, retryAfter: recorded.headers["retry-after"] ?? null };
}

type Expected = [
  name: string,
  Class: abstract new (...args: never[]) => GatewayError,
  code: string | null,
  param: string | null,
];

describe("mapOpenAIErrorAnswer on the recorded OpenAI errors (errors.json)", () => {
  it.each<Expected>([
    ["400 invalid_request_error (bad parameter value)", InvalidRequestError, "invalid_value", "temperature"],
    [
      "400 invalid_request_error (missing required field)",
      InvalidRequestError,
      "missing_required_parameter",
      "messages",
    ],
    ["404 model_not_found", ModelNotFoundError, "model_not_found", null],
    ["429 rate limit", RateLimitError, "rate_limit_exceeded", null],
    ["429 quota exhausted (not worth retrying)", RateLimitError, "insufficient_quota", null],
    ["500 server_error", UpstreamError, null, null],
    ["503 overloaded / unavailable", ServiceUnavailableError, null, null],
    ["503 overloaded (newer documented type/code)", ServiceUnavailableError, "server_is_overloaded", null],
  ])("maps %s to %o, keeping code %s and param %s", (name, Class, code, param) => {
    const recorded = example(name);
    const error = mapOpenAIErrorAnswer(answerOf(recorded));
    expect(error).toBeInstanceOf(Class);
    expect(error.code).toBe(code);
    expect(error.param).toBe(param);
    expect(error.message).toContain(recorded.body.error.message);
  });

  it("covers every recorded example", () => {
    expect(examples).toHaveLength(9);
  });

  it("maps the 401 to an AuthenticationError about the server's own key, without OpenAI's text", () => {
    const recorded = example("401 invalid API key");
    const error = mapOpenAIErrorAnswer(answerOf(recorded));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.httpStatus).toBe(401);
    expect(error.code).toBe("upstream_authentication");
    expect(error.message).toBe("OpenAI refused the server's OPENAI_API_KEY.");
    expect(error.message).not.toContain("sk-abc");
  });

  it("carries the 429's retry-after on to the caller", () => {
    const error = mapOpenAIErrorAnswer(answerOf(example("429 rate limit")));
    expect(error.retryAfterSeconds).toBe(1);
    expect(errorAnswer(error).headers["retry-after"]).toBe("1");
  });

  it("keeps the status of each recorded error class on the HTTP facade", () => {
    const statuses = examples.map((recorded) => [
      recorded.status,
      errorAnswer(mapOpenAIErrorAnswer(answerOf(recorded))).status,
    ]);
    expect(statuses).toEqual([
      [400, 400],
      [400, 400],
      [401, 401],
      [404, 404],
      [429, 429],
      [429, 429],
      [500, 502],
      [503, 503],
      [503, 503],
    ]);
  });

  it("answers every recorded error without the upstream's key, masked or not", () => {
    for (const recorded of examples) {
      const mapped = mapOpenAIErrorAnswer(answerOf(recorded));
      expect(JSON.stringify(errorAnswer(mapped).body)).not.toMatch(/sk-[A-Za-z0-9]/);
    }
  });

  it("maps an error event inside a 200 stream (stream_error_midstream.sse) to an UpstreamError", () => {
    const event = sseJson("openai/stream_error_midstream.sse")[2] as { error: OpenAIErrorAnswer["error"] };
    const error = mapOpenAIErrorAnswer({ status: undefined, error: event.error });
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.message).toBe(
      "OpenAI failed while streaming: The server had an error while processing your request. Sorry about that!",
    );
  });
});

describe("mapOpenAIErrorAnswer by status", () => {
  const body = { message: "went wrong", type: "x", code: "some_code", param: "p" };

  it.each<[number, abstract new (...args: never[]) => GatewayError]>([
    [400, InvalidRequestError],
    [403, PermissionDeniedError],
    [404, ModelNotFoundError],
    [408, TimeoutError],
    // A conflict, a teapot, a wrong method: the upstream's failure, not a fault of the caller's request.
    [405, UpstreamError],
    [409, UpstreamError],
    [418, UpstreamError],
    [413, InvalidRequestError],
    [422, InvalidRequestError],
    [429, RateLimitError],
    [500, UpstreamError],
    [502, UpstreamError],
    [503, ServiceUnavailableError],
    [504, TimeoutError],
    [520, UpstreamError],
    [302, UpstreamError],
  ])("maps status %i to %o", (status, Class) => {
    const error = mapOpenAIErrorAnswer({ status, error: body });
    expect(error).toBeInstanceOf(Class);
    expect(error.code).toBe("some_code");
    expect(error.param).toBe("p");
  });

  it("gives 404 and 429 their OpenAI codes when the upstream sent none", () => {
    expect(mapOpenAIErrorAnswer({ status: 404, error: { message: "nope" } }).code).toBe("model_not_found");
    expect(mapOpenAIErrorAnswer({ status: 429, error: { message: "slow" } }).code).toBe("rate_limit_exceeded");
  });

  it("copes with a body without an error object or with wrongly typed fields", () => {
    const bare = mapOpenAIErrorAnswer({ status: 500 });
    expect(bare).toBeInstanceOf(UpstreamError);
    expect(bare.message).toBe("OpenAI failed with status 500: no message");
    const odd = mapOpenAIErrorAnswer({ status: 400, error: { message: 42, code: {}, param: ["x"], type: null } });
    expect(odd).toBeInstanceOf(InvalidRequestError);
    expect(odd.message).toBe("no message");
    expect(odd.code).toBeNull();
    expect(odd.param).toBeNull();
    expect(mapOpenAIErrorAnswer({ status: 400, error: { message: "", code: "", param: "" } }).param).toBeNull();
  });

  it("redacts secrets the upstream echoes", () => {
    const texts = [
      "Incorrect API key provided: sk-proj-Ab12Cd34Ef56Gh78Ij90. You can find your API key at https://platform.openai.com.",
      "Request had Authorization: Bearer abcdefgh12345678ijkl",
    ];
    for (const status of [undefined, 400, 403, 404, 429, 500, 503, 504]) {
      for (const message of texts) {
        const error = mapOpenAIErrorAnswer({ status, error: { message } });
        expect(error.message).not.toContain("Ab12Cd34Ef56Gh78Ij90");
        expect(error.message).not.toContain("abcdefgh12345678ijkl");
      }
    }
  });
});

describe("retry-after", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const retryAfter = (value: string | null | undefined) =>
    mapOpenAIErrorAnswer({ status: 429, error: { message: "slow" }, retryAfter: value }).retryAfterSeconds;

  it("reads seconds, fractions included", () => {
    expect(retryAfter("20")).toBe(20);
    expect(retryAfter("0.5")).toBe(0.5);
    expect(retryAfter("0")).toBe(0);
  });

  it("reads an HTTP date as the seconds until then", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    expect(retryAfter("Thu, 01 Jan 2026 00:00:30 GMT")).toBe(30);
    expect(retryAfter("Wed, 31 Dec 2025 23:59:00 GMT")).toBe(0);
  });

  it("ignores a missing or unreadable value", () => {
    expect(retryAfter(undefined)).toBeUndefined();
    expect(retryAfter(null)).toBeUndefined();
    expect(retryAfter("")).toBeUndefined();
    expect(retryAfter("soon")).toBeUndefined();
  });

  it("does not take numbers or words for dates", () => {
    for (const value of ["-5", "1 2", "x 3", "2026-01-01"]) expect(retryAfter(value), value).toBeUndefined();
  });

  it("is carried on every class that has it", () => {
    for (const status of [403, 404, 408, 503, 500]) {
      expect(mapOpenAIErrorAnswer({ status, error: { message: "x" }, retryAfter: "7" }).retryAfterSeconds).toBe(7);
    }
  });
});
