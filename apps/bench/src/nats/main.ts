/**
 * `npm run bench:nats`: the tick workload through a real nats-server (JetStream), Sluice against
 * the plain NATS client measured in the same invocation.
 *
 * 1. publishes N ticks of BENCH.md's generator as JSON to stream TICKS (`ticks.<p>`, P partitions
 *    by a hash of the symbol), printing the plain client's publish rate;
 * 2. per run (fresh child processes each): the raw pipe (pull consumer → re-publish each message
 *    unchanged to OUT), then Sluice (JetStreamSource → BENCH.md stages → engine windows →
 *    JetStreamSink to CANDLES) exactly-once with KV checkpoints, at-least-once without, one
 *    worker with a source per partition, and W workers sharing the partitions; the windows each
 *    Sluice run stored in CANDLES are read back and their checksum compared with the reference;
 * 3. end-to-end latency at a fixed offered rate through the raw pipe and a minimal Sluice pipe.
 *
 * usage: node apps/bench/dist/nats/main.js [--ticks N] [--partitions P] [--workers W] [--runs R]
 *                                          [--rate MSG_PER_S[,MSG_PER_S…]] [--seconds S] [--no-latency] [--json]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager, type JetStreamManager, type PubAck } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer } from '@sluice/plugin-nats/testing';
import { build, type Histogram } from 'hdr-histogram-js';
import { median } from '../bench-runner.js';
import { machineDescription } from '../bench-report.js';
import { CandleWindows } from '../workload/candle-windows.js';
import { Checksum } from '../workload/checksum.js';
import { isValid, withNotional, withSector } from '../workload/stages.js';
import { SymbolUniverse } from '../workload/symbol-universe.js';
import type { Candle, Tick } from '../workload/tick.js';
import { TickGenerator } from '../workload/tick-generator.js';
import {
  BATCH,
  CANDLES_STREAM,
  LAT_IN_STREAM,
  LAT_IN_SUBJECT,
  LAT_OUT_STREAM,
  MAX_PENDING_ACKS,
  OUT_STREAM,
  TICKS_STREAM,
  nowMs,
  partitionOf,
  type Job,
  type WorkerResult,
} from './nats-common.js';

const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));
const USAGE =
  'usage: main.js [--ticks N] [--partitions P] [--workers W] [--runs R] [--rate MSG_PER_S[,MSG_PER_S…]] [--seconds S] [--no-latency] [--json]';
/** A worker that has not finished after this long is killed, and the benchmark fails. */
const WORKER_TIMEOUT_MS = 10 * 60_000;

interface Options {
  ticks: number;
  partitions: number;
  workers: number;
  runs: number;
  /** Offered rates of the latency test, msg/s (each measured on both pipes). */
  rates: number[];
  seconds: number;
  latency: boolean;
  json: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { ticks: 300_000, partitions: 12, workers: 3, runs: 3, rates: [5_000], seconds: 10, latency: true, json: false };
  const int = (flag: string, v: string | undefined) => {
    const n = Number(v?.replaceAll('_', ''));
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--ticks') o.ticks = int(a, argv[++i]);
    else if (a === '--partitions') o.partitions = int(a, argv[++i]);
    else if (a === '--workers') o.workers = int(a, argv[++i]);
    else if (a === '--runs') o.runs = int(a, argv[++i]);
    else if (a === '--rate') o.rates = (argv[++i] ?? '').split(',').map((r) => int(a, r));
    else if (a === '--seconds') o.seconds = int(a, argv[++i]);
    else if (a === '--no-latency') o.latency = false;
    else if (a === '--json') o.json = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (o.workers > o.partitions) throw new Error(`--workers (${o.workers}) must not exceed --partitions (${o.partitions})`);
  return o;
}

/** What startNatsServer needs of a test: the stops are collected and run at the end, also on error. */
class Teardowns {
  private readonly fns: (() => Promise<void> | void)[] = [];
  teardown(fn: () => Promise<void> | void): void {
    this.fns.push(fn);
  }
  async run(): Promise<void> {
    for (const fn of this.fns.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error(`teardown: ${String(err)}`);
      }
    }
  }
}

