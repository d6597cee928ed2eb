// file: docs/examples/connectors.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, defineSink, defineSource } from '@sluice/core';
import {
  BackoffError,
  DisconnectedError,
  EndOfStreamError,
  type SinkConnector,
  type SourceConnector,
  type SourceContext,
} from '@sluice/sdk';

export interface Tick {
  symbol: string;
  price: number;
}

/**
 * A feed that pretends to be a network connection: it drops once after 4 records and asks
 * to slow down once after 8. The engine handles both; the records arrive once each, in order.
 */
export class TickFeed implements SourceConnector<Tick> {
  opens = 0;
  private next = 0;
  private connected = false;
  private dropped = false;
  private throttled = false;

  constructor(private readonly ticks: readonly Tick[]) {}

  open(_ctx: SourceContext): void {
    // Called before the first read, and again after a DisconnectedError.
    // The context has the source's name, its batchSize and an AbortSignal for pending I/O.
    this.opens += 1;
    this.connected = true;
  }

  read(max: number): Tick[] {
    if (!this.connected) throw new DisconnectedError('feed is not connected');
    if (this.next >= this.ticks.length) throw new EndOfStreamError(); // no more: drain and finish
    if (this.next === 4 && !this.dropped) {
      this.dropped = true;
      this.connected = false;
      throw new DisconnectedError('feed connection lost'); // the engine calls open() again, then read()
    }
    if (this.next === 8 && !this.throttled) {
      this.throttled = true;
      throw new BackoffError(20); // the engine waits 20 ms, then calls read() again
    }
    const batch = this.ticks.slice(this.next, this.next + max); // at most `max` records
    this.next += batch.length;
    return batch;
  }

  close(): void {
    this.connected = false;
  }
}

/** A sink that writes lines to an audit log; its second write fails once with a lost connection. */
export class AuditSink implements SinkConnector<Tick> {
  readonly lines: string[] = [];
  readonly calls: string[] = [];
  private writes = 0;

  open(ctx: { name: string }): void {
    this.calls.push(`open ${ctx.name}`);
  }

  write(batch: readonly Tick[]): void {
    this.writes += 1;
    if (this.writes === 2) {
      this.calls.push('write failed: disconnected');
      throw new DisconnectedError('audit store went away'); // re-open, then the same batch again
    }
    for (const t of batch) this.lines.push(`${t.symbol} ${t.price}`);
    this.calls.push(`write ${batch.length}`);
  }

  flush(): void {
    this.calls.push('flush'); // at end of input, before close
  }

  close(): void {
    this.calls.push('close');
  }
}

export const ticks: Tick[] = Array.from({ length: 10 }, (_, i) => ({ symbol: i % 2 === 0 ? 'AAPL' : 'MSFT', price: 100 + i }));

export async function main() {
  const feed = new TickFeed(ticks);
  const audit = new AuditSink();
  const pipeline = createPipeline({
    components: [defineSource({ name: 'feed', batchSize: 4 }, feed), defineSink({ name: 'audit', from: 'feed' }, audit)],
  });
  const stats = await pipeline.run();
  return { lines: audit.lines, sinkCalls: audit.calls, feedOpens: feed.opens, recordsRead: stats.sources.feed!.records };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.dir(await main(), { depth: null });
