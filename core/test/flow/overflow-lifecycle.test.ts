import test from 'ava';
import { createPipeline, defineSink, defineSource, fromPush, MemoryCheckpointStore, toArray } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import {
  DisconnectedError,
  ErrorCodes,
  SluiceError,
  Stage,
  Window,
  type Aggregator,
  type PushEmitter,
  type PushSourceConnector,
  type WindowResult,
} from '@sluice/sdk';
import { runOnClock } from '../strategies/run-on-clock.js';
import { ClockFeed } from './clock-feed.js';

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

test('overflow › stop() unsubscribes at once, refuses later pushes and drains what the buffer holds', async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let emitter!: PushEmitter<number>;
  let unsubscribed = 0;
  const feed: PushSourceConnector<number> = {
    subscribe(e) {
      emitter = e;
      e.emitAll(range(0, 50));
    },
    unsubscribe: () => void unsubscribed++,
  };
  const out: number[] = [];
  const pipeline = createPipeline({
    components: [
      defineSource({ name: 'feed', batchSize: 10, overflow: { policy: 'block', buffer: 100 } }, feed),
      defineSink<number>(
        { name: 'out', from: 'feed', channelCapacity: 10 },
        {
          async write(batch) {
            await gate; // a slow sink: records stay in the buffer meanwhile
            out.push(...batch);
          },
        },
      ),
    ],
  });
  await pipeline.start();
  await turns(20);
  const before = pipeline.stats().sources.feed!;
  t.true(before.bufferFill! > 0, 'records are still buffered when stop() is called');
  const stopped = pipeline.stop();
  t.is(unsubscribed, 1);
  t.false(emitter.emit(50), 'a push after stop is refused');
  await emitter.ready(); // resolves at once: the producer is not left waiting
  release();
  await stopped;
  t.deepEqual(out, range(0, 50), 'everything the engine took was written');
  t.like(pipeline.stats().sources.feed, { pushed: 50, records: 50, refused: 1, bufferFill: 0 });
  t.is(unsubscribed, 1, 'unsubscribe is called once');
});

test('overflow › exactly-once checkpoints refuse a push source with a clear error', (t) => {
  const err = t.throws(() =>
    createPipeline({
      components: [fromPush<number>(() => undefined, { name: 'feed' }), toArray([], { name: 'out', from: 'feed' })],
      checkpoints: { store: new MemoryCheckpointStore() },
    }),
  );
  t.true(SluiceError.is(err, ErrorCodes.INVALID_OPTION));
  t.is(
    err.message,
    "createPipeline: checkpoints in 'exactly-once' mode need sources that can rewind, and source 'feed' (source definition 'feed') is a push source (it implements subscribe()): what it pushed cannot be asked for again after a restart. Use checkpoints.mode: 'at-least-once' (what was pushed after the last checkpoint is not read again), or no checkpoints",
  );
});

test('overflow › a push source and its dropped output take part in at-least-once checkpoints, and a restart goes on', async (t) => {
  const store = new MemoryCheckpointStore();
  const runOnce = async () => {
    const clock = new VirtualClock(0);
    const feed = new ClockFeed(clock, 1_000, 1);
    const out: number[] = [];
    const dropped: number[] = [];
    const stats = await runOnClock(
      createPipeline({
        components: [
          defineSource({ name: 'feed', batchSize: 10, overflow: { policy: 'drop-oldest', buffer: 20 } }, feed),
          toArray(out, {
            name: 'out',
            from: 'feed',
            channelCapacity: 10,
            rateLimit: { strategy: 'token-bucket', options: { rate: '200/s', burst: 10 } },
          }),
          toArray(dropped, { name: 'dropped', from: 'feed:dropped' }),
        ],
        clock,
        checkpoints: { store, interval: 50, mode: 'at-least-once' },
      }),
      clock,
      100_000,
    );
    return { stats, out, dropped };
  };
  const first = await runOnce();
  t.true(first.stats.checkpoints!.completed >= 10, `${first.stats.checkpoints!.completed} checkpoints`);
  t.is(first.stats.checkpoints!.failed, 0);
  t.true(first.dropped.length > 0);
  t.deepEqual(
    [...first.out, ...first.dropped].sort((a, b) => a - b),
    range(0, 1_000),
  );
  const second = await runOnce();
  t.is(second.stats.checkpoints!.restoredFrom, first.stats.checkpoints!.lastId);
  t.deepEqual(
    [...second.out, ...second.dropped].sort((a, b) => a - b),
    range(0, 1_000),
  );
});

test('overflow › a DisconnectedError delivers what was buffered, then unsubscribes and subscribes again', async (t) => {
  const calls: string[] = [];
  let stale!: PushEmitter<number>;
  const flaky: PushSourceConnector<number> = {
    subscribe(e) {
      calls.push('subscribe');
      if (calls.length === 1) {
        stale = e;
        e.emitAll(range(0, 5));
        e.fail(new DisconnectedError('feed dropped'));
      } else {
        e.emitAll(range(5, 10));
        e.end();
      }
    },
    unsubscribe: () => void calls.push('unsubscribe'),
  };
  const out: number[] = [];
  const pipeline = createPipeline({
    components: [
      defineSource({ name: 'feed', overflow: { policy: 'block', buffer: 100 } }, flaky),
      toArray(out, { name: 'out', from: 'feed' }),
    ],
  });
  await pipeline.run();
  t.deepEqual(out, range(0, 10));
  t.deepEqual(calls, ['subscribe', 'unsubscribe', 'subscribe', 'unsubscribe']);
  t.false(stale.emit(99), "the old subscription's emitter refuses");
  t.like(pipeline.stats().sources.feed, { pushed: 10, refused: 1 });
});

