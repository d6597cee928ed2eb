import test from 'ava';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { PartitionLeases, type RevokeReason } from '../dist/partitions/partition-leases.js';
import { startNatsServer, type NatsServer } from './helpers/nats-server.js';

const TTL = 1500;
const workerScript = fileURLToPath(new URL('../test/fixtures/lease-worker.mjs', import.meta.url));

/** Who holds what, as the workers' callbacks tell it; refuses a partition held by two at once. */
class Ledger {
  readonly owner = new Map<number, string>();
  readonly events: string[] = [];
  readonly conflicts: string[] = [];
  assigned(worker: string, n: number): void {
    const other = this.owner.get(n);
    if (other !== undefined && other !== worker) this.conflicts.push(`${n} assigned to ${worker} while ${other} holds it`);
    this.owner.set(n, worker);
    this.events.push(`${worker} +${n}`);
  }
  revoked(worker: string, n: number, reason: RevokeReason): void {
    if (this.owner.get(n) === worker) this.owner.delete(n);
    this.events.push(`${worker} -${n} ${reason}`);
  }
  count(worker: string): number {
    return [...this.owner.values()].filter((w) => w === worker).length;
  }
}

function worker(server: NatsServer, ledger: Ledger, name: string, pipeline = 'p', partitions = 12): PartitionLeases {
  return new PartitionLeases({
    connection: { servers: server.url },
    pipeline,
    partitions,
    worker: name,
    ttlMs: TTL,
    onAssigned: async (n) => ledger.assigned(name, n),
    onRevoked: async (n, reason) => ledger.revoked(name, n, reason),
  });
}

async function until(what: string, done: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('leases › two workers share 12 partitions 6 and 6; a third joining takes 4 and each keeps 4; never two owners at once', async (t) => {
  const server = await startNatsServer(t);
  const ledger = new Ledger();
  const a = worker(server, ledger, 'a');
  const b = worker(server, ledger, 'b');
  t.teardown(() => Promise.all([a.stop(), b.stop()]).then(() => undefined));
  await a.start();
  await b.start();
  await until('6 and 6', () => ledger.count('a') === 6 && ledger.count('b') === 6);
  t.deepEqual(
    [...a.owned(), ...b.owned()].sort((x, y) => x - y),
    [...Array(12).keys()],
  );
  const c = worker(server, ledger, 'c');
  t.teardown(() => c.stop());
  await c.start();
  await until('4, 4 and 4', () => ['a', 'b', 'c'].every((w) => ledger.count(w) === 4));
  t.deepEqual(
    [...a.owned(), ...b.owned(), ...c.owned()].sort((x, y) => x - y),
    [...Array(12).keys()],
  );
  t.deepEqual(ledger.conflicts, []);
  t.true(
    ledger.events.some((e) => / rebalance$/.test(e)),
    'partitions were handed over by rebalance',
  );
  t.like(c.metrics(), { owned: 4, members: 3 });
});

test('leases › a worker that stops hands its partitions over (told `stop` first); the others take them', async (t) => {
  const server = await startNatsServer(t);
  const ledger = new Ledger();
  const a = worker(server, ledger, 'a');
  const b = worker(server, ledger, 'b');
  t.teardown(() => a.stop());
  await a.start();
  await b.start();
  await until('6 and 6', () => ledger.count('a') === 6 && ledger.count('b') === 6);
  const bHad = b.owned();
  await b.stop();
  t.deepEqual(
    ledger.events.filter((e) => e.startsWith('b -')),
    bHad.map((n) => `b -${n} stop`),
  );
  await until('a holds all 12', () => ledger.count('a') === 12);
  t.deepEqual(ledger.conflicts, []);
});

test('leases › a worker killed with SIGKILL: its leases expire on the server and the survivor takes its partitions', async (t) => {
  const server = await startNatsServer(t);
  const ledger = new Ledger();
  const a = worker(server, ledger, 'a');
  t.teardown(() => a.stop());
  const child = spawn(process.execPath, [workerScript, server.url, 'p', '12', 'k', String(TTL)], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => void (child.exitCode === null && child.kill('SIGKILL')));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await until('the child started', () => /started/.test(out));
  await a.start();
  // The child's partitions now: assigned minus revoked, from its lines.
  const childOwns = () => (out.match(/^assigned/gm)?.length ?? 0) - (out.match(/^revoked/gm)?.length ?? 0);
  await until('6 and 6', () => ledger.count('a') === 6 && childOwns() === 6);
  const killedAt = Date.now();
  child.kill('SIGKILL');
  await until('a holds all 12', () => ledger.count('a') === 12);
  const takeoverMs = Date.now() - killedAt;
  t.log(`takeover after kill -9: ${takeoverMs} ms (lease ${TTL} ms)`);
  t.true(takeoverMs >= TTL / 2, 'not before the dead worker’s leases expired');
  t.deepEqual(ledger.conflicts, []);
});

test('leases › a lease taken from under a worker (its renewal fails) is reported `lost`, and holds() says no', async (t) => {
  const server = await startNatsServer(t);
  const ledger = new Ledger();
  const a = worker(server, ledger, 'a', 'q', 2);
  t.teardown(() => a.stop());
  await a.start();
  await until('a holds both', () => ledger.count('a') === 2);
  t.true(a.holds(0));
  // Another party overwrites partition 0's lease (as a worker would after the lease expired).
  const nc = await connect({ servers: server.url });
  t.teardown(() => nc.close());
  const kv = await new Kvm(nc).open('sluice-leases');
  const entry = await kv.get('q.p.0');
  await kv.update('q.p.0', JSON.stringify({ worker: 'intruder' }), entry!.revision);
  await until('a lost 0', () => ledger.events.includes('a -0 lost'));
  t.false(a.holds(0));
  t.true(a.holds(1));
  t.is(a.metrics().lost, 1);
});

test('leases › bad options are refused naming them', (t) => {
  const base = { connection: { servers: 'nats://127.0.0.1:1' }, pipeline: 'p', onAssigned: async () => {}, onRevoked: async () => {} };
  t.throws(() => new PartitionLeases({ ...base, partitions: 0 }), { message: /partitions must be an integer of at least 1, got 0/ });
  t.throws(() => new PartitionLeases({ ...base, partitions: 4, ttlMs: 10 }), { message: /ttlMs must be at least 300 ms, got 10/ });
  t.throws(() => new PartitionLeases({ ...base, partitions: 4, connection: { servers: [] } }), { message: /option "servers"/ });
});
