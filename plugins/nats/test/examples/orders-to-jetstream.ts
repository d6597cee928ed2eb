// file: plugins/nats/test/examples/orders-to-jetstream.ts
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createPipeline, defineSink, fromArray } from '@sluice/core';
import { jetStreamSink, KvCheckpointStore } from '@sluice/plugin-nats';
import { Stage, type Duration, type Mapper } from '@sluice/sdk';

export interface Order {
  id: number;
  region: 'eu' | 'us';
  amount: number;
}

export interface PricedOrder extends Order {
  gross: number;
}

export const orders: Order[] = Array.from({ length: 20_000 }, (_, id) => ({
  id,
  region: id % 4 === 0 ? 'eu' : 'us',
  amount: 10 + (id % 90),
}));

@Stage({ name: 'priced', from: 'orders' })
class WithTax implements Mapper<Order, PricedOrder> {
  map(o: Order): PricedOrder {
    return { ...o, gross: Math.round(o.amount * 120) / 100 };
  }
}

/**
 * Creates the stream once, as `nats stream add ORDERS --subjects 'orders.>' --dupe-window 5m`
 * would: its duplicate window (5 minutes) is longer than the sink's recoveryTimeMs (1 minute).
 */
export async function createOrdersStream(servers: string): Promise<void> {
  const nc = await connect({ servers });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'], duplicate_window: 5 * 60 * 1e9 });
  } finally {
    await nc.close();
  }
}

/**
 * Publishes the priced orders to `orders.eu` / `orders.us`, exactly once: checkpoints go to the
 * KV bucket `sluice-checkpoints`, and a run that restarts after a crash (or after `signal`
 * aborted it) goes on from the last one, its re-published messages dropped as duplicates.
 */
export function ordersPipeline(servers: string, run: { signal?: AbortSignal; checkpointEvery?: Duration } = {}) {
  const connection = { servers };
  const out = jetStreamSink<PricedOrder>({
    connection,
    stream: 'ORDERS',
    subject: (o) => `orders.${o.region}`,
    maxPendingAcks: 256,
    recoveryTimeMs: 60_000,
  });
  const pipeline = createPipeline({
    name: 'orders-pricing',
    components: [fromArray(orders, { name: 'orders' }), WithTax, defineSink({ name: 'orders-out', from: 'priced' }, out)],
    checkpoints: { store: new KvCheckpointStore({ connection }), interval: run.checkpointEvery ?? '1s' },
    ...(run.signal !== undefined && { signal: run.signal }),
  });
  return { pipeline, out };
}
