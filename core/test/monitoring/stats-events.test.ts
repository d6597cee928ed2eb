import test from 'ava';
import { createPipeline, fromArray, fromGenerator, toArray, toCallback } from '@sluice/core';
import { ErrorCodes, SluiceError, type BackpressureEvent, type PipelineStats, type WatermarkEvent } from '@sluice/sdk';

const until = async (done: () => boolean, what: string, ms = 20_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

function numbers() {
  return fromGenerator(
    function* () {
      for (let i = 0; ; i++) yield i;
    },
    { name: 'numbers', eventTime: (n: number) => 1_700_000_000_000 + n, watermark: 'monotonous' },
  );
}

test('stats event › published every statsInterval while running, then once more with the final state', async (t) => {
  const seen: PipelineStats[] = [];
  const pipeline = createPipeline({
    components: [numbers(), toCallback(() => undefined, { name: 'out', from: 'numbers' })],
    statsInterval: '20ms',
  });
  pipeline.events.on('stats', (s) => seen.push(s));
  await pipeline.start();
  await until(() => seen.length >= 3, 'three stats events');
  await pipeline.stop();
  t.true(seen.slice(0, 3).every((s) => s.state === 'running' || s.state === 'draining'));
  t.is(seen.at(-1)!.state, 'stopped');
  t.is(seen.at(-1)!.sinks.out!.records, pipeline.stats().sinks.out!.records, 'the last event is the final count');
  t.true(seen[2]!.sources.numbers!.records >= seen[0]!.sources.numbers!.records, 'counters are cumulative');
});

test('stats event › a bounded run that ends before the first interval still publishes its final snapshot', async (t) => {
  const seen: PipelineStats[] = [];
  const pipeline = createPipeline({
    components: [fromArray([1, 2, 3], { name: 'numbers' }), toArray([], { name: 'out', from: 'numbers' })],
  });
  pipeline.events.on('stats', (s) => seen.push(s));
  await pipeline.run();
  t.is(seen.length, 1);
  t.is(seen[0]!.state, 'stopped');
  t.is(seen[0]!.sinks.out!.records, 3);
});

test('backpressure event › a source held back by a slow sink is reported on, and off when it no longer waits', async (t) => {
  const events: BackpressureEvent[] = [];
  let slow = true;
  const sink = toCallback(
    async () => {
      if (slow) await new Promise((r) => setTimeout(r, 5));
    },
    { name: 'out', from: 'numbers' },
  );
  const pipeline = createPipeline({ components: [numbers(), sink], channelCapacity: 64, batchSize: 16, statsInterval: '50ms' });
  pipeline.events.on('backpressure', (e) => events.push(e));
  await pipeline.start();
  t.teardown(() => pipeline.stop());
  await until(() => events.some((e) => e.node === 'numbers' && e.on), 'backpressure on');
  const on = events.find((e) => e.on)!;
  t.true(on.backPressuredTimeMsPerSecond > 500);
  slow = false;
  // With a fast sink the source still fills the channel now and then, but waits far less.
  await pipeline.stop();
  t.true(events.filter((e) => e.node === 'numbers' && e.on).length >= 1);
  t.deepEqual(
    events.map((e) => e.node),
    events.map(() => 'numbers'),
    'only the source writes to a channel here',
  );
});

test('watermark event › a source with event time reports its watermark as it advances, at most once per interval', async (t) => {
  const marks: WatermarkEvent[] = [];
  const stats: number[] = [];
  const pipeline = createPipeline({
    components: [numbers(), toCallback(() => undefined, { name: 'out', from: 'numbers' })],
    statsInterval: '20ms',
  });
  pipeline.events.on('watermark', (e) => marks.push(e));
  pipeline.events.on('stats', () => stats.push(marks.length));
  await pipeline.start();
  try {
    await until(() => marks.length >= 2, 'two watermark events');
  } finally {
    await pipeline.stop();
  }
  t.is(marks[0]!.node, 'numbers');
  t.true(marks[1]!.watermark > marks[0]!.watermark);
  // Each stats tick adds at most one watermark event per source.
  for (let i = 1; i < stats.length; i++) t.true(stats[i]! - stats[i - 1]! <= 1);
});

test('statsInterval › below 10ms or not a duration is refused, naming the option', (t) => {
  const build = (statsInterval: string) => () =>
    createPipeline({
      components: [fromArray([1], { name: 'numbers' }), toArray([], { name: 'out', from: 'numbers' })],
      statsInterval: statsInterval as '1s',
    });
  const low = t.throws(build('1ms'));
  t.true(SluiceError.is(low, ErrorCodes.INVALID_OPTION));
  t.regex(low.message, /statsInterval.*at least 10ms/);
  t.regex(t.throws(build('often')).message, /statsInterval/);
});
