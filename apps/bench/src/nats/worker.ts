// Child entry of `npm run bench:nats`: `node dist/nats/worker.js '<Job as JSON>'`. Each measured
// side runs in a fresh process (JIT state and heap never carry over from one side to the other).
// Protocol on stdio: the worker loads and prints `ready`; the parent writes `go` (so that several
// workers start together), later `stop` to a worker that runs until told (the latency test); the
// worker's last stdout line is its WorkerResult as JSON.
import { createInterface } from 'node:readline';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg, type PubAck } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createPipeline, defineSink, defineSource } from '@sluice/core';
import { JetStreamSource, KvCheckpointStore, jetStreamSink } from '@sluice/plugin-nats';
import { Stage, type Filter, type Mapper, type WindowResult } from '@sluice/sdk';
import { candleOf, candlesStage, type CandleValue } from '../impl/sluice-window.js';
import { Notional, Sector, SYMBOL_UNIVERSE } from '../sluice/tick-stages.js';
import { ALLOWED_LATENESS_MS, CandleWindows } from '../workload/candle-windows.js';
import { isValid, withNotional, withSector } from '../workload/stages.js';
import { SymbolUniverse } from '../workload/symbol-universe.js';
import type { Candle, Tick } from '../workload/tick.js';
import {
  BATCH,
  CHECKPOINT_BUCKET,
  LAT_IN_STREAM,
  LAT_IN_SUBJECT,
  MAX_PENDING_ACKS,
  TICKS_STREAM,
  nowMs,
  type Job,
  type RawJob,
  type SluiceJob,
  type WorkerResult,
} from './nats-common.js';

const lines = createInterface({ input: process.stdin });
const waiters: { line: string; resolve: () => void }[] = [];
const seen = new Set<string>();
lines.on('line', (l) => {
  const line = l.trim();
  seen.add(line);
  for (const w of waiters.filter((x) => x.line === line)) w.resolve();
});
/** Resolves when the parent has written `line` (also if it already has). */
function told(line: string): Promise<void> {
  if (seen.has(line)) return Promise.resolve();
  return new Promise((resolve) => waiters.push({ line, resolve }));
}

/** The raw client pipe: a pull consumer (ack policy all) → async publish, bounded in-flight publishes. */
async function runRaw(job: RawJob): Promise<WorkerResult> {
  await told('go');
  const startMs = nowMs();
  const nc = await connect({ servers: job.url });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await jsm.consumers.add(job.stream, {
    durable_name: job.durable,
    ack_policy: AckPolicy.All,
    deliver_policy: DeliverPolicy.All,
    max_ack_pending: 100_000,
  });
  const consumer = await js.consumers.get(job.stream, job.durable);
  // consume(): the client keeps pulling ahead (a new pull when half the buffer is used). fetch: one
  // pull of at most a batch at a time, the next when it is used up, as JetStreamSource does.
  const messages = job.fetch === true ? undefined : await consumer.consume({ max_messages: BATCH });
  let consumed = 0;
  let pending = 0;
  let published = 0;
  let peakPending = 0;
  const waiting: (() => void)[] = [];
  let failure: unknown;
  let batch: Promise<PubAck>[] = [];
  // Batches are acknowledged in order (ack policy all: the last message of a batch covers it and
  // every one before), each once every copy of it is stored: at-least-once, without waiting for
  // it before consuming on.
  let acked: Promise<void> = Promise.resolve();
  // Each message's last token is its partition: out.<p>, the same spread as the input.
  const target = (m: JsMsg) => job.outSubject ?? `${job.outPrefix}${m.subject.slice(m.subject.lastIndexOf('.') + 1)}`;
  const settle = (last: JsMsg, copies: Promise<PubAck>[], final: boolean) => {
    acked = acked.then(async () => {
      await Promise.all(copies);
      if (final) await last.ackAck();
      else last.ack();
    });
    // A failed publish is reported by `failure` below; the chain must not reject unobserved.
    acked = acked.catch((err: unknown) => {
      failure ??= err;
    });
  };
  const stopped = job.n === undefined ? told('stop') : undefined;
  void stopped?.then(() => messages?.stop());
  // Waits only when the bound is reached (no promise per message otherwise).
  const room = async () => {
    while (pending >= MAX_PENDING_ACKS) await new Promise<void>((r) => waiting.push(r));
    if (failure !== undefined) throw failure;
  };
  const publish = (subject: string, data: Uint8Array | string) => {
    pending++;
    if (pending > peakPending) peakPending = pending;
    const p = js.publish(subject, data).then(
      (ack) => {
        published++;
        return ack;
      },
      (err: unknown) => {
        failure ??= err;
        throw err;
      },
    );
    batch.push(p);
    void p
      .catch(() => undefined)
      .finally(() => {
        pending--;
        waiting.shift()?.();
      });
  };
  // `windows`: the BENCH.md workload hand-written around the plain client (decode, filter, map,
  // enrich, the shared window class), publishing the window results instead of the ticks.
  const universe = new SymbolUniverse(200);
  const windows = new CandleWindows(1000, 1000);
  const candles: Candle[] = [];
  const emit = (c: Candle) => candles.push(c);
  let sinceAck = 0;
  let done = false;
  while (!done) {
    const iter = messages ?? (await consumer.fetch({ max_messages: BATCH, expires: 2000 }));
    for await (const m of iter) {
      consumed++;
      sinceAck++;
      const last = job.n !== undefined && consumed === job.n;
      if (job.windows === true) {
        const t = m.json<Tick>();
        if (isValid(t)) windows.add(withSector(withNotional(t), universe.sectors), emit);
        if (last) windows.flush(emit);
        for (const c of candles) {
          if (pending >= MAX_PENDING_ACKS) await room();
          publish(job.outSubject!, JSON.stringify(c));
        }
        candles.length = 0;
      } else {
        // Unchanged: the same bytes, the same headers (none).
        if (pending >= MAX_PENDING_ACKS) await room();
        publish(target(m), m.data);
      }
      if (sinceAck >= BATCH || last || m.info.pending === 0) {
        settle(m, batch, last);
        batch = [];
        sinceAck = 0;
      }
      if (last) {
        done = true;
        break;
      }
    }
    if (messages !== undefined) break;
  }
  await acked;
  if (failure !== undefined) throw failure;
  const endMs = nowMs();
  await nc.close();
  return { startMs, endMs, consumed, published, detail: `peak publishes in flight ${peakPending}` };
}

