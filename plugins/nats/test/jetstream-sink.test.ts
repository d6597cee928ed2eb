import test from 'ava';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { createPipeline, defineSink, fromArray, MemoryCheckpointStore } from '@sluice/core';
import { ErrorCodes, SluiceError, Stage, type Mapper } from '@sluice/sdk';
import { JetStreamSink, jetStreamSink, type JetStreamSinkOptions } from '@sluice/plugin-nats';
import { startNatsCluster, startNatsServer, type NatsServer } from './helpers/nats-server.js';
import { addStream, adminConnection, publishWithId, readStream, streamCount } from './helpers/streams.js';

interface Order {
  n: number;
  region: string;
}

const orders = (count: number): Order[] => Array.from({ length: count }, (_, n) => ({ n, region: n % 3 === 0 ? 'eu' : 'us' }));

function sinkOptions(server: NatsServer, extra: Partial<JetStreamSinkOptions<Order>> = {}): JetStreamSinkOptions<Order> {
  return { connection: { servers: server.url, reconnectTimeWaitMs: 100 }, stream: 'ORDERS', subject: 'orders.all', ...extra };
}

function pipelineOf(records: readonly Order[], sink: JetStreamSink<Order>, extra: { batchSize?: number } = {}) {
  return createPipeline({
    name: 'orders-pipeline',
    components: [fromArray(records, { name: 'orders' }), defineSink({ name: 'orders-out', from: 'orders' }, sink)],
    ...extra,
  });
}

async function failureOf(p: Promise<unknown>): Promise<SluiceError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!SluiceError.is(err)) throw new Error(`expected a SluiceError, got ${String(err)}`);
  return err;
}

test('JetStreamSink › a pipeline publishes N records: the stream holds exactly N, in order, with ids <sink name>:0..N-1', async (t) => {
  const server = await startNatsServer(t);
  const nc = await adminConnection(t, server);
  await addStream(nc, 'ORDERS', ['orders.>']);
  const records = orders(1500);
  const sink = jetStreamSink<Order>(sinkOptions(server));
  const stats = await pipelineOf(records, sink, { batchSize: 200 }).run();
  t.is(stats.sinks['orders-out']!.records, 1500);

  const stored = await readStream(nc, 'ORDERS');
  t.is(stored.length, 1500);
  t.deepEqual(
    stored.map((m) => JSON.parse(m.body) as Order),
    records,
  );
  t.deepEqual(
    stored.map((m) => m.msgId),
    records.map((_, i) => `orders-out:${i}`),
  );
  t.true(stored.every((m) => m.subject === 'orders.all'));
  t.like(sink.metrics(), { published: 1500, duplicates: 0, pendingAcks: 0, publishErrors: 0 });
});

test('JetStreamSink › the same pipeline run again within the duplicate window adds nothing: every publish is counted as a duplicate', async (t) => {
  const server = await startNatsServer(t);
  const nc = await adminConnection(t, server);
  await addStream(nc, 'ORDERS', ['orders.>']);
  const records = orders(600);
  await pipelineOf(records, jetStreamSink<Order>(sinkOptions(server))).run();
  t.is(await streamCount(nc, 'ORDERS'), 600);

  const again = jetStreamSink<Order>(sinkOptions(server));
  await pipelineOf(records, again, { batchSize: 64 }).run();
  t.is(await streamCount(nc, 'ORDERS'), 600);
  t.like(again.metrics(), { published: 600, duplicates: 600 });

  // A message published by hand with one of the sink's ids is a duplicate too; a new id is not.
  t.true((await publishWithId(nc, 'orders.all', '{}', 'orders-out:17')).duplicate);
  t.false((await publishWithId(nc, 'orders.all', '{}', 'orders-out:600')).duplicate);
  // Another prefix is another output: its records are stored.
  const other = jetStreamSink<Order>(sinkOptions(server, { idPrefix: 'replay-2' }));
  await pipelineOf(records.slice(0, 10), other).run();
  t.is(await streamCount(nc, 'ORDERS'), 611);
});

