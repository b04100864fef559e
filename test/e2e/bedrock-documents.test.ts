/**
 * Documents on Bedrock: OpenAI `file` parts (a base64 data URL) as Claude's
 * `document` blocks (PDF as base64, plain-text types as text) and as
 * Converse `document` blocks (every format Converse takes, under a name
 * Converse accepts, unique in the request); anything else is a 400 naming
 * the part.
 */
import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { BEDROCK_HTTP_CLIENTS, rejection, useBedrockStack } from "../fakes/fake-bedrock-stack.js";

const SONNET_4 = "us.anthropic.claude-sonnet-4-20250514-v1:0";
const NOVA = "amazon.nova-lite-v1:0";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
const dataUrl = (mediaType: string, bytes: Buffer | string) =>
  `data:${mediaType};base64,${Buffer.from(bytes).toString("base64")}`;
const file = (file_data: string, filename: string) => ({ type: "file", file: { file_data, filename } });

function ask(model: string, parts: unknown[], extra: Record<string, unknown> = {}) {
  return {
    model,
    messages: [{ role: "user", content: [...parts, { type: "text", text: "Summarise these." }] }],
    ...extra,
  } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming;
}

describe.each(BEDROCK_HTTP_CLIENTS)("Documents (Bedrock through %s)", (httpClient) => {
  const stack = useBedrockStack({ bedrock: { httpClient } });

  it("sends a PDF to Claude as a base64 document block and a text file as a text document", async () => {
    const answer = await stack.openai.chat.completions.create(
      ask(SONNET_4, [
        file(dataUrl("application/pdf", PDF), "Q3 report.pdf"),
        file(dataUrl("text/plain", "Line one.\nLine two."), "notes.txt"),
      ]),
    );
    const turn = (stack.bedrock.last().body.messages as { content: unknown[] }[])[0];
    expect(turn?.content).toEqual([
      {
        type: "document",
        source: { type: "base64", media_type: "application/pdf", data: PDF.toString("base64") },
        title: "Q3 report",
      },
      {
        type: "document",
        source: { type: "text", media_type: "text/plain", data: "Line one.\nLine two." },
        title: "notes",
      },
      { type: "text", text: "Summarise these." },
    ]);
    expect(answer.choices[0]?.message.content).toBe(
      `You said: Summarise these. [document Q3 report, ${PDF.length} bytes] [document notes, 19 bytes]`,
    );
  });

  it("sends documents to Converse with their format and a name Converse accepts, unique in the request", async () => {
    const csv = "city,temp\nParis,18\n";
    await stack.openai.chat.completions.create(
      ask(NOVA, [
        file(dataUrl("application/pdf", PDF), "report_2024.v2.pdf"),
        file(dataUrl("text/csv", csv), "report_2024.v2.csv"),
        // A generic media type: the file's extension says what it is.
        file(dataUrl("application/octet-stream", "# Title"), "readme.md"),
      ]),
    );
    const turn = (stack.bedrock.last().body.messages as { content: unknown[] }[])[0];
    expect(turn?.content).toEqual([
      { document: { format: "pdf", name: "report-2024-v2", source: { bytes: PDF.toString("base64") } } },
      {
        document: { format: "csv", name: "report-2024-v2 (2)", source: { bytes: Buffer.from(csv).toString("base64") } },
      },
      { document: { format: "md", name: "readme", source: { bytes: Buffer.from("# Title").toString("base64") } } },
      { text: "Summarise these." },
    ]);
  });

  it("streams an answer about a document", async () => {
    const stream = await stack.openai.chat.completions.create({
      ...ask(NOVA, [file(dataUrl("application/pdf", PDF), "a.pdf")]),
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe(`You said: Summarise these. [document a (pdf), ${PDF.length} bytes]`);
  });

  it.each<[string, string, unknown[], string]>([
    [
      "a Word document to Claude, which reads PDF and text",
      SONNET_4,
      [file(dataUrl("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK"), "a.docx")],
      "messages.[0].content.[0].file",
    ],
    [
      "an OpenAI file id",
      NOVA,
      [{ type: "file", file: { file_id: "file-abc123" } }],
      "messages.[0].content.[0].file.file_id",
    ],
    [
      "a type Bedrock does not take",
      NOVA,
      [file(dataUrl("image/svg+xml", "<svg/>"), "a.svg")],
      "messages.[0].content.[0].file.file_data",
    ],
    [
      "file_data that is not a data URL",
      NOVA,
      [file("https://example.com/a.pdf", "a.pdf")],
      "messages.[0].content.[0].file.file_data",
    ],
  ])("refuses %s, naming the part", async (_name, model, parts, param) => {
    const error = await rejection<InstanceType<typeof OpenAI.APIError>>(
      stack.openai.chat.completions.create(ask(model, parts)),
    );
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(stack.bedrock.requests).toHaveLength(0);
  });

  it("refuses a document outside a user message", async () => {
    const error = await rejection<InstanceType<typeof OpenAI.APIError>>(
      stack.openai.chat.completions.create({
        model: NOVA,
        messages: [
          { role: "system", content: [file(dataUrl("application/pdf", PDF), "a.pdf")] },
          { role: "user", content: "hi" },
        ],
      } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming),
    );
    expect(error.param).toBe("messages.[0].content.[0]");
  });
});