/** One child process running a Job (see worker.ts for the protocol), with this process's Node flags (e.g. --cpu-prof). */
class Worker {
  readonly ready: Promise<void>;
  readonly result: Promise<WorkerResult>;
  private readonly child: ChildProcess;

  constructor(job: Job, teardowns: Teardowns) {
    const child = spawn(process.execPath, [...process.execArgv, WORKER, JSON.stringify(job)], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    let stdout = '';
    let stderr = '';
    let markReady: () => void = () => undefined;
    this.ready = new Promise((resolve) => (markReady = resolve));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/^ready$/m.test(stdout)) markReady();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-20_000);
    });
    const pid = child.pid!;
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
    };
    teardowns.teardown(kill);
    const timer = setTimeout(kill, WORKER_TIMEOUT_MS);
    this.result = new Promise((resolve, reject) => {
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        const last = stdout.trim().split('\n').at(-1) ?? '';
        if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as WorkerResult);
        else
          reject(
            new Error(`worker ${job.kind} (${'name' in job ? job.name : job.durable}) exited with ${code ?? signal}:\n${stderr.trim()}`),
          );
      });
    });
    // Fail the ready wait too when the worker dies before it is ready.
    this.ready = Promise.race([this.ready, this.result.then(() => undefined)]);
  }

  send(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }
}

/** Starts workers together (all loaded first) and waits for all; throughput over the union of their spans. */
async function runTogether(jobs: readonly Job[], teardowns: Teardowns): Promise<{ results: WorkerResult[]; ms: number }> {
  const workers = jobs.map((j) => new Worker(j, teardowns));
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) w.send('go');
  const results = await Promise.all(workers.map((w) => w.result));
  const ms = Math.max(...results.map((r) => r.endMs)) - Math.min(...results.map((r) => r.startMs));
  return { results, ms };
}

/** BENCH.md's checksum of the first n ticks, computed by the workload code in this process. */
function referenceChecksum(n: number): string {
  const universe = new SymbolUniverse(200);
  const gen = new TickGenerator(n, universe);
  const windows = new CandleWindows(1000, 1000);
  const checksum = new Checksum();
  const emit = (c: Candle) => checksum.add(c);
  const batch: Tick[] = [];
  for (let count = gen.fill(batch, BATCH); count > 0; count = gen.fill(batch, BATCH)) {
    for (let i = 0; i < count; i++) {
      const t = batch[i]!;
      if (isValid(t)) windows.add(withSector(withNotional(t), universe.sectors), emit);
    }
  }
  windows.flush(emit);
  return checksum.toString();
}

async function recreateStream(jsm: JetStreamManager, name: string, subjects: string[]): Promise<void> {
  try {
    await jsm.streams.delete(name);
  } catch {
    // not there yet
  }
  // Duplicate window 2 min (the sink's recoveryTimeMs default is 1 min); file storage.
  await jsm.streams.add({ name, subjects, duplicate_window: 120_000 * 1_000_000 });
}

