import test from 'ava';
import * as sqlite from './sqlite.js';

test('sqlite › the plain run commits every valid tick; the crash between pre-commit and commit ends with each tick once', async (t) => {
  const valid = sqlite.ticks.filter((x) => x.size > 0);
  const count = (xs: sqlite.Tick[]) =>
    ['AAPL', 'MSFT', 'XOM'].map((s) => `${s} ${xs.filter((x) => x.symbol === s).length}`).join(', ');
  t.deepEqual(await sqlite.main(), [
    `plain run: ${valid.length} ticks written; the table has ${count(valid)}`,
    'pre-committed {"txn":1}: the table has no rows',
    `recovered from checkpoint 1: the table has ${count(valid.slice(0, 300))}`,
    `after the replay: the table has ${count(valid)} (each tick once)`,
    'checkpoints stored: 2, 3, 4; newest reads "state after checkpoint 4"',
  ]);
});
