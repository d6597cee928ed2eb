import test, { type ExecutionContext } from 'ava';
import { createPipeline, defineSink, defineSource, fromPush, toArray } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import type { OverflowOptions, PipelineStats, SourceStats } from '@sluice/sdk';
import { runOnClock } from '../strategies/run-on-clock.js';
import { ClockFeed } from './clock-feed.js';

// A feed pushing 1000 records/s into a sink rate-limited to 100/s: ten times too fast.
const N = 2_000;
const BUFFER = 50;
const CHANNEL = 20;
const BATCH = 10;

const sum = (counts: Readonly<Record<string, number>> = {}) => Object.values(counts).reduce((a, b) => a + b, 0);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

interface Run {
  stats: PipelineStats;
  feed: ClockFeed;
  out: number[];
  dropped: number[];
  expected?: { out: number[]; dropped: number[] };
}

/**
 * Runs the feed through a rate-limited sink with `overflow`, reading '<feed>:dropped' into a second
 * sink. With a `model` (a drop policy's decision for the k-th record pushed into a full buffer), it
 * keeps a model of the buffer from what the engine reports before each push, and checks at every
 * push that `pushed = records + bufferFill + dropped`.
 */
async function run(
  t: ExecutionContext,
  overflow: OverflowOptions,
  options: { wait?: boolean; model?: (overflowed: number) => 'drop-newest' | 'drop-oldest' } = {},
): Promise<Run> {
  const clock = new VirtualClock(0);
  const out: number[] = [];
  const dropped: number[] = [];
  const model = options.model;
  const shadow: number[] = [];
  const expected = { out: [] as number[], dropped: [] as number[] };
  let taken = 0;
  let overflowed = 0;
  let broken = 0;
  const observe = (i: number) => {
    const s: SourceStats = pipeline.stats().sources.feed!;
    if (s.pushed !== s.records + s.bufferFill! + sum(s.dropped)) broken++;
    if (model === undefined) return;
    // The source task takes from the head of the buffer.
    for (; taken < s.records; taken++) expected.out.push(shadow.shift()!);
    if (shadow.length !== s.bufferFill) broken++;
    if (shadow.length < BUFFER) {
      overflowed = 0;
      shadow.push(i);
    } else if (model(overflowed++) === 'drop-newest') {
      expected.dropped.push(i);
    } else {
      expected.dropped.push(shadow.shift()!);
      shadow.push(i);
    }
  };
  const feed = new ClockFeed(clock, N, 1, { wait: options.wait, observe });
  const pipeline = createPipeline({
    components: [
      defineSource({ name: 'feed', batchSize: BATCH, overflow }, feed),
      toArray(out, {
        name: 'out',
        from: 'feed',
        channelCapacity: CHANNEL,
        rateLimit: { strategy: 'token-bucket', options: { rate: '100/s', burst: 10 } },
      }),
      toArray(dropped, { name: 'dropped', from: 'feed:dropped' }),
    ],
    clock,
  });
  const stats = await runOnClock(pipeline, clock, 100_000);
  t.is(broken, 0, 'pushed = records + bufferFill + dropped at every push, and the model matched the buffer');
  expected.out.push(...shadow);
  return { stats, feed, out, dropped, expected: model === undefined ? undefined : expected };
}

/** What holds for every policy: bounded memory, exact accounting, the side output, order. */
function checkCommon(t: ExecutionContext, { stats, out, dropped }: Run): SourceStats {
  const s = stats.sources.feed!;
  t.is(s.bufferCapacity, BUFFER);
  t.is(s.maxBufferFill, BUFFER, 'the buffer filled up');
  t.is(s.bufferFill, 0);
  t.true(stats.channels.out!.maxFill <= CHANNEL, `channel held ${stats.channels.out!.maxFill}`);
  t.is(stats.channels.out!.maxFill, CHANNEL, 'the channel filled up: backpressure reached the source task');
  t.is(s.pushed, s.records + sum(s.dropped), 'pushed = emitted + dropped');
  t.is(out.length, s.records);
  t.is(dropped.length, sum(s.dropped), 'the side output got every dropped record');
  t.is(stats.sources['feed:dropped']!.records, sum(s.dropped));
  t.is(s.lostDropped, 0);
  // Every record pushed is either written or dropped, exactly once.
  t.deepEqual(
    [...out, ...dropped].sort((a, b) => a - b),
    range(N),
  );
  t.deepEqual(
    out,
    [...out].sort((a, b) => a - b),
    'records keep their order',
  );
  return s;
}

test('overflow › drop-newest under a 10× overload: bounded, and exactly the records pushed into a full buffer are dropped', async (t) => {
  const r = await run(t, { policy: 'drop-newest', buffer: BUFFER }, { model: () => 'drop-newest' });
  const s = checkCommon(t, r);
  t.is(s.pushed, N);
  t.is(s.refused, 0);
  t.deepEqual(Object.keys(s.dropped!), ['drop-newest']);
  t.true(s.dropped!['drop-newest']! > N / 2, `dropped ${s.dropped!['drop-newest']}`);
  t.deepEqual(r.out, r.expected!.out);
  t.deepEqual(r.dropped, r.expected!.dropped);
});

