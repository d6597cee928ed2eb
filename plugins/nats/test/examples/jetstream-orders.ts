// file: plugins/nats/test/examples/jetstream-orders.ts
// A bounded replay of a JetStream stream of orders, checkpointed to files: run it again and it
// goes on after the last checkpoint; run it against a stream that grows and each run reads what
// was added since. Quoted in docs/nats-sources.md; jetstream-source.test.ts runs it.
import { fileURLToPath } from 'node:url';
import { createPipeline, defineSource, FileCheckpointStore, toArray } from '@sluice/core';
import { Stage, type Mapper } from '@sluice/sdk';
import { JetStreamSource, type JetStreamSourceSettings } from '@sluice/plugin-nats';

/** An order as published on `orders.<symbol>`, as JSON. */
export interface Order {
  id: number;
  symbol: string;
  qty: number;
  price: number;
}

/** The source's settings: in a pipeline file, the same object goes under `settings:`. */
export function ordersSettings(servers: string): JetStreamSourceSettings {
  return {
    connection: { servers },
    stream: 'ORDERS',
    subject: 'orders.>',
    durable: 'order-notionals',
    // Acknowledged at checkpoints (every 200 ms here): 30 s leaves ample room.
    ackWaitMs: 30_000,
    // A bounded run: what the stream holds when the source opens, then the end.
    endAt: 'now',
  };
}

@Stage({ name: 'notional', from: 'orders' })
class Notional implements Mapper<Order, { id: number; notional: number }> {
  map(o: Order) {
    return { id: o.id, notional: o.qty * o.price };
  }
}

/** Reads the orders the stream holds, computes their notionals, and returns them with the source's figures. */
export async function main(servers: string, checkpointDir: string) {
  const notionals: { id: number; notional: number }[] = [];
  const source = new JetStreamSource<Order>(ordersSettings(servers));
  const pipeline = createPipeline({
    components: [defineSource({ name: 'orders' }, source), Notional, toArray(notionals, { name: 'out', from: 'notional' })],
    checkpoints: { store: new FileCheckpointStore(checkpointDir), interval: '200ms' },
  });
  const stats = await pipeline.run();
  return { notionals, source: stats.sources.orders!, metrics: source.metrics(), deadLetters: pipeline.deadLetters.records() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { notionals, metrics } = await main(process.env.NATS_URL ?? 'nats://127.0.0.1:4222', './checkpoints');
  console.log(
    `${notionals.length} orders; acknowledged ${metrics.acked}, waiting ${metrics.pendingAcks}, redelivered ${metrics.redelivered}`,
  );
}