test('JetStreamSink › a stream whose duplicate window is not longer than recoveryTimeMs is refused at start, giving both values and the fix', async (t) => {
  const server = await startNatsServer(t);
  const nc = await adminConnection(t, server);
  await addStream(nc, 'ORDERS', ['orders.>'], 30_000);
  const err = await failureOf(pipelineOf(orders(5), jetStreamSink<Order>(sinkOptions(server, { recoveryTimeMs: 30_000 }))).run());
  t.true(SluiceError.is(err, ErrorCodes.SINK_FAILED), err.message);
  const cause = err.cause;
  t.true(SluiceError.is(cause, ErrorCodes.INVALID_OPTION));
  t.regex(err.message, /Sink 'orders-out'/);
  t.regex(
    err.message,
    /stream 'ORDERS' remembers message ids for 30 s \(its duplicate_window\), which is not longer than recoveryTimeMs \(30 s\)/,
  );
  t.regex(err.message, /nats stream edit ORDERS --dupe-window 60s/);
  t.regex(err.message, /or lower option "recoveryTimeMs"/);
  t.is(await streamCount(nc, 'ORDERS'), 0);

  // The default recoveryTimeMs (60 s) against a 60 s window: refused too; a 61 s window is accepted.
  await addStream(nc, 'SIXTY', ['sixty'], 60_000);
  const sixty = await failureOf(
    pipelineOf(orders(1), jetStreamSink<Order>(sinkOptions(server, { stream: 'SIXTY', subject: 'sixty' }))).run(),
  );
  t.regex(sixty.message, /remembers message ids for 60 s .* recoveryTimeMs \(60 s\)/);
  await addStream(nc, 'LONGER', ['longer'], 61_000);
  await pipelineOf(orders(3), jetStreamSink<Order>(sinkOptions(server, { stream: 'LONGER', subject: 'longer' }))).run();
  t.is(await streamCount(nc, 'LONGER'), 3);
});

test('JetStreamSink › a missing stream, or one that does not capture the subject, is refused naming it', async (t) => {
  const server = await startNatsServer(t);
  const nc = await adminConnection(t, server);
  const missing = await failureOf(pipelineOf(orders(1), jetStreamSink<Order>(sinkOptions(server, { stream: 'NOPE' }))).run());
  t.true(SluiceError.is(missing.cause, ErrorCodes.INVALID_OPTION));
  t.regex(missing.message, /JetStreamSink 'orders-out': stream 'NOPE' does not exist on nats:\/\/127\.0\.0\.1:\d+/);
  t.regex(missing.message, /nats stream add NOPE --subjects 'orders\.all'/);

  await addStream(nc, 'ORDERS', ['orders.eu.*', 'orders.us.*']);
  const uncaptured = await failureOf(pipelineOf(orders(1), jetStreamSink<Order>(sinkOptions(server, { subject: 'orders.asia.x' }))).run());
  t.true(SluiceError.is(uncaptured.cause, ErrorCodes.INVALID_OPTION));
  t.regex(
    uncaptured.message,
    /subject 'orders\.asia\.x' is not captured by stream 'ORDERS' \(its subjects: orders\.eu\.\*, orders\.us\.\*\)/,
  );

  // With a subject function, a record whose subject the stream does not capture fails the
  // pipeline naming the record; the records before it (in batches of 5: 0..6) are stored.
  const routed = jetStreamSink<Order>(sinkOptions(server, { subject: (o) => `orders.${o.n === 7 ? 'asia' : o.region}.new` }));
  const err = await failureOf(pipelineOf(orders(20), routed, { batchSize: 5 }).run());
  t.true(SluiceError.is(err, ErrorCodes.SINK_FAILED));
  t.regex(err.message, /subject 'orders\.asia\.new' is not captured by stream 'ORDERS'/);
  const stored = await readStream(nc, 'ORDERS');
  t.deepEqual(
    stored.map((m) => m.subject),
    orders(7).map((o) => `orders.${o.region}.new`),
  );
});

