import type { ServerResponse } from 'node:http';
import { toJson } from './json-body.js';

/** Events that may come in bursts (one per failed call, one per dead letter): rate-limited per connection. */
const RATE_LIMITED = new Set(['stage:error', 'dead-letter']);
/** At most this many rate-limited events of one name per second on one connection. */
export const RATE_LIMIT_PER_SECOND = 20;

/**
 * One Server-Sent Events connection of `/events`. Writes `event: <name>\ndata: <json>\n\n`
 * frames; throttles `stats` to one per `statsIntervalMs` (trailing: the newest held snapshot is
 * sent when the interval has passed, so the last one of a run is never lost); rate-limits
 * `stage:error` and `dead-letter` to {@link RATE_LIMIT_PER_SECOND} per second, adding
 * `heldBack: <n>` to the next one sent when some were held back; sends a `: ping` comment every
 * `pingMs` so that proxies keep the connection open.
 */
export class EventStream {
  private lastStatsAt = -Infinity;
  private pendingStats: unknown = undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private readonly pingTimer: NodeJS.Timeout;
  private readonly windows = new Map<string, { start: number; sent: number; held: number }>();
  private closed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly statsIntervalMs: number,
    pingMs: number,
    private readonly onClose: (stream: EventStream) => void,
    private readonly now: () => number = Date.now,
  ) {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      'X-Content-Type-Options': 'nosniff',
    });
    res.flushHeaders();
    this.pingTimer = setInterval(() => this.write(': ping\n\n'), pingMs);
    this.pingTimer.unref();
    res.on('close', () => this.close());
  }

  /** Sends an event now, whatever it is (the snapshots sent on connect). */
  sendNow(event: string, data: unknown): void {
    if (event === 'stats') this.lastStatsAt = this.now();
    this.frame(event, data);
  }

  /** Sends a pipeline event, subject to the stats throttle and the rate limit. */
  send(event: string, data: unknown): void {
    if (this.closed) return;
    if (event === 'stats') return this.sendStats(data);
    if (RATE_LIMITED.has(event)) return this.sendLimited(event, data);
    this.frame(event, data);
  }

  /** Sends a held stats snapshot, if any (before the stream ends). */
  flush(): void {
    if (this.statsTimer !== undefined) {
      clearTimeout(this.statsTimer);
      this.statsTimer = undefined;
      this.sendNow('stats', this.pendingStats);
      this.pendingStats = undefined;
    }
  }

  /**
   * Ends the stream: sends `finalStats` (the pipeline's last snapshot, replacing a held one) when
   * given, else a held snapshot if any, then closes.
   */
  end(finalStats?: unknown): void {
    if (this.closed) return;
    if (finalStats !== undefined) {
      if (this.statsTimer !== undefined) clearTimeout(this.statsTimer);
      this.statsTimer = undefined;
      this.pendingStats = undefined;
      this.sendNow('stats', finalStats);
    } else {
      this.flush();
    }
    this.res.end();
    this.close();
  }

  private sendStats(data: unknown): void {
    const now = this.now();
    const wait = this.lastStatsAt + this.statsIntervalMs - now;
    if (wait <= 0 && this.statsTimer === undefined) {
      this.sendNow('stats', data);
      return;
    }
    this.pendingStats = data;
    if (this.statsTimer === undefined) {
      this.statsTimer = setTimeout(
        () => {
          this.statsTimer = undefined;
          const pending = this.pendingStats;
          this.pendingStats = undefined;
          this.sendNow('stats', pending);
        },
        Math.max(0, wait),
      );
      this.statsTimer.unref();
    }
  }

  private sendLimited(event: string, data: unknown): void {
    const now = this.now();
    let w = this.windows.get(event);
    if (w === undefined || now - w.start >= 1000) {
      w = { start: now, sent: 0, held: w?.held ?? 0 };
      this.windows.set(event, w);
    }
    if (w.sent >= RATE_LIMIT_PER_SECOND) {
      w.held += 1;
      return;
    }
    w.sent += 1;
    if (w.held > 0) {
      const held = w.held;
      w.held = 0;
      this.frame(event, { ...(data as object), heldBack: held });
    } else {
      this.frame(event, data);
    }
  }

  private frame(event: string, data: unknown): void {
    // JSON has no raw newlines, so one data line is enough.
    this.write(`event: ${event}\ndata: ${toJson(data)}\n\n`);
  }

  private write(chunk: string): void {
    if (!this.closed) this.res.write(chunk);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pingTimer);
    if (this.statsTimer !== undefined) clearTimeout(this.statsTimer);
    this.onClose(this);
  }
}
