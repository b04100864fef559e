import type { GatewayError } from "../../core/errors.js";
import { messageNamingParam } from "../shared/error-message.js";

const EXCEPTIONS_BY_STATUS: Record<number, string> = {
  400: "ValidationException",
  401: "UnrecognizedClientException",
  403: "AccessDeniedException",
  404: "ResourceNotFoundException",
  // Bedrock refuses an oversized body as invalid.
  413: "ValidationException",
  429: "ThrottlingException",
  503: "ServiceUnavailableException",
  504: "ModelTimeoutException",
};

/** The Bedrock Runtime exception name for a gateway error, as `x-amzn-errortype` names it. */
export function bedrockExceptionName(error: GatewayError): string {
  return EXCEPTIONS_BY_STATUS[error.httpStatus] ?? "InternalServerException";
}

/** Bedrock's error: the exception's name (a header on unary answers) and the `{"message"}` body. */
export interface TitanError {
  exception: string;
  body: { message: string };
}

export function toTitanError(error: GatewayError): TitanError {
  return { exception: bedrockExceptionName(error), body: { message: messageNamingParam(error) } };
}
