// An unbounded pipeline with something to see on a dashboard: a paced tick feed, a fan-out, a
// union, a slow-ish enrich stage (so the feed is held back by backpressure), an event-time window
// with a late output, and two sinks.
import { createPipeline, defineSource, toCallback, type Pipeline, type SluiceModule } from '@sluice/core';
import { Stage, Window, type Aggregator, type Enricher, type Filter, type Mapper, type SourceConnector } from '@sluice/sdk';

export interface Tick {
  symbol: string;
  ts: number;
  price: number;
  size: number;
}

interface RichTick extends Tick {
  sector: string;
  notional: number;
}

interface Candle {
  open: number;
  close: number;
  volume: number;
}

interface Alert {
  kind: string;
  symbol: string;
}

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'XOM', 'JPM', 'BP', 'SHEL'];
const SECTORS: Record<string, string> = { XOM: 'energy', BP: 'energy', SHEL: 'energy', JPM: 'finance' };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Up to 8 000 ticks a second, in batches every few ms; one in 250 arrives seconds late. */
class TickFeed implements SourceConnector<Tick> {
  private seq = 0;

  async read(max: number): Promise<Tick[]> {
    await sleep(10);
    const now = Date.now();
    const out: Tick[] = [];
    for (let i = 0; i < Math.min(max, 80); i++) {
      const n = this.seq++;
      const late = n % 250 === 0;
      out.push({
        symbol: SYMBOLS[n % SYMBOLS.length]!,
        ts: late ? now - 3_000 : now - (n % 50),
        price: 100 + Math.sin(n / 500) * 5 + (n % 7) / 10,
        size: n % 97 === 0 ? 0 : ((n * 37) % 1_000) + 1,
      });
    }
    return out;
  }
}

@Stage({ name: 'valid', from: 'ticks' })
class ValidTicks implements Filter<Tick> {
  filter(t: Tick): boolean {
    return t.size > 0;
  }
}

@Stage({ name: 'blocks', from: 'valid' })
class BlockTrades implements Filter<Tick> {
  filter(t: Tick): boolean {
    return t.size >= 900;
  }
}

/** A reference-data lookup that takes a timer tick per tick: slower than the feed. */
@Stage({ name: 'enriched', from: 'valid', concurrency: 2 })
class Enrich implements Enricher<Tick, RichTick> {
  async enrich(t: Tick): Promise<RichTick> {
    await sleep(1);
    return { ...t, sector: SECTORS[t.symbol] ?? 'tech', notional: t.price * t.size };
  }
}

@Stage({ name: 'spikes', from: 'enriched' })
class Spikes implements Filter<RichTick> {
  filter(t: RichTick): boolean {
    return t.notional > 95_000;
  }
}

@Stage({ name: 'candles', from: 'enriched', key: (t: RichTick) => t.symbol })
@Window({ tumbling: '1s', lateness: '200ms' })
class Candles implements Aggregator<RichTick, Candle, Candle> {
  create(): Candle {
    return { open: NaN, close: 0, volume: 0 };
  }

  add(acc: Candle, t: RichTick): Candle {
    if (Number.isNaN(acc.open)) acc.open = t.price;
    acc.close = t.price;
    acc.volume += t.size;
    return acc;
  }

  result(acc: Candle): Candle {
    return acc;
  }
}

@Stage({ name: 'late-ticks', from: 'candles:late' })
class LateTicks implements Mapper<Tick, Alert> {
  map(t: Tick): Alert {
    return { kind: 'late', symbol: t.symbol };
  }
}

/** The union: block trades, spikes and late ticks all become alerts. */
@Stage({ name: 'alerts', from: ['blocks', 'spikes', 'late-ticks'] })
class Alerts implements Mapper<Tick | Alert, Alert> {
  map(v: Tick | Alert): Alert {
    return 'kind' in v ? v : { kind: 'size' in v && v.size >= 900 ? 'block' : 'spike', symbol: v.symbol };
  }
}

/** What the sinks received, to tell that records flow. */
export interface TradingCounts {
  candles: number;
  alerts: number;
}

/** Builds the pipeline (not started), with `modules` added (a monitoring module, say). */
export function tradingPipeline(modules: readonly SluiceModule[] = []): { pipeline: Pipeline; counts: TradingCounts } {
  const counts: TradingCounts = { candles: 0, alerts: 0 };
  const pipeline = createPipeline({
    name: 'market-ticks',
    modules,
    components: [
      defineSource<Tick>({ name: 'ticks', eventTime: (t) => t.ts, watermark: { maxDelay: '100ms' } }, new TickFeed()),
      ValidTicks,
      BlockTrades,
      Enrich,
      Spikes,
      Candles,
      LateTicks,
      Alerts,
      toCallback(
        async (batch: readonly unknown[]) => {
          counts.candles += batch.length;
          await sleep(2);
        },
        { name: 'candle-store', from: 'candles' },
      ),
      toCallback(
        (batch: readonly unknown[]) => {
          counts.alerts += batch.length;
        },
        { name: 'alert-log', from: 'alerts' },
      ),
    ],
    channelCapacity: 2_048,
    batchSize: 256,
  });
  return { pipeline, counts };
}
