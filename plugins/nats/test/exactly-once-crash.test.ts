import test from 'ava';
import { spawn } from 'node:child_process';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServer } from './helpers/nats-server.js';

// The crash test of the fault-tolerance issue, with JetStream in and out: a real child process
// (fixtures/jetstream-candles.ts) reads the stream TICKS with a durable JetStreamSource, makes
// one-second candles per symbol and publishes them with the JetStreamSink (message ids
// `candles:<ordinal>`), with checkpoints in a KV bucket. It is killed with SIGKILL at each
// named crash point and at random moments after a run's first checkpoint, and started again
// until it completes. The output stream must then hold, record for record and in order, what a
// run that was never killed published to its own stream. Seeded: NATS_CRASH_TEST_SEED
// reproduces a sequence of kills; NATS_CRASH_TEST_TICKS sizes the input.

const TICKS = Number(process.env.NATS_CRASH_TEST_TICKS ?? 500_000);
const SEED = Number(process.env.NATS_CRASH_TEST_SEED ?? 20261129);
const KILLS = Number(process.env.NATS_CRASH_TEST_KILLS ?? 5);
const CHILD = new URL('./fixtures/jetstream-candles.js', import.meta.url).pathname;
const SYMBOLS = ['AAPL', 'MSFT', 'GOOG', 'AMZN', 'META', 'NVDA', 'TSLA', 'NFLX', 'ORCL', 'INTC', 'AMD', 'IBM'];
// The crash points an idempotent sink and a source passes: the others (after-pre-commit,
// between-commits) belong to transactional sinks, which this pipeline has none of.
const CRASH_POINTS = ['before-checkpoint-write', 'before-commit'];

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Report {
  ok: boolean;
  checkpoints?: { restoredFrom?: number };
  deadLetters?: number;
  ticks?: { records: number };
  sink?: { duplicates?: number; published?: number };
}

interface Stored {
  seq: number;
  subject: string;
  msgId: string;
  body: string;
}

