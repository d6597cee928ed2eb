import test from 'ava';
import type { NatsConnection } from '@nats-io/transport-node';
import { createPipeline, defineSource, MemoryCheckpointStore, toArray, toCallback } from '@sluice/core';
import { ErrorCodes, SluiceError } from '@sluice/sdk';
import { CoreNatsSource, type CoreNatsSourceSettings } from '@sluice/plugin-nats';
import { startNatsServer } from './helpers/nats-server.js';
import { testConnection, until } from './helpers/source-streams.js';

interface Quote {
  n: number;
  probe?: boolean;
}

// Core NATS keeps nothing for a subscriber that is not there yet: publish probes until one
// arrives, so the messages of the test are published once the source is subscribed.
async function untilSubscribed(nc: NatsConnection, subject: string, received: () => number): Promise<void> {
  await until(async () => {
    nc.publish(subject, JSON.stringify({ n: -1, probe: true }));
    await nc.flush();
    return received() > 0;
  }, `a probe on ${subject}`);
}

const real = (quotes: readonly Quote[]) => quotes.filter((q) => q.probe !== true);

test('CoreNatsSource › receives the published messages in order; a malformed one goes to the dead letters', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  const got: Quote[] = [];
  const source = new CoreNatsSource<Quote>({ connection: { servers: server.url }, subject: 'quotes.>' });
  const pipeline = createPipeline({
    components: [defineSource({ name: 'quotes' }, source), toArray(got, { name: 'out', from: 'quotes' })],
  });
  await pipeline.start();
  await untilSubscribed(nc, 'quotes.probe', () => got.length);
  for (let n = 0; n < 100; n++) nc.publish(`quotes.${n % 3}`, n === 50 ? 'not json' : JSON.stringify({ n }));
  await nc.flush();
  await until(() => real(got).length === 99 && pipeline.deadLetters.records().length === 1, '99 quotes and a dead letter');
  await pipeline.stop();
  await pipeline.run();
  t.deepEqual(
    real(got).map((q) => q.n),
    Array.from({ length: 100 }, (_, n) => n).filter((n) => n !== 50),
  );
  const [dl] = pipeline.deadLetters.records();
  t.is(dl!.value, 'not json');
  t.regex(dl!.error.message, /^CoreNatsSource 'quotes': message \d+ \(subject quotes\.2\): invalid JSON: /);
  t.like(source.metrics(), { received: got.length + 1, deadLettered: 1 });
});

test('CoreNatsSource › the overflow policy applies: drop-newest with a tiny buffer counts every drop in the stats', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  const got: Quote[] = [];
  const source = new CoreNatsSource<Quote>({ connection: { servers: server.url }, subject: 'ticks' });
  const pipeline = createPipeline({
    components: [
      defineSource({ name: 'ticks', batchSize: 1, overflow: { policy: 'drop-newest', buffer: 2 } }, source),
      // A sink far slower than a burst of 200 messages: the buffer overflows.
      toCallback<Quote>(
        async (batch) => {
          got.push(...batch);
          await new Promise((r) => setTimeout(r, 20));
        },
        { name: 'out', from: 'ticks', channelCapacity: 1 },
      ),
    ],
    batchSize: 1,
  });
  await pipeline.start();
  await untilSubscribed(nc, 'ticks', () => got.length);
  const before = source.metrics().received;
  for (let n = 0; n < 200; n++) nc.publish('ticks', JSON.stringify({ n }));
  await nc.flush();
  await until(() => source.metrics().received === before + 200, 'the 200 messages at the source');
  await pipeline.stop();
  await pipeline.run();
  const stats = pipeline.stats().sources.ticks!;
  const dropped = stats.dropped?.['drop-newest'] ?? 0;
  t.true(dropped > 0, 'some were dropped');
  // Every message is accounted for: passed on, or dropped and counted.
  t.is(stats.pushed, source.metrics().received);
  t.is(stats.records + dropped, stats.pushed!);
  t.is(got.length, stats.records);
  // drop-newest keeps what came first: what got through is in order.
  const ns = real(got).map((q) => q.n);
  t.deepEqual(
    ns,
    [...ns].sort((a, b) => a - b),
  );
});

