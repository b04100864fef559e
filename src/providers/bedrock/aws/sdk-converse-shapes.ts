import type {
  ContentBlock,
  ConverseCommandInput,
  DocumentBlock,
  ImageBlock,
  ToolResultContentBlock,
} from "@aws-sdk/client-bedrock-runtime";
import type {
  ConverseContentBlock,
  ConverseDocumentBlock,
  ConverseImageBlock,
  ConverseRequest,
  ConverseToolResultContent,
} from "../../../wire/bedrock-converse.js";

/*
 * The SDK takes the Converse wire JSON with one difference: blobs are
 * Uint8Array, not base64. Everything else (documents such as tool inputs
 * and schemas included) has the same shape, so only the blob-bearing blocks
 * are rebuilt here.
 */

const fromBase64 = (data: string) => new Uint8Array(Buffer.from(data, "base64"));

function sdkImage(image: ConverseImageBlock): ImageBlock {
  return {
    format: image.format,
    source:
      "bytes" in image.source ? { bytes: fromBase64(image.source.bytes) } : { s3Location: image.source.s3Location },
  };
}

function sdkDocument(document: ConverseDocumentBlock): DocumentBlock {
  const source = document.source;
  return {
    format: document.format,
    name: document.name,
    source:
      "bytes" in source
        ? { bytes: fromBase64(source.bytes) }
        : "text" in source
          ? { text: source.text }
          : { s3Location: source.s3Location },
  };
}

function sdkToolResultContent(part: ConverseToolResultContent): ToolResultContentBlock {
  if ("image" in part) return { image: sdkImage(part.image) };
  if ("document" in part) return { document: sdkDocument(part.document) };
  if ("text" in part) return { text: part.text };
  return { json: part.json as ToolResultContentBlock.JsonMember["json"] };
}

function sdkBlock(block: ConverseContentBlock): ContentBlock {
  if ("image" in block) return { image: sdkImage(block.image) };
  if ("document" in block) return { document: sdkDocument(block.document) };
  if ("toolResult" in block) {
    return { toolResult: { ...block.toolResult, content: block.toolResult.content.map(sdkToolResultContent) } };
  }
  if ("reasoningContent" in block) {
    const { reasoningText, redactedContent } = block.reasoningContent;
    return {
      reasoningContent: reasoningText ? { reasoningText } : { redactedContent: fromBase64(redactedContent ?? "") },
    };
  }
  // Text, tool use, cache points and guard content are the same JSON for the SDK.
  return block as ContentBlock;
}

export function toSdkConverseInput(body: ConverseRequest): Omit<ConverseCommandInput, "modelId"> {
  return {
    ...body,
    messages: body.messages.map((message) => ({ role: message.role, content: message.content.map(sdkBlock) })),
  } as Omit<ConverseCommandInput, "modelId">;
}

/**
 * An SDK answer as wire JSON: blobs back to base64, dates to ISO strings,
 * unset members left out.
 */
export function fromSdkValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(fromSdkValue);
  if (typeof value === "object" && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) result[key] = fromSdkValue(member);
    }
    return result;
  }
  return value;
}