/** Publishes the n ticks as JSON, async, at most MAX_PENDING_ACKS in flight; returns msg/s. */
async function publishTicks(nc: NatsConnection, n: number, partitions: number): Promise<number> {
  const js = jetstream(nc);
  const universe = new SymbolUniverse(200);
  const gen = new TickGenerator(n, universe);
  const subjects = new Map(universe.symbols.map((s) => [s, `ticks.${partitionOf(s, partitions)}`]));
  let pending = 0;
  let failure: unknown;
  const waiting: (() => void)[] = [];
  const inFlight = new Set<Promise<PubAck | void>>();
  const start = nowMs();
  const batch: Tick[] = [];
  for (let count = gen.fill(batch, BATCH); count > 0; count = gen.fill(batch, BATCH)) {
    for (let i = 0; i < count; i++) {
      while (pending >= MAX_PENDING_ACKS) await new Promise<void>((r) => waiting.push(r));
      if (failure !== undefined) throw failure;
      const t = batch[i]!;
      pending++;
      const p: Promise<PubAck | void> = js
        .publish(subjects.get(t.symbol)!, JSON.stringify(t))
        .catch((err: unknown) => {
          failure ??= err;
        })
        .finally(() => {
          pending--;
          inFlight.delete(p);
          waiting.shift()?.();
        });
      inFlight.add(p);
    }
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return n / ((nowMs() - start) / 1000);
}

/** Reads every message of CANDLES back (an ordered consumer) and folds it into the checksum. */
async function candlesChecksum(nc: NatsConnection, jsm: JetStreamManager): Promise<{ checksum: string; stored: number }> {
  const stored = (await jsm.streams.info(CANDLES_STREAM)).state.messages;
  const checksum = new Checksum();
  if (stored > 0) {
    const consumer = await jetstream(nc).consumers.get(CANDLES_STREAM);
    const messages = await consumer.consume({ max_messages: BATCH });
    let got = 0;
    for await (const m of messages) {
      checksum.add(m.json<Candle>());
      if (++got === stored) break;
    }
  }
  return { checksum: checksum.toString(), stored };
}

interface Measured {
  side: string;
  run: number;
  msgPerSec: number;
  /** ÷ the same run's raw pipe. */
  ratio: number;
  /** ÷ the same run's raw client with hand-written windows. */
  ratioWindows: number;
  detail: string;
  checksum?: string;
}

interface LatencyResult {
  side: string;
  run: number;
  rate: number;
  offeredPerSec: number;
  received: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/** The offered-rate latency test through one pipe (a worker reading lat.in, writing lat.out.<side>). */
async function measureLatency(
  url: string,
  nc: NatsConnection,
  jsm: JetStreamManager,
  side: 'raw' | 'sluice',
  run: number,
  rate: number,
  o: Options,
  teardowns: Teardowns,
): Promise<LatencyResult> {
  await jsm.streams.purge(LAT_IN_STREAM);
  await jsm.streams.purge(LAT_OUT_STREAM);
  const outSubject = `lat.out.${side}`;
  const hist: Histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
  let received = 0;
  let warm = false;
  const sub = nc.subscribe(outSubject, {
    callback: (_err, m) => {
      const now = nowMs();
      const sent = (m.json() as { sent: number }).sent;
      if (sent < 0) warm = true;
      else {
        received++;
        // µs: the histogram counts integers.
        hist.recordValue(Math.max(1, Math.round((now - sent) * 1000)));
      }
    },
  });
  const job: Job =
    side === 'raw'
      ? { kind: 'raw', url, stream: LAT_IN_STREAM, durable: `lat-raw-r${run}-${rate}`, outSubject }
      : {
          kind: 'sluice',
          url,
          name: `lat-sluice-r${run}-${rate}`,
          workload: 'latency',
          partitions: null,
          checkpoints: true,
          outStream: LAT_OUT_STREAM,
          outSubject,
          idPrefix: `lat-sluice-r${run}-${rate}`,
        };
  const worker = new Worker(job, teardowns);
  await worker.ready;
  worker.send('go');
  const universe = new SymbolUniverse(200);
  const gen = new TickGenerator(Number.MAX_SAFE_INTEGER, universe);
  const body = (sent: number) => {
    const t = gen.next()!;
    return JSON.stringify({ symbol: t.symbol, price: t.price, size: t.size, ts: t.ts, sent });
  };
  // Warm-up: one message every 20 ms until one comes out, so the pipe is connected and consuming.
  const warmDeadline = Date.now() + 60_000;
  while (!warm) {
    if (Date.now() > warmDeadline) throw new Error(`latency ${side}: nothing came through within 60 s`);
    nc.publish(LAT_IN_SUBJECT, body(-1));
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 200));
  // The offered load: every ms or so, publish what is due by now (core publish into the stream).
  const total = rate * o.seconds;
  let sent = 0;
  const start = nowMs();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((nowMs() - start) / 1000) * rate));
    while (sent < due) {
      nc.publish(LAT_IN_SUBJECT, body(nowMs()));
      sent++;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  const offeredPerSec = total / ((nowMs() - start) / 1000);
  const drainDeadline = Date.now() + 60_000;
  while (received < total && Date.now() < drainDeadline) await new Promise((r) => setTimeout(r, 20));
  worker.send('stop');
  await worker.result;
  sub.unsubscribe();
  if (received < total) throw new Error(`latency ${side}: ${received} of ${total} messages came through`);
  const ms = (us: number) => us / 1000;
  return {
    side,
    run,
    rate,
    offeredPerSec,
    received,
    p50: ms(hist.getValueAtPercentile(50)),
    p99: ms(hist.getValueAtPercentile(99)),
    p999: ms(hist.getValueAtPercentile(99.9)),
    max: ms(hist.maxValue),
  };
}

