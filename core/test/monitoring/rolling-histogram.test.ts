import test from 'ava';
// An internal class, tested on its own: reached through the built package (it is not exported).
import { RollingHistogram } from '../../dist/monitoring/rolling-histogram.js';

// HdrHistogram with 3 significant digits: a quantile is within 0.1% of the exact one.
const close = (actual: number, expected: number) => Math.abs(actual - expected) <= expected * 0.001 + 0.001;

function exactQuantile(sorted: readonly number[], p: number): number {
  // HdrHistogram's definition: the smallest value with at least p% of the values at or below it.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

test('RollingHistogram › an empty window gives zeros', (t) => {
  const h = new RollingHistogram(() => 0);
  t.deepEqual(h.snapshot(0), { count: 0, sumMs: 0, windowCount: 0, windowMs: 60_000, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });
});

test('RollingHistogram › merging the slots of the last minute gives the quantiles of their union', (t) => {
  let now = 0;
  const h = new RollingHistogram(() => now);
  const all: number[] = [];
  // Six slots of 10 s, each with its own range of values and batch sizes.
  for (let slot = 0; slot < 6; slot++) {
    now = slot * 10_000 + 5;
    for (let i = 0; i < 50; i++) {
      const value = (slot + 1) * 0.5 + i * 0.137;
      const count = 1 + ((i * 7 + slot) % 13);
      h.record(value, count);
      for (let k = 0; k < count; k++) all.push(Math.round(value * 1000) / 1000);
    }
  }
  all.sort((a, b) => a - b);
  const s = h.snapshot(59_999);
  t.is(s.windowCount, all.length);
  t.is(s.count, all.length);
  for (const [p, got] of [
    [50, s.p50],
    [90, s.p90],
    [99, s.p99],
    [99.9, s.p999],
  ] as const) {
    const want = exactQuantile(all, p);
    t.true(close(got, want), `p${p}: ${got} vs ${want}`);
  }
  t.true(close(s.max, all[all.length - 1]!), `max: ${s.max}`);
});

test('RollingHistogram › slots older than a minute expire; count and sum stay cumulative', (t) => {
  let now = 1_000;
  const h = new RollingHistogram(() => now);
  h.record(100, 10); // slot of [0, 10 s)
  now = 25_000;
  h.record(2, 5); // slot of [20 s, 30 s)
  let s = h.snapshot(59_000);
  t.is(s.windowCount, 15);
  t.true(close(s.max, 100));
  // At 60 s the first slot is a minute old: only the second one is left.
  s = h.snapshot(60_000);
  t.is(s.windowCount, 5);
  t.true(close(s.p50, 2));
  t.true(close(s.max, 2));
  t.is(s.count, 15);
  t.is(s.sumMs, 100 * 10 + 2 * 5);
  // 81 s falls in the slot that held [20 s, 30 s): reused, it starts empty.
  now = 81_000;
  h.record(7, 1);
  s = h.snapshot(81_000);
  t.is(s.windowCount, 1);
  t.true(close(s.max, 7));
  t.is(s.count, 16);
  // Nothing recorded for over a minute: an empty window, the totals still there.
  s = h.snapshot(200_000);
  t.is(s.windowCount, 0);
  t.is(s.p99, 0);
  t.is(s.max, 0);
  t.is(s.count, 16);
  t.is(s.sumMs, 1017);
});

test('RollingHistogram › sub-millisecond values keep microsecond resolution', (t) => {
  const h = new RollingHistogram(() => 0);
  h.record(0.0123, 1000);
  const s = h.snapshot(0);
  t.true(close(s.p50, 0.012), String(s.p50));
  t.is(s.windowCount, 1000);
});
