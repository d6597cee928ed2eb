// file: docs/examples/flow-metrics.test.ts
import test from 'ava';
import { VirtualClock } from '@sluice/core/testing';
import { main, report } from './flow-metrics.js';

test('flow-metrics › behind a rate-limited ledger, everything before it waits all the time: the ledger is the bottleneck', async (t) => {
  const clock = new VirtualClock(0);
  const result = await clock.run(main('slow-ledger', clock));
  const { stats, limits, bottleneck } = result;
  t.deepEqual(limits, [{ node: 'ledger', kind: 'sink', previous: undefined, limit: 2000, reason: 'start', at: 0 }]);
  // The second [1, 2) s: the source (and 'parsed', fused into its loop) and 'priced' waited all of it.
  t.is(stats.sources.orders!.backPressuredTimeMsPerSecond, 1000);
  t.is(stats.stages.parsed!.backPressuredTimeMsPerSecond, 1000);
  t.is(stats.stages.priced!.backPressuredTimeMsPerSecond, 1000);
  t.true(stats.stages.priced!.queueFill! >= 0.8, String(stats.stages.priced!.queueFill));
  t.is(stats.stages.parsed!.queueFill, undefined);
  // The ledger waited for its limiter nearly the whole 2 s (all but the burst).
  t.true(stats.sinks.ledger!.throttledMs! >= 1_900, String(stats.sinks.ledger!.throttledMs));
  t.is(bottleneck, 'ledger');
  t.deepEqual(report(result), [
    "sink 'ledger' limit: 2000/s (start)",
    'orders  backpressured 100%',
    'parsed  backpressured 100%',
    'priced  backpressured 100%, queue full',
    'bottleneck: ledger',
  ]);
});

test('flow-metrics › behind slow pricing, the source waits all the time and pricing never does: pricing is the bottleneck', async (t) => {
  const clock = new VirtualClock(0);
  const result = await clock.run(main('slow-pricing', clock));
  const { stats, limits, bottleneck } = result;
  t.deepEqual(limits, [], 'no limiter, no limit-changed event');
  t.is(stats.sources.orders!.backPressuredTimeMsPerSecond, 1000);
  t.is(stats.stages.priced!.backPressuredTimeMsPerSecond, 0);
  t.is(stats.stages.priced!.backpressuredMs, 0);
  t.true(stats.stages.priced!.queueFill! >= 0.8, String(stats.stages.priced!.queueFill));
  t.is(bottleneck, 'priced');
});
