// file: docs/examples/candles.test.ts
import test from 'ava';
import { StageHarness, VirtualClock } from '@sluice/core/testing';
import { Stage, Window, type Aggregator, type WindowResult } from '@sluice/sdk';
import { Candles, type Candle, type Tick } from './candles.js';

const tick = (ts: number, price: number, size = 100): Tick => ({ symbol: 'AAPL', ts, price, size });

test('candles › a window fires when the watermark passes its end, and late ticks update it', (t) => {
  const h = StageHarness.create<Tick, WindowResult<Candle>>(Candles);
  h.push(tick(1_000, 190), 1_000).push(tick(1_500, 191), 1_500);
  h.watermark(1_999);
  t.deepEqual(h.take(), []); // [1000, 2000) is still open

  h.watermark(2_000);
  const [candle] = h.take();
  t.like(candle, { key: 'AAPL', start: 1_000, end: 2_000, update: false, value: { open: 190, close: 191, volume: 200 } });

  h.push(tick(1_200, 189), 1_200); // late, but within the 1 s lateness
  t.like(h.take()[0], { start: 1_000, update: true, value: { low: 189, volume: 300 } });

  h.watermark(3_000).push(tick(1_300, 188), 1_300); // later than the lateness
  t.deepEqual(h.take(), []);
  t.deepEqual(h.late, [tick(1_300, 188)]);
  t.is(h.stats().windows!.lateSideOutput, 1);
});

test('candles › processing-time windows close on the virtual clock, however fast the machine is', (t) => {
  @Stage({ name: 'per-second', from: 'ticks', key: (x: Tick) => x.symbol })
  @Window({ tumbling: '1s', time: 'processing' })
  class TicksPerSecond implements Aggregator<Tick, { n: number }, number> {
    create() {
      return { n: 0 };
    }
    add(acc: { n: number }) {
      acc.n++;
      return acc;
    }
    result(acc: { n: number }) {
      return acc.n;
    }
  }

  const clock = new VirtualClock(0);
  const h = StageHarness.create<Tick, WindowResult<number>>(TicksPerSecond, { clock });
  h.push(tick(0, 190)).push(tick(0, 191));
  h.advanceProcessingTime(999);
  t.deepEqual(h.take(), []);
  h.advanceProcessingTime(1);
  t.like(h.take(), [{ key: 'AAPL', start: 0, end: 1_000, value: 2 }]);
});
