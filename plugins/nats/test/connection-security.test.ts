import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUser } from '@nats-io/nkeys';
import { openNatsConnection } from '../dist/connection/open-nats-connection.js';
import { startNatsServer } from './helpers/nats-server.js';

/** A private CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
function certificates(t: {
  teardown(fn: () => void): void;
}): Record<'ca' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey', string> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca-key.pem',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=sluice-test-ca',
  );
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const who of ['server', 'client']) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}-key.pem`, '-out', `${who}.csr`, '-subj', `/CN=${who}`);
    ssl(
      'x509',
      '-req',
      '-in',
      `${who}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-out',
      `${who}.pem`,
      '-days',
      '1',
      '-extfile',
      `${who}.ext`,
    );
  }
  const at = (f: string) => join(dir, f);
  return {
    ca: at('ca.pem'),
    serverCert: at('server.pem'),
    serverKey: at('server-key.pem'),
    clientCert: at('client.pem'),
    clientKey: at('client-key.pem'),
  };
}

test('connection › TLS: the CA file verifies the server; without it the connection is refused, naming the servers', async (t) => {
  const c = certificates(t);
  const server = await startNatsServer(t, ['--tls', '--tlscert', c.serverCert, '--tlskey', c.serverKey]);
  const url = `tls://127.0.0.1:${server.port}`;
  const ok = await openNatsConnection({ servers: url, tls: { caFile: c.ca } }, 'ticks');
  t.is(ok.metrics().connected, 1);
  await ok.close();
  const err = await t.throwsAsync(openNatsConnection({ servers: url, maxReconnectAttempts: 0 }, 'ticks'));
  t.regex(err!.message, new RegExp(`ticks could not connect to NATS at ${url.replaceAll('.', '\\.')}`));
});

test('connection › mutual TLS: the client certificate and key are required and accepted', async (t) => {
  const c = certificates(t);
  const server = await startNatsServer(t, ['--tlsverify', '--tlscert', c.serverCert, '--tlskey', c.serverKey, '--tlscacert', c.ca]);
  const url = `tls://127.0.0.1:${server.port}`;
  const ok = await openNatsConnection({ servers: url, tls: { caFile: c.ca, certFile: c.clientCert, keyFile: c.clientKey } }, 'ticks');
  await ok.close();
  // The server drops a client without a certificate; the client notices at its connect timeout.
  await t.throwsAsync(
    openNatsConnection({ servers: url, tls: { caFile: c.ca }, maxReconnectAttempts: 0, connectTimeoutMs: 1500 }, 'ticks'),
  );
});

test('connection › an nkey seed authenticates against a server that knows its public key; another seed is refused', async (t) => {
  const user = createUser();
  const dir = mkdtempSync(join(tmpdir(), 'sluice-nkey-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const conf = join(dir, 'nkey.conf');
  writeFileSync(conf, `authorization { users: [ { nkey: ${user.getPublicKey()} } ] }\n`);
  const server = await startNatsServer(t, ['-c', conf]);
  const seed = new TextDecoder().decode(user.getSeed());
  const ok = await openNatsConnection({ servers: server.url, nkeySeed: seed }, 'ticks');
  await ok.close();
  const other = new TextDecoder().decode(createUser().getSeed());
  const err = await t.throwsAsync(openNatsConnection({ servers: server.url, nkeySeed: other }, 'ticks'));
  t.notRegex(err!.message, new RegExp(other));
});