const cleanups: (() => Promise<void> | void)[] = [];
// Children still running (a test that failed half-way): killed by pid at the end.
const live = new Set<number>();
const teardown = { teardown: (fn: () => Promise<void> | void) => void cleanups.push(fn) };
let server: NatsServer;
let nc: NatsConnection;
let malformed = 0;
let reference: Stored[];
let referenceReport: Report;
const timings: string[] = [];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Publishes `count` deterministic ticks to TICKS (core publishes, flushed every 10 000, then the
 * stream's count checked: faster than waiting for each acknowledgement); a few are malformed.
 * Returns how many are malformed.
 */
async function publishTicks(count: number): Promise<number> {
  const random = mulberry32(SEED);
  const prices = SYMBOLS.map((_, i) => 100 + i * 10);
  let bad = 0;
  for (let i = 0; i < count; i++) {
    const s = Math.floor(random() * SYMBOLS.length);
    const symbol = SYMBOLS[s]!;
    prices[s] = Math.max(1, Math.round((prices[s]! + (random() - 0.5) * 0.5) * 100) / 100);
    const ts = 1_750_000_000_000 + i * 5;
    let payload: string;
    if (i % 9973 === 4321) {
      payload = `{"symbol":"${symbol}","price":`; // not JSON: a dead letter of the source
      bad++;
    } else if (i % 7919 === 1234) {
      payload = JSON.stringify({ symbol, price: prices[s], size: -1, ts }); // refused by Validate: a dead letter
      bad++;
    } else {
      payload = JSON.stringify({ symbol, price: prices[s], size: 1 + Math.floor(random() * 100), ts });
    }
    nc.publish(`ticks.${symbol}`, payload);
    if (i % 10_000 === 9_999) await nc.flush();
  }
  await nc.flush();
  const jsm = await jetstreamManager(nc);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const stored = (await jsm.streams.info('TICKS')).state.messages;
    if (stored === count) return bad;
    if (Date.now() > deadline) throw new Error(`TICKS holds ${stored} of the ${count} ticks published`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every message of `stream` in order, through an ordered consumer. */
async function readStream(stream: string): Promise<Stored[]> {
  const jsm = await jetstreamManager(nc);
  const total = (await jsm.streams.info(stream)).state.messages;
  const out: Stored[] = [];
  if (total === 0) return out;
  const consumer = await jetstream(nc).consumers.get(stream);
  const messages = await consumer.consume();
  for await (const m of messages) {
    out.push({ seq: m.seq, subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id') ?? '', body: m.string() });
    if (out.length === total) break;
  }
  await messages.close();
  return out;
}

/**
 * Runs the child once. `killAfterMs` sends SIGKILL that long after the child has stored its first
 * checkpoint of this run (if it is still running): so each run makes progress, whatever the load.
 */
function runChild(name: string, outStream: string, prefix: string, env: Record<string, string> = {}, killAfterMs?: number): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const announce = killAfterMs === undefined ? {} : { CRASH_TEST_ANNOUNCE: '1' };
    const child = spawn(process.execPath, [CHILD, server.url, name, outStream, prefix], {
      env: { ...process.env, SLUICE_CRASH_POINT: '', ...env, ...announce },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child.pid!);
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (killAfterMs !== undefined && timer === undefined && /^checkpoint \d+$/m.test(stdout))
        timer = setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
        }, killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      live.delete(child.pid!);
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function reportOf(exit: Exit): Report {
  if (exit.code !== 0)
    throw new Error(`the child did not complete: code ${exit.code} signal ${exit.signal}\n${exit.stdout}\n${exit.stderr}`);
  return JSON.parse(exit.stdout.trim().split('\n').at(-1)!) as Report;
}

/** What the comparison looks at: the subject without its prefix, the message id, the body. */
const comparable = (stored: Stored[]) => stored.map((m) => `${m.subject.slice(m.subject.indexOf('.') + 1)} ${m.msgId} ${m.body}`);

test.before(async () => {
  server = await startNatsServer(teardown);
  nc = await connect({ servers: server.url });
  cleanups.push(() => nc.close());
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'TICKS', subjects: ['ticks.>'] });
  // Duplicate windows of 5 minutes: longer than the sink's recoveryTimeMs (1 minute).
  await jsm.streams.add({ name: 'CANDLES', subjects: ['candles.>'], duplicate_window: 300e9 });
  await jsm.streams.add({ name: 'REFERENCE', subjects: ['reference.>'], duplicate_window: 300e9 });
  let at = performance.now();
  malformed = await publishTicks(TICKS);
  timings.push(`published ${TICKS} ticks in ${Math.round(performance.now() - at)} ms`);
  at = performance.now();
  referenceReport = reportOf(await runChild('reference', 'REFERENCE', 'reference'));
  timings.push(`reference run ${Math.round(performance.now() - at)} ms`);
  reference = await readStream('REFERENCE');
});

test.after.always(async () => {
  for (const pid of live) process.kill(pid, 'SIGKILL');
  for (const fn of cleanups.reverse()) await fn();
});

test.serial(
  'JetStream crash › the uninterrupted reference run publishes every candle once, in order; malformed ticks are dead letters',
  (t) => {
    t.log(timings.join('; '));
    t.true(referenceReport.ok);
    t.is(referenceReport.deadLetters, malformed);
    t.true(malformed >= 2, `${malformed} malformed ticks`);
    t.is(referenceReport.sink?.duplicates, 0);
    // Candles of TICKS × 5 ms of event time, one per symbol and second.
    t.true(reference.length > (TICKS * 5) / 1000, `${reference.length} candles`);
    t.deepEqual(
      reference.map((m) => m.msgId),
      reference.map((_, i) => `candles:${i}`),
    );
    const counted = reference.reduce((n, m) => n + (JSON.parse(m.body) as { count: number }).count, 0);
    t.is(counted, TICKS - malformed, 'every valid tick is in exactly one candle');
  },
);

test.serial(
  `JetStream crash › killed at each crash point and at ${KILLS} random moments (seed ${SEED}), restarted until done: CANDLES equals the uninterrupted run record for record, and every tick is acknowledged`,
  async (t) => {
    const run = (env: Record<string, string> = {}, killAfterMs?: number) => runChild('crashed', 'CANDLES', 'candles', env, killAfterMs);
    const history: string[] = [];
    for (const point of CRASH_POINTS) {
      const exit = await run({ SLUICE_CRASH_POINT: `${point}:3` });
      t.is(exit.signal, 'SIGKILL', `crash point '${point}' was not reached: ${exit.stdout}${exit.stderr}`);
      history.push(`${point}:3`);
    }
    const random = mulberry32(SEED);
    let kills = 0;
    while (kills < KILLS) {
      const delay = Math.round(random() * 400);
      const exit = await run({}, delay);
      if (exit.signal !== 'SIGKILL') break; // it finished before the kill: nothing left to kill
      kills++;
      history.push(`${delay}ms`);
    }
    t.log(`kills: ${history.join(', ')}`);
    t.is(kills, KILLS, `killed ${kills} times; raise NATS_CRASH_TEST_TICKS if the run is too short`);
    const report = reportOf(await run());
    t.not(report.checkpoints?.restoredFrom, undefined, 'the last run resumed from a checkpoint');

    const out = await readStream('CANDLES');
    t.is(out.length, reference.length);
    t.deepEqual(comparable(out), comparable(reference));
    t.deepEqual(
      out.map((m) => m.seq),
      out.map((_, i) => i + 1),
      'no message stored and removed: the stream never held a duplicate',
    );

    const jsm = await jetstreamManager(nc);
    const ticks = await jsm.streams.info('TICKS');
    const consumer = await jsm.consumers.info('TICKS', 'crashed');
    t.is(consumer.ack_floor.stream_seq, ticks.state.last_seq, 'every tick acknowledged');
    t.is(consumer.num_ack_pending, 0);
  },
);
