import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { createPipeline, defineSource, FileCheckpointStore, MemoryCheckpointStore, toArray, toCallback } from '@sluice/core';
import { ErrorCodes, SluiceError } from '@sluice/sdk';
import { JetStreamSource, type JetStreamSourceSettings } from '@sluice/plugin-nats';
import { startNatsServer } from './helpers/nats-server.js';
import { consumerInfo, createStream, publishAll, testConnection, until } from './helpers/source-streams.js';
import { main, ordersSettings, type Order } from './examples/jetstream-orders.js';

const orders = (n: number, from = 0): Order[] =>
  Array.from({ length: n }, (_, i) => ({
    id: from + i,
    symbol: ['AAPL', 'MSFT', 'XOM'][(from + i) % 3]!,
    qty: 1 + ((from + i) % 5),
    price: 100 + ((from + i) % 7),
  }));

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-jsource-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function settings(url: string, extra: Partial<JetStreamSourceSettings> = {}): JetStreamSourceSettings {
  return { connection: { servers: url }, stream: 'ORDERS', subject: 'orders.>', durable: 'test', ...extra };
}

test('JetStreamSource › the documented example reads every order in order; after the final checkpoint all are acknowledged', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  await createStream(nc, 'ORDERS', ['orders.>']);
  const published = orders(250);
  await publishAll(nc, (i) => `orders.${published[i]!.symbol}`, published);

  const { notionals, source, metrics, deadLetters } = await main(server.url, await tempDir(t));

  t.deepEqual(
    notionals,
    published.map((o) => ({ id: o.id, notional: o.qty * o.price })),
  );
  t.is(source.records, 250);
  t.deepEqual(deadLetters, []);
  t.like(metrics, { acked: 250, pendingAcks: 0, redelivered: 0, deadLettered: 0 });
  const info = await consumerInfo(nc, 'ORDERS', ordersSettings(server.url).durable);
  t.is(info.ack_floor.stream_seq, 250);
  t.is(info.num_ack_pending, 0);
  t.is(info.num_pending, 0);
});

test('JetStreamSource › nothing is acknowledged before a checkpoint covers it; the final checkpoint acknowledges everything', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  await createStream(nc, 'ORDERS', ['orders.>']);
  const published = orders(120);
  await publishAll(nc, () => 'orders.new', published);

  const got: Order[] = [];
  // A checkpoint interval of an hour: none is taken while the test looks (only the final one, at stop).
  const source = new JetStreamSource<Order>(settings(server.url, { ackWaitMs: 2 * 3_600_000 + 5_000 }));
  const pipeline = createPipeline({
    components: [defineSource({ name: 'orders', batchSize: 25 }, source), toArray(got, { name: 'out', from: 'orders' })],
    checkpoints: { store: new MemoryCheckpointStore(), interval: '1h' },
  });
  await pipeline.start();
  await until(() => got.length === 120, 'all 120 orders');
  let info = await consumerInfo(nc, 'ORDERS', 'test');
  t.is(info.ack_floor.stream_seq, 0, 'no checkpoint yet: nothing acknowledged');
  t.is(info.num_ack_pending, 120);
  t.like(source.metrics(), { pendingAcks: 120, acked: 0 });

  await pipeline.stop();
  await pipeline.run();
  info = await consumerInfo(nc, 'ORDERS', 'test');
  t.is(info.ack_floor.stream_seq, 120, 'the final checkpoint acknowledged everything');
  t.is(info.num_ack_pending, 0);
  t.like(source.metrics(), { pendingAcks: 0, acked: 120 });
  t.deepEqual(got, published);
});

