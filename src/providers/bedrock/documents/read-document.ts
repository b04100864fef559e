import type { FileContent } from "../../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../../core/errors.js";
import type { ConverseDocumentFormat } from "../../../wire/bedrock-converse.js";
import { parseDataUrl } from "../images/parse-data-url.js";

/** A document ready for a Bedrock body, in neither family's shape yet. */
export interface BedrockDocument {
  format: ConverseDocumentFormat;
  /** The bytes in base64. */
  base64: string;
  /** A name Converse accepts, unique in the request. */
  name: string;
  /** Where the caller put it, for the errors that name it. */
  param: string;
}

/** The document formats Bedrock takes (Converse's DocumentFormat), by media type and by file extension. */
const FORMATS_BY_MEDIA_TYPE: Record<string, ConverseDocumentFormat> = {
  "application/pdf": "pdf",
  "text/plain": "txt",
  "text/markdown": "md",
  "text/x-markdown": "md",
  "text/csv": "csv",
  "text/html": "html",
  "application/msword": "doc",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.ms-excel": "xls",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
};
const FORMATS_BY_EXTENSION: Record<string, ConverseDocumentFormat> = {
  pdf: "pdf",
  txt: "txt",
  md: "md",
  markdown: "md",
  csv: "csv",
  html: "html",
  htm: "html",
  doc: "doc",
  docx: "docx",
  xls: "xls",
  xlsx: "xlsx",
};

/** The formats Claude reads on InvokeModel: PDF as base64, the text formats as plain text. */
export const CLAUDE_TEXT_FORMATS: readonly ConverseDocumentFormat[] = ["txt", "md", "csv", "html"];

function refused(param: string, message: string): InvalidRequestError {
  return new InvalidRequestError(message, { param, code: "invalid_value" });
}

function formatOf(mediaType: string, filename: string, param: string): ConverseDocumentFormat {
  const byType = FORMATS_BY_MEDIA_TYPE[mediaType];
  if (byType) return byType;
  const extension = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? "";
  const byExtension = FORMATS_BY_EXTENSION[extension];
  // A generic media type says nothing; the file's extension then decides.
  if (byExtension && (mediaType === "" || mediaType === "application/octet-stream")) return byExtension;
  throw refused(
    param,
    `Invalid '${param}': Bedrock models take PDF, plain text, Markdown, CSV, HTML, Word and Excel documents, not '${mediaType || filename || "this file"}'.`,
  );
}

/**
 * A document name as Converse allows it (letters, digits, single spaces,
 * hyphens, parentheses and square brackets): the file name without its
 * extension, other characters as hyphens.
 */
export function documentName(filename: string): string {
  const name = filename
    .replace(/\.[A-Za-z0-9]+$/, "")
    .replace(/[^A-Za-z0-9\s\-()[\]]+/g, "-")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
  return name === "" ? "document" : name;
}

/**
 * Reads an OpenAI `file` part given inline (`file_data`, a base64 data URL)
 * as a Bedrock document. OpenAI file ids and types Bedrock does not take are
 * refused, naming the part.
 */
export function readDocument(file: FileContent, param: string, takenNames: Set<string>): BedrockDocument {
  if (file.fileData === "") {
    throw new InvalidRequestError(
      `'${param}.file_id' is not supported for Bedrock models: OpenAI file ids are OpenAI's; send the document as file_data.`,
      { param: `${param}.file_id`, code: "unsupported_parameter" },
    );
  }
  const data = parseDataUrl(file.fileData);
  if (!data) {
    throw refused(
      `${param}.file_data`,
      `Invalid '${param}.file_data': expected a base64 data URL (data:<type>;base64,...).`,
    );
  }
  const format = formatOf(data.mediaType, file.filename, `${param}.file_data`);
  const base = documentName(file.filename);
  let name = base;
  for (let copy = 2; takenNames.has(name); copy += 1) name = `${base} (${copy})`;
  takenNames.add(name);
  return { format, base64: data.base64, name, param };
}
