import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type ConsumerInfo } from '@nats-io/jetstream';

interface Teardown {
  teardown(fn: () => Promise<void> | void): void;
}

/** A client connection for the test itself (publishing, inspecting), closed at the test's end. */
export async function testConnection(t: Teardown, url: string): Promise<NatsConnection> {
  const nc = await connect({ servers: url });
  t.teardown(() => nc.close());
  return nc;
}

/** Creates a stream (limits retention, file storage) on `subjects`. */
export async function createStream(nc: NatsConnection, name: string, subjects: string[]): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name, subjects });
}

/** Publishes each payload (a string as is, anything else as JSON) and waits for the stream's acks; returns the sequences. */
export async function publishAll(nc: NatsConnection, subject: (i: number) => string, payloads: readonly unknown[]): Promise<number[]> {
  const js = jetstream(nc);
  const seqs: number[] = [];
  for (let i = 0; i < payloads.length; i++) {
    const p = payloads[i];
    const ack = await js.publish(subject(i), typeof p === 'string' ? p : JSON.stringify(p));
    seqs.push(ack.seq);
  }
  return seqs;
}

export async function consumerInfo(nc: NatsConnection, stream: string, durable: string): Promise<ConsumerInfo> {
  const jsm = await jetstreamManager(nc);
  return jsm.consumers.info(stream, durable);
}

/** Polls `check` every 20 ms until it holds (or fails the test after `timeoutMs`, naming `what`). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
