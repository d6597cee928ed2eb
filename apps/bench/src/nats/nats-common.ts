// What the NATS benchmark's parent (main.ts) and its child processes (worker.ts) share: stream
// and subject names, the partitioning of ticks, and the messages they exchange.

/** Input ticks: `ticks.<partition>`, limits retention, file storage. */
export const TICKS_STREAM = 'TICKS';
/** The raw pipe's copies of the ticks: `out.<partition>`. */
export const OUT_STREAM = 'OUT';
/** Sluice's window results: `candles.<run tag>`. */
export const CANDLES_STREAM = 'CANDLES';
/** The latency test's input (`lat.in`) and its two outputs (`lat.out.raw`, `lat.out.sluice`). */
export const LAT_IN_STREAM = 'LATIN';
export const LAT_OUT_STREAM = 'LATOUT';
export const LAT_IN_SUBJECT = 'lat.in';
/** KV bucket of the checkpoints (one key space per pipeline name). */
export const CHECKPOINT_BUCKET = 'bench-checkpoints';
/** Records per pull / engine batch, the same on both sides. */
export const BATCH = 1024;
/** Publishes in flight at most, the same on both sides (the JetStreamSink's default). */
export const MAX_PENDING_ACKS = 1024;

/** The partition of a symbol: FNV-1a (32 bit) of its name, modulo the partition count. */
export function partitionOf(symbol: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < symbol.length; i++) {
    h ^= symbol.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}

/** Wall-clock ms with sub-ms resolution, comparable between processes on one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** The raw client pipe: consume TICKS (or the latency input) and re-publish each message unchanged. */
export interface RawJob {
  readonly kind: 'raw';
  readonly url: string;
  readonly stream: string;
  readonly durable: string;
  /** Output subject = this prefix + the input subject's last token (`out.` → `out.7`); or a fixed subject. */
  readonly outPrefix?: string;
  readonly outSubject?: string;
  /** Stop after this many messages (throughput); undefined: run until told to stop (latency). */
  readonly n?: number;
  /** Compute BENCH.md's windows by hand and publish them to `outSubject`, instead of re-publishing. */
  readonly windows?: boolean;
  /** Pull with one fetch of at most a batch at a time (as JetStreamSource does) rather than consume(). */
  readonly fetch?: boolean;
}

/** A Sluice pipeline: JetStreamSource(s) → stages → JetStreamSink. */
export interface SluiceJob {
  readonly kind: 'sluice';
  readonly url: string;
  /** Pipeline name (also the checkpoints' key space) and prefix of the durable consumers. */
  readonly name: string;
  /** `tick`: the BENCH.md stages and windows; `latency`: one map stage, records passed through. */
  readonly workload: 'ticks' | 'latency';
  /** Partitions read, one source each; null: one source on the wildcard `ticks.>` (or the latency subject). */
  readonly partitions: readonly number[] | null;
  /** Per source (same order as `partitions`): the last stream sequence of its subject, where its bounded run ends. */
  readonly endSeqs?: readonly number[];
  readonly checkpoints: boolean;
  /** The sink's subject. */
  readonly outSubject: string;
  readonly outStream: string;
  /** The sink's message id prefix (one per pipeline writing to the stream). */
  readonly idPrefix: string;
}

export type Job = RawJob | SluiceJob;

/** The last line a worker prints. */
export interface WorkerResult {
  /** When it was told to go, and when its last output was acknowledged (epoch ms). */
  readonly startMs: number;
  readonly endMs: number;
  /** Input messages consumed. */
  readonly consumed: number;
  /** Output messages published (and acknowledged). */
  readonly published: number;
  /** Anything worth printing (checkpoints taken, peak acks pending). */
  readonly detail?: string;
}