test('JetStreamSink › a subject function routes each record; string and bytes encodings publish the record as it is', async (t) => {
  const server = await startNatsServer(t);
  const nc = await adminConnection(t, server);
  await addStream(nc, 'ORDERS', ['orders.>']);
  await pipelineOf(orders(9), jetStreamSink<Order>(sinkOptions(server, { subject: (o) => `orders.${o.region}` }))).run();
  t.deepEqual(
    (await readStream(nc, 'ORDERS')).map((m) => `${m.subject} ${m.body}`),
    orders(9).map((o) => `orders.${o.region} ${JSON.stringify(o)}`),
  );

  await addStream(nc, 'RAW', ['raw.*']);
  const texts = ['a', 'b c', 'ü'];
  await createPipeline({
    components: [
      fromArray(texts, { name: 'texts' }),
      defineSink(
        { name: 'text-out', from: 'texts' },
        jetStreamSink<string>({ connection: { servers: server.url }, stream: 'RAW', subject: 'raw.text', encode: 'string' }),
      ),
    ],
  }).run();
  const bytes = [Uint8Array.of(0, 1, 255), Uint8Array.of()];
  await createPipeline({
    components: [
      fromArray(bytes, { name: 'blobs' }),
      defineSink(
        { name: 'bytes-out', from: 'blobs' },
        jetStreamSink<Uint8Array>({ connection: { servers: server.url }, stream: 'RAW', subject: 'raw.bytes', encode: 'bytes' }),
      ),
    ],
  }).run();
  const raw = await readStream(nc, 'RAW');
  t.deepEqual(
    raw.slice(0, 3).map((m) => m.body),
    texts,
  );
  t.deepEqual(
    raw.slice(3).map((m) => m.msgId),
    ['bytes-out:0', 'bytes-out:1'],
  );
  const jsm = await (await import('@nats-io/jetstream')).jetstreamManager(nc);
  t.deepEqual([...(await jsm.streams.getMessage('RAW', { seq: 4 }))!.data], [0, 1, 255]);

  // A record that does not fit the encoding fails the pipeline naming it.
  const err = await failureOf(
    createPipeline({
      components: [
        fromArray<unknown>(['ok', 5], { name: 'mixed' }),
        defineSink(
          { name: 'strict', from: 'mixed' },
          jetStreamSink({ connection: { servers: server.url }, stream: 'RAW', subject: 'raw.text', encode: 'string' }),
        ),
      ],
    }).run(),
  );
  t.regex(err.message, /record 'strict:1' cannot be published: encode is 'string' but the record is not a string \(number\)/);
});

test('JetStreamSink › backpressure: never more than maxPendingAcks publishes in flight, and the limit is reached', async (t) => {
  const server = await startNatsServer(t);
  const nc = await adminConnection(t, server);
  await addStream(nc, 'ORDERS', ['orders.>']);
  const sink = jetStreamSink<Order>(sinkOptions(server, { maxPendingAcks: 8 }));
  const seen: number[] = [];
  // Samples taken while the pipeline runs, from outside the sink (as a monitor would).
  const sampler = setInterval(() => seen.push(sink.metrics().pendingAcks!), 0);
  try {
    await pipelineOf(orders(3000), sink, { batchSize: 500 }).run();
  } finally {
    clearInterval(sampler);
  }
  t.is(await streamCount(nc, 'ORDERS'), 3000);
  const m = sink.metrics();
  t.is(m.peakPendingAcks, 8, 'the sink pipelines up to its limit, and no further');
  t.true(
    seen.every((n) => n >= 0 && n <= 8),
    `samples over the limit: ${seen.filter((n) => n > 8).join(', ')}`,
  );
  t.true(seen.length > 0);
  t.is(m.pendingAcks, 0, 'a write returns only once every ack is in');

  // With the default limit (1024) and batches of 500, a whole batch is in flight at once.
  const wide = jetStreamSink<Order>(sinkOptions(server, { idPrefix: 'wide' }));
  await pipelineOf(orders(1000), wide, { batchSize: 500 }).run();
  t.is(wide.metrics().peakPendingAcks, 500);
});

