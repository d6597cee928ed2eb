import test from 'ava';
import { createPipeline, defineSink, fromArray, MemoryCheckpointStore, toArray } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import { SluiceError, Stage, Window, type Aggregator, type Mapper, type RateLimitOptions } from '@sluice/sdk';
import { runOnClock } from '../strategies/run-on-clock.js';
import { timedSource } from '../strategies/timed-source.js';
import { Disk, txnSink } from '../checkpoints/memory-txn-sink.js';

interface Order {
  readonly customer: string;
  readonly seq: number;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * Whether the times at which one key's records passed keep a token bucket's promise: over any
 * span t, at most burst + rate·t records. Checked in one pass: for every j, the largest
 * (j - i + 1) - rate·(t_j - t_i) over i <= j.
 */
function worstExcess(times: readonly number[], ratePerMs: number, burst: number): number {
  let worst = -Infinity;
  let min = Infinity; // min over i of (i - rate·t_i)
  for (let j = 0; j < times.length; j++) {
    min = Math.min(min, j - ratePerMs * times[j]!);
    worst = Math.max(worst, j - ratePerMs * times[j]! - min + 1 - burst);
  }
  return worst;
}

test('keyed limits › a hot key at 10× its limit does not slow a cold key: the cold records pass at their arrival times while the hot key is throttled', async (t) => {
  const clock = new VirtualClock(0);
  // Hot: a record every 10 ms for 1 s (100/s); cold: one every 100 ms. Each customer may send 10/s.
  const arrivals: (readonly [number, Order])[] = [];
  for (let i = 0; i < 100; i++) arrivals.push([i * 10, { customer: 'hot', seq: i }]);
  for (let i = 0; i < 10; i++) arrivals.push([i * 100 + 5, { customer: 'cold', seq: i }]);
  arrivals.sort((a, b) => a[0] - b[0]);
  const passed: { at: number; order: Order }[] = [];
  @Stage({
    name: 'limited',
    from: 'orders',
    key: (o: Order) => o.customer,
    rateLimit: { strategy: 'token-bucket', options: { rate: '10/s', burst: 1 }, perKey: {} },
  })
  class Limited implements Mapper<Order, Order> {
    map(o: Order) {
      passed.push({ at: clock.now(), order: o });
      return o;
    }
  }
  const out: Order[] = [];
  const pipeline = createPipeline({
    components: [timedSource('orders', clock, arrivals), Limited, toArray(out, { name: 'out', from: 'limited' })],
    clock,
  });
  const stats = await runOnClock(pipeline, clock, 100_000);
  const cold = passed.filter((p) => p.order.customer === 'cold');
  const hot = passed.filter((p) => p.order.customer === 'hot');
  t.deepEqual(
    cold.map((p) => p.at),
    range(10).map((i) => i * 100 + 5),
    'every cold record passed when it arrived',
  );
  // The hot key: one at once (burst 1), then one every 100 ms; 99 of them waited.
  t.deepEqual(
    hot.map((p) => p.at),
    range(100).map((i) => i * 100),
  );
  t.deepEqual(
    hot.map((p) => p.order.seq),
    range(100),
    'order within the hot key is kept',
  );
  t.deepEqual(
    cold.map((p) => p.order.seq),
    range(10),
  );
  t.is(out.length, 110);
  t.like(stats.stages.limited, { limit: 10, keys: 2, heldRecords: 0, recordsOut: 110 });
});

test('keyed limits › with many more keys than maxKeys, each key keeps its rate across evictions, and held records and limiters stay within their bounds', async (t) => {
  const clock = new VirtualClock(0);
  const keys = 40;
  const perKey = 30;
  const maxKeys = 8;
  const maxHeld = 20;
  const capacity = 100;
  // Customers take turns: k0, k1, ..., k39, k0, ...; all are available at once.
  const orders: Order[] = range(keys * perKey).map((i) => ({ customer: `k${i % keys}`, seq: Math.floor(i / keys) }));
  const written: { at: number; order: Order }[] = [];
  let maxKeysSeen = 0;
  let maxHeldSeen = 0;
  const pipeline = createPipeline({
    components: [
      fromArray(orders, { name: 'orders', batchSize: 50 }),
      defineSink<Order>(
        {
          name: 'out',
          from: 'orders',
          channelCapacity: capacity,
          rateLimit: {
            strategy: 'token-bucket',
            options: { rate: '100/s', burst: 5 },
            perKey: { key: (o: Order) => o.customer, maxKeys, maxHeld },
          },
        },
        {
          write(values) {
            for (const order of values) written.push({ at: clock.now(), order });
            const s = pipeline.stats().sinks.out!;
            maxKeysSeen = Math.max(maxKeysSeen, s.keys!);
            maxHeldSeen = Math.max(maxHeldSeen, s.heldRecords!);
          },
        },
      ),
    ],
    clock,
  });
  const stats = await runOnClock(pipeline, clock, 200_000);
  t.is(written.length, keys * perKey);
  t.true(maxKeysSeen <= maxKeys && maxKeysSeen > 1, `${maxKeysSeen} limiters at once`);
  t.true(maxHeldSeen <= maxHeld, `${maxHeldSeen} records held at once`);
  t.true(stats.channels.out!.maxFill <= capacity);
  t.true(stats.sources.orders!.pausedCount > 0, 'backpressure paused the source');
  for (let k = 0; k < keys; k++) {
    const mine = written.filter((w) => w.order.customer === `k${k}`);
    t.deepEqual(
      mine.map((w) => w.order.seq),
      range(perKey),
      `order of k${k}`,
    );
    const excess = worstExcess(
      mine.map((w) => w.at),
      0.1,
      5,
    );
    t.true(excess <= 1e-9, `k${k} exceeded burst + rate·t by ${excess}`);
  }
  t.like(stats.sinks.out, { records: keys * perKey, limit: 100, heldRecords: 0 });
  t.true(stats.sinks.out!.keys! <= maxKeys);
  t.true(stats.sinks.out!.throttledMs! > 0);
});

test('keyed limits › each key keeps its own rate within 1% over a long run', async (t) => {
  const clock = new VirtualClock(0);
  const orders: Order[] = range(6_000).map((i) => ({ customer: ['a', 'b', 'c'][i % 3]!, seq: i }));
  const times = new Map<string, number[]>();
  @Stage({
    name: 'limited',
    from: 'orders',
    rateLimit: { strategy: 'sliding-window', options: { limit: 20, interval: '100ms' }, perKey: { key: (o: Order) => o.customer } },
  })
  class Limited implements Mapper<Order, Order> {
    map(o: Order) {
      const list = times.get(o.customer) ?? [];
      list.push(clock.now());
      times.set(o.customer, list);
      return o;
    }
  }
  const stats = await runOnClock(
    createPipeline({ components: [fromArray(orders, { name: 'orders' }), Limited, toArray([], { name: 'out', from: 'limited' })], clock }),
    clock,
    100_000,
  );
  t.is(stats.stages.limited!.limit, 200);
  for (const [customer, list] of times) {
    t.is(list.length, 2_000);
    // 20 every 100 ms: the last 20 enter at 9.9 s.
    const rate = list.length / ((list.at(-1)! + 100) / 1000);
    t.true(Math.abs(rate - 200) / 200 < 0.01, `${customer}: ${rate}/s`);
    for (let i = 0; i + 20 < list.length; i++)
      t.true(list[i + 20]! >= list[i]! + 100, `${customer}: 21 records within 100 ms at ${list[i]}`);
  }
});

test('keyed limits › keys are compared by value: a key function returning a new array per record limits each [customer, venue] once', async (t) => {
  const clock = new VirtualClock(0);
  const orders = range(12).map((i) => ({ customer: i % 2 === 0 ? 'a' : 'b', venue: 'X', seq: i }));
  const passed: [number, string][] = [];
  const stats = await runOnClock(
    createPipeline({
      components: [
        fromArray(orders, { name: 'orders' }),
        defineSink<(typeof orders)[number]>(
          {
            name: 'out',
            from: 'orders',
            rateLimit: {
              strategy: 'token-bucket',
              options: { rate: '10/s', burst: 1 },
              perKey: { key: (o: (typeof orders)[number]) => [o.customer, o.venue], maxKeys: 100 },
            },
          },
          { write: (values) => void passed.push(...values.map((o): [number, string] => [clock.now(), o.customer])) },
        ),
      ],
      clock,
    }),
    clock,
  );
  t.deepEqual(
    passed.filter(([, c]) => c === 'a').map(([at]) => at),
    range(6).map((i) => i * 100),
  );
  t.deepEqual(
    passed.filter(([, c]) => c === 'b').map(([at]) => at),
    range(6).map((i) => i * 100),
  );
  t.like(stats.sinks.out, { keys: 2, records: 12 });
});

// Counts each customer's orders per 30 of event time (the order's seq; windows do not line up
// with the source's batches): a held order overtaken by the watermark would be late here.
@Stage({ name: 'counts', from: 'limited', key: (o: Order) => o.customer })
@Window({ tumbling: 30 })
class Counts implements Aggregator<Order, { customer: string; n: number; first: number }, string> {
  create() {
    return { customer: '', n: 0, first: -1 };
  }
  add(acc: { customer: string; n: number; first: number }, o: Order) {
    acc.customer = o.customer;
    acc.n++;
    if (acc.first < 0) acc.first = o.seq;
    return acc;
  }
  result(acc: { customer: string; n: number; first: number }) {
    return `${acc.customer}:${acc.first}:${acc.n}`;
  }
}

async function runKeyed(rateLimit: RateLimitOptions | undefined) {
  const clock = new VirtualClock(0);
  const orders: Order[] = range(2_000).map((i) => ({ customer: `c${(i * 7) % 13}`, seq: i }));
  @Stage({
    name: 'limited',
    from: 'orders',
    key: (o: Order) => o.customer,
    channelCapacity: 100,
    ...(rateLimit === undefined ? {} : { rateLimit }),
  })
  class Limited implements Mapper<Order, Order> {
    map(o: Order) {
      return o;
    }
  }
  const out: Order[] = [];
  const counts: string[] = [];
  const stats = await runOnClock(
    createPipeline({
      components: [
        fromArray(orders, { name: 'orders', batchSize: 100, eventTime: (o: Order) => o.seq, watermark: 'monotonous' }),
        Limited,
        Counts,
        toArray(out, { name: 'out', from: 'limited' }),
        toArray(counts, { name: 'countsOut', from: 'counts' }),
      ],
      clock,
      checkpoints: { store: new MemoryCheckpointStore(), interval: 100, log: () => undefined },
    }),
    clock,
    100_000,
  );
  return { out, counts: counts.sort(), stats };
}

test('keyed limits › with checkpoints, a stage limited per key completes its checkpoints, gives the records of an unthrottled run (each key in order) and holds the watermark behind held records', async (t) => {
  const plain = await runKeyed(undefined);
  const limited = await runKeyed({ strategy: 'token-bucket', options: { rate: '100/s', burst: 10 }, perKey: { maxKeys: 5, maxHeld: 64 } });
  const byKey = (out: { customer: string; seq: number }[]) => {
    const m: Record<string, number[]> = {};
    for (const o of out) (m[o.customer] ??= []).push(o.seq);
    return m;
  };
  t.deepEqual(byKey(limited.out), byKey(plain.out));
  t.deepEqual(limited.counts, plain.counts, 'the windows after the limit count what they count without it');
  t.is(limited.stats.stages.counts!.windows!.lateSideOutput, 0, 'no held record was overtaken by the watermark');
  t.is(limited.out.length, 2_000);
  t.true(limited.stats.checkpoints!.completed >= 5, `${limited.stats.checkpoints!.completed} checkpoints`);
  t.is(limited.stats.checkpoints!.failed, 0);
  t.like(limited.stats.stages.limited, { heldRecords: 0 });
  t.true(limited.stats.stages.limited!.keys! <= 5);
});

test('keyed limits › bad perKey options are refused with the node, the option and the rule', (t) => {
  const sinkRefused = (rateLimit: unknown) => {
    const err = t.throws(() =>
      createPipeline({
        components: [fromArray([1], { name: 'n' }), toArray([], { name: 'out', from: 'n', rateLimit: rateLimit as never })],
      }),
    );
    t.true(SluiceError.is(err));
    return err.message;
  };
  t.is(
    sinkRefused({ strategy: 'token-bucket', options: { rate: 5 }, perKey: {} }),
    "rateLimit of sink 'out' (sink definition 'out'): perKey needs a key: add perKey: { key: (record) => ... }",
  );
  t.is(
    sinkRefused({ strategy: 'token-bucket', options: { rate: 5 }, perKey: { key: (v: number) => v, maxKeys: 0 } }),
    'defineSink on sink definition \'out\': option "rateLimit.perKey.maxKeys" must not be less than 1 (rule: min)',
  );
  t.regex(
    sinkRefused({ strategy: 'token-bucket', options: { rate: 5 }, perKey: { key: 'customer' } }),
    /option "rateLimit.perKey.key" must be a function \(rule: isFunction\)/,
  );
  t.regex(
    sinkRefused({ strategy: 'nope', perKey: { key: (v: number) => v } }),
    /^rateLimit of sink 'out' \(sink definition 'out'\): strategy 'nope' is not bound in the container/,
  );

  @Stage({ name: 'limited', from: 'n', rateLimit: { strategy: 'token-bucket', options: { rate: 5 }, perKey: { maxHeld: 10 } } })
  class Unkeyed implements Mapper<number, number> {
    map(v: number) {
      return v;
    }
  }
  const err = t.throws(() =>
    createPipeline({ components: [fromArray([1], { name: 'n' }), Unkeyed, toArray([], { name: 'out', from: 'limited' })] }),
  );
  t.is(
    err.message,
    "rateLimit of stage 'limited' (class Unkeyed): perKey needs a key: add perKey: { key: (record) => ... }, or the stage's key option",
  );
});

test('keyed limits › a run that crashes while keys are throttled restarts from its last checkpoint and commits every record once, each key in order', async (t) => {
  // Three customers, each over its limit: their queues hold records whenever a barrier comes.
  const orders: Order[] = range(1_500).map((i) => ({ customer: `c${i % 3}`, seq: i }));
  const store = new MemoryCheckpointStore();
  const disk = new Disk<Order>();
  const build = (clock: VirtualClock, signal?: AbortSignal) => {
    @Stage({
      name: 'limited',
      from: 'orders',
      key: (o: Order) => o.customer,
      channelCapacity: 100,
      rateLimit: { strategy: 'token-bucket', options: { rate: '100/s', burst: 10 }, perKey: { maxKeys: 5, maxHeld: 64 } },
    })
    class Limited implements Mapper<Order, Order> {
      map(o: Order) {
        return o;
      }
    }
    return createPipeline({
      components: [fromArray(orders, { name: 'orders', batchSize: 100 }), Limited, txnSink('out', 'limited', disk)],
      clock,
      signal,
      checkpoints: { store, interval: 100, log: () => undefined },
    });
  };
  // The first run is cancelled (a crash) 1.5 s into the run, in the middle of the throttling.
  const clock = new VirtualClock(0);
  const abort = new AbortController();
  const first = build(clock, abort.signal);
  let heldAtCrash = 0;
  clock.schedule(1_500, () => {
    heldAtCrash = first.stats().stages.limited!.heldRecords!;
    abort.abort();
  });
  const crashed = await runOnClock(first, clock, 100_000).then(
    () => 'finished',
    (e: unknown) => (SluiceError.is(e) ? e.code : String(e)),
  );
  t.is(crashed, 'SLUICE_ERR_ABORTED');
  const before = disk.committed.length;
  t.true(before > 0 && before < orders.length, `${before} records committed before the crash`);
  t.true(heldAtCrash > 0, 'records were held when the run crashed');
  const clock2 = new VirtualClock(0);
  const stats = await runOnClock(build(clock2), clock2, 100_000);
  t.true(stats.checkpoints!.restoredFrom !== undefined);
  t.is(disk.committed.length, orders.length);
  const seqs = (out: readonly Order[]) => {
    const m: Record<string, number[]> = {};
    for (const o of out) (m[o.customer] ??= []).push(o.seq);
    return m;
  };
  t.deepEqual(seqs(disk.committed), seqs(orders), 'every record once, each key in order');
});
