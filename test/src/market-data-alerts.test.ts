import test from 'ava';
import { PriceAlerts, type PriceAlert, type RichTick } from '@sluice/market-data';
import type { StageContext } from '@sluice/sdk';

function run(prices: readonly number[], zThreshold?: number): PriceAlert[] {
  const alerts: PriceAlert[] = [];
  const stage = new PriceAlerts({ zThreshold });
  const ctx = { emit: (a: PriceAlert) => void alerts.push(a) } as unknown as StageContext<PriceAlert>;
  prices.forEach((price, seq) => stage.process({ symbol: 'NVDA', sector: 'Technology', price, size: 100, ts: seq, seq } as RichTick, ctx));
  return alerts;
}

// A price that wanders by a cent or two around 100.
const noise = (n: number, from = 100) => Array.from({ length: n }, (_, i) => from + [0, 0.01, 0, -0.01, 0.02, 0][i % 6]!);

test('alerts › a 2% jump in a quiet series alerts once, with the z-score of its return', (t) => {
  const prices = [...noise(200), 102, 102.01, 102, 102.02, ...noise(100, 102)];
  const alerts = run(prices);
  t.is(alerts.length, 1);
  t.is(alerts[0]!.seq, 200);
  t.true(alerts[0]!.z > 6);
  t.true(alerts[0]!.movePct > 1.9);
});

test('alerts › cent moves and a steady trend are not spikes; a drop is a negative z', (t) => {
  t.deepEqual(run(noise(500)), []);
  t.deepEqual(run(Array.from({ length: 500 }, (_, i) => 100 + i * 0.01)), [], 'a trend of a cent a trade');
  const drop = run([...noise(200), 97, ...noise(50, 97)]);
  t.is(drop.length, 1);
  t.true(drop[0]!.z < -6);
});

test('alerts › a symbol alerts again only after it calmed down; a bad threshold is refused', (t) => {
  const twice = run([...noise(200), 102, ...noise(100, 102), 104, ...noise(10, 104)]);
  t.deepEqual(
    twice.map((a) => a.seq),
    [200, 301],
  );
  t.throws(() => new PriceAlerts({ zThreshold: 0 }), { message: /zThreshold/ });
});
