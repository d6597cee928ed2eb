import test from 'ava';
import { createPipeline, defineSink, fromArray } from '@sluice/core';
import { ErrorCodes, SluiceError } from '@sluice/sdk';
import { JetStreamSink, partitionOf } from '@sluice/plugin-nats';
import { startNatsServer } from './helpers/nats-server.js';
import { addStream, adminConnection, readStream } from './helpers/streams.js';

test('partitionOf › FNV-1a 32 over UTF-8, modulo the partitions: known vectors, non-ASCII keys, numbers as their string', (t) => {
  const big = 2 ** 32; // modulo 2^32 leaves the hash itself
  t.is(partitionOf('', big), 0x811c9dc5);
  t.is(partitionOf('a', big), 0xe40c292c);
  t.is(partitionOf('foobar', big), 0xbf9cf968);
  // "é" is two UTF-8 bytes, c3 a9: hashed byte by byte.
  const e = Math.imul(Math.imul(0x811c9dc5 ^ 0xc3, 0x01000193) ^ 0xa9, 0x01000193) >>> 0;
  t.is(partitionOf('é', big), e);
  t.is(partitionOf(42, 12), partitionOf('42', 12));
});

test('partitionOf › 200 symbols spread over 12 partitions without an empty or a crowded one', (t) => {
  const counts = new Array<number>(12).fill(0);
  for (let i = 0; i < 200; i++) counts[partitionOf(`SYM${String(i).padStart(3, '0')}`, 12)]!++;
  t.true(
    counts.every((c) => c >= 8 && c <= 28),
    counts.join(' '),
  );
});

test('JetStreamSink partitionBy › each record goes to <subject>.<partitionOf(key)>, in order within a partition', async (t) => {
  const server = await startNatsServer(t);
  const nc = await adminConnection(t, server);
  await addStream(nc, 'TICKS', ['ticks.>']);
  const ticks = Array.from({ length: 400 }, (_, n) => ({ n, quote: { symbol: `SYM${n % 17}` } }));
  const sink = new JetStreamSink({
    connection: { servers: server.url },
    stream: 'TICKS',
    subject: 'ticks',
    partitionBy: { key: 'quote.symbol', partitions: 4 },
  });
  await createPipeline({ components: [fromArray(ticks, { name: 'in' }), defineSink({ name: 'out', from: 'in' }, sink)] }).run();
  const stored = await readStream(nc, 'TICKS');
  t.is(stored.length, 400);
  for (const m of stored) {
    const tick = JSON.parse(m.body) as (typeof ticks)[number];
    t.is(m.subject, `ticks.${partitionOf(tick.quote.symbol, 4)}`);
  }
  t.deepEqual(
    stored.map((m) => (JSON.parse(m.body) as (typeof ticks)[number]).n),
    ticks.map((x) => x.n),
  );
});

test('JetStreamSink partitionBy › a stream missing a partition is refused naming it; a record without the key fails naming it; a subject function is refused', async (t) => {
  const server = await startNatsServer(t);
  const nc = await adminConnection(t, server);
  await addStream(nc, 'SOME', ['some.0', 'some.1']);
  const refused = createPipeline({
    components: [
      fromArray([{ k: 'a' }], { name: 'in' }),
      defineSink(
        { name: 'out', from: 'in' },
        new JetStreamSink({
          connection: { servers: server.url },
          stream: 'SOME',
          subject: 'some',
          partitionBy: { key: 'k', partitions: 3 },
        }),
      ),
    ],
  }).run();
  const err = await t.throwsAsync(refused);
  t.regex(err!.message, /subject 'some\.2' is not captured by stream 'SOME'/);

  await addStream(nc, 'ALL', ['all.>']);
  const missing = createPipeline({
    components: [
      fromArray([{ k: 'a' }, { other: 1 }], { name: 'in' }),
      defineSink(
        { name: 'out', from: 'in' },
        new JetStreamSink({ connection: { servers: server.url }, stream: 'ALL', subject: 'all', partitionBy: { key: 'k', partitions: 3 } }),
      ),
    ],
  }).run();
  const err2 = await t.throwsAsync(missing);
  t.true(SluiceError.is(err2, ErrorCodes.SINK_FAILED));
  t.regex(err2!.message, /record 'out:1' cannot be published: it has no "k" to partition it by/);

  t.throws(
    () =>
      new JetStreamSink({
        connection: { servers: server.url },
        stream: 'ALL',
        subject: () => 'all.x',
        partitionBy: { key: 'k', partitions: 3 },
      }),
    { message: /option "partitionBy" needs a string "subject"/ },
  );
  t.throws(
    () =>
      new JetStreamSink({ connection: { servers: server.url }, stream: 'ALL', subject: 'all', partitionBy: { key: 'k', partitions: 0 } }),
    {
      message: /option "partitionBy.partitions" must not be less than 1/,
    },
  );
});
