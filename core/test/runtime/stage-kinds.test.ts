import test from 'ava';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import {
  Stage,
  type Aggregator,
  type Enricher,
  type Filter,
  type FlatMapper,
  type Mapper,
  type Processor,
  type Reducer,
  type StageContext,
} from '@sluice/sdk';

interface Tick {
  symbol: string;
  price: number;
  size: number;
}

const ticks: Tick[] = [
  { symbol: 'A', price: 10, size: 1 },
  { symbol: 'B', price: 20, size: 0 },
  { symbol: 'A', price: 12, size: 3 },
  { symbol: 'B', price: 18, size: 2 },
  { symbol: 'C', price: 5, size: 4 },
];

@Stage({ name: 'valid', from: 'ticks' })
class Valid implements Filter<Tick> {
  filter(t: Tick) {
    return t.size > 0;
  }
}

@Stage({ name: 'notional', from: 'valid' })
class Notional implements Mapper<Tick, number> {
  map(t: Tick) {
    return t.price * t.size;
  }
}

@Stage({ name: 'units', from: 'valid' })
class Units implements FlatMapper<Tick, string> {
  *flatMap(t: Tick) {
    for (let i = 0; i < t.size; i++) yield t.symbol;
  }
}

@Stage({ name: 'pairs', from: 'valid' })
class Pairs implements Processor<Tick, string> {
  private count = 0;
  process(t: Tick, ctx: StageContext<string>) {
    this.count++;
    if (t.size > 1) ctx.emit(`${t.symbol}@${ctx.position}`);
  }
  flush(ctx: StageContext<string>) {
    ctx.emit(`total:${this.count}`);
  }
}

test('filter + map › keep matching records and transform each one', async (t) => {
  const out: number[] = [];
  await createPipeline({
    components: [fromArray(ticks, { name: 'ticks' }), Valid, Notional, toArray(out, { name: 'out', from: 'notional' })],
  }).run();
  t.deepEqual(out, [10, 36, 36, 20]);
});

test('flatMap › emits every element of the returned iterable, in order', async (t) => {
  const out: string[] = [];
  await createPipeline({
    components: [fromArray(ticks, { name: 'ticks' }), Valid, Units, toArray(out, { name: 'out', from: 'units' })],
  }).run();
  t.deepEqual(out, ['A', 'A', 'A', 'A', 'B', 'B', 'C', 'C', 'C', 'C']);
});

test('process › emits 0..n records per input, sees the source position, and flushes at end of input', async (t) => {
  const out: string[] = [];
  await createPipeline({
    components: [fromArray(ticks, { name: 'ticks' }), Valid, Pairs, toArray(out, { name: 'out', from: 'pairs' })],
  }).run();
  t.deepEqual(out, ['A@2', 'B@3', 'C@4', 'total:4']);
});

test('enrich › awaits an async lookup per record and drops undefined results', async (t) => {
  @Stage({ name: 'sector', from: 'ticks', concurrency: 4 })
  class Sector implements Enricher<Tick, string> {
    async enrich(x: Tick) {
      await new Promise((r) => setTimeout(r, 1));
      return x.symbol === 'C' ? undefined : `${x.symbol}:${x.symbol === 'A' ? 'Tech' : 'Energy'}`;
    }
  }
  const out: string[] = [];
  await createPipeline({ components: [fromArray(ticks, { name: 'ticks' }), Sector, toArray(out, { name: 'out', from: 'sector' })] }).run();
  t.deepEqual(out, ['A:Tech', 'B:Energy', 'A:Tech', 'B:Energy']);
});

interface Vwap {
  symbol: string;
  vwap: number;
  volume: number;
}

function vwapStage(emit: 'updates' | 'final') {
  @Stage({ name: 'vwap', from: 'valid', key: (x: Tick) => x.symbol, emit, partitions: 3 })
  class VwapStage implements Aggregator<Tick, { pv: number; v: number }, Vwap> {
    create() {
      return { pv: 0, v: 0 };
    }
    add(acc: { pv: number; v: number }, x: Tick) {
      acc.pv += x.price * x.size;
      acc.v += x.size;
      return acc;
    }
    result(acc: { pv: number; v: number }, key: unknown): Vwap {
      return { symbol: key as string, vwap: acc.pv / acc.v, volume: acc.v };
    }
  }
  return VwapStage;
}

test('aggregate › emits the updated per-key result after every record by default', async (t) => {
  const out: Vwap[] = [];
  await createPipeline({
    components: [fromArray(ticks, { name: 'ticks' }), Valid, vwapStage('updates'), toArray(out, { name: 'out', from: 'vwap' })],
  }).run();
  t.deepEqual(out, [
    { symbol: 'A', vwap: 10, volume: 1 },
    { symbol: 'A', vwap: 46 / 4, volume: 4 },
    { symbol: 'B', vwap: 18, volume: 2 },
    { symbol: 'C', vwap: 5, volume: 4 },
  ]);
});

test("aggregate › with emit: 'final' emits each key's result once, at end of input", async (t) => {
  const out: Vwap[] = [];
  await createPipeline({
    components: [fromArray(ticks, { name: 'ticks' }), Valid, vwapStage('final'), toArray(out, { name: 'out', from: 'vwap' })],
  }).run();
  t.deepEqual(
    out.sort((a, b) => a.symbol.localeCompare(b.symbol)),
    [
      { symbol: 'A', vwap: 46 / 4, volume: 4 },
      { symbol: 'B', vwap: 18, volume: 2 },
      { symbol: 'C', vwap: 5, volume: 4 },
    ],
  );
});

test('reduce › keeps a rolling result per key', async (t) => {
  @Stage({ name: 'maxPrice', from: 'ticks', key: (x: Tick) => x.symbol })
  class MaxPrice implements Reducer<Tick> {
    reduce(a: Tick, b: Tick) {
      return b.price > a.price ? b : a;
    }
  }
  const out: Tick[] = [];
  await createPipeline({
    components: [fromArray(ticks, { name: 'ticks' }), MaxPrice, toArray(out, { name: 'out', from: 'maxPrice' })],
  }).run();
  t.deepEqual(
    out.map((x) => `${x.symbol}${x.price}`),
    ['A10', 'B20', 'A12', 'B20', 'C5'],
  );
});

test('fusion › consecutive synchronous stages run in one segment; enrich stages and unions start new ones', async (t) => {
  @Stage({ name: 'slow', from: 'notional', concurrency: 2 })
  class Slow implements Enricher<number, number> {
    async enrich(x: number) {
      return x;
    }
  }
  @Stage({ name: 'both', from: ['slow', 'units'] })
  class Both implements Mapper<unknown, string> {
    map(x: unknown) {
      return String(x);
    }
  }
  const out: string[] = [];
  const p = createPipeline({
    components: [fromArray(ticks, { name: 'ticks' }), Valid, Notional, Units, Slow, Both, toArray(out, { name: 'out', from: 'both' })],
  });
  t.deepEqual(p.segments(), { ticks: ['valid', 'notional', 'units'], slow: ['slow'], both: ['both'] });
  await p.run();
  t.is(out.length, 4 + 10);
  t.deepEqual(
    out.filter((x) => /^\d/.test(x)),
    ['10', '36', '36', '20'],
  );
});
