// file: docs/examples/adaptive-concurrency.test.ts
import test from 'ava';
import { VirtualClock } from '@sluice/core/testing';
import { main, trades } from './adaptive-concurrency.js';

test('adaptive-concurrency › AIMD settles near the API capacity, a 429 pauses the stage, each symbol keeps its order', async (t) => {
  const clock = new VirtualClock(0);
  const { out, stage } = await clock.run(main(clock));
  // Every trade once, each symbol's trades in their input order.
  t.is(out.length, trades.length);
  for (const symbol of ['AAPL', 'MSFT', 'XOM', 'NVDA', 'JPM']) {
    const seqs = out.filter((p) => p.symbol === symbol).map((p) => p.seq);
    t.deepEqual(
      seqs,
      trades.filter((tr) => tr.symbol === symbol).map((tr) => tr.seq),
    );
  }
  // The API serves 4 at once: the limit grew from 2 and stays near 4, far below the 16 allowed.
  t.true(stage.limit! >= 3 && stage.limit! <= 6, `limit ${stage.limit}`);
  t.true(stage.maxInFlight <= 6, `max in flight ${stage.maxInFlight}`);
  t.like(stage, { backoffs: 1, backoffMs: 200, errors: 0, retries: 0 });
  // 200 calls at 80 a second, plus the 200 ms pause: about 2.7 s.
  t.true(clock.now() >= 2_700 && clock.now() <= 3_300, `took ${clock.now()} ms`);
});
