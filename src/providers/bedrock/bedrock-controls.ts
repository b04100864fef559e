import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import type { ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../core/errors.js";
import { isNeutral } from "../../core/extension-fields.js";
import type { ConverseServiceTierType } from "../../wire/bedrock-converse.js";
import { GUARDRAIL_TRACES, type GuardrailSettings } from "./bedrock-exchange.js";
import { CLAUDE_FAMILY as CLAUDE, CONVERSE_FAMILY as CONVERSE, type FamilyName } from "./family-name.js";

/** The server's own Bedrock settings that shape requests. */
export interface BedrockSettings {
  /** `BEDROCK_GUARDRAIL_ID` / `_VERSION` / `_TRACE`: applied to every Bedrock request. */
  guardrail?: GuardrailSettings;
  /** `BEDROCK_PROMPT_CACHE=auto`: cache breakpoints after the tools and the system prompt. */
  autoCache: boolean;
}

export const DEFAULT_BEDROCK_SETTINGS: BedrockSettings = { autoCache: false };

/** What a request asks of Bedrock beyond the conversation, read from its fields and `extensions`. */
export interface BedrockControls {
  guardrail?: GuardrailSettings;
  serviceTier?: ConverseServiceTierType;
  latency?: "standard" | "optimized";
  /** A Claude-native `thinking` object, passed to Claude as given. */
  thinking?: JsonObject;
  /** Claude's `anthropic_beta` flags, passed as given. */
  anthropicBeta?: string[];
  /** Converse's `requestMetadata`: `user`, `safety_identifier` and OpenAI's `metadata`. */
  requestMetadata: Record<string, string>;
  /** Claude's `metadata.user_id`. */
  userId?: string;
}

function refused(param: string, family: FamilyName, why: string): InvalidRequestError {
  return new InvalidRequestError(`'${param}' is not supported for ${family}: ${why}.`, {
    param,
    code: "unsupported_parameter",
  });
}

function invalid(param: string, message: string): InvalidRequestError {
  return new InvalidRequestError(message, { param, code: "invalid_value" });
}

/** Bedrock's rule for request metadata keys and values. */
const METADATA_TEXT = /^[a-zA-Z0-9\s:_@$#=/+,\-.]{0,256}$/;

function metadataText(value: string, param: string): string {
  if (METADATA_TEXT.test(value)) return value;
  throw invalid(
    param,
    `Invalid '${param}': Bedrock request metadata takes at most 256 of the characters a-z, A-Z, 0-9, space and :_@$#=/+,-.`,
  );
}

function objectOf(value: JsonValue, param: string): JsonObject {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value;
  throw new InvalidRequestError(`Invalid type for '${param}': expected an object.`, { param, code: "invalid_type" });
}

function stringOf(value: JsonValue | undefined, param: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  throw new InvalidRequestError(`Invalid type for '${param}': expected a string.`, { param, code: "invalid_type" });
}

function oneOf<const T extends string>(value: string | undefined, values: readonly T[], param: string): T | undefined {
  if (value === undefined || (values as readonly string[]).includes(value)) return value as T | undefined;
  throw invalid(
    param,
    `Invalid value for '${param}': '${value}'. Supported values are: ${values.map((v) => `'${v}'`).join(", ")}.`,
  );
}

/** OpenAI's service tiers as Bedrock's: `auto` is Bedrock's own choice; `scale` has no Bedrock equivalent. */
const SERVICE_TIERS: Record<string, ConverseServiceTierType | null> = {
  auto: null,
  default: "default",
  flex: "flex",
  priority: "priority",
  reserved: "reserved",
};

interface ControlContext {
  family: FamilyName;
  controls: BedrockControls;
}

type ControlReader = (value: JsonValue, context: ControlContext) => void;

/** The extension fields Bedrock honours, each with how it is read. */
const CONTROLS: Record<string, ControlReader> = {
  service_tier: (value, { controls }) => {
    const tier = stringOf(value, "service_tier");
    if (tier === undefined) return;
    const mapped = SERVICE_TIERS[tier];
    if (mapped === undefined) {
      throw invalid(
        "service_tier",
        `Invalid value for 'service_tier': '${tier}'. Bedrock takes 'auto', 'default', 'flex', 'priority' or 'reserved'.`,
      );
    }
    if (mapped !== null) controls.serviceTier = mapped;
  },
  guardrail_config: (value, { controls }) => {
    const config = objectOf(value, "guardrail_config");
    const identifier = stringOf(config.guardrail_identifier, "guardrail_config.guardrail_identifier");
    const version = stringOf(config.guardrail_version, "guardrail_config.guardrail_version");
    const trace = oneOf(stringOf(config.trace, "guardrail_config.trace"), GUARDRAIL_TRACES, "guardrail_config.trace");
    // A caller may choose another guardrail or another trace; a configured guardrail cannot be turned off.
    const base = controls.guardrail;
    const same = identifier === undefined || identifier === base?.identifier;
    const chosen = {
      identifier: identifier ?? base?.identifier,
      version: version ?? (same ? base?.version : undefined),
    };
    for (const [name, given] of Object.entries(chosen)) {
      if (given) continue;
      throw new InvalidRequestError(
        `Missing 'guardrail_config.guardrail_${name}': ${base ? "another guardrail needs its version" : "no guardrail is configured on the server"}.`,
        { param: `guardrail_config.guardrail_${name}`, code: "missing_required_parameter" },
      );
    }
    controls.guardrail = {
      identifier: chosen.identifier as string,
      version: chosen.version as string,
      trace: trace ?? base?.trace ?? "disabled",
    };
  },
  performance_config: (value, { controls }) => {
    const config = objectOf(value, "performance_config");
    const latency = oneOf(
      stringOf(config.latency, "performance_config.latency"),
      ["standard", "optimized"] as const,
      "performance_config.latency",
    );
    if (latency) controls.latency = latency;
  },
  thinking: (value, { family, controls }) => {
    if (family !== CLAUDE) throw refused("thinking", family, "it is Claude's own parameter; use reasoning_effort");
    controls.thinking = objectOf(value, "thinking");
  },
  anthropic_beta: (value, { family, controls }) => {
    if (family !== CLAUDE) throw refused("anthropic_beta", family, "it is Claude's own parameter");
    if (!Array.isArray(value) || !value.every((flag) => typeof flag === "string")) {
      throw new InvalidRequestError("Invalid type for 'anthropic_beta': expected an array of strings.", {
        param: "anthropic_beta",
        code: "invalid_type",
      });
    }
    controls.anthropicBeta = value as string[];
  },
  metadata: (value, { family, controls }) => {
    const metadata = objectOf(value, "metadata");
    if (Object.keys(metadata).length === 0) return;
    if (family !== CONVERSE) throw refused("metadata", family, "only Converse models take request metadata");
    for (const [key, entry] of Object.entries(metadata)) {
      const param = `metadata.${key}`;
      metadataText(key, param);
      controls.requestMetadata[key] = metadataText(stringOf(entry, param) ?? "", param);
    }
  },
  safety_identifier: (value, { family, controls }) => {
    const id = stringOf(value, "safety_identifier");
    if (!id) return;
    if (family === CONVERSE) controls.requestMetadata.safety_identifier = metadataText(id, "safety_identifier");
    else if (family === CLAUDE && controls.userId === undefined) controls.userId = id;
    else throw refused("safety_identifier", family, "it has no place for an end-user id besides 'user'");
  },
};

/**
 * OpenAI fields that Bedrock has no equivalent for: their neutral values
 * (what clients send by default: `false`, `0`, `{}`, `null`) pass, any
 * other value is refused with why.
 */
const NEUTRAL_ONLY: Record<string, string> = {
  store: "Bedrock does not store completions",
  logprobs: "Bedrock models return no log probabilities",
  top_logprobs: "Bedrock models return no log probabilities",
  logit_bias: "Bedrock models take no logit bias",
  prediction: "Bedrock models take no predicted output",
  audio: "Bedrock chat models answer in text",
  web_search_options: "Bedrock models have no built-in web search here",
  verbosity: "Bedrock models have no verbosity setting; say it in the prompt",
  prompt_cache_key: "Bedrock caches by explicit breakpoints; mark them with cache_control",
  functions: "use 'tools'",
  function_call: "use 'tool_choice'",
};

/** `modalities` asking for text only is what every Bedrock chat model does. */
function onlyText(value: JsonValue): boolean {
  return Array.isArray(value) && value.every((modality) => modality === "text");
}

/**
 * Reads what a request asks of Bedrock beyond the conversation: the
 * documented extension fields (`service_tier`, `guardrail_config`,
 * `performance_config`, Claude's `thinking` and `anthropic_beta`, OpenAI's
 * `metadata` and `safety_identifier`), `user`, and the server's guardrail.
 * Every other field is refused with a 400 naming it: nothing is dropped
 * in silence.
 */
export function readBedrockControls(
  request: ChatCompletionRequest,
  family: FamilyName,
  settings: BedrockSettings,
): BedrockControls {
  const controls: BedrockControls = {
    requestMetadata: {},
    ...(settings.guardrail ? { guardrail: settings.guardrail } : {}),
  };
  if (request.user !== "") {
    if (family === CONVERSE) controls.requestMetadata.user = metadataText(request.user, "user");
    else if (family === CLAUDE) controls.userId = request.user;
    else throw refused("user", family, "they have no place for an end-user id");
  }
  const context: ControlContext = { family, controls };
  for (const [key, value] of Object.entries(request.extensions ?? {})) {
    const read = CONTROLS[key];
    if (read) {
      if (value !== null) read(value, context);
      continue;
    }
    if (key === "modalities" && (value === null || onlyText(value))) continue;
    const why = NEUTRAL_ONLY[key];
    if (why !== undefined && isNeutral(value)) continue;
    throw refused(key, family, why ?? "this server does not know the field for Bedrock models");
  }
  for (const [key, value] of Object.entries(request.streamOptions?.extensions ?? {})) {
    if (!isNeutral(value)) {
      throw refused(`stream_options.${key}`, family, "Bedrock streams have no such option");
    }
  }
  return controls;
}
