import { invalidValue, missing } from "./field-checks.js";
import type { JsonFields } from "./json-fields.js";

/**
 * What the URL adds to a Bedrock body. On Bedrock the model is in the path
 * and streaming is a different operation, so a native body has neither:
 * `?model=` and `?stream=true` carry them here.
 */
export interface BedrockQuery {
  model?: string;
  stream?: boolean;
}

/** The `model` and `stream` query parameters. */
export function readBedrockQuery(params: URLSearchParams): BedrockQuery {
  const query: BedrockQuery = {};
  const model = params.get("model");
  if (model !== null && model.trim() !== "") query.model = model.trim();
  const stream = params.get("stream");
  if (stream !== null) {
    if (stream !== "true" && stream !== "false") {
      throw invalidValue("stream", `Invalid value for query parameter 'stream': '${stream}'. Use 'true' or 'false'.`);
    }
    query.stream = stream === "true";
  }
  return query;
}

/** The model of a Bedrock body: its own `model` field, or the `model` query parameter. */
export function bedrockModel(body: JsonFields, query: BedrockQuery, family: string): string {
  const inBody = body.string("model")?.trim() || undefined;
  if (inBody !== undefined && query.model !== undefined && inBody !== query.model) {
    throw invalidValue(
      "model",
      `The body names the model '${inBody}' and the query parameter 'model' names '${query.model}'; name it once.`,
    );
  }
  const model = inBody ?? query.model;
  if (model === undefined) {
    throw missing(
      "model",
      `: a ${family} body names its model by a 'model' field or a 'model' query parameter (?model=...)`,
    );
  }
  return model;
}

/** A Bedrock body streams when its `stream` field (as in Anthropic's API) or the query parameter says so. */
export function bedrockStream(body: JsonFields, query: BedrockQuery): boolean {
  return (body.boolean("stream") ?? false) || query.stream === true;
}
