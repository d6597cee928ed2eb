import test from 'ava';
import * as candles from './candles.js';
import * as priceWatch from './price-watch.js';

test('candles › the example gives the candles computed by hand, one update, one late tick', async (t) => {
  const { candles: got, late, windows } = await candles.main();
  const show = got.map((c) => `${String(c.key)} ${c.start} ${c.update ? 'U' : '-'} ${c.value.open}/${c.value.high}/${c.value.low}/${c.value.close} ${c.value.volume}`);
  t.deepEqual(show, [
    'AAPL 1000 - 190/190.4/189.8/190.4 400',
    'MSFT 1000 - 410/410/410/410 50',
    'AAPL 1000 U 190/190.4/189.8/190.2 700',
    'MSFT 2000 - 411/411/411/411 100',
    'AAPL 2000 - 190.9/190.9/190.9/190.9 100',
    'MSFT 3000 - 411.5/411.5/411.5/411.5 20',
  ]);
  // VWAP of the updated AAPL candle: (190×100 + 190.4×200 + 189.8×100 + 190.2×300) / 700
  t.is(got[2]!.value.vwap, Math.round(((190 * 100 + 190.4 * 200 + 189.8 * 100 + 190.2 * 300) / 700) * 100) / 100);
  t.deepEqual(late, [candles.ticks[8]]);
  t.like(windows, { fired: 6, lateUpdates: 1, lateSideOutput: 1, lateDropped: 0, openWindows: 0 });
});

test('price-watch › jumps over 1% and quiet symbols, in watermark order', async (t) => {
  t.deepEqual(await priceWatch.main(), [
    'AAPL jumped 190 -> 192.5 at 400',
    'MSFT jumped 410.2 -> 405 at 2600',
    'AAPL quiet since 1300 (noticed at 2300)',
    'MSFT quiet since 2600 (noticed at 3600)',
  ]);
});