/** The tick pipeline (or the latency pipe) on Sluice, as a user would write it with the NATS plugin. */
async function runSluice(job: SluiceJob): Promise<WorkerResult> {
  const connection = { servers: job.url };
  const universe = new SymbolUniverse(200);
  const latency = job.workload === 'latency';
  const subjects = job.partitions === null ? [latency ? LAT_IN_SUBJECT : 'ticks.>'] : job.partitions.map((p) => `ticks.${p}`);
  const names = job.partitions === null ? ['ticks'] : job.partitions.map((p) => `ticks-${p}`);
  const sources = subjects.map(
    (subject, i) =>
      new JetStreamSource<Tick>({
        connection,
        stream: latency ? LAT_IN_STREAM : TICKS_STREAM,
        subject,
        durable: `${job.name}-${names[i]}`,
        // Messages are acknowledged at checkpoints, so this bounds what one 1 s interval may read:
        // the default (100,000) would cap the exactly-once run near 100 k msg/s on its own.
        maxAckPending: 1_000_000,
        // A bounded run ends once the source has read what its subject held at start (the last
        // sequence of each partition's subject, given by the parent: endAt 'now' is the stream's
        // last sequence, which a source filtered to another subject never reaches).
        ...(latency ? {} : { endAt: job.endSeqs === undefined ? ('now' as const) : { seq: job.endSeqs[i]! } }),
      }),
  );
  const sink = jetStreamSink<unknown>({ connection, stream: job.outStream, subject: job.outSubject, idPrefix: job.idPrefix });

  // The filter reads every partition's source; the engine's watermark of the merged input is the
  // least of the sources' (each max ts − 50 ms), so no partition's ticks arrive late.
  @Stage({ name: 'valid', from: names })
  class ValidTicks implements Filter<Tick> {
    filter(t: Tick): boolean {
      return isValid(t);
    }
  }
  @Stage({ name: 'candle', from: 'candles' })
  class ToCandle implements Mapper<WindowResult<CandleValue>, Candle> {
    map(w: WindowResult<CandleValue>): Candle {
      return candleOf(w);
    }
  }
  // The latency pipe: one map stage (a new object, as a user's map would make), nothing else.
  @Stage({ name: 'stamped', from: 'ticks' })
  class Passed implements Mapper<Tick, Tick & { via: string }> {
    map(t: Tick): Tick & { via: string } {
      return { ...t, via: 'sluice' };
    }
  }

  const stages = latency ? [Passed] : [ValidTicks, Notional, Sector, candlesStage({ tumbling: 1000 }), ToCandle];
  const store = job.checkpoints ? new KvCheckpointStore({ connection, bucket: CHECKPOINT_BUCKET, pipeline: job.name }) : undefined;
  const pipeline = createPipeline({
    name: job.name,
    components: [
      ...sources.map((s, i) =>
        defineSource<Tick>(
          latency
            ? { name: names[i]!, batchSize: BATCH }
            : { name: names[i]!, batchSize: BATCH, eventTime: (t) => t.ts, watermark: { maxDelay: ALLOWED_LATENESS_MS } },
          s,
        ),
      ),
      ...stages,
      defineSink({ name: 'out', from: latency ? 'stamped' : 'candle' }, sink),
    ],
    providers: [{ provide: SYMBOL_UNIVERSE, useValue: universe }],
    ...(store === undefined ? {} : { checkpoints: { store, interval: '1s', restore: 'none' as const } }),
  });
  await told('go');
  const startMs = nowMs();
  if (latency) {
    await pipeline.start();
    await told('stop');
    await pipeline.stop();
  }
  const stats = await pipeline.run();
  const endMs = nowMs();
  const consumed = Object.values(stats.sources).reduce((sum, s) => sum + s.records, 0);
  const m = sink.metrics();
  const cp = stats.checkpoints;
  const batches = Object.values(stats.sources).reduce((sum, s) => sum + s.batches, 0);
  const detail = [
    `${(consumed / Math.max(1, batches)).toFixed(0)} records a source batch`,
    cp === undefined ? 'no checkpoints' : `${cp.completed} checkpoints (KV), longest ${cp.maxDurationMs.toFixed(0)} ms`,
    `peak publishes in flight ${m.peakPendingAcks}`,
    `${m.duplicates} duplicates`,
  ].join(', ');
  return { startMs, endMs, consumed, published: m.published!, detail };
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
try {
  const work = job.kind === 'raw' ? runRaw(job) : runSluice(job);
  console.log('ready');
  const result = await work;
  console.log(JSON.stringify(result));
  process.exit(0);
} catch (err) {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
}
