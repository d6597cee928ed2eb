// file: docs/examples/window-kinds.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { Stage, Triggers, Window, type Aggregator, type Trigger, type WindowFunction, type WindowResult } from '@sluice/sdk';

export interface Trade {
  trader: string;
  ts: number;
  qty: number;
}

export const trades: Trade[] = [
  { trader: 'ann', ts: 0, qty: 10 },
  { trader: 'bob', ts: 2_000, qty: 5 },
  { trader: 'ann', ts: 20_000, qty: 30 },
  { trader: 'ann', ts: 25_000, qty: 20 },
  { trader: 'bob', ts: 90_000, qty: 7 },
  { trader: 'ann', ts: 91_000, qty: 40 },
  { trader: 'ann', ts: 92_000, qty: 50 },
];

const byTrader = (t: Trade) => t.trader;

/** Total quantity: one aggregator serves every window kind below. */
class TotalQty implements Aggregator<Trade, { qty: number; n: number }, string> {
  create() {
    return { qty: 0, n: 0 };
  }
  add(acc: { qty: number; n: number }, t: Trade) {
    acc.qty += t.qty;
    acc.n++;
    return acc;
  }
  merge(a: { qty: number; n: number }, b: { qty: number; n: number }) {
    return { qty: a.qty + b.qty, n: a.n + b.n };
  }
  result(acc: { qty: number; n: number }) {
    return `${acc.n} trades, qty ${acc.qty}`;
  }
}

// A trader's session ends after 30 s without a trade.
@Stage({ name: 'sessions', from: 'trades', key: byTrader })
@Window({ session: { gap: '30s' } })
class Sessions extends TotalQty {}

// Every 2 trades of a trader.
@Stage({ name: 'pairs', from: 'trades', key: byTrader })
@Window({ count: { size: 2 } })
class Pairs extends TotalQty {}

// One running total per trader, emitted whenever a trade of 30 or more comes in.
const bigTrade: Trigger<Trade> = Triggers.predicate((t: Trade) => t.qty >= 30);
@Stage({ name: 'running', from: 'trades', key: byTrader })
@Window({ global: { trigger: bigTrade } })
class Running extends TotalQty {}

// The median quantity per minute: needs all the window's trades, not an accumulator.
@Stage({ name: 'median', from: 'trades', key: byTrader })
@Window({ tumbling: '1m' })
class MedianQty implements WindowFunction<Trade, number> {
  apply(ts: readonly Trade[]) {
    const q = ts.map((t) => t.qty).sort((a, b) => a - b);
    return q[(q.length - 1) >> 1]!;
  }
}

export async function main() {
  const out: Record<string, WindowResult<unknown>[]> = { sessions: [], pairs: [], running: [], median: [] };
  await createPipeline({
    components: [
      fromArray(trades, { name: 'trades', eventTime: (t: Trade) => t.ts }),
      Sessions,
      Pairs,
      Running,
      MedianQty,
      ...Object.entries(out).map(([name, results]) => toArray(results, { name: `${name}-out`, from: name })),
    ],
  }).run();
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, results] of Object.entries(await main())) {
    console.log(`${name}:`);
    for (const r of results) console.log(`  ${String(r.key)} [${r.start / 1000}s, ${r.end / 1000}s)${r.update ? ' update' : ''}: ${String(r.value)}`);
  }
}
