import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { createPipeline, defineSink, fromArray } from '@sluice/core';
import { ErrorCodes, SluiceError, Stage, type Aggregator, type Mapper } from '@sluice/sdk';
import { jetStreamSink, KvCheckpointStore, type KvCheckpointStoreOptions } from '@sluice/plugin-nats';
import { encodePipelineName } from '../dist/kv-store/checkpoint-keys.js';
import { startNatsCluster, startNatsServer, type NatsServer } from './helpers/nats-server.js';
import { addStream, adminConnection, readStream } from './helpers/streams.js';

/** Deterministic bytes: the same (size, seed) always gives the same blob. */
function blob(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function storeFor(server: NatsServer, extra: Partial<KvCheckpointStoreOptions> = {}): KvCheckpointStore {
  return new KvCheckpointStore({ connection: { servers: server.url }, log: () => undefined, ...extra });
}

/** A server config file holding `max_payload`, removed at the test's end. */
async function maxPayloadConfig(t: { teardown(fn: () => Promise<void>): void }, bytes: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-kv-conf-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'server.conf');
  await writeFile(file, `max_payload: ${bytes}\n`);
  return file;
}

async function opened(t: { teardown(fn: () => Promise<void>): void }, store: KvCheckpointStore, pipeline: string) {
  await store.open({ pipeline });
  t.teardown(() => store.close());
  return store;
}

test('KvCheckpointStore › reads back the bytes written, replaces an id, lists and removes; undefined for a missing id', async (t) => {
  const server = await startNatsServer(t);
  const store = await opened(t, storeFor(server), 'prices');
  t.deepEqual(await store.list(), []);
  for (const id of [5, 1, 3, 2, 4]) await store.write(id, blob(100 + id, id));
  t.deepEqual(await store.list(), [1, 2, 3, 4, 5]);
  t.deepEqual(await store.read(3), blob(103, 3));
  t.is(await store.read(9), undefined);

  await store.write(3, blob(10, 33));
  t.deepEqual(await store.read(3), blob(10, 33));
  await store.write(6, new Uint8Array(0));
  t.deepEqual(await store.read(6), new Uint8Array(0));

  await store.remove(1);
  await store.remove(3);
  await store.remove(42); // absent: nothing happens
  t.deepEqual(await store.list(), [2, 4, 5, 6]);
  t.is(await store.read(1), undefined);

  // A new store on the same bucket sees the same checkpoints.
  const again = await opened(t, storeFor(server), 'prices');
  t.deepEqual(await again.list(), [2, 4, 5, 6]);
  t.deepEqual(await again.read(5), blob(105, 5));
});

test('KvCheckpointStore › creates its bucket when missing, with the replicas asked for, and keeps one value per key', async (t) => {
  const server = await startNatsServer(t);
  const nc = await adminConnection(t, server);
  const store = await opened(t, storeFor(server, { bucket: 'cp-test' }), 'p');
  await store.write(1, blob(10, 1));
  await store.write(1, blob(10, 2));
  const status = await (await new Kvm(nc).open('cp-test')).status();
  t.is(status.replicas, 1);
  t.is(status.history, 1);
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(store.streamName());
  t.is(info.config.name, 'KV_cp-test');
  // Rewriting id 1 purged the first write: one chunk and one manifest are left, no markers.
  t.is(info.state.messages, 2);
});

