import test from 'ava';
import { StageHarness } from '@sluice/core/testing';
import type { WindowResult } from '@sluice/sdk';
import {
  buildMarketPipeline,
  Candles,
  FeedCounters,
  resolveFeedOptions,
  TickGenerator,
  type Candle,
  type RawTick,
  type RichTick,
} from '@sluice/market-data';

// The demo's own validity rule, restated independently (as in market-data-demo.test.ts).
const isGood = (t: RawTick) =>
  typeof t.price === 'number' && Number.isFinite(t.price) && t.price > 0 && Number.isFinite(t.size) && t.size > 0;

/** A candle computed directly from a window's ticks, in arrival order (ties: first opens, last closes). */
function candleOf(ticks: readonly RawTick[]): Omit<Candle, 'symbol'> {
  let openTs = Infinity;
  let closeTs = -Infinity;
  let open = Number.NaN;
  let close = Number.NaN;
  let high = -Infinity;
  let low = Infinity;
  let volume = 0;
  let notional = 0;
  for (const t of ticks) {
    const price = t.price!;
    if (t.ts < openTs) {
      openTs = t.ts;
      open = price;
    }
    if (t.ts >= closeTs) {
      closeTs = t.ts;
      close = price;
    }
    high = Math.max(high, price);
    low = Math.min(low, price);
    volume += t.size;
    notional += price * t.size;
  }
  return { open, high, low, close, volume, vwap: notional / volume, count: ticks.length };
}

const windowStart = (ts: number) => ts - (ts % 1000);

test('demo candles › per symbol and second, the latest candle plus the ticks sent to candles:late add up to the feed; OHLC, updates and window counters agree', async (t) => {
  const maxTicks = 1_000_000; // ~5 s of event time
  const seed = 7;
  const results: WindowResult<Candle>[] = [];
  const { pipeline, candles, late } = buildMarketPipeline({ rate: 0, maxTicks, seed, onCandle: (c) => results.push(c) });
  const stats = await pipeline.run();

  // Direct computation: the valid ticks of each (symbol, window start), in feed order.
  const generator = new TickGenerator(resolveFeedOptions({ rate: 0, maxTicks, seed }), new FeedCounters());
  const windows = new Map<string, RawTick[]>();
  const bySeq = new Map<number, RawTick>();
  // For each valid tick: the latest event time of the ticks before it (what bounds the watermark it met).
  const maxTsBefore = new Map<number, number>();
  let maxTs = -Infinity;
  for (let i = 0; i < maxTicks; i++) {
    const tick = generator.next();
    if (isGood(tick)) {
      const id = `${tick.symbol}@${windowStart(tick.ts)}`;
      const list = windows.get(id) ?? [];
      list.push(tick);
      windows.set(id, list);
      bySeq.set(tick.seq, tick);
      maxTsBefore.set(tick.seq, maxTs);
    }
    maxTs = Math.max(maxTs, tick.ts); // malformed ticks move the watermark too
  }

  // Every late tick is kept by the log here, so each one can be traced to its window.
  const lateTicks = late.recent();
  t.is(lateTicks.length, late.count, 'the late log kept every late tick');
  const lateByWindow = new Map<string, RichTick[]>();
  for (const lt of lateTicks) {
    const original = bySeq.get(lt.seq);
    t.truthy(original, `late tick #${lt.seq} is a valid tick of the feed`);
    t.like(lt, { ...original });
    const end = windowStart(lt.ts) + 1000;
    // Past the lateness: the watermark (latest event time before it − 50 ms) was at least end + 100 ms.
    t.true(maxTsBefore.get(lt.seq)! - 50 >= end + 100, `late tick #${lt.seq} (ts ${lt.ts}) was past its window's lateness`);
    const id = `${lt.symbol}@${windowStart(lt.ts)}`;
    lateByWindow.set(id, [...(lateByWindow.get(id) ?? []), lt]);
  }
  t.is(
    late.volume,
    lateTicks.reduce((s, x) => s + x.size, 0),
  );

  // The results of each window, in arrival order.
  const resultsByWindow = new Map<string, WindowResult<Candle>[]>();
  for (const r of results) {
    t.is(r.end, r.start + 1000);
    t.is(r.key, r.value.symbol);
    const id = `${r.value.symbol}@${r.start}`;
    resultsByWindow.set(id, [...(resultsByWindow.get(id) ?? []), r]);
  }
  t.deepEqual(
    [...resultsByWindow.keys()].filter((id) => !windows.has(id)),
    [],
    'no candle for a window without ticks',
  );

  let updates = 0;
  let windowsWithLateTicks = 0;
  for (const [id, ticks] of windows) {
    const lateHere = lateByWindow.get(id) ?? [];
    const seqs = new Set(lateHere.map((x) => x.seq));
    const fired = resultsByWindow.get(id) ?? [];
    const kept = ticks.filter((x) => !seqs.has(x.seq));
    if (kept.length === 0) {
      t.is(fired.length, 0, `${id}: every tick was late, so no candle`);
      continue;
    }
    t.true(fired.length > 0, `${id}: has a candle`);
    // The first result fires the window; every later one is an update adding exactly one late tick.
    // A window that had no tick when the watermark passed its end is opened by a late tick within
    // the lateness: that first result is already an update, of that one tick.
    if (fired[0]!.update) t.is(fired[0]!.value.count, 1, `${id}: a first result that is an update holds one late tick`);
    fired.slice(1).forEach((r, i) => {
      t.true(r.update, `${id}: result ${i + 1} is an update`);
      t.is(r.value.count, fired[0]!.value.count + i + 1, `${id}: update ${i + 1} adds one tick`);
    });
    updates += fired.filter((r) => r.update).length;

    const last = fired[fired.length - 1]!.value;
    const all = candleOf(ticks);
    t.is(last.volume + lateHere.reduce((s, x) => s + x.size, 0), all.volume, `${id}: volume`);
    t.is(last.count + lateHere.length, all.count, `${id}: count`);
    if (lateHere.length === 0) {
      t.like(last, { open: all.open, high: all.high, low: all.low, close: all.close }, `${id}: OHLC`);
    } else {
      windowsWithLateTicks++;
    }
    // With the late ticks taken out, the candle equals the direct one in every field.
    const expected = candleOf(kept);
    t.like(last, { open: expected.open, high: expected.high, low: expected.low, close: expected.close, count: expected.count });
    t.true(Math.abs(last.vwap - expected.vwap) <= 1e-9 * expected.vwap, `${id}: vwap ${last.vwap} vs ${expected.vwap}`);
  }

  // This seed exercises both kinds of late tick; without that the checks above prove less.
  t.true(updates > 0, 'some late ticks updated a candle');
  t.true(late.count > 0 && windowsWithLateTicks > 0, 'some late ticks went to candles:late');

  // The window stage's counters agree with what the sinks saw.
  const w = stats.stages.candles!.windows!;
  t.is(w.fired, results.length);
  t.is(w.fired, candles.candles + candles.updates);
  t.is(w.lateUpdates, candles.updates);
  t.is(w.lateUpdates, updates);
  t.is(candles.candles, results.filter((r) => !r.update).length);
  t.is(w.lateSideOutput, late.count);
  t.is(stats.sinks['late-ticks']!.records, late.count);
  t.is(w.lateDropped, 0);
  t.is(w.openWindows, 0, 'the end of the feed fired every window');

  // The board's latest candle of a symbol is the last result of its newest window.
  for (const symbol of new Set(results.map((r) => r.value.symbol))) {
    const newest = results.filter((r) => r.value.symbol === symbol).reduce((a, b) => (b.start >= a.start ? b : a));
    t.is(candles.latest(symbol), newest, symbol);
  }
});

