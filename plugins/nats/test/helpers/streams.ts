import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type StreamConfig } from '@nats-io/jetstream';
import type { NatsServer } from './nats-server.js';

interface Teardown {
  teardown(fn: () => Promise<void> | void): void;
}

/** A plain client connection to `server`, closed at the test's end: to set streams up and read them back. */
export async function adminConnection(t: Teardown, server: NatsServer): Promise<NatsConnection> {
  const nc = await connect({ servers: server.url, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
  t.teardown(() => nc.close());
  return nc;
}

/** Creates a stream capturing `subjects`, with a duplicate window in ms (default 2 minutes). */
export async function addStream(nc: NatsConnection, name: string, subjects: string[], duplicateWindowMs = 120_000): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const config: Partial<StreamConfig> & { name: string } = { name, subjects, duplicate_window: duplicateWindowMs * 1_000_000 };
  await jsm.streams.add(config);
}

/** A stored message, as the tests compare them. */
export interface Stored {
  seq: number;
  subject: string;
  msgId: string | undefined;
  body: string;
}

/** Every message of `stream`, in sequence order, read one by one by sequence number. */
export async function readStream(nc: NatsConnection, stream: string): Promise<Stored[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream);
  const out: Stored[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq });
    if (m === null) continue;
    out.push({ seq: m.seq, subject: m.subject, msgId: m.header.get('Nats-Msg-Id') || undefined, body: m.string() });
  }
  return out;
}

/** The number of messages in `stream`. */
export async function streamCount(nc: NatsConnection, stream: string): Promise<number> {
  const jsm = await jetstreamManager(nc);
  return (await jsm.streams.info(stream)).state.messages;
}

/** Publishes directly (not through the sink), with a message id. */
export async function publishWithId(nc: NatsConnection, subject: string, body: string, msgID: string) {
  return jetstream(nc).publish(subject, body, { msgID });
}