test('KvCheckpointStore › several pipelines share a bucket without seeing each other’s checkpoints, whatever their names', async (t) => {
  const server = await startNatsServer(t);
  const names = ['orders', 'orders.eu', 'orders eu/2', 'ordres-ü', '=3D', '', 'a.*.manifest'];
  const stores = await Promise.all(names.map((n) => opened(t, storeFor(server), n)));
  for (const [i, s] of stores.entries()) {
    await s.write(1, blob(50, 100 + i));
    await s.write(2 + i, blob(60, 200 + i));
  }
  for (const [i, s] of stores.entries()) {
    t.deepEqual(await s.list(), [1, 2 + i], names[i]);
    t.deepEqual(await s.read(1), blob(50, 100 + i), names[i]);
  }
  await stores[0]!.remove(1);
  t.is(await stores[0]!.read(1), undefined);
  t.deepEqual(await stores[1]!.read(1), blob(50, 101));
  // The names become distinct key parts of allowed characters only.
  const encoded = names.map(encodePipelineName);
  t.is(new Set(encoded).size, names.length);
  t.true(encoded.every((e) => /^[-_=a-zA-Z0-9]+$/.test(e)));
  t.is(encodePipelineName('orders.eu'), 'orders=2Eeu');
  // A name given in the options wins over the engine's.
  const named = await opened(t, storeFor(server, { pipeline: 'orders' }), 'something-else');
  t.deepEqual(await named.list(), [2]);
});

test('KvCheckpointStore › a checkpoint larger than the server’s max payload is split into chunks and read back whole', async (t) => {
  const conf = await maxPayloadConfig(t, 65536);
  const server = await startNatsServer(t, ['-c', conf]);
  const nc = await adminConnection(t, server);
  t.is(nc.info!.max_payload, 65536);
  const store = await opened(t, storeFor(server), 'big');
  const data = blob(300_000, 7);
  await store.write(1, data);
  t.deepEqual(await store.read(1), data);
  const kv = await new Kvm(nc).open('sluice-checkpoints');
  const keys: string[] = [];
  for await (const k of await kv.keys('big.1.>')) keys.push(k);
  // 300 000 bytes in chunks of at most 64 KiB less headroom: 5 chunks and the manifest.
  t.deepEqual(keys.sort(), ['big.1.0', 'big.1.1', 'big.1.2', 'big.1.3', 'big.1.4', 'big.1.manifest']);
  const manifest = JSON.parse((await kv.get('big.1.manifest'))!.string()) as Record<string, unknown>;
  t.like(manifest, { format: 1, id: 1, size: 300_000, chunks: 5 });
  for (const k of keys.filter((k) => !k.endsWith('manifest'))) t.true((await kv.get(k))!.value.byteLength <= 65536);

  // Rewritten smaller, the old chunks are gone; removed, nothing of it is left.
  await store.write(1, blob(70_000, 8));
  t.deepEqual(await store.read(1), blob(70_000, 8));
  const after: string[] = [];
  for await (const k of await kv.keys('big.1.>')) after.push(k);
  t.deepEqual(after.sort(), ['big.1.0', 'big.1.1', 'big.1.manifest']);
  await store.remove(1);
  t.is((await (await jetstreamManager(nc)).streams.info(store.streamName())).state.messages, 0);
});

test('KvCheckpointStore › 3 MiB on a server with the default max payload round-trips', async (t) => {
  const server = await startNatsServer(t);
  const store = await opened(t, storeFor(server), 'large');
  const data = blob(3 * 1024 * 1024, 3);
  await store.write(1, data);
  t.deepEqual(await store.list(), [1]);
  t.deepEqual(await store.read(1), data);
});

test('KvCheckpointStore › a write cut short (chunks without a manifest) is never listed nor read; a damaged one is refused', async (t) => {
  const server = await startNatsServer(t);
  const nc = await adminConnection(t, server);
  const logs: string[] = [];
  const store = await opened(t, storeFor(server, { log: (m) => logs.push(m) }), 'crashy');
  await store.write(1, blob(1000, 1));
  // What a crash between the chunks and the manifest leaves, written straight to the bucket.
  const kv = await new Kvm(nc).open('sluice-checkpoints');
  await kv.put('crashy.2.0', blob(500, 2));
  await kv.put('crashy.2.1', blob(500, 3));
  t.deepEqual(await store.list(), [1]);
  t.is(await store.read(2), undefined);
  // The next write of that id replaces the leftovers.
  await store.write(2, blob(10, 4));
  t.deepEqual(await store.read(2), blob(10, 4));

  // A chunk changed or lost after the manifest was written: the checkpoint is not returned.
  await kv.put('crashy.1.0', blob(1000, 99));
  t.is(await store.read(1), undefined);
  t.regex(logs.join('\n'), /checkpoint 1 is not usable: its SHA-256 differs from the manifest/);
  await store.write(3, blob(10, 5));
  await kv.purge('crashy.3.0');
  t.is(await store.read(3), undefined);
  t.regex(logs.join('\n'), /checkpoint 3 is not usable: chunk 0 of 1 is missing/);
});