test('JetStreamSource › a restart from a checkpoint resumes exactly after the checkpointed position: no loss, no duplicate', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  await createStream(nc, 'ORDERS', ['orders.>']);
  const published = orders(300);
  await publishAll(nc, () => 'orders.new', published);
  const dir = await tempDir(t);

  // A source that records where it was told to seek: the restored checkpoint's position.
  const seeks: unknown[] = [];
  class Recorded extends JetStreamSource<Order> {
    override async seek(position: unknown): Promise<void> {
      seeks.push(position);
      await super.seek(position);
    }
  }
  const run = async (stopAfter: number | undefined) => {
    const got: Order[] = [];
    const abort = new AbortController();
    const source = new Recorded(settings(server.url, { endAt: 'now' }));
    const pipeline = createPipeline({
      components: [
        defineSource({ name: 'orders', batchSize: 10 }, source),
        toCallback<Order>(
          async (batch) => {
            got.push(...batch);
            // Slow enough that several checkpoints are stored before the abort.
            await new Promise((r) => setTimeout(r, 10));
            if (stopAfter !== undefined && got.length >= stopAfter) abort.abort(new Error('crash'));
          },
          { name: 'out', from: 'orders', channelCapacity: 10 },
        ),
      ],
      checkpoints: { store: new FileCheckpointStore(dir), interval: '30ms' },
      signal: abort.signal,
    });
    const outcome = await pipeline.run().then(
      () => 'completed',
      (err: unknown) => (SluiceError.is(err, ErrorCodes.ABORTED) ? 'aborted' : Promise.reject(err)),
    );
    return { got, outcome, stats: pipeline.stats() };
  };

  const first = await run(150);
  t.is(first.outcome, 'aborted');
  t.true(first.stats.checkpoints!.completed > 0, 'checkpoints were stored before the abort');
  t.deepEqual(first.got, published.slice(0, first.got.length));

  const second = await run(undefined);
  t.is(second.outcome, 'completed');
  t.is(seeks.length, 1);
  const restored = seeks[0] as number;
  t.true(restored > 0 && restored <= first.got.length, `restored position ${restored} within the first run's ${first.got.length}`);
  // Stream sequence n holds order n - 1: the second run starts right after the restored position.
  t.deepEqual(second.got, published.slice(restored));
  // An idempotent sink (an upsert by id) holds every order exactly once across the two runs.
  const upserted = new Map([...first.got, ...second.got].map((o) => [o.id, o]));
  t.deepEqual(
    [...upserted.values()].sort((a, b) => a.id - b.id),
    published,
  );
  const info = await consumerInfo(nc, 'ORDERS', 'test');
  t.is(info.ack_floor.stream_seq, 300);
  t.is(info.num_ack_pending, 0);
});

test('JetStreamSource › an ack wait too short for the checkpoint interval is refused, naming both and the fix', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  await createStream(nc, 'ORDERS', ['orders.>']);
  const pipeline = createPipeline({
    components: [
      defineSource({ name: 'orders' }, new JetStreamSource(settings(server.url, { ackWaitMs: 6_000 }))),
      toArray([], { name: 'out', from: 'orders' }),
    ],
    checkpoints: { store: new MemoryCheckpointStore(), interval: '1s' },
  });
  const err = await t.throwsAsync(pipeline.run());
  t.regex(
    err!.message,
    /JetStreamSource 'orders': ackWaitMs 6000 ms is too short for checkpoints every 1000 ms: .* Set ackWaitMs to at least 7000 \(2 × the checkpoint interval \+ 5000 ms\), or take checkpoints more often/,
  );
  t.true(SluiceError.is(err!.cause, ErrorCodes.INVALID_OPTION));
  // Refused before any consumer was made.
  await t.throwsAsync(consumerInfo(nc, 'ORDERS', 'test'));
});

test('JetStreamSource › a missing stream, a missing consumer with createConsumer false, and unreachable servers are clear errors', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  const run = (s: JetStreamSourceSettings) =>
    t.throwsAsync(
      createPipeline({
        components: [defineSource({ name: 'orders' }, new JetStreamSource(s)), toArray([], { name: 'out', from: 'orders' })],
      }).run(),
    );
  let err = await run(settings(server.url, { stream: 'NOPE' }));
  t.regex(err!.message, new RegExp(`stream 'NOPE' does not exist on NATS at ${server.url}; create it first`));
  t.true(SluiceError.is(err, ErrorCodes.SOURCE_FAILED));

  await createStream(nc, 'ORDERS', ['orders.>']);
  err = await run(settings(server.url, { durable: 'ops-made', createConsumer: false }));
  t.regex(
    err!.message,
    new RegExp(`consumer 'ops-made' of stream 'ORDERS' does not exist on NATS at ${server.url}, and createConsumer is false`),
  );

  // A stream that removes what is acknowledged cannot be read again from a position.
  const { jetstreamManager, RetentionPolicy } = await import('@nats-io/jetstream');
  await (await jetstreamManager(nc)).streams.add({ name: 'JOBS', subjects: ['jobs.>'], retention: RetentionPolicy.Workqueue });
  err = await run(settings(server.url, { stream: 'JOBS', subject: 'jobs.>' }));
  t.regex(err!.message, /stream 'JOBS' has workqueue retention; the source needs limits retention/);

  // Nothing listens on the port of a stopped server: the start fails naming the servers.
  const gone = await startNatsServer(t);
  await gone.stop();
  err = await run(settings(gone.url));
  t.true(SluiceError.is(err, ErrorCodes.SOURCE_FAILED));
  t.regex(err!.message, new RegExp(`JetStreamSource 'orders' could not connect to NATS at ${gone.url}`));
});

