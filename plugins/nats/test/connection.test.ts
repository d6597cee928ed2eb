import test from 'ava';
import { ErrorCodes, SluiceError } from '@sluice/sdk';
import { checkConnectionOptions, openNatsConnection } from '../dist/connection/open-nats-connection.js';
import { startNatsServer } from './helpers/nats-server.js';

const where = { decorator: 'JetStreamSource', target: 'ticks' };

test('connection › user and password: the right ones connect, wrong ones fail naming the servers and never the secret', async (t) => {
  const server = await startNatsServer(t, ['--user', 'sluice', '--pass', 's3cret-pw']);
  const ok = await openNatsConnection({ servers: server.url, user: 'sluice', pass: 's3cret-pw' }, 'ticks');
  t.is(ok.metrics().connected, 1);
  await ok.close();
  const err = await t.throwsAsync(openNatsConnection({ servers: [server.url], user: 'sluice', pass: 'wrong-pw' }, 'ticks'));
  t.true(SluiceError.is(err, ErrorCodes.SOURCE_FAILED));
  t.regex(err!.message, new RegExp(`ticks could not connect to NATS at ${server.url}`));
  t.notRegex(err!.message, /wrong-pw|s3cret/);
});

test('connection › a token', async (t) => {
  const server = await startNatsServer(t, ['--auth', 'tok-123']);
  const ok = await openNatsConnection({ servers: server.url, token: 'tok-123' }, 'ticks');
  await ok.close();
  await t.throwsAsync(openNatsConnection({ servers: server.url, token: 'nope' }, 'ticks'));
});

test('connection › a server killed and started again: the metrics count the drop and the reconnect', async (t) => {
  const server = await startNatsServer(t);
  const conn = await openNatsConnection({ servers: server.url, reconnectTimeWaitMs: 100 }, 'ticks');
  t.teardown(() => conn.close());
  await server.kill();
  for (let i = 0; i < 100 && conn.metrics().disconnects === 0; i++) await new Promise((r) => setTimeout(r, 50));
  t.is(conn.metrics().connected, 0);
  await server.restart();
  for (let i = 0; i < 200 && conn.metrics().reconnects === 0; i++) await new Promise((r) => setTimeout(r, 50));
  t.deepEqual(conn.metrics(), { connected: 1, disconnects: 1, reconnects: 1 });
});

test('connection › bad options are refused naming the option', (t) => {
  const cases: [object, RegExp][] = [
    [{ servers: [] }, /option "servers" must be a server URL or a non-empty list/],
    [{}, /option "servers" must be/],
    [{ servers: 'nats://x', token: 't', user: 'u', pass: 'p' }, /one way to authenticate/],
    [{ servers: 'nats://x', maxReconnectAttempts: -2 }, /option "maxReconnectAttempts" must not be less than -1/],
    [{ servers: 'nats://x', tls: { caFile: 3 } }, /option "tls.caFile" must be a string/],
    [{ servers: 'nats://x', colour: 'red' }, /option "colour" is not a known option/],
  ];
  for (const [options, message] of cases) {
    const err = t.throws(() => checkConnectionOptions(options as never, where));
    t.regex(err!.message, message);
    t.regex(err!.message, /^JetStreamSource on ticks: /);
  }
});
