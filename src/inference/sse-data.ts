/**
 * The `data:` payloads of a server-sent-events stream, as bytes arrive: lines may be split
 * across chunks, and so may a character's UTF-8 bytes. `[DONE]` (OpenAI's end marker) and
 * other fields are skipped; a last line without its newline is not a complete event.
 */
export async function* sseData(body: AsyncIterable<Uint8Array>, onBytes: () => void = () => undefined): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of body) {
    onBytes();
    buffer += decoder.decode(bytes, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (!line.startsWith('data:')) continue;
      const payload = line.slice(5).trim();
      if (payload !== '[DONE]') yield payload;
    }
  }
}
