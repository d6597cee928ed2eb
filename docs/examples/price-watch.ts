// file: docs/examples/price-watch.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { Stage, type Processor, type StageContext, type TimeDomain } from '@sluice/sdk';

export interface Tick {
  symbol: string;
  ts: number;
  price: number;
}

export const QUIET_MS = 1_000;

export const ticks: Tick[] = [
  { symbol: 'AAPL', ts: 0, price: 190.0 },
  { symbol: 'MSFT', ts: 100, price: 410.0 },
  { symbol: 'AAPL', ts: 400, price: 192.5 }, // +1.3%: a jump
  { symbol: 'MSFT', ts: 900, price: 410.2 },
  { symbol: 'AAPL', ts: 1_300, price: 192.6 },
  { symbol: 'MSFT', ts: 2_600, price: 405.0 }, // AAPL has been quiet since 1300: its timer fired at 2300
];

/**
 * Per symbol: a jump of more than 1% from the previous price, and a symbol that has not
 * traded for QUIET_MS of event time. The last price and the pending timer live in keyed state.
 */
@Stage({ name: 'watch', from: 'ticks', key: (t: Tick) => t.symbol })
export class PriceWatch implements Processor<Tick, string> {
  process(t: Tick, ctx: StageContext<string>) {
    const last = ctx.state.value<number>('lastPrice');
    const prev = last.get();
    if (prev !== undefined && Math.abs(t.price - prev) / prev > 0.01) ctx.emit(`${t.symbol} jumped ${prev} -> ${t.price} at ${t.ts}`);
    last.set(t.price);

    // One silence timer per symbol: each trade pushes it back.
    const timer = ctx.state.value<number>('silenceTimer');
    const pending = timer.get();
    if (pending !== undefined) ctx.timers.deleteEventTime(pending);
    timer.set(t.ts + QUIET_MS);
    ctx.timers.registerEventTime(t.ts + QUIET_MS);
  }

  onTimer(time: number, ctx: StageContext<string>, domain: TimeDomain) {
    if (domain !== 'event') return;
    ctx.state.value<number>('silenceTimer').clear();
    ctx.emit(`${String(ctx.key)} quiet since ${time - QUIET_MS} (noticed at ${time})`);
  }
}

export async function main() {
  const alerts: string[] = [];
  await createPipeline({
    components: [
      fromArray(ticks, { name: 'ticks', eventTime: (t: Tick) => t.ts, watermark: 'monotonous' }),
      PriceWatch,
      toArray(alerts, { name: 'alerts', from: 'watch' }),
    ],
    batchSize: 1,
  }).run();
  return alerts;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) for (const a of await main()) console.log(a);