function table(rows: readonly (readonly string[])[], right: ReadonlySet<number>): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const rate = (v: number) => `${(v / 1000).toFixed(1)} k/s`;

async function main(o: Options): Promise<number> {
  const log = (line: string) => {
    if (!o.json) console.log(line);
  };
  const reference = referenceChecksum(o.ticks);
  log(`reference checksum for ${o.ticks.toLocaleString('en-US')} ticks: ${reference}`);
  const teardowns = new Teardowns();
  const stop = () => void teardowns.run().then(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const server = await startNatsServer(teardowns);
    const url = server.url;
    log(`nats-server ${server.url} (pid ${server.pid}), JetStream file store in ${server.storeDir}`);
    const nc = await connect({ servers: url });
    teardowns.teardown(() => nc.close());
    const jsm = await jetstreamManager(nc);
    await recreateStream(jsm, TICKS_STREAM, ['ticks.>']);
    await recreateStream(jsm, OUT_STREAM, ['out.>']);
    await recreateStream(jsm, CANDLES_STREAM, ['candles.>']);
    await recreateStream(jsm, LAT_IN_STREAM, [LAT_IN_SUBJECT]);
    await recreateStream(jsm, LAT_OUT_STREAM, ['lat.out.>']);

    const publishRate = await publishTicks(nc, o.ticks, o.partitions);
    log(
      `published ${o.ticks.toLocaleString('en-US')} ticks to ${TICKS_STREAM} (ticks.0 … ticks.${o.partitions - 1}): ${rate(publishRate)} (plain client, async publish, ≤ ${MAX_PENDING_ACKS} in flight)`,
    );
    if (o.json) console.log(JSON.stringify({ side: 'publish', msgPerSec: publishRate, n: o.ticks }));

    const all = Array.from({ length: o.partitions }, (_, p) => p);
    // Where each partition's subject ends: a source filtered to it ends there (see worker.ts).
    const lastSeqs: number[] = [];
    for (const p of all) lastSeqs.push((await jsm.streams.getMessage(TICKS_STREAM, { last_by_subj: `ticks.${p}` }))?.seq ?? 0);
    const measured: Measured[] = [];
    const latencies: LatencyResult[] = [];
    for (let run = 1; run <= o.runs; run++) {
      let baseWindows = NaN;
      const record = (m: Omit<Measured, 'ratio' | 'ratioWindows' | 'run'>, base: number) => {
        const row = { ...m, run, ratio: m.msgPerSec / base, ratioWindows: m.msgPerSec / baseWindows };
        measured.push(row);
        if (o.json) console.log(JSON.stringify({ ...row, n: o.ticks }));
        else
          log(
            `run ${run}: ${row.side.padEnd(28)} ${rate(row.msgPerSec).padStart(10)}  ratio ${row.ratio.toFixed(2)} / ${row.ratioWindows.toFixed(2)}  ${row.detail}`,
          );
      };
      // The baseline: the plain client consumes every tick and re-publishes it unchanged.
      await jsm.streams.purge(OUT_STREAM);
      const raw = await runTogether(
        [{ kind: 'raw', url, stream: TICKS_STREAM, durable: `raw-r${run}`, outPrefix: 'out.', n: o.ticks }],
        teardowns,
      );
      const r0 = raw.results[0]!;
      if (r0.consumed !== o.ticks || r0.published !== o.ticks) {
        throw new Error(`raw pipe: consumed ${r0.consumed}, published ${r0.published} of ${o.ticks}`);
      }
      const base = o.ticks / (raw.ms / 1000);
      // The same work as Sluice, hand-written around the plain client: decode, the BENCH.md
      // stages and the shared window class, the window results published; at-least-once.
      const handWritten = async (fetch: boolean) => {
        await recreateStream(jsm, CANDLES_STREAM, ['candles.>']);
        const tag = `raw-${fetch ? 'fetch' : 'consume'}-r${run}`;
        const { results, ms } = await runTogether(
          [{ kind: 'raw', url, stream: TICKS_STREAM, durable: tag, outSubject: `candles.${tag}`, n: o.ticks, windows: true, fetch }],
          teardowns,
        );
        const rw = results[0]!;
        const back = await candlesChecksum(nc, jsm);
        if (rw.consumed !== o.ticks || back.checksum !== reference) {
          throw new Error(`${tag}: consumed ${rw.consumed} of ${o.ticks}, checksum ${back.checksum}, the reference is ${reference}`);
        }
        return {
          msgPerSec: o.ticks / (ms / 1000),
          detail: `${rw.published} windows published, ${back.stored} stored, checksum ok; ${rw.detail ?? ''}`,
          checksum: back.checksum,
        };
      };
      const consumeSide = await handWritten(false);
      baseWindows = consumeSide.msgPerSec;
      record({ side: 'raw client pipe', msgPerSec: base, detail: r0.detail ?? '' }, base);
      record({ side: 'raw client + windows', ...consumeSide }, base);
      // The same, pulling the way JetStreamSource does: what its pull strategy costs on its own.
      record({ side: 'raw + windows, fetch', ...(await handWritten(true)) }, base);

      const sluiceSides: { side: string; partitions: (readonly number[] | null)[]; checkpoints: boolean }[] = [
        { side: 'sluice exactly-once', partitions: [null], checkpoints: true },
        { side: 'sluice at-least-once', partitions: [null], checkpoints: false },
        { side: 'sluice 1 worker', partitions: [all], checkpoints: true },
        {
          side: `sluice ${o.workers} workers`,
          partitions: Array.from({ length: o.workers }, (_, w) => all.filter((p) => p % o.workers === w)),
          checkpoints: true,
        },
      ];
      for (const s of sluiceSides) {
        await recreateStream(jsm, CANDLES_STREAM, ['candles.>']);
        const tag = `${s.side.replace(/^sluice /, '').replace(/[^a-z0-9]+/g, '-')}-r${run}`;
        const jobs: Job[] = s.partitions.map((partitions, w) => ({
          kind: 'sluice',
          url,
          name: `${tag}-w${w}`,
          workload: 'ticks',
          partitions,
          ...(partitions === null ? {} : { endSeqs: partitions.map((p) => lastSeqs[p]!) }),
          checkpoints: s.checkpoints,
          outStream: CANDLES_STREAM,
          outSubject: `candles.${tag}`,
          idPrefix: `${tag}-w${w}`,
        }));
        const { results, ms } = await runTogether(jobs, teardowns);
        const consumed = results.reduce((sum, r) => sum + r.consumed, 0);
        const published = results.reduce((sum, r) => sum + r.published, 0);
        const back = await candlesChecksum(nc, jsm);
        if (consumed !== o.ticks) throw new Error(`${s.side}: the sources read ${consumed} of ${o.ticks} ticks`);
        if (back.checksum !== reference) {
          throw new Error(
            `${s.side} run ${run}: the windows stored in ${CANDLES_STREAM} give checksum ${back.checksum}, the reference is ${reference}`,
          );
        }
        const detail = `${published} windows published, ${back.stored} stored, checksum ok; ${results.map((r) => r.detail).join(' | ')}`;
        record({ side: s.side, msgPerSec: o.ticks / (ms / 1000), detail, checksum: back.checksum }, base);
      }
      if (o.latency) {
        for (const side of o.rates.flatMap((r) => [['raw', r] as const, ['sluice', r] as const])) {
          const l = await measureLatency(url, nc, jsm, side[0], run, side[1], o, teardowns);
          latencies.push(l);
          if (o.json) console.log(JSON.stringify({ latency: true, ...l }));
          else
            log(
              `run ${run}: latency ${l.side.padEnd(7)} offered ${rate(l.offeredPerSec)}: p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms, p99.9 ${l.p999.toFixed(2)} ms, max ${l.max.toFixed(2)} ms`,
            );
        }
      }
    }

    if (!o.json) {
      const sides = [...new Set(measured.map((m) => m.side))];
      const of = (side: string) => measured.filter((m) => m.side === side);
      const oneWorker = of('sluice 1 worker');
      const nWorkers = of(`sluice ${o.workers} workers`);
      const scale = median(nWorkers.map((m, i) => m.msgPerSec / oneWorker[i]!.msgPerSec));
      const rows = [
        ['side', 'median msg/s', 'ratio to raw pipe', 'per run', 'ratio to raw + windows', 'per run'],
        ['plain-client publish (setup)', rate(publishRate), '-', '-', '-', '-'],
        ...sides.map((side) => [
          side,
          rate(median(of(side).map((m) => m.msgPerSec))),
          median(of(side).map((m) => m.ratio)).toFixed(2),
          of(side)
            .map((m) => m.ratio.toFixed(2))
            .join(' '),
          median(of(side).map((m) => m.ratioWindows)).toFixed(2),
          of(side)
            .map((m) => m.ratioWindows.toFixed(2))
            .join(' '),
        ]),
      ];
      console.log(
        `\nNATS JetStream, N = ${o.ticks.toLocaleString('en-US')} ticks, ${o.partitions} partitions, median of ${o.runs} run(s) (ratios: median of per-run ratios); msg/s = input ticks ÷ time until the last output is acknowledged\n`,
      );
      console.log(table(rows, new Set([1, 2, 4])));
      console.log(`\n${o.workers} workers ÷ 1 worker (median of per-run ratios): ${scale.toFixed(2)}`);
      if (latencies.length > 0) {
        const lrows = [['pipe', 'target', 'offered', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms']];
        for (const r of o.rates) {
          for (const side of ['raw', 'sluice']) {
            const ls = latencies.filter((l) => l.side === side && l.rate === r);
            const med = (f: (l: LatencyResult) => number) => median(ls.map(f)).toFixed(2);
            lrows.push([
              side === 'raw' ? 'raw client pipe' : 'sluice (source → map → sink, KV checkpoints 1 s)',
              rate(r),
              rate(median(ls.map((l) => l.offeredPerSec))),
              med((l) => l.p50),
              med((l) => l.p99),
              med((l) => l.p999),
              med((l) => l.max),
            ]);
          }
        }
        console.log(
          `\nend-to-end latency (publish → pipe → receive), ${o.seconds} s per rate and pipe, median over runs of each percentile\n`,
        );
        console.log(table(lrows, new Set([1, 2, 3, 4, 5, 6])));
      }
      console.log(
        `\n${machineDescription()}\nload average at the end: ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      );
    }
    return 0;
  } finally {
    await teardowns.run();
  }
}

let options: Options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
try {
  process.exitCode = await main(options);
} catch (err) {
  console.error(`ERROR: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