test('JetStreamSink › the server killed mid-batch and restarted on the same store: the batch is retried and the stream ends with exactly N, each once', async (t) => {
  const server = await startNatsServer(t);
  const nc = await adminConnection(t, server);
  await addStream(nc, 'ORDERS', ['orders.>']);
  const records = orders(2000);
  let killed = false;
  let restarted: Promise<void> | undefined;
  // The subject function runs just before each publish: it kills the server (SIGKILL) before
  // record 700 of the first batch, while records before it are acknowledged or in flight, and
  // starts it again a second later, on the same port and store.
  const subject = (o: Order) => {
    if (o.n === 700 && !killed) {
      killed = true;
      restarted = server
        .kill()
        .then(() => new Promise((r) => setTimeout(r, 1000)))
        .then(() => server.restart());
    }
    return 'orders.all';
  };
  const sink = jetStreamSink<Order>(sinkOptions(server, { subject, maxPendingAcks: 16, ackTimeoutMs: 1000 }));
  const stats = await pipelineOf(records, sink, { batchSize: 1000 }).run();
  await restarted;
  t.true(killed);
  t.true(stats.sinks['orders-out']!.errors! >= 1, 'the write failed at least once and was retried');

  // A new connection to read: a request the old one sent while reconnecting may go unanswered.
  const stored = await readStream(await adminConnection(t, server), 'ORDERS');
  t.is(stored.length, 2000);
  t.deepEqual(
    stored.map((m) => (JSON.parse(m.body) as Order).n),
    records.map((o) => o.n),
  );
  t.is(new Set(stored.map((m) => m.msgId)).size, 2000);
  const m = sink.metrics();
  // Records 0..683 at least were acknowledged before the kill (at most 16 in flight): published
  // again with the same ids, the restarted server recognised them.
  t.true(m.duplicates! >= 700 - 16, JSON.stringify(m));
  t.true(m.disconnects! >= 1 && m.reconnects! >= 1, JSON.stringify(m));
});

test('JetStreamSink › an R3 stream on a 3-node cluster, its leader killed mid-run: every record stored once, in order', async (t) => {
  const servers = await startNatsCluster(t);
  const urls = servers.map((s) => s.url);
  const nc = await connect({ servers: urls });
  t.teardown(() => nc.close());
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'], num_replicas: 3, duplicate_window: 120e9 });
  const leader = Number(/^n(\d)$/.exec((await jsm.streams.info('ORDERS')).cluster!.leader!)![1]);
  let killed = false;
  const sink = jetStreamSink<Order>({
    connection: { servers: urls, reconnectTimeWaitMs: 100 },
    stream: 'ORDERS',
    subject: (o: Order) => {
      if (o.n === 1200 && !killed) {
        killed = true;
        void servers[leader]!.kill();
      }
      return 'orders.all';
    },
    maxPendingAcks: 64,
    ackTimeoutMs: 1000,
  });
  const records = orders(3000);
  await pipelineOf(records, sink, { batchSize: 500 }).run();
  t.true(killed);
  // Publishes to the dead leader failed and their batch was written again.
  t.true(sink.metrics().publishErrors! >= 1, JSON.stringify(sink.metrics()));
  const reader = await connect({ servers: urls.filter((_, i) => i !== leader) });
  t.teardown(() => reader.close());
  const stored = await readStream(reader, 'ORDERS');
  t.is(new Set(stored.map((m) => m.msgId)).size, 3000);
  t.deepEqual(
    stored.map((m) => (JSON.parse(m.body) as Order).n),
    records.map((o) => o.n),
  );
});

