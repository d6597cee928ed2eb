import test from 'ava';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { startNatsCluster, startNatsServer } from './helpers/nats-server.js';

test('harness › a real nats-server with JetStream: publish to a stream, read it back, kill -9 it by pid', async (t) => {
  const server = await startNatsServer(t);
  const nc = await connect({ servers: server.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'H', subjects: ['h.>'] });
  const js = jetstream(nc);
  const ack = await js.publish('h.1', 'one', { msgID: 'a' });
  const again = await js.publish('h.1', 'one', { msgID: 'a' });
  t.is(ack.seq, 1);
  t.true(again.duplicate, 'the same msgID within the duplicate window is not stored twice');
  t.is((await jsm.streams.info('H')).state.messages, 1);
  await nc.close();
  await server.kill();
  t.throws(() => process.kill(server.pid, 0), undefined, 'the process is gone');
});

test('harness › a 3-node cluster on loopback keeps an R3 stream through the loss of one server', async (t) => {
  const servers = await startNatsCluster(t);
  const nc = await connect({ servers: servers.map((s) => s.url) });
  const jsm = await jetstreamManager(nc);
  // The cluster needs a moment to elect a meta leader.
  for (let i = 0; ; i++) {
    try {
      await jsm.streams.add({ name: 'R', subjects: ['r.>'], num_replicas: 3 });
      break;
    } catch (err) {
      if (i > 100) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const js = jetstream(nc);
  for (let i = 0; i < 10; i++) await js.publish('r.x', String(i));
  await servers[0]!.kill();
  let stored = 0;
  for (let i = 0; ; i++) {
    try {
      for (let j = 10; j < 20; j++) await js.publish('r.x', String(j), { msgID: `m${j}` });
      stored = (await jsm.streams.info('R')).state.messages;
      break;
    } catch (err) {
      if (i > 100) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  t.is(stored, 20);
  await nc.close();
});