test('CoreNatsSource › a queue group shares the messages between its subscribers', async (t) => {
  const server = await startNatsServer(t);
  const nc = await testConnection(t, server.url);
  const settings: CoreNatsSourceSettings = { connection: { servers: server.url }, subject: 'jobs', queue: 'workers' };
  const a: Quote[] = [];
  const b: Quote[] = [];
  const pipeline = createPipeline({
    components: [
      defineSource({ name: 'a' }, new CoreNatsSource<Quote>(settings)),
      defineSource({ name: 'b' }, new CoreNatsSource<Quote>(settings)),
      toArray(a, { name: 'out-a', from: 'a' }),
      toArray(b, { name: 'out-b', from: 'b' }),
    ],
  });
  await pipeline.start();
  await untilSubscribed(nc, 'jobs', () => a.length);
  await untilSubscribed(nc, 'jobs', () => b.length);
  for (let n = 0; n < 200; n++) nc.publish('jobs', JSON.stringify({ n }));
  await nc.flush();
  await until(() => real(a).length + real(b).length === 200, 'the 200 jobs');
  await pipeline.stop();
  await pipeline.run();
  const all = [...real(a), ...real(b)].map((q) => q.n).sort((x, y) => x - y);
  t.deepEqual(
    all,
    Array.from({ length: 200 }, (_, n) => n),
    'each job reached exactly one of them',
  );
  t.true(real(a).length > 0 && real(b).length > 0);
});

test('CoreNatsSource › exactly-once checkpoints refuse it (no position); at-least-once accepts it; bad settings name the option', async (t) => {
  const server = await startNatsServer(t);
  const source = () => defineSource({ name: 'quotes' }, new CoreNatsSource({ connection: { servers: server.url }, subject: 'quotes' }));
  const err = t.throws(() =>
    createPipeline({
      components: [source(), toArray([], { name: 'out', from: 'quotes' })],
      checkpoints: { store: new MemoryCheckpointStore() },
    }),
  );
  t.regex(err!.message, /source 'quotes' .* is a push source/);
  const ok = createPipeline({
    components: [source(), toArray([], { name: 'out', from: 'quotes' })],
    checkpoints: { store: new MemoryCheckpointStore(), mode: 'at-least-once' },
  });
  await ok.start();
  await ok.stop();
  await ok.run();

  const bad = t.throws(() => new CoreNatsSource({ connection: { servers: server.url }, subject: 'a b' } as CoreNatsSourceSettings));
  t.true(SluiceError.is(bad, ErrorCodes.INVALID_OPTION));
  t.regex(bad!.message, /^CoreNatsSource on a b: option "subject" must be a NATS subject without spaces/);
  const noSubject = t.throws(() => new CoreNatsSource({ connection: { servers: server.url } } as CoreNatsSourceSettings));
  t.regex(noSubject!.message, /option "subject" must be a string/);
});

test('CoreNatsSource › after the server restarts, the client resubscribes and messages flow again (those published meanwhile are not seen)', async (t) => {
  const server = await startNatsServer(t);
  const got: Quote[] = [];
  const source = new CoreNatsSource<Quote>({ connection: { servers: server.url, reconnectTimeWaitMs: 50 }, subject: 'quotes' });
  const pipeline = createPipeline({
    components: [defineSource({ name: 'quotes' }, source), toArray(got, { name: 'out', from: 'quotes' })],
  });
  await pipeline.start();
  let nc = await testConnection(t, server.url);
  await untilSubscribed(nc, 'quotes', () => got.length);
  nc.publish('quotes', JSON.stringify({ n: 1 }));
  await nc.flush();
  await until(() => real(got).length === 1, 'the first quote');
  await nc.close();

  await server.kill();
  await server.restart();
  await until(() => source.metrics().reconnects === 1, 'the reconnect');
  nc = await testConnection(t, server.url);
  const before = got.length;
  await untilSubscribed(nc, 'quotes', () => got.length - before);
  nc.publish('quotes', JSON.stringify({ n: 2 }));
  await nc.flush();
  await until(() => real(got).length === 2, 'the second quote');
  await pipeline.stop();
  await pipeline.run();
  t.deepEqual(
    real(got).map((q) => q.n),
    [1, 2],
  );
  // The engine's stop starts unsubscribe without waiting for it: the connection closes shortly after run() ends.
  await until(() => source.metrics().connected === 0, 'the connection closed by unsubscribe');
  t.like(source.metrics(), { disconnects: 1, reconnects: 1, connected: 0 });
});