test('KvCheckpointStore › a write that fails part-way leaves nothing listed: the manifest comes only after every chunk is stored', async (t) => {
  const server = await startNatsServer(t);
  const nc = await adminConnection(t, server);
  // A bucket whose values may not exceed 1000 bytes: a chunk of 5000 is refused by the server,
  // while a manifest (about 150 bytes) would be accepted.
  await new Kvm(nc).create('small-values', { maxValueSize: 1000, history: 1 });
  const store = await opened(t, storeFor(server, { bucket: 'small-values' }), 'p');
  await store.write(1, blob(100, 1));
  const err = await t.throwsAsync(store.write(2, blob(5000, 2)));
  t.true(SluiceError.is(err, ErrorCodes.CHECKPOINT_FAILED));
  t.regex(err!.message, /KvCheckpointStore \(bucket 'small-values', pipeline 'p'\) could not write checkpoint 2: /);
  t.deepEqual(await store.list(), [1]);
  t.is(await store.read(2), undefined);
  t.deepEqual(await store.read(1), blob(100, 1));
});

test('KvCheckpointStore › the server killed and started again: a write meanwhile fails naming the bucket, later ones succeed, earlier checkpoints are kept', async (t) => {
  const server = await startNatsServer(t);
  const store = await opened(
    t,
    storeFor(server, { timeoutMs: 500, retryForMs: 1000, connection: { servers: server.url, reconnectTimeWaitMs: 100 } }),
    'p',
  );
  await store.write(1, blob(2000, 1));
  await store.write(2, blob(2000, 2));
  await server.kill();
  const err = await t.throwsAsync(store.write(3, blob(2000, 3)));
  t.true(SluiceError.is(err, ErrorCodes.CHECKPOINT_FAILED));
  t.regex(err!.message, /KvCheckpointStore \(bucket 'sluice-checkpoints', pipeline 'p'\) could not write checkpoint 3: /);
  await server.restart();
  // The engine writes the next checkpoint later; here, the next attempts until the client is back.
  let written = false;
  for (let i = 0; i < 100 && !written; i++) {
    written = await store.write(4, blob(2000, 4)).then(
      () => true,
      () => false,
    );
  }
  t.true(written);
  t.deepEqual(await store.list(), [1, 2, 4]);
  t.deepEqual(await store.read(1), blob(2000, 1));
  t.deepEqual(await store.read(4), blob(2000, 4));
});

// The cluster tests run one at a time (serial tests come before the others): three clusters at
// once on 2 cores made the single-server tests' 500 ms timeouts fail.
test.serial('KvCheckpointStore › replicas: 3 on a 3-node cluster: the checkpoints outlive the loss of a server', async (t) => {
  const servers = await startNatsCluster(t);
  const urls = servers.map((s) => s.url);
  const store = await opened(t, storeFor(servers[0]!, { replicas: 3, connection: { servers: urls, reconnectTimeWaitMs: 100 } }), 'r3');
  await store.write(1, blob(300_000, 1));
  const nc = await connect({ servers: urls });
  t.teardown(() => nc.close());
  const info = await (await jetstreamManager(nc)).streams.info(store.streamName());
  t.is(info.config.num_replicas, 3);

  // The server that leads the bucket's stream dies (SIGKILL): the two others elect a new leader.
  const leader = Number(/^n(\d)$/.exec(info.cluster!.leader!)![1]);
  await servers[leader]!.kill();
  let written = false;
  for (let i = 0; i < 100 && !written; i++) {
    written = await store.write(2, blob(1000, 2)).then(
      () => true,
      () => false,
    );
  }
  t.true(written);
  t.deepEqual(await store.list(), [1, 2]);
  t.deepEqual(await store.read(1), blob(300_000, 1));
});

