import { request, type ClientRequest } from 'node:http';

export interface SseEvent {
  event: string;
  data: unknown;
}

/** A test client of `/events`: collects the events and resolves `waitFor` when a predicate holds. */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  ended = false;
  private buffer = '';
  private waiters: { until: (events: SseEvent[]) => boolean; resolve: () => void }[] = [];
  private readonly req: ClientRequest;
  readonly opened: Promise<void>;

  constructor(url: string) {
    let onOpen!: () => void;
    this.opened = new Promise((r) => (onOpen = r));
    this.req = request(url, (res) => {
      this.status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => this.feed(chunk));
      res.on('end', () => {
        this.ended = true;
        this.check();
      });
      onOpen();
    });
    this.req.on('error', () => {
      this.ended = true;
      this.check();
    });
    this.req.end();
  }

  /** Resolves once `until(events)` holds (or the stream ended). */
  waitFor(until: (events: SseEvent[]) => boolean): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ until, resolve });
      this.check();
    });
  }

  close(): void {
    this.req.destroy();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let at: number;
    while ((at = this.buffer.indexOf('\n\n')) >= 0) {
      const frame = this.buffer.slice(0, at);
      this.buffer = this.buffer.slice(at + 2);
      let event = 'message';
      let data = '';
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line);
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      if (data !== '') this.events.push({ event, data: JSON.parse(data) });
    }
    this.check();
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      if (this.ended || w.until(this.events)) {
        w.resolve();
        return false;
      }
      return true;
    });
  }
}
