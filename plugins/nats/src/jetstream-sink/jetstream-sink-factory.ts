import { JetStreamSink } from './jetstream-sink.js';
import type { JetStreamSinkOptions } from './jetstream-sink-options.js';

/**
 * A {@link JetStreamSink} for use in code: wrap it with `defineSink` of `@sluice/core` to give
 * it a name and an input. Its options are checked now, naming the one that is wrong.
 *
 * @example
 * ```ts
 * const out = jetStreamSink<Order>({ connection: { servers: 'nats://127.0.0.1:4222' }, stream: 'ORDERS', subject: (o) => `orders.${o.region}` })
 * createPipeline({ components: [fromArray(orders, { name: 'orders' }), defineSink({ name: 'orders-out', from: 'orders' }, out)] })
 * ```
 * @see docs/nats-sink-kv.md
 * @beta
 */
export function jetStreamSink<T>(options: JetStreamSinkOptions<T>): JetStreamSink<T> {
  return new JetStreamSink<T>(options);
}
