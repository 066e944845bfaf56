import type { ServerResponse } from 'node:http';
import type { Logger } from '@tempest/logging';
import { accepts, ends, type StreamEvent, type StreamFilter } from './stream-filter';

export interface StreamConnectionOptions {
  heartbeatMs: number;
  /** What the client may leave unread (bytes queued in this process); beyond it the client is cut off. */
  maxBufferedBytes: number;
}

/**
 * One client of the event stream, over server-sent events. A client that
 * does not read fast enough is disconnected instead of growing this process's
 * memory; a keep-alive comment goes out when nothing else does, so proxies
 * keep an idle stream open.
 */
export class StreamConnection {
  private heartbeat?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly filter: StreamFilter,
    private readonly options: StreamConnectionOptions,
    private readonly logger: Logger,
  ) {}

  /** Sends the headers at once: a client that sees them is subscribed. `onClose` runs once, however it ends. */
  open(onClose: () => void): void {
    this.response.on('close', () => {
      this.closed = true;
      clearTimeout(this.heartbeat);
      onClose();
    });
    this.response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      // nginx buffers responses unless told not to.
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    this.write(': connected\n\n');
  }

  send(event: StreamEvent): void {
    if (this.closed) return;
    if (accepts(this.filter, event)) this.write(`event: ${event.name}\ndata: ${JSON.stringify(event.data)}\n\n`);
    if (ends(this.filter, event)) this.end();
  }

  end(): void {
    if (!this.closed) this.response.end();
  }

  private write(text: string): void {
    if (this.closed) return;
    this.response.write(text);
    if (this.response.writableLength > this.options.maxBufferedBytes) {
      this.logger.warn({ buffered: this.response.writableLength }, 'event stream client reads too slowly: disconnected');
      this.response.destroy();
      return;
    }
    clearTimeout(this.heartbeat);
    this.heartbeat = setTimeout(() => this.write(': keep-alive\n\n'), this.options.heartbeatMs);
  }
}