const tick = (ts: number, price: number, size = 100): RichTick => ({ seq: ts, symbol: 'NVDA', sector: 'Technology', price, size, ts });

test('demo candles › a window fires at its end, takes late ticks for 100 ms more as updates, then sends them to the late output', (t) => {
  const h = StageHarness.create<RichTick, WindowResult<Candle>>(Candles);
  h.push(tick(1_500, 101), 1_500)
    .push(tick(1_200, 100), 1_200)
    .push(tick(1_900, 99, 300), 1_900);
  h.watermark(1_999);
  t.deepEqual(h.take(), []);

  h.watermark(2_000);
  t.deepEqual(h.take(), [
    {
      key: 'NVDA',
      start: 1_000,
      end: 2_000,
      update: false,
      value: {
        symbol: 'NVDA',
        open: 100,
        high: 101,
        low: 99,
        close: 99,
        volume: 500,
        vwap: (101 * 100 + 100 * 100 + 99 * 300) / 500,
        count: 3,
      },
    },
  ]);

  h.watermark(2_099).push(tick(1_100, 98), 1_100); // within the lateness: opens the candle now
  t.like(h.take(), [{ start: 1_000, update: true, value: { open: 98, low: 98, close: 99, volume: 600, count: 4 } }]);

  h.watermark(2_100).push(tick(1_999, 102), 1_999); // past the lateness
  t.deepEqual(h.take(), []);
  t.deepEqual(h.late, [tick(1_999, 102)]);
  t.like(h.stats().windows, { fired: 2, lateUpdates: 1, lateSideOutput: 1, lateDropped: 0 });
});
