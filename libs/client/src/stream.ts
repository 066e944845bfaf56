import { createParser } from 'eventsource-parser';

/** One server-sent event of the stream: its name (`st2.execution__update`) and its JSON data. */
export interface StreamMessage {
  event: string;
  data: unknown;
}

/** The events of a server-sent event body, as they arrive; comments (keep-alives) are skipped. */
export async function* streamMessages(body: AsyncIterable<Uint8Array>): AsyncGenerator<StreamMessage> {
  const arrived: StreamMessage[] = [];
  const parser = createParser({ onEvent: (message) => arrived.push({ event: message.event ?? 'message', data: JSON.parse(message.data) as unknown }) });
  const decoder = new TextDecoder();
  for await (const bytes of body) {
    parser.feed(decoder.decode(bytes, { stream: true }));
    while (arrived.length > 0) yield arrived.shift()!;
  }
}
