// file: docs/examples/keyed-limits.test.ts
import test from 'ava';
import { VirtualClock } from '@sluice/core/testing';
import { main } from './keyed-limits.js';

test('keyed-limits › the hot symbol waits for its own limiter; the quiet ones are not held behind it', async (t) => {
  const clock = new VirtualClock(0);
  const { published, stage } = await clock.run(main(clock));
  const times = (symbol: string) => published.filter((p) => p.symbol === symbol).map((p) => p.atMs);
  // Two at once (the burst), then two every 20 ms (a key asks for up to its burst at once):
  // AAPL's 30th quote goes at 280 ms ...
  t.deepEqual(
    times('AAPL'),
    Array.from({ length: 30 }, (_, i) => Math.floor(i / 2) * 20),
  );
  // ... while MSFT and XOM are done by 10 ms.
  t.deepEqual(times('MSFT'), [0, 0, 10]);
  t.deepEqual(times('XOM'), [0, 0, 10]);
  t.like(stage, { limit: 100, keys: 3, heldRecords: 0, recordsOut: 36 });
});