test('JetStreamSink › checkpointed: aborted mid-run and resumed from the checkpoint, the stream holds every record exactly once', async (t) => {
  const server = await startNatsServer(t);
  const nc = await adminConnection(t, server);
  await addStream(nc, 'ORDERS', ['orders.>']);
  const records = orders(1200);
  const store = new MemoryCheckpointStore();
  const run = (abortAt?: number) => {
    const abort = new AbortController();
    let seen = 0;
    @Stage({ name: 'count', from: 'orders' })
    class Count implements Mapper<Order, Order> {
      map(o: Order) {
        if (++seen === abortAt) abort.abort();
        return o;
      }
    }
    const sink = jetStreamSink<Order>(sinkOptions(server));
    const p = createPipeline({
      name: 'orders-pipeline',
      components: [fromArray(records, { name: 'orders', batchSize: 50 }), Count, defineSink({ name: 'orders-out', from: 'count' }, sink)],
      // A small channel keeps the source close to the sink, so the abort comes mid-output.
      channelCapacity: 100,
      signal: abort.signal,
      checkpoints: { store, interval: 5, log: () => undefined },
    });
    return { p, sink };
  };
  const first = run(900);
  const err = await failureOf(first.p.run());
  t.true(SluiceError.is(err, ErrorCodes.ABORTED), err.message);
  const before = await streamCount(nc, 'ORDERS');
  t.true(before > 0 && before < 1200, `${before} stored before the abort`);

  const second = run();
  await second.p.run();
  t.not(second.p.stats().checkpoints!.restoredFrom, undefined, 'the second run resumed from a checkpoint');
  const stored = await readStream(nc, 'ORDERS');
  t.deepEqual(
    stored.map((m) => (JSON.parse(m.body) as Order).n),
    records.map((o) => o.n),
  );
  t.deepEqual(
    stored.map((m) => m.msgId),
    records.map((_, i) => `orders-out:${i}`),
  );
  // Only what followed the restored checkpoint was written again.
  t.true(second.sink.metrics().published! < 1200);
});

test('JetStreamSink › used directly: write() numbers records on from the previous write; open() without a name needs idPrefix', async (t) => {
  const server = await startNatsServer(t);
  const nc = await adminConnection(t, server);
  await addStream(nc, 'ORDERS', ['orders.>']);
  const sink = jetStreamSink<Order>(sinkOptions(server));
  await sink.open({ name: 'direct' });
  t.teardown(() => sink.close());
  await sink.write(orders(3));
  await sink.write(orders(2));
  t.deepEqual(
    (await readStream(nc, 'ORDERS')).map((m) => m.msgId),
    ['direct:0', 'direct:1', 'direct:2', 'direct:3', 'direct:4'],
  );
  const nameless = jetStreamSink<Order>(sinkOptions(server));
  const err = await t.throwsAsync(nameless.open());
  t.true(SluiceError.is(err, ErrorCodes.INVALID_OPTION));
  t.regex(err!.message, /give option "idPrefix" when the sink is opened without a name/);
});

test('JetStreamSink › a server that refuses the first connection fails the pipeline at start, naming the servers and not the password', async (t) => {
  const server = await startNatsServer(t, ['--user', 'sluice', '--pass', 's3cret-pw']);
  const sink = jetStreamSink<Order>(sinkOptions(server, { connection: { servers: server.url, user: 'sluice', pass: 'wrong-pw' } }));
  const err = await failureOf(pipelineOf(orders(1), sink).run());
  t.true(SluiceError.is(err, ErrorCodes.SINK_FAILED));
  t.regex(
    err.message,
    new RegExp(`Sink 'orders-out' .*failed to open: JetStreamSink 'orders-out' could not connect to NATS at ${server.url}`),
  );
  t.notRegex(err.message, /wrong-pw|s3cret/);
});