test('JetStreamSource › bad settings are refused naming the source and the option', (t) => {
  const cases: [object, RegExp][] = [
    [{ stream: 'ORDERS', durable: 'd' }, /^JetStreamSource on ORDERS\/d: option "connection" should not be null or undefined/],
    [{ ...settings('nats://x'), stream: 'a.b' }, /option "stream" must be a NATS stream name/],
    [{ ...settings('nats://x'), ackWaitMs: 10 }, /option "ackWaitMs" must not be less than 1000/],
    [{ ...settings('nats://x'), decode: 'xml' }, /option "decode" must be one of the following values: json, string, bytes/],
    [{ ...settings('nats://x'), startAt: { seq: 1, time: 5 } }, /option "startAt" must be \{ seq \} .* or \{ time \}/],
    [{ ...settings('nats://x'), startAt: { time: 'yesterday' } }, /option "startAt" time must be an ISO date/],
    [{ ...settings('nats://x'), endAt: 'later' }, /option "endAt" must be 'now' or \{ seq \}/],
    [{ ...settings('nats://x'), colour: 'red' }, /option "colour" is not a known option/],
    [
      { ...settings('nats://x'), connection: { servers: [] } },
      /^JetStreamSource on ORDERS\/test \(option "connection"\): option "servers" must be/,
    ],
  ];
  for (const [s, message] of cases) {
    const err = t.throws(() => new JetStreamSource(s as JetStreamSourceSettings));
    t.regex(err!.message, message);
    t.true(SluiceError.is(err, ErrorCodes.INVALID_OPTION));
  }
});

test('JetStreamSource › a malformed JSON payload goes to the dead letters with its sequence and is acknowledged like the others', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  await createStream(nc, 'ORDERS', ['orders.>']);
  const good = orders(5);
  await publishAll(nc, () => 'orders.new', [good[0], good[1], good[2], '{"id": 3, "qty":', good[3], good[4]]);
  const got: Order[] = [];
  const source = new JetStreamSource<Order>(settings(server.url, { endAt: 'now' }));
  const pipeline = createPipeline({
    components: [defineSource({ name: 'orders' }, source), toArray(got, { name: 'out', from: 'orders' })],
    checkpoints: { store: new MemoryCheckpointStore(), interval: '100ms' },
  });
  const stats = await pipeline.run();
  t.deepEqual(got, good);
  t.is(stats.sources.orders!.deadLettered, 1);
  const [dl, ...more] = pipeline.deadLetters.records();
  t.deepEqual(more, []);
  t.is(dl!.value, '{"id": 3, "qty":');
  t.is(dl!.position, 4);
  t.is(dl!.stage, 'orders');
  t.is(dl!.error.name, 'NatsDecodeError');
  t.regex(dl!.error.message, /^JetStreamSource 'orders': stream ORDERS seq 4 \(subject orders\.new\): invalid JSON: /);
  t.like(source.metrics(), { deadLettered: 1, acked: 6, pendingAcks: 0 });
  t.is((await consumerInfo(nc, 'ORDERS', 'test')).ack_floor.stream_seq, 6);
});