test.serial(
  'KvCheckpointStore › the leader of an R3 bucket killed: the very next write (as a final checkpoint, not retried by the engine) waits out the election and succeeds',
  async (t) => {
    const servers = await startNatsCluster(t);
    const urls = servers.map((s) => s.url);
    const store = await opened(
      t,
      storeFor(servers[0]!, { replicas: 3, connection: { servers: urls, reconnectTimeWaitMs: 100 } }),
      'election',
    );
    await store.write(1, blob(5000, 1));
    const nc = await connect({ servers: urls });
    t.teardown(() => nc.close());
    const leader = Number(/^n(\d)$/.exec((await (await jetstreamManager(nc)).streams.info(store.streamName())).cluster!.leader!)![1]);
    await servers[leader]!.kill();
    // One write, no loop around it: the engine does not try a final checkpoint again.
    await store.write(2, blob(5000, 2));
    t.deepEqual(await store.list(), [1, 2]);
    t.deepEqual(await store.read(2), blob(5000, 2));
  },
);

test.serial(
  'KvCheckpointStore › connected to the leader of an R3 bucket when it is killed: list() and read() settle within their retry budget and return the checkpoints',
  async (t) => {
    const servers = await startNatsCluster(t);
    const urls = servers.map((s) => s.url);
    const options = { replicas: 3, timeoutMs: 2000, retryForMs: 10_000 };
    const setup = await opened(t, storeFor(servers[0]!, { ...options, connection: { servers: urls } }), 'listing');
    await setup.write(1, blob(5000, 1));
    await setup.write(2, blob(5000, 2));
    const nc = await connect({ servers: urls });
    t.teardown(() => nc.close());
    const leader = Number(/^n(\d)$/.exec((await (await jetstreamManager(nc)).streams.info(setup.streamName())).cluster!.leader!)![1]);
    // Connected to the leader alone: the client learns the two others from the cluster, and moves to one of them.
    const store = await opened(
      t,
      storeFor(servers[leader]!, { ...options, connection: { servers: urls[leader]!, reconnectTimeWaitMs: 100 } }),
      'listing',
    );
    t.deepEqual(await store.list(), [1, 2]);
    await servers[leader]!.kill();
    // Not a speed test: a call must end (succeed, or fail naming the bucket) once its budget of
    // retryForMs plus one request's timeout is spent; 15 s more is slack for a loaded machine.
    const bound = options.retryForMs + options.timeoutMs + 15_000;
    const settled = <T>(p: Promise<T>) =>
      Promise.race([
        p,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`did not settle within ${bound} ms`)), bound).unref()),
      ]);
    t.deepEqual(await settled(store.list()), [1, 2]);
    t.deepEqual(await settled(store.read(2)), blob(5000, 2));
  },
);

test('KvCheckpointStore › bad options are refused naming the option; an unreachable server names the bucket and the servers', async (t) => {
  const cases: [object, RegExp][] = [
    [{ connection: { servers: 'nats://x' }, bucket: 'a.b' }, /option "bucket" must be a bucket name/],
    [{ connection: { servers: 'nats://x' }, replicas: 0 }, /option "replicas" must not be less than 1/],
    [{ connection: { servers: 'nats://x' }, pipeline: '' }, /option "pipeline" must be longer than or equal to 1 characters/],
    [{ connection: { servers: [] } }, /KvCheckpointStore on bucket 'sluice-checkpoints', connection: option "servers"/],
    [{ connection: { servers: 'nats://x' }, colour: 1 }, /option "colour" is not a known option/],
  ];
  for (const [options, message] of cases) {
    const err = t.throws(() => new KvCheckpointStore(options as never));
    t.true(SluiceError.is(err, ErrorCodes.INVALID_OPTION));
    t.regex(err!.message, message);
  }
  const server = await startNatsServer(t);
  await server.stop();
  const store = storeFor(server, { bucket: 'gone' });
  const err = await t.throwsAsync(store.open({ pipeline: 'p' }));
  t.true(SluiceError.is(err, ErrorCodes.CHECKPOINT_FAILED));
  t.regex(err!.message, new RegExp(`KvCheckpointStore \\(bucket 'gone', pipeline 'p'\\) could not connect to NATS at ${server.url}`));
});

