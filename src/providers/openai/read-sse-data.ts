/**
 * Reads a Server-Sent Events body and yields the data of each event (its
 * `data:` lines joined by newlines). Comments, `event:`, `id:` and `retry:`
 * fields are skipped: OpenAI's chat streams carry everything in `data:`.
 */
export async function* readSseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  let data: string[] = [];
  const lines = function* (text: string, final: boolean) {
    // A "\r" that ends a chunk may be the first half of a "\r\n" cut in two.
    const held = !final && text.endsWith("\r") ? "\r" : "";
    const parts = text.slice(0, text.length - held.length).split(/\r\n|\r|\n/);
    pending = final ? "" : (parts.pop() ?? "") + held;
    yield* parts;
  };
  const take = (line: string): string | undefined => {
    if (line === "") {
      const event = data.length > 0 ? data.join("\n") : undefined;
      data = [];
      return event;
    }
    if (line.startsWith("data:")) data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
    return undefined;
  };
  for await (const chunk of body) {
    for (const line of lines(pending + decoder.decode(chunk, { stream: true }), false)) {
      const event = take(line);
      if (event !== undefined) yield event;
    }
  }
  for (const line of lines(pending + decoder.decode(), true)) {
    const event = take(line);
    if (event !== undefined) yield event;
  }
  const last = take("");
  if (last !== undefined) yield last;
}