test('JetStreamSource › a server killed and restarted mid-run: messages read again are dropped as redelivered, none lost or duplicated', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  await createStream(nc, 'ORDERS', ['orders.>']);
  const published = orders(200);
  await publishAll(nc, () => 'orders.new', published);
  await nc.close();

  const got: Order[] = [];
  const source = new JetStreamSource<Order>(
    settings(server.url, {
      connection: { servers: server.url, reconnectTimeWaitMs: 50 },
      endAt: { seq: 200 },
      ackWaitMs: 2 * 3_600_000 + 5_000,
    }),
  );
  let killed = false;
  const pipeline = createPipeline({
    components: [
      defineSource({ name: 'orders', batchSize: 10 }, source),
      toCallback<Order>(
        async (batch) => {
          got.push(...batch);
          if (!killed && got.length >= 60) {
            killed = true;
            await server.kill();
            await new Promise((r) => setTimeout(r, 200));
            await server.restart();
          }
          await new Promise((r) => setTimeout(r, 5));
        },
        { name: 'out', from: 'orders', channelCapacity: 10 },
      ),
    ],
    // No checkpoint before the end: after the drop, everything read so far is delivered again.
    checkpoints: { store: new MemoryCheckpointStore(), interval: '1h', log: () => undefined },
  });
  await pipeline.run();
  t.deepEqual(got, published);
  const m = source.metrics();
  t.true(m.redelivered >= 60, `redelivered ${m.redelivered}`);
  t.true(m.disconnects >= 1 && m.reconnects >= 1);
  t.like(m, { pendingAcks: 0, connected: 0 });
  const check = await testConnection(t, server.url);
  const info = await consumerInfo(check, 'ORDERS', 'test');
  t.is(info.ack_floor.stream_seq, 200);
  t.is(info.num_ack_pending, 0);
});

test('JetStreamSource › rewind: startAt { seq } for a new consumer, and the engine startAt { position } replays from the next sequence', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  await createStream(nc, 'ORDERS', ['orders.>']);
  const published = orders(50);
  await publishAll(nc, () => 'orders.new', published);
  const run = async (s: JetStreamSourceSettings, startAt?: { position: unknown }) => {
    const got: Order[] = [];
    await createPipeline({
      components: [
        defineSource({ name: 'orders', ...(startAt === undefined ? {} : { startAt }) }, new JetStreamSource<Order>(s)),
        toArray(got, { name: 'out', from: 'orders' }),
      ],
      checkpoints: { store: new MemoryCheckpointStore(), interval: '100ms' },
    }).run();
    return got;
  };
  t.deepEqual(await run(settings(server.url, { durable: 'from-41', startAt: { seq: 41 }, endAt: 'now' })), published.slice(40));
  // The same durable again: it goes on from its acknowledged position, nothing is left.
  t.deepEqual(await run(settings(server.url, { durable: 'from-41', startAt: { seq: 41 }, endAt: 'now' })), []);
  // Rewind it: everything after position 10.
  t.deepEqual(await run(settings(server.url, { durable: 'from-41', endAt: 'now' }), { position: 10 }), published.slice(10));
  // A bounded run to a sequence.
  t.deepEqual(await run(settings(server.url, { durable: 'to-20', endAt: { seq: 20 } })), published.slice(0, 20));
  t.is((await consumerInfo(nc, 'ORDERS', 'to-20')).ack_floor.stream_seq, 20);
});

test('JetStreamSource › endAt now on one subject of a busier stream: ends at that subject’s last message, and a subject with none ends at once', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  await createStream(nc, 'ORDERS', ['orders.>']);
  const published = orders(60);
  // AAPL's last order is not the stream's last message: the other symbols come after it.
  await publishAll(nc, (i) => `orders.${published[i]!.symbol}`, published);
  const run = async (subject: string) => {
    const got: Order[] = [];
    await createPipeline({
      components: [
        defineSource(
          { name: 'orders' },
          new JetStreamSource<Order>(settings(server.url, { subject, durable: subject.replace('.', '-'), endAt: 'now' })),
        ),
        toArray(got, { name: 'out', from: 'orders' }),
      ],
      checkpoints: { store: new MemoryCheckpointStore(), interval: '100ms' },
    }).run();
    return got;
  };
  t.deepEqual(
    await run('orders.AAPL'),
    published.filter((o) => o.symbol === 'AAPL'),
  );
  t.deepEqual(await run('orders.NONE'), []);
});

