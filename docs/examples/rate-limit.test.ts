// file: docs/examples/rate-limit.test.ts
import test from 'ava';
import { VirtualClock } from '@sluice/core/testing';
import { main } from './rate-limit.js';

test('rate-limit › the sink calls the service 5 alerts at once, then 20 a second', async (t) => {
  const clock = new VirtualClock(0);
  const { calls, sink, source } = await clock.run(main(clock));
  // The burst at once, then 5 alerts every 250 ms: 50 alerts by 2.25 s.
  t.deepEqual(
    calls,
    Array.from({ length: 10 }, (_, i) => ({ atMs: i * 250, alerts: 5 })),
  );
  t.like(sink, { records: 50, limit: 20, throttledMs: 2_250 });
  t.is(source.records, 50);
});