test('overflow › drop-oldest under a 10× overload: bounded, and the oldest buffered record is dropped for each new one', async (t) => {
  const r = await run(t, { policy: 'drop-oldest', buffer: BUFFER }, { model: () => 'drop-oldest' });
  const s = checkCommon(t, r);
  t.is(s.pushed, N);
  t.deepEqual(Object.keys(s.dropped!), ['drop-oldest']);
  t.deepEqual(r.out, r.expected!.out);
  t.deepEqual(r.dropped, r.expected!.dropped);
  // The newest records always get through: the last BUFFER pushed are written.
  t.deepEqual(r.out.slice(-BUFFER), range(N).slice(-BUFFER));
  t.deepEqual(
    r.dropped,
    [...r.dropped].sort((a, b) => a - b),
    'oldest first',
  );
});

test('overflow › sample every 5 under a 10× overload: 1 in 5 of the records pushed into a full buffer is kept', async (t) => {
  const r = await run(t, { policy: 'sample', every: 5, buffer: BUFFER }, { model: (k) => (k % 5 === 0 ? 'drop-oldest' : 'drop-newest') });
  const s = checkCommon(t, r);
  t.is(s.pushed, N);
  t.deepEqual(r.out, r.expected!.out);
  t.deepEqual(r.dropped, r.expected!.dropped);
  // Per overload, a kept record replaces the oldest: as many drop-oldest as kept, 4 thinned per kept.
  const { 'drop-oldest': oldest = 0, 'drop-newest': newest = 0 } = s.dropped!;
  t.true(oldest > 0 && newest > 3 * oldest && newest <= 4 * oldest + 4 * 200, `${oldest} oldest, ${newest} newest`);
});

test('overflow › block under a 10× overload: nothing is dropped, the producer waits, memory stays bounded', async (t) => {
  const r = await run(t, { policy: 'block', buffer: BUFFER }, { wait: true });
  const s = checkCommon(t, r);
  t.deepEqual(r.out, range(N), 'every record, in order');
  t.deepEqual(s.dropped, {});
  t.deepEqual(r.dropped, []);
  t.is(s.pushed, N);
  t.true(r.feed.waits > 100, `the producer waited ${r.feed.waits} times`);
  t.is(s.refused, r.feed.waits, 'each wait follows one refused emit');
  // The producer was held to the sink's pace: 2000 records at 100/s take about 20 s, not 2 s.
  t.true(r.feed.waitedMs > 15_000, `waited ${r.feed.waitedMs} ms`);
  t.is(s.blockedMs, r.feed.waitedMs, 'blockedMs is the time the producer was told to wait');
});

test('overflow › block with a producer that ignores the answer: refused records are counted, memory stays bounded', async (t) => {
  const r = await run(t, { policy: 'block', buffer: BUFFER }, { wait: false });
  const s = r.stats.sources.feed!;
  t.is(s.maxBufferFill, BUFFER);
  t.true(r.stats.channels.out!.maxFill <= CHANNEL);
  t.is(s.pushed, s.records);
  t.is(r.feed.answers.length, N);
  const accepted = range(N).filter((i) => r.feed.answers[i]);
  t.deepEqual(r.out, accepted, 'exactly the records emit took are written');
  t.is(r.stats.sources.feed!.refused, N - accepted.length);
  t.true(N - accepted.length > N / 2);
  t.deepEqual(r.stats.sources.feed!.dropped, {});
});

test('overflow › a million records pushed far faster than the sink: the heap does not grow with them', async (t) => {
  const TOTAL = 1_000_000;
  const payload = 'x'.repeat(200);
  let written = 0;
  let pushedBy = 0;
  const heapBefore = process.memoryUsage().heapUsed;
  let heapMax = heapBefore;
  const stats = await createPipeline({
    components: [
      fromPushLoop(
        TOTAL,
        (i) => ({ i, payload: `${payload}${i}` }),
        () => {
          heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
          pushedBy += 10_000;
        },
      ),
      toCounter(),
    ],
  }).run();
  const s = stats.sources.feed!;
  t.is(s.pushed, TOTAL);
  t.is(s.records + sum(s.dropped), TOTAL);
  t.true(s.maxBufferFill! <= 1_000);
  t.true(stats.channels.out!.maxFill <= 2_000);
  t.true(sum(s.dropped) > TOTAL / 2, `dropped ${sum(s.dropped)}`);
  t.is(written, s.records);
  t.is(pushedBy, TOTAL);
  // Keeping the records would take over 200 MB; the buffer and the channel hold at most 3 000.
  const growthMb = (heapMax - heapBefore) / 2 ** 20;
  t.log(`heap +${growthMb.toFixed(1)} MB; written ${written}, dropped ${sum(s.dropped)}`);
  t.true(growthMb < 64, `the heap grew by ${growthMb.toFixed(1)} MB`);

  // Pushes 10 000 records per turn of the event loop, regardless of what the pipeline does.
  function fromPushLoop(n: number, make: (i: number) => unknown, onBurst: () => void) {
    return fromPush<unknown>(
      (emitter) => {
        let i = 0;
        const burst = () => {
          for (const end = i + 10_000; i < end; i++) emitter.emit(make(i));
          onBurst();
          if (i < n) setImmediate(burst);
          else emitter.end();
        };
        setImmediate(burst);
      },
      { name: 'feed', overflow: { policy: 'drop-oldest', buffer: 1_000 } },
    );
  }
  // A sink that takes a turn of the event loop per batch of 256: far slower than the feed.
  function toCounter() {
    return defineSink<unknown>(
      { name: 'out', from: 'feed', channelCapacity: 2_000 },
      { write: (batch) => new Promise<void>((resolve) => setImmediate(() => ((written += batch.length), resolve()))) },
    );
  }
});