test('JetStreamSource › without checkpoints each batch is acknowledged when the next read comes; a consumer left with unacknowledged messages is resumed at once', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  await createStream(nc, 'ORDERS', ['orders.>']);
  const published = orders(40);
  await publishAll(nc, () => 'orders.new', published);
  const got: Order[] = [];
  const source = new JetStreamSource<Order>(settings(server.url, { endAt: 'now' }));
  await createPipeline({
    components: [defineSource({ name: 'orders', batchSize: 7 }, source), toArray(got, { name: 'out', from: 'orders' })],
  }).run();
  t.deepEqual(got, published);
  // The read that found the end acknowledged the last batch.
  t.like(source.metrics(), { acked: 40, pendingAcks: 0 });
  t.is((await consumerInfo(nc, 'ORDERS', 'test')).ack_floor.stream_seq, 40);

  // A process that fetched 10 more and died without acknowledging them.
  await publishAll(nc, () => 'orders.new', orders(20, 40));
  const { jetstream } = await import('@nats-io/jetstream');
  const pulled = await (await jetstream(nc).consumers.get('ORDERS', 'test')).fetch({ max_messages: 10, expires: 1000 });
  let n = 0;
  for await (const m of pulled) {
    void m;
    if (++n === 10) break;
  }
  t.is((await consumerInfo(nc, 'ORDERS', 'test')).num_ack_pending, 10);
  // The next run does not wait 30 s (the ack wait) for them: it re-creates the consumer at its ack floor.
  const again: Order[] = [];
  await createPipeline({
    components: [
      defineSource({ name: 'orders' }, new JetStreamSource<Order>(settings(server.url, { endAt: 'now' }))),
      toArray(again, { name: 'out', from: 'orders' }),
    ],
  }).run();
  t.deepEqual(again, orders(20, 40));
});

test('JetStreamSource › from its settings token, as a pipeline file binds them: the class is built by the container', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  await createStream(nc, 'ORDERS', ['orders.>']);
  const published = orders(30);
  await publishAll(nc, () => 'orders.new', published);
  const got: Order[] = [];
  await createPipeline({
    components: [JetStreamSource, toArray(got, { name: 'out', from: 'jetstream' })],
    providers: [{ provide: JetStreamSource.settings, useValue: ordersSettings(server.url) }],
    checkpoints: { store: new MemoryCheckpointStore(), interval: '100ms' },
  }).run();
  t.deepEqual(got, published);
});

test('JetStreamSource › createConsumer false uses an operator-made consumer with ack policy all; another ack policy is refused', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  await createStream(nc, 'ORDERS', ['orders.>']);
  const published = orders(30);
  await publishAll(nc, () => 'orders.new', published);
  const { jetstreamManager, AckPolicy } = await import('@nats-io/jetstream');
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add('ORDERS', {
    durable_name: 'ops-all',
    ack_policy: AckPolicy.All,
    ack_wait: 60_000_000_000,
    description: 'made by ops',
  });
  await jsm.consumers.add('ORDERS', { durable_name: 'ops-explicit', ack_policy: AckPolicy.Explicit });
  const run = async (durable: string, startAt?: { position: unknown }) => {
    const got: Order[] = [];
    await createPipeline({
      components: [
        defineSource(
          { name: 'orders', ...(startAt === undefined ? {} : { startAt }) },
          new JetStreamSource<Order>(settings(server.url, { durable, createConsumer: false, endAt: 'now', subject: undefined })),
        ),
        toArray(got, { name: 'out', from: 'orders' }),
      ],
      checkpoints: { store: new MemoryCheckpointStore(), interval: '100ms' },
    }).run();
    return got;
  };
  t.deepEqual(await run('ops-all'), published);
  // A rewind re-creates it with its own settings; only the start moves.
  t.deepEqual(await run('ops-all', { position: 25 }), published.slice(25));
  const info = await consumerInfo(nc, 'ORDERS', 'ops-all');
  t.is(info.config.description, 'made by ops');
  t.is(info.config.ack_wait, 60_000_000_000);
  t.is(info.ack_floor.stream_seq, 30);
  const err = await t.throwsAsync(run('ops-explicit'));
  t.regex(err!.message, /consumer 'ops-explicit' of stream 'ORDERS' has ack policy 'explicit'; the source needs ack policy 'all'/);
});