test('overflow › a feed that fails fails the pipeline with SOURCE_FAILED naming the source', async (t) => {
  const err = await t.throwsAsync(
    createPipeline({
      components: [
        fromPush<number>((e) => (e.emit(1), e.fail(new Error('feed broke'))), { name: 'feed' }),
        toArray([], { name: 'out', from: 'feed' }),
      ],
    }).run(),
  );
  t.true(SluiceError.is(err, ErrorCodes.SOURCE_FAILED));
  t.is(err.message, "Source 'feed' (source definition 'feed') failed to read: feed broke");
});

test('overflow › cancelling releases a producer waiting for room; its later pushes are refused', async (t) => {
  const abort = new AbortController();
  let emitter!: PushEmitter<number>;
  let teardowns = 0;
  const pipeline = createPipeline({
    components: [
      fromPush<number>(
        (e) => {
          emitter = e;
          e.emitAll(range(0, 4));
          return () => void teardowns++;
        },
        { name: 'feed', overflow: { policy: 'block', buffer: 2 } },
      ),
      // A sink stuck until the pipeline is cancelled.
      defineSink<number>(
        { name: 'out', from: 'feed', channelCapacity: 1 },
        { write: () => new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve())) },
      ),
    ],
    signal: abort.signal,
  });
  const run = pipeline.run();
  run.catch(() => undefined);
  // Push until the sink, the channel and the buffer are full and the buffer refuses.
  let n = 4;
  for (let k = 0; k < 3; k++) {
    await turns(10);
    while (emitter.emit(n)) n++;
  }
  t.like(pipeline.stats().sources.feed, { bufferFill: 2 });
  t.false(emitter.emit(100), 'the buffer is full');
  const waiting = emitter.ready().then(() => 'released');
  await turns(5);
  abort.abort();
  t.is(await waiting, 'released');
  t.false(emitter.emit(101));
  const err = await t.throwsAsync(run);
  t.true(SluiceError.is(err, ErrorCodes.ABORTED));
  t.is(teardowns, 1, "fromPush's teardown ran once");
});

test('overflow › a quiet dropped output does not hold back the event-time windows of a stage that also reads the source', async (t) => {
  interface Ev {
    t: number;
  }
  @Stage({ name: 'w', from: ['feed', 'feed:dropped'], key: () => 'all' })
  @Window({ tumbling: 100 })
  class Count implements Aggregator<Ev, number, number> {
    create() {
      return 0;
    }
    add(n: number) {
      return n + 1;
    }
    result(n: number) {
      return n;
    }
  }
  const clock = new VirtualClock(0);
  let emitter!: PushEmitter<Ev>;
  const out: WindowResult<number>[] = [];
  const pipeline = createPipeline({
    components: [
      fromPush<Ev>((e) => void (emitter = e), { name: 'feed', eventTime: (e) => e.t, overflow: { policy: 'drop-newest', buffer: 100 } }),
      Count,
      toArray(out, { name: 'out', from: 'w' }),
    ],
    clock,
  });
  await pipeline.start();
  emitter.emitAll([{ t: 10 }, { t: 150 }, { t: 250 }]);
  await turns(20);
  t.deepEqual(out, [], 'nothing dropped, and the dropped output not idle yet');
  clock.advance(1);
  await turns(20);
  // The feed's watermark (250) closes [0,100) and [100,200) while the pipeline runs.
  t.deepEqual(
    out.map((r) => [r.start, r.value]),
    [
      [0, 1],
      [100, 1],
    ],
  );
  await pipeline.stop();
});

test('overflow › an async subscribe may run the feed itself, waiting for room: the pipeline reads meanwhile', async (t) => {
  const N = 100_000;
  let waits = 0;
  let sum = 0;
  let count = 0;
  let ordered = true;
  const stats = await createPipeline({
    components: [
      fromPush<number>(
        async (emitter) => {
          for (let i = 0; i < N; i++) {
            while (!emitter.emit(i)) {
              waits++;
              await emitter.ready();
            }
          }
          emitter.end();
        },
        { name: 'feed', overflow: { policy: 'block', buffer: 100 } },
      ),
      defineSink<number>(
        { name: 'out', from: 'feed', channelCapacity: 200 },
        {
          write(batch) {
            for (const v of batch) {
              if (v !== count) ordered = false;
              count++;
              sum += v;
            }
          },
        },
      ),
    ],
  }).run();
  t.is(count, N);
  t.true(ordered);
  t.is(sum, (N * (N - 1)) / 2);
  t.true(waits > 0);
  t.like(stats.sources.feed, { pushed: N, refused: waits, maxBufferFill: 100, dropped: {} });
});

test('overflow › an async subscribe that rejects fails the source', async (t) => {
  const err = await t.throwsAsync(
    createPipeline({
      components: [
        fromPush<number>(
          async (emitter) => {
            emitter.emit(1);
            await Promise.resolve();
            throw new Error('login refused');
          },
          { name: 'feed' },
        ),
        toArray([], { name: 'out', from: 'feed' }),
      ],
    }).run(),
  );
  t.true(SluiceError.is(err, ErrorCodes.SOURCE_FAILED));
  t.is(err.message, "Source 'feed' (source definition 'feed') failed to read: login refused");
});
