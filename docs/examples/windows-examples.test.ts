import test from 'ava';
import * as candles from './candles.js';
import * as priceWatch from './price-watch.js';
import * as windowKinds from './window-kinds.js';

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

test('window-kinds › sessions, count, global with a predicate trigger and a window function give the hand-computed results', async (t) => {
  const out = await windowKinds.main();
  const show = (name: string) => out[name]!.map((r) => `${String(r.key)} ${r.start}-${r.end}${r.update ? ' U' : ''} ${String(r.value)}`).sort();
  t.deepEqual(show('sessions'), [
    'ann 0-55000 3 trades, qty 60',
    'ann 91000-122000 2 trades, qty 90',
    'bob 2000-32000 1 trades, qty 5',
    'bob 90000-120000 1 trades, qty 7',
  ]);
  t.deepEqual(show('pairs'), [
    'ann 0-20001 2 trades, qty 40',
    'ann 25000-91001 2 trades, qty 60',
    'ann 92000-92001 1 trades, qty 50',
    'bob 2000-90001 2 trades, qty 12',
  ]);
  t.deepEqual(show('running'), [
    'ann 0-20001 2 trades, qty 40',
    'ann 0-91001 U 4 trades, qty 100',
    'ann 0-92001 U 5 trades, qty 150',
    'bob 2000-90001 2 trades, qty 12',
  ]);
  t.deepEqual(show('median'), ['ann 0-60000 20', 'ann 60000-120000 40', 'bob 0-60000 5', 'bob 60000-120000 7']);
});
