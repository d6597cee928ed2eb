import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { startNatsServer } from '@sluice/plugin-nats/testing';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const example = fileURLToPath(new URL('../../../plugins/example', import.meta.url));
const natsPlugin = fileURLToPath(new URL('../../../plugins/nats', import.meta.url));

interface Worker {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  err(): string;
}

function startWorker(file: string, name: string, args: readonly string[] = []): Worker {
  const child = spawn(process.execPath, [main, 'run', file, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, WORKER: name },
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, err: () => err };
}

async function until(
  what: string,
  done: () => boolean | Promise<boolean>,
  workers: readonly Worker[] = [],
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${workers.map((w, i) => `worker ${i}:\n${w.err()}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const lines = (file: string): { partition: number; n: number }[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { partition: number; n: number })
    : [];

test('scale-out › workers share 4 partitions; a third joins mid-stream and takes its share; every partition’s output is whole, in order, once', async (t) => {
  const server = await startNatsServer(t);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-scale-'));
  const count = 300; // per partition: 60 reads of 5, one per 25 ms: about 1.5 s
  const file = join(dir, 'scaled.yaml');
  writeFileSync(
    file,
    `name: scaled
plugins: ['${example}', '${join(fixtures, 'paced-ticks-plugin.mjs')}']
components:
  - { class: PacedTicks, settings: { count: ${count}, perRead: 5, everyMs: 25, partition: '\${SLUICE_PARTITION}' } }
  - { class: JsonLinesOut, from: ticks, settings: { file: '${dir}/out-p\${SLUICE_PARTITION}.jsonl' } }
checkpoints: { store: file, dir: checkpoints, interval: 200ms }
scaleOut: { partitions: 4, nats: { servers: '${server.url}' }, leaseTtl: 1500ms, worker: '\${WORKER}' }
monitoring: { terminal: false }
`,
  );
  const a = startWorker(file, 'a');
  const b = startWorker(file, 'b');
  const workers = [a, b];
  t.teardown(() => workers.forEach((w) => w.child.exitCode === null && w.child.kill('SIGKILL')));
  await until(
    'a and b run two partitions each',
    () => [a, b].every((w) => (w.err().match(/: running on worker/g)?.length ?? 0) >= 2),
    workers,
  );
  // Some output first, then the third worker joins.
  await until('output', () => [0, 1, 2, 3].some((p) => lines(join(dir, `out-p${p}.jsonl`)).length > 30), workers);
  const c = startWorker(file, 'c');
  workers.push(c);
  await until('c runs a partition', () => /: running on worker c/.test(c.err()), workers);
  t.regex(a.err() + b.err(), /handed over \(rebalance\)/);
  await until('every partition complete', () => [0, 1, 2, 3].every((p) => lines(join(dir, `out-p${p}.jsonl`)).length >= count), workers);
  for (const w of workers) w.child.kill('SIGTERM');
  for (const w of workers) t.is(await w.exited, 0, w.err());
  for (const p of [0, 1, 2, 3]) {
    const out = lines(join(dir, `out-p${p}.jsonl`));
    t.deepEqual(
      out.map((r) => r.n),
      [...Array(count).keys()],
      `partition ${p}: each tick once, in order`,
    );
    t.true(out.every((r) => Number(r.partition) === p));
  }
  t.regex(c.err(), /partition \d: resumed from checkpoint \d+/, 'the joiner resumed a partition from its checkpoint');
});

test('scale-out › a scaleOut file without shared checkpoints is refused; validate builds it as partition 0', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-scale-'));
  const file = join(dir, 'nocp.yaml');
  writeFileSync(
    file,
    `name: nocp
plugins: ['${example}', '${join(fixtures, 'paced-ticks-plugin.mjs')}']
components:
  - { class: PacedTicks, settings: { partition: '\${SLUICE_PARTITION}' } }
  - { class: JsonLinesOut, from: ticks, settings: { file: '${dir}/out-p\${SLUICE_PARTITION}.jsonl' } }
scaleOut: { partitions: 4, nats: { servers: 'nats://127.0.0.1:1' } }
`,
  );
  const run = startWorker(file, 'x');
  t.is(await run.exited, 1);
  t.regex(run.err(), /scaleOut needs a 'checkpoints' section: a partition moves to another worker from its last checkpoint/);
  const validate = spawn(process.execPath, [main, 'validate', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  validate.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  t.is(await new Promise<number | null>((r) => validate.on('exit', r)), 0);
  t.is(out.trim(), 'ok: nocp, 2 nodes');
});

test('scale-out › JetStream in and out, 3 workers over 12 partitions, one killed with SIGKILL mid-stream and a fourth joining: the output equals the uninterrupted computation, record for record', async (t) => {
  const server = await startNatsServer(t);
  const nc = await connect({ servers: server.url });
  t.teardown(() => nc.close());
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'TICKS', subjects: ['ticks.>'] });
  await jsm.streams.add({ name: 'OUT', subjects: ['out.>'] });
  const js = jetstream(nc);
  const perPartition = 1500;
  const expected = new Map<number, { p: number; n: number; k: number; sum: number }[]>();
  for (let p = 0; p < 12; p++) {
    const sums = new Map<number, number>();
    const out: { p: number; n: number; k: number; sum: number }[] = [];
    const acks: Promise<unknown>[] = [];
    for (let n = 0; n < perPartition; n++) {
      const k = n % 5;
      acks.push(js.publish(`ticks.${p}`, JSON.stringify({ p, n, k, sum: n })));
      sums.set(k, (sums.get(k) ?? 0) + n);
      out.push({ p, n, k, sum: sums.get(k)! });
    }
    await Promise.all(acks);
    expected.set(p, out);
  }

  const dir = mkdtempSync(join(tmpdir(), 'sluice-scale-js-'));
  const file = join(dir, 'sums.yaml');
  const conn = `{ servers: '${server.url}' }`;
  writeFileSync(
    file,
    `name: sums
plugins: ['${natsPlugin}', '${join(fixtures, 'running-sum-plugin.mjs')}']
components:
  - class: JetStreamSource
    name: ticks
    settings: { connection: ${conn}, stream: TICKS, subject: 'ticks.\${SLUICE_PARTITION}', durable: 'sums-p\${SLUICE_PARTITION}' }
  - { class: Pause, settings: { ms: 2 } }
  - class: RunningSum
  - class: JetStreamSink
    name: out
    from: sums
    settings: { connection: ${conn}, stream: OUT, subject: 'out.\${SLUICE_PARTITION}', idPrefix: 'sums-p\${SLUICE_PARTITION}' }
batchSize: 50
checkpoints: { store: nats-kv, nats: ${conn}, interval: 300ms }
scaleOut: { partitions: 12, nats: ${conn}, leaseTtl: 2s, worker: '\${WORKER}' }
monitoring: { terminal: false }
`,
  );
  const outCount = async () => (await jsm.streams.info('OUT')).state.messages;
  const [a, b, c] = ['a', 'b', 'c'].map((w) => startWorker(file, w)) as [Worker, Worker, Worker];
  const workers = [a, b, c];
  t.teardown(() => workers.forEach((w) => w.child.exitCode === null && w.child.kill('SIGKILL')));
  // Each worker at its share (4 of 12) and output flowing: then b dies.
  const runs = (w: Worker) => (w.err().match(/: running on worker/g)?.length ?? 0) - (w.err().match(/handed over/g)?.length ?? 0);
  await until('4 partitions each', () => workers.every((w) => runs(w) === 4), workers);
  await until('output', async () => (await outCount()) > 12 * perPartition * 0.15, workers);
  b.child.kill('SIGKILL');
  t.is(await b.exited, null, 'b was killed');
  // A fourth worker joins while the survivors take b's partitions over from their checkpoints.
  const d = startWorker(file, 'd');
  workers.push(d);
  const live = [a, c, d];
  await until('d runs partitions', () => runs(d) >= 1, live);
  await until('every record out', async () => (await outCount()) >= 12 * perPartition, live);
  for (const w of live) w.child.kill('SIGTERM');
  for (const w of live) t.is(await w.exited, 0, w.err());
  t.regex(a.err() + c.err() + d.err(), /resumed from checkpoint \d+/);

  // Read OUT back, per partition subject, in stream order.
  const got = new Map<number, { p: number; n: number; k: number; sum: number }[]>();
  const consumer = await jetstream(nc).consumers.get('OUT');
  const messages = await consumer.fetch({ max_messages: 12 * perPartition + 100, expires: 3000 });
  for await (const m of messages) {
    const r = m.json<{ p: number; n: number; k: number; sum: number }>();
    got.set(r.p, [...(got.get(r.p) ?? []), r]);
    if (m.info.pending === 0) break;
  }
  t.is(await outCount(), 12 * perPartition, 'no duplicates in the stream');
  for (let p = 0; p < 12; p++) t.deepEqual(got.get(p), expected.get(p), `partition ${p}`);
});

test('nats › docs/nats.md’s pipeline file: JetStream in, the even ticks out to JetStream, KV checkpoints; run again, nothing is added', async (t) => {
  const server = await startNatsServer(t);
  const nc = await connect({ servers: server.url });
  t.teardown(() => nc.close());
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'TICKS', subjects: ['ticks.in'] });
  await jsm.streams.add({ name: 'EVEN', subjects: ['ticks.even'] });
  const js = jetstream(nc);
  for (let n = 0; n < 100; n++) await js.publish('ticks.in', JSON.stringify({ n, symbol: 'AAPL', price: 100 + n }));
  const file = join(fixtures, 'nats-even-ticks.yaml');
  const run = () =>
    new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(process.execPath, [main, 'run', file], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, NATS_URL: server.url },
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => resolve({ code, err }));
    });
  const first = await run();
  t.is(first.code, 0, first.err);
  const even = async () => {
    const out: number[] = [];
    const info = await jsm.streams.info('EVEN');
    for (let seq = 1; seq <= info.state.last_seq; seq++) out.push((await jsm.streams.getMessage('EVEN', { seq }))!.json<{ n: number }>().n);
    return out;
  };
  t.deepEqual(
    await even(),
    Array.from({ length: 50 }, (_, i) => 2 * i),
  );
  // The consumer is at the end and the checkpoints say so: a second run reads nothing new.
  const second = await run();
  t.is(second.code, 0, second.err);
  t.is((await even()).length, 50);
});

test('scale-out › a worker with --port serves its partitions as one pipeline: /stats, /graph and /metrics name the nodes p<n>/<node>', async (t) => {
  const server = await startNatsServer(t);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-scale-'));
  const file = join(dir, 'watched.yaml');
  writeFileSync(
    file,
    `name: watched
plugins: ['${example}', '${join(fixtures, 'paced-ticks-plugin.mjs')}']
components:
  - { class: PacedTicks, settings: { count: 100000, perRead: 5, everyMs: 20, partition: '\${SLUICE_PARTITION}' } }
  - { class: JsonLinesOut, from: ticks, settings: { file: '${dir}/out-p\${SLUICE_PARTITION}.jsonl' } }
checkpoints: { store: file, dir: checkpoints, interval: 1s }
scaleOut: { partitions: 2, nats: { servers: '${server.url}' }, leaseTtl: 1500ms, worker: '\${WORKER}' }
monitoring: { terminal: false }
`,
  );
  const w = startWorker(file, 'solo', ['--port', '0']);
  t.teardown(() => void (w.child.exitCode === null && w.child.kill('SIGKILL')));
  await until(
    'two partitions and the dashboard',
    () => (w.err().match(/: running on worker/g)?.length ?? 0) === 2 && /Sluice dashboard: /.test(w.err()),
    [w],
  );
  const base = /Sluice dashboard: (http:\/\/\S+)/.exec(w.err())![1]!.replace(/\/$/, '');
  const json = async <T>(path: string) => (await (await fetch(base + path)).json()) as T;
  let stats = await json<{ state: string; sources: Record<string, { records: number }> }>('/stats');
  await until(
    'records counted',
    async () => {
      stats = await json('/stats');
      return (stats.sources['p0/ticks']?.records ?? 0) > 0 && (stats.sources['p1/ticks']?.records ?? 0) > 0;
    },
    [w],
  );
  t.is(stats.state, 'running');
  t.deepEqual(Object.keys(stats.sources).sort(), ['p0/ticks', 'p1/ticks']);
  const graph = await json<{ nodes: { name: string }[]; edges: { from: string; to: string }[] }>('/graph');
  t.deepEqual(graph.nodes.map((n) => n.name).sort(), ['p0/out', 'p0/ticks', 'p1/out', 'p1/ticks']);
  t.true(graph.edges.some((e) => e.from === 'p1/ticks' && e.to === 'p1/out'));
  const metrics = await (await fetch(base + '/metrics')).text();
  t.regex(metrics, /^sluice_source_records_total\{pipeline="watched",source="p0\/ticks"\} [1-9]/m);
  t.regex(metrics, /^sluice_sink_records_total\{pipeline="watched",sink="p1\/out"\} \d+/m);
  w.child.kill('SIGTERM');
  t.is(await w.exited, 0, w.err());
});
