import test from 'ava';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createPipeline, defineSink, defineSource } from '@sluice/core';
import { JetStreamSource, KvCheckpointStore, jetStreamSink } from '@sluice/plugin-nats';
import { Stage, type Mapper } from '@sluice/sdk';
import { startNatsCluster } from './helpers/nats-server.js';

// A whole pipeline on a 3-node cluster on loopback: R3 streams TICKS and OUT, checkpoints in an
// R3 KV bucket, the pipeline connected to all three servers. One server — the one that leads
// most of the streams the pipeline uses — is killed (SIGKILL) in the middle of the run; the
// pipeline reconnects to the two others and finishes, and OUT holds every record exactly once,
// in order. Sized by NATS_CLUSTER_TEST_RECORDS.

const RECORDS = Number(process.env.NATS_CLUSTER_TEST_RECORDS ?? 20_000);

interface Tick {
  n: number;
  v: number;
}

interface Out {
  n: number;
  double: number;
}

/** Every message of `stream` in order, through an ordered consumer. */
async function readAll(nc: NatsConnection, stream: string): Promise<{ seq: number; msgId: string; body: string }[]> {
  const jsm = await jetstreamManager(nc);
  const total = (await jsm.streams.info(stream)).state.messages;
  const out: { seq: number; msgId: string; body: string }[] = [];
  if (total === 0) return out;
  const messages = await (await jetstream(nc).consumers.get(stream)).consume();
  for await (const m of messages) {
    out.push({ seq: m.seq, msgId: m.headers?.get('Nats-Msg-Id') ?? '', body: m.string() });
    if (out.length === total) break;
  }
  await messages.close();
  return out;
}

async function retry<T>(f: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await f();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

test('NATS cluster › R3 streams and an R3 checkpoint bucket, the leading server killed mid-run: the pipeline reconnects, finishes, and OUT holds every record once, in order', async (t) => {
  const t0 = performance.now();
  const at = (what: string) => t.log(`${Math.round(performance.now() - t0)} ms: ${what}`);
  const servers = await startNatsCluster(t);
  at('cluster ready');
  const urls = servers.map((s) => s.url);
  const admin = await connect({ servers: urls, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
  t.teardown(() => admin.close());
  const jsm = await jetstreamManager(admin);
  await jsm.streams.add({ name: 'TICKS', subjects: ['ticks.>'], num_replicas: 3 });
  await jsm.streams.add({ name: 'OUT', subjects: ['out.>'], num_replicas: 3, duplicate_window: 300e9 });
  const js = jetstream(admin);
  for (let from = 0; from < RECORDS; from += 1000) {
    const batch: Promise<unknown>[] = [];
    for (let n = from; n < Math.min(RECORDS, from + 1000); n++) batch.push(js.publish(`ticks.${n % 4}`, JSON.stringify({ n, v: n % 977 })));
    await Promise.all(batch);
  }

  at('ticks published');
  // Reconnect quickly (every 100 ms, without end) to whichever of the three answers.
  const connection = { servers: urls, reconnectTimeWaitMs: 100, maxReconnectAttempts: -1 };
  const store = new KvCheckpointStore({ connection, bucket: 'cluster-checkpoints', replicas: 3, log: (m) => t.log(m) });
  // The test uses it after the run too (the engine closes it at the end; a later call reconnects).
  t.teardown(() => store.close());
  const source = new JetStreamSource<Tick>({ connection, stream: 'TICKS', subject: 'ticks.>', durable: 'cluster', endAt: 'now' });
  const sink = jetStreamSink<Out>({ connection, stream: 'OUT', subject: 'out.all', idPrefix: 'out', ackTimeoutMs: 2000 });

  // The store creates its R3 bucket when it opens (the engine opens it again, which is harmless).
  await store.open({ pipeline: 'cluster-pipeline' });
  // The victim: the server leading most of TICKS, OUT and the bucket's stream.
  const names: string[] = [];
  for (const s of ['TICKS', 'OUT', 'KV_cluster-checkpoints']) names.push((await jsm.streams.info(s)).cluster!.leader!);
  const tally = [0, 1, 2].map((i) => names.filter((l) => l === `n${i}`).length);
  const victim = tally.indexOf(Math.max(...tally));
  t.log(`stream leaders (TICKS, OUT, KV): ${names.join(', ')}; killing n${victim} after ${Math.floor(RECORDS / 3)} records`);
  let killedAt: number | undefined;
  let killedMs = 0;
  let started = 0;
  let seen = 0;
  @Stage({ name: 'double', from: 'ticks' })
  class Double implements Mapper<Tick, Out> {
    map(r: Tick): Out {
      if (++seen === Math.floor(RECORDS / 3)) {
        killedAt = r.n;
        killedMs = Math.round(performance.now() - started);
        void servers[victim]!.kill();
      }
      return { n: r.n, double: r.v * 2 };
    }
  }
  const pipeline = createPipeline({
    name: 'cluster-pipeline',
    components: [defineSource({ name: 'ticks', batchSize: 200 }, source), Double, defineSink({ name: 'out', from: 'double' }, sink)],
    checkpoints: { store, interval: '200ms', log: (m) => t.log(m) },
    channelCapacity: 400,
  });

  started = performance.now();
  const stats = await pipeline.run();
  const ranMs = Math.round(performance.now() - started);
  t.not(killedAt, undefined, 'a server was killed mid-run');
  t.log(
    `killed n${victim} at record ${killedAt} (${killedMs} ms into the run); the run took ${ranMs} ms; source ${JSON.stringify(source.metrics())}; sink ${JSON.stringify(sink.metrics())}`,
  );
  t.is(stats.sources.ticks!.records, RECORDS);

  at('run done');
  const reader = await connect({ servers: urls.filter((_, i) => i !== victim) });
  t.teardown(() => reader.close());
  // After the kill the cluster may still be electing its meta leader: reading (which creates an
  // ordered consumer) is tried again until it answers.
  const stored = await retry(() => readAll(reader, 'OUT'));
  t.is(stored.length, RECORDS);
  t.deepEqual(
    stored.map((m) => (JSON.parse(m.body) as Out).n),
    Array.from({ length: RECORDS }, (_, n) => n),
  );
  t.deepEqual(
    stored.map((m) => m.msgId),
    Array.from({ length: RECORDS }, (_, n) => `out:${n}`),
  );
  t.true(stored.every((m) => (JSON.parse(m.body) as Out).double === ((JSON.parse(m.body) as Out).n % 977) * 2));

  at('OUT read');
  const readerJsm = await jetstreamManager(reader);
  const consumer = await retry(() => readerJsm.consumers.info('TICKS', 'cluster'));
  t.is(consumer.ack_floor.stream_seq, RECORDS, 'every tick acknowledged');
  // The checkpoints are still there, on the two servers left.
  t.true((await retry(() => store.list())).length > 0);
});