test('JetStreamSink › bad options are refused when the sink is made, naming the option', (t) => {
  const base = { connection: { servers: 'nats://127.0.0.1:4222' }, stream: 'ORDERS', subject: 'orders.all' };
  const cases: [object, RegExp][] = [
    [{ ...base, stream: 'a.b' }, /option "stream" must be a stream name/],
    [{ ...base, stream: undefined }, /option "stream" must be a string/],
    [{ ...base, subject: 'orders.*' }, /option "subject" .* cannot contain the wildcards/],
    [{ ...base, subject: '' }, /option "subject" .* non-empty string/],
    [{ ...base, subject: 5 }, /option "subject" must be a subject to publish to, or a function/],
    [{ ...base, encode: 'xml' }, /option "encode" must be one of the following values: json, string, bytes/],
    [{ ...base, maxPendingAcks: 0 }, /option "maxPendingAcks" must not be less than 1/],
    [{ ...base, recoveryTimeMs: -1 }, /option "recoveryTimeMs" must not be less than 0/],
    [{ ...base, idPrefix: '' }, /option "idPrefix" must be longer than or equal to 1 characters/],
    [{ ...base, colour: 'red' }, /option "colour" is not a known option/],
    [{ ...base, connection: { servers: [] } }, /JetStreamSink on stream 'ORDERS', connection: option "servers" must be a server URL/],
    [{ ...base, connection: undefined }, /option "connection" must be an object/],
  ];
  for (const [options, message] of cases) {
    const err = t.throws(() => jetStreamSink(options as never));
    t.true(SluiceError.is(err, ErrorCodes.INVALID_OPTION), String(err));
    t.regex(err!.message, message);
    t.regex(err!.message, /^JetStreamSink on stream '/);
  }
});

test('JetStreamSink › as a class, the way a pipeline file builds it: the settings are injected under JetStreamSink.settings', async (t) => {
  const server = await startNatsServer(t);
  const nc = await adminConnection(t, server);
  await addStream(nc, 'ORDERS', ['orders.>']);
  t.is(JetStreamSink.settings as symbol, Symbol.for('@sluice/plugin-nats:JetStreamSink.settings'));
  const settings = { connection: { servers: server.url }, stream: 'ORDERS', subject: 'orders.file', idPrefix: 'from-file' };
  const p = createPipeline({
    components: [fromArray(orders(4), { name: 'orders' }), JetStreamSink],
    edges: { jetstream: 'orders' },
    providers: [{ provide: JetStreamSink.settings, useValue: settings }],
  });
  const stats = await p.run();
  t.is(stats.sinks.jetstream!.records, 4);
  t.deepEqual(
    (await readStream(nc, 'ORDERS')).map((m) => `${m.subject} ${m.msgId}`),
    [0, 1, 2, 3].map((i) => `orders.file from-file:${i}`),
  );

  // Settings that break a rule stop the build, with the option named.
  const bad = t.throws(() =>
    createPipeline({
      components: [fromArray(orders(1), { name: 'orders' }), JetStreamSink],
      edges: { jetstream: 'orders' },
      providers: [{ provide: JetStreamSink.settings, useValue: { ...settings, maxPendingAcks: -1 } }],
    }),
  );
  t.regex(bad!.message, /option "maxPendingAcks" must not be less than 1/);
});

test('JetStreamSink › a message the stream refuses for good (full, discarding new ones) fails the pipeline naming the stream and the message', async (t) => {
  const server = await startNatsServer(t);
  const nc = await adminConnection(t, server);
  const jsm = await (await import('@nats-io/jetstream')).jetstreamManager(nc);
  await jsm.streams.add({ name: 'SMALL', subjects: ['small'], max_msgs: 5, discard: 'new' as never, duplicate_window: 120e9 });
  const sink = jetStreamSink<Order>(sinkOptions(server, { stream: 'SMALL', subject: 'small' }));
  const err = await failureOf(pipelineOf(orders(8), sink).run());
  t.true(SluiceError.is(err, ErrorCodes.SINK_FAILED), err.message);
  t.regex(
    err.message,
    /JetStreamSink 'orders-out': stream 'SMALL' refused message 'orders-out:5' on subject 'small': maximum messages exceeded/,
  );
  t.is(await streamCount(nc, 'SMALL'), 5);
  t.is(sink.metrics().pendingAcks, 0);
});