test('JetStreamSource › backpressure: a sink that does not take records stops the pulls (about one batch delivered ahead)', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  await createStream(nc, 'ORDERS', ['orders.>']);
  await publishAll(nc, () => 'orders.new', orders(1000));
  let release!: () => void;
  const blocked = new Promise<void>((r) => (release = r));
  const source = new JetStreamSource<Order>(settings(server.url, { endAt: 'now' }));
  const pipeline = createPipeline({
    components: [
      defineSource({ name: 'orders', batchSize: 10 }, source),
      toCallback<Order>(() => blocked, { name: 'out', from: 'orders', channelCapacity: 10 }),
    ],
  });
  await pipeline.start();
  await until(() => pipeline.stats().sources.orders!.records >= 10, 'a first batch');
  // Give a source that pulled regardless of demand the time to show it.
  await new Promise((r) => setTimeout(r, 1000));
  const read = pipeline.stats().sources.orders!.records;
  const delivered = (await consumerInfo(nc, 'ORDERS', 'test')).delivered.stream_seq;
  t.log(`delivered ${delivered}, read ${read}`);
  t.true(delivered <= read + 10, `delivered ${delivered}, read ${read}`);
  t.true(read < 100, `read ${read} while the sink takes nothing`);
  release();
  await pipeline.stop();
  await pipeline.run();
});

test('JetStreamSource › a checkpoint slower than the ack wait: the server redelivers, the source drops and counts them, and acknowledges them with the checkpoint', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  await createStream(nc, 'ORDERS', ['orders.>']);
  const published = orders(20);
  await publishAll(nc, () => 'orders.new', published);

  // The first checkpoint takes 8 s to store: longer than the ack wait (7 s, the least the rule allows for 1 s).
  class SlowStore extends MemoryCheckpointStore {
    private first = true;
    override async write(id: number, data: Uint8Array): Promise<void> {
      if (this.first) {
        this.first = false;
        await new Promise((r) => setTimeout(r, 8_000));
      }
      super.write(id, data);
    }
  }
  const got: Order[] = [];
  const source = new JetStreamSource<Order>(settings(server.url, { ackWaitMs: 7_000 }));
  const pipeline = createPipeline({
    components: [defineSource({ name: 'orders' }, source), toArray(got, { name: 'out', from: 'orders' })],
    checkpoints: { store: new SlowStore(), interval: '1s' },
  });
  await pipeline.start();
  await until(() => source.metrics().redelivered >= 20, 'the redeliveries');
  t.is((await consumerInfo(nc, 'ORDERS', 'test')).ack_floor.stream_seq, 0, 'not acknowledged before the checkpoint is stored');
  await until(
    async () => (await consumerInfo(nc, 'ORDERS', 'test')).ack_floor.stream_seq === 20,
    'the acknowledgements after the checkpoint',
  );
  await pipeline.stop();
  await pipeline.run();
  t.deepEqual(got, published, 'each order once');
  t.like(source.metrics(), { pendingAcks: 0, acked: 20 });
  t.is((await consumerInfo(nc, 'ORDERS', 'test')).num_ack_pending, 0);
});

test('JetStreamSource › a consumer deleted from under a running pipeline is re-created from the covered position: nothing lost or duplicated', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  await createStream(nc, 'ORDERS', ['orders.>']);
  const published = orders(150);
  await publishAll(nc, () => 'orders.new', published);
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const jsm = await jetstreamManager(nc);
  const got: Order[] = [];
  let deleted = false;
  const source = new JetStreamSource<Order>(settings(server.url, { endAt: { seq: 150 } }));
  const pipeline = createPipeline({
    components: [
      defineSource({ name: 'orders', batchSize: 10 }, source),
      toCallback<Order>(
        async (batch) => {
          got.push(...batch);
          if (!deleted && got.length >= 50) {
            deleted = true;
            await jsm.consumers.delete('ORDERS', 'test');
          }
          await new Promise((r) => setTimeout(r, 5));
        },
        { name: 'out', from: 'orders', channelCapacity: 10 },
      ),
    ],
    checkpoints: { store: new MemoryCheckpointStore(), interval: '50ms', log: () => undefined },
  });
  await pipeline.run();
  t.true(deleted);
  t.deepEqual(got, published);
  const info = await consumerInfo(nc, 'ORDERS', 'test');
  t.is(info.ack_floor.stream_seq, 150);
  t.is(info.num_ack_pending, 0);
});