interface Trade {
  n: number;
  symbol: string;
  size: number;
}

const trades: Trade[] = Array.from({ length: 3000 }, (_, n) => ({ n, symbol: `S${n % 400}`, size: 1 + (n % 7) }));

/**
 * Running volume per symbol (keyed state of 400 keys: a checkpoint above the 16 KiB max payload
 * the server runs with), published to a JetStream stream, checkpointed in the KV store.
 */
function volumePipeline(server: NatsServer, store: KvCheckpointStore, abortAt?: number) {
  const abort = new AbortController();
  let seen = 0;
  @Stage({ name: 'tap', from: 'trades' })
  class Tap implements Mapper<Trade, Trade> {
    map(x: Trade) {
      if (++seen === abortAt) abort.abort();
      return x;
    }
  }
  @Stage({ name: 'volume', from: 'tap', key: (x: Trade) => x.symbol })
  class Volume implements Aggregator<Trade, { v: number; pad: string }, string> {
    create() {
      // Padding makes the state (and so the checkpoint) large enough to be chunked.
      return { v: 0, pad: 'x'.repeat(64) };
    }
    add(acc: { v: number; pad: string }, x: Trade) {
      acc.v += x.size;
      return acc;
    }
    result(acc: { v: number }, key: unknown) {
      return `${String(key)}=${acc.v}`;
    }
  }
  const sink = jetStreamSink<string>({ connection: { servers: server.url }, stream: 'VOLUME', subject: 'volume', encode: 'string' });
  const pipeline = createPipeline({
    name: 'volume',
    components: [
      fromArray(trades, { name: 'trades', batchSize: 50 }),
      Tap,
      Volume,
      defineSink({ name: 'volume-out', from: 'volume' }, sink),
    ],
    channelCapacity: 100,
    signal: abort.signal,
    checkpoints: { store, interval: 5, log: () => undefined },
  });
  return pipeline;
}

test('KvCheckpointStore › a pipeline checkpointing to KV, aborted mid-run, resumes from its checkpoint with exactly the output of an uninterrupted run', async (t) => {
  const conf = await maxPayloadConfig(t, 16384);
  const server = await startNatsServer(t, ['-c', conf]);
  const nc = await adminConnection(t, server);
  await addStream(nc, 'VOLUME', ['volume']);

  // What an uninterrupted run publishes, computed by a plain loop.
  const running = new Map<string, number>();
  const expected = trades.map((x) => {
    running.set(x.symbol, (running.get(x.symbol) ?? 0) + x.size);
    return `${x.symbol}=${running.get(x.symbol)}`;
  });

  const store = storeFor(server);
  t.teardown(() => store.close()); // the pipelines close it at their end; the test's own calls open it again
  const first = volumePipeline(server, store, 2000);
  const err = await first.run().then(
    () => undefined,
    (e: unknown) => e,
  );
  t.true(SluiceError.is(err, ErrorCodes.ABORTED), String(err));
  t.true(first.stats().checkpoints!.completed >= 1, 'checkpoints were stored before the abort');
  t.true(first.stats().checkpoints!.maxSizeBytes > 16384, 'the checkpoints were larger than the max payload');
  const listed = await store.list();
  t.true(listed.length >= 1);

  const second = volumePipeline(server, store);
  await second.run();
  t.is(second.stats().checkpoints!.restoredFrom, Math.max(...listed));
  t.true(second.stats().sources.trades!.records < trades.length, 'the second run read only what followed the checkpoint');
  const stored = await readStream(nc, 'VOLUME');
  t.deepEqual(
    stored.map((m) => m.body),
    expected,
  );
  // The engine keeps the newest 3 (retain) and removed the others through the store.
  const kept = await store.list();
  t.is(kept.length, 3);
  t.is(Math.max(...kept), second.stats().checkpoints!.lastId!);
});
