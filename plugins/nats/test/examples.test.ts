import test from 'ava';
import { ErrorCodes, SluiceError } from '@sluice/sdk';
import { createOrdersStream, orders, ordersPipeline } from './examples/orders-to-jetstream.js';
import { startNatsServer } from './helpers/nats-server.js';
import { adminConnection, readStream } from './helpers/streams.js';

test('docs example › orders-to-jetstream: stopped part-way and run again, ORDERS holds every priced order once, in order', async (t) => {
  const server = await startNatsServer(t);
  await createOrdersStream(server.url);

  // The first run is stopped once a checkpoint is stored (as a crash or a deploy would).
  const abort = new AbortController();
  const first = ordersPipeline(server.url, { signal: abort.signal, checkpointEvery: '5ms' });
  first.pipeline.events.on('checkpoint:completed', () => abort.abort());
  const err = await first.pipeline.run().then(
    () => undefined,
    (e: unknown) => e,
  );
  t.true(SluiceError.is(err, ErrorCodes.ABORTED), String(err));
  t.true(first.out.metrics().published! < orders.length);

  const second = ordersPipeline(server.url, { checkpointEvery: '5ms' });
  await second.pipeline.run();
  t.not(second.pipeline.stats().checkpoints!.restoredFrom, undefined);
  t.true(second.pipeline.stats().sources.orders!.records < orders.length, 'the second run went on from the checkpoint');

  const nc = await adminConnection(t, server);
  const stored = await readStream(nc, 'ORDERS');
  t.deepEqual(
    stored.map((m) => JSON.parse(m.body) as { id: number; gross: number }),
    orders.map((o) => ({ ...o, gross: Math.round(o.amount * 120) / 100 })),
  );
  t.deepEqual(
    stored.map((m) => m.subject),
    orders.map((o) => `orders.${o.region}`),
  );

  // A third run restores the final checkpoint: nothing is left to publish.
  const third = ordersPipeline(server.url);
  await third.pipeline.run();
  t.is(third.pipeline.stats().sources.orders!.records, 0);
  t.is((await readStream(nc, 'ORDERS')).length, orders.length);
});
