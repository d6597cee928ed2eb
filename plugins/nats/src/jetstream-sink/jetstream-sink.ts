import { jetstream, JetStreamApiCodes, JetStreamApiError, type JetStreamClient, type StreamInfo } from '@nats-io/jetstream';
import { DisconnectedError, ErrorCodes, Inject, Sink, SluiceError, validateOptions, type SinkConnector } from '@sluice/sdk';
import { checkConnectionOptions, openNatsConnection, type TrackedConnection } from '../connection/open-nats-connection.js';
import { isTransientNatsError } from '../connection/is-transient-nats-error.js';
import { JetStreamSinkSchema, type JetStreamSinkEncoding, type JetStreamSinkOptions } from './jetstream-sink-options.js';
import { publishSubjectProblem, subjectMatches } from './subject-match.js';
import { partitionOf } from '../partitions/partition-of.js';

const DEFAULT_MAX_PENDING_ACKS = 1024;
const DEFAULT_RECOVERY_TIME_MS = 60_000;
const DEFAULT_ACK_TIMEOUT_MS = 5000;
/** Distinct subjects remembered as captured by the stream; past this many the cache starts over. */
const SUBJECT_CACHE_SIZE = 10_000;

/**
 * A sink that publishes each record as a message to a JetStream stream, exactly once with
 * checkpoints: every message carries a deterministic id (`Nats-Msg-Id`), `<idPrefix>:<ordinal>`,
 * where the ordinal is the record's position in this sink's output, carried by checkpoints. A
 * record produced again after a crash gets the id it had, and the stream drops it as a duplicate
 * as long as its duplicate window (`duplicate_window`) has not passed; the sink refuses to start
 * when that window is not longer than `recoveryTimeMs`.
 *
 * Publishes are asynchronous and pipelined: at most `maxPendingAcks` are in flight, and a write
 * resolves only when the server has acknowledged every record of its batch, so a checkpoint
 * barrier (which follows the batch) never completes before the records ahead of it are stored.
 * A lost connection, or an acknowledgement that does not come within `ackTimeoutMs`, throws
 * {@link DisconnectedError}: the engine re-opens the sink and writes the same batch again, with
 * the same ids. A message the stream refuses for good (the stream is full and discards new
 * messages, a subject it does not capture) fails the pipeline, naming the sink, stream and id.
 *
 * Use it from code through {@link jetStreamSink}, or from a pipeline file as the class
 * `JetStreamSink` with its options as `settings` (bound under {@link JetStreamSink.settings}).
 *
 * @example
 * ```ts
 * const out = jetStreamSink<Candle>({ connection: { servers: 'nats://127.0.0.1:4222' }, stream: 'CANDLES', subject: 'candles.1m' })
 * createPipeline({ components: [..., defineSink({ name: 'candles-out', from: 'candles' }, out)], checkpoints: { store, interval: '1s' } })
 * ```
 * @see docs/nats-sink-kv.md
 * @beta
 */
@Sink({ name: 'jetstream' })
export class JetStreamSink<T = unknown> implements SinkConnector<T> {
  /** The token under which a host (the CLI, for a pipeline file) binds this class's {@link JetStreamSinkOptions}. */
  static readonly settings = Symbol.for('@sluice/plugin-nats:JetStreamSink.settings');

  private readonly options: JetStreamSinkOptions<T>;
  private readonly maxPendingAcks: number;
  private readonly recoveryTimeMs: number;
  private readonly ackTimeoutMs: number;
  private readonly encoding: JetStreamSinkEncoding;
  private readonly encoder = new TextEncoder();
  private readonly captured = new Set<string>();
  private conn: TrackedConnection | undefined;
  /** The connection last used, kept after close so that metrics still show its drops and reconnects. */
  private lastConn: TrackedConnection | undefined;
  /** Set when a publish failed for want of the server: the next `open` replaces the connection. */
  private stale = false;
  /** Set by `close`: a later `open` starts a new run, whose first connection failing is not a disconnect. */
  private closed = false;
  /** Drops and reconnects of the connections replaced so far (a replacement counts as a reconnect). */
  private readonly retired = { disconnects: 0, reconnects: 0 };
  private js: JetStreamClient | undefined;
  private streamSubjects: readonly string[] = [];
  private sinkName: string | undefined;
  private prefix = '';
  /** Ids for `write` (used without the engine's ordinals): the next after the last written. */
  private nextId = 0;
  private pending = 0;
  private peakPending = 0;
  private published = 0;
  private duplicates = 0;
  private publishErrors = 0;
  private readonly waiting: (() => void)[] = [];
  // partitionBy's key, as a path into the record.
  private readonly partitionKey: readonly string[] | undefined;

  /** @param options - see {@link JetStreamSinkOptions}; checked here, naming the option that is wrong. */
  constructor(@Inject(JetStreamSink.settings) options: JetStreamSinkOptions<T>) {
    const where = { decorator: 'JetStreamSink', target: `stream '${String((options as { stream?: unknown } | undefined)?.stream)}'` };
    validateOptions(JetStreamSinkSchema, options, where);
    checkConnectionOptions(options.connection, { ...where, target: `${where.target}, connection` });
    const subject = options.subject;
    if (typeof subject !== 'function') {
      const problem = publishSubjectProblem(subject);
      if (problem !== undefined) {
        throw new SluiceError(
          ErrorCodes.INVALID_OPTION,
          `JetStreamSink on ${where.target}: option "subject" must be a subject to publish to, or a function of the record returning one: ${problem} (got ${JSON.stringify(subject)})`,
          { details: { ...where, option: 'subject' } },
        );
      }
    }
    if (options.partitionBy !== undefined && typeof subject !== 'string') {
      throw new SluiceError(
        ErrorCodes.INVALID_OPTION,
        `JetStreamSink on ${where.target}: option "partitionBy" needs a string "subject" (the partitions are <subject>.<n>), not a function`,
        { details: { ...where, option: 'partitionBy' } },
      );
    }
    if (options.log !== undefined && typeof options.log !== 'function') {
      throw new SluiceError(ErrorCodes.INVALID_OPTION, `JetStreamSink on ${where.target}: option "log" must be a function`, {
        details: { ...where, option: 'log' },
      });
    }
    this.options = options;
    this.maxPendingAcks = options.maxPendingAcks ?? DEFAULT_MAX_PENDING_ACKS;
    this.recoveryTimeMs = options.recoveryTimeMs ?? DEFAULT_RECOVERY_TIME_MS;
    this.ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    this.encoding = options.encode ?? 'json';
    this.partitionKey = options.partitionBy?.key.split('.');
  }

  /** The prefix of this sink's message ids, once open: `idPrefix`, or the sink's name. */
  get idPrefix(): string {
    return this.prefix;
  }

  /**
   * Connects (or, called again after a {@link DisconnectedError}, checks the connection is back)
   * and checks the stream: it exists, captures the subject, and keeps message ids longer than
   * `recoveryTimeMs`. A server that does not answer yet throws `DisconnectedError` (the engine
   * tries again with back-off); a stream that does not fit throws `SLUICE_ERR_INVALID_OPTION`.
   */
  async open(ctx?: { readonly name: string; readonly signal?: AbortSignal }): Promise<void> {
    if (ctx !== undefined) this.sinkName = ctx.name;
    const prefix = this.options.idPrefix ?? this.sinkName;
    if (prefix === undefined) {
      throw new SluiceError(
        ErrorCodes.INVALID_OPTION,
        `JetStreamSink on stream '${this.options.stream}': give option "idPrefix" when the sink is opened without a name`,
        { details: { option: 'idPrefix' } },
      );
    }
    this.prefix = prefix;
    if (this.conn !== undefined && (this.stale || this.conn.nc.isClosed())) await this.retire();
    if (this.conn === undefined) {
      const reopening = this.lastConn !== undefined && !this.closed;
      this.js = undefined;
      try {
        const conn = await openNatsConnection(this.options.connection, this.label(), this.options.log, ErrorCodes.SINK_FAILED);
        if (this.lastConn !== undefined) {
          // The metrics go on counting across connections; opening one again is a reconnect.
          const m = this.lastConn.metrics();
          this.retired.disconnects += m.disconnects;
          this.retired.reconnects += m.reconnects + (reopening ? 1 : 0);
        }
        this.conn = this.lastConn = conn;
        this.closed = false;
      } catch (err) {
        // At start-up a refused connection is a configuration problem; once the sink has run, it is the server being away.
        if (reopening) throw new DisconnectedError(err instanceof Error ? err.message : String(err), { cause: err });
        throw err;
      }
    }
    const js = jetstream(this.conn.nc, { timeout: this.ackTimeoutMs });
    let info: StreamInfo;
    try {
      const jsm = await js.jetstreamManager();
      info = await jsm.streams.info(this.options.stream);
    } catch (err) {
      if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) {
        throw this.invalid(
          'stream',
          `stream '${this.options.stream}' does not exist on ${this.servers()}; create it (e.g. \`nats stream add ${this.options.stream} --subjects '${this.subjectHint()}' --dupe-window 5m\`) or fix option "stream"`,
          err,
        );
      }
      if (isTransientNatsError(err)) throw this.disconnected(`could not look up stream '${this.options.stream}'`, err);
      throw new SluiceError(
        ErrorCodes.SINK_FAILED,
        `${this.label()}: could not look up stream '${this.options.stream}': ${messageOf(err)}`,
        {
          cause: err,
          details: { sink: this.sinkName, stream: this.options.stream },
        },
      );
    }
    this.checkDuplicateWindow(info);
    this.streamSubjects = info.config.subjects ?? [];
    this.captured.clear();
    const partitions = this.options.partitionBy?.partitions;
    if (typeof this.options.subject === 'string') {
      if (partitions === undefined) this.checkCaptured(this.options.subject);
      else for (let p = 0; p < partitions; p++) this.checkCaptured(`${this.options.subject}.${p}`);
    }
    this.js = js;
  }

  /**
   * Publishes the batch, record `i` with message id `<idPrefix>:<firstId + i>`, keeping at most
   * `maxPendingAcks` publishes in flight; resolves once every one is acknowledged (stored, or
   * recognised as a duplicate and dropped).
   */
  async writeIdempotent(batch: readonly T[], firstId: number): Promise<void> {
    const js = this.js;
    if (js === undefined) throw new DisconnectedError(`${this.label()}: not connected (open() was not called or failed)`);
    const inFlight: Promise<void>[] = [];
    let failure: { error: unknown; id: number; subject: string } | undefined;
    try {
      for (let i = 0; i < batch.length; i++) {
        while (this.pending >= this.maxPendingAcks) await new Promise<void>((resolve) => this.waiting.push(resolve));
        if (failure !== undefined) break; // the batch will be written again: publishing more would only add duplicates
        const record = batch[i]!;
        const id = firstId + i;
        const subject = this.subjectOf(record, id);
        const data = this.encode(record, id);
        this.pending++;
        if (this.pending > this.peakPending) this.peakPending = this.pending;
        inFlight.push(
          js
            .publish(subject, data, {
              msgID: `${this.prefix}:${id}`,
              expect: { streamName: this.options.stream },
              timeout: this.ackTimeoutMs,
            })
            .then(
              (ack) => {
                this.published++;
                if (ack.duplicate) this.duplicates++;
              },
              (error: unknown) => {
                this.publishErrors++;
                // Keep the first failure in id order: it names the earliest record not stored.
                if (failure === undefined || id < failure.id) failure = { error, id, subject };
              },
            )
            .finally(() => {
              this.pending--;
              this.waiting.shift()?.();
            }),
        );
      }
    } finally {
      // Even when a record could not be encoded: nothing may stay in flight once write returns.
      await Promise.all(inFlight);
    }
    if (failure !== undefined) throw this.publishFailure(failure.error, failure.id, failure.subject);
  }

  /**
   * Publishes the batch with ids that follow the previous write's (starting at 0). The engine
   * calls {@link JetStreamSink.writeIdempotent} instead, with ids carried by checkpoints.
   */
  async write(batch: readonly T[]): Promise<void> {
    const first = this.nextId;
    await this.writeIdempotent(batch, first);
    this.nextId = first + batch.length;
  }

  /**
   * Counters for monitoring: `published` (publishes acknowledged, duplicates included),
   * `duplicates` (of those, the ones the stream dropped as already stored), `pendingAcks` (in
   * flight now), `peakPendingAcks` (most in flight at once), `publishErrors` (publishes that
   * failed and were retried or failed the pipeline), and the connection's `connected`,
   * `disconnects` and `reconnects`.
   */
  metrics(): Record<string, number> {
    const current = this.lastConn?.metrics() ?? { connected: 0, disconnects: 0, reconnects: 0 };
    return {
      published: this.published,
      duplicates: this.duplicates,
      pendingAcks: this.pending,
      peakPendingAcks: this.peakPending,
      publishErrors: this.publishErrors,
      connected: current.connected,
      disconnects: this.retired.disconnects + current.disconnects,
      reconnects: this.retired.reconnects + current.reconnects,
    };
  }

  /** Drains and closes the connection (every write has resolved, so nothing is in flight). */
  async close(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    this.js = undefined;
    this.closed = true;
    await conn?.close();
  }

  /**
   * Closes the connection without draining it, after a publish failed for want of the server.
   * The client keeps what is published while it reconnects and sends it once back; a fresh
   * connection drops those leftovers, so a message lost with the old socket cannot be overtaken
   * by later ones sent on reconnect: the batch written again is the only copy that goes out.
   */
  private async retire(): Promise<void> {
    const old = this.conn!;
    this.conn = undefined;
    this.js = undefined;
    this.stale = false;
    await old.nc.close().catch(() => undefined);
    await old.close();
  }

  private checkDuplicateWindow(info: StreamInfo): void {
    const windowNs = info.config.duplicate_window ?? 0;
    const windowMs = windowNs / 1e6;
    if (windowMs > this.recoveryTimeMs) return;
    const wanted = Math.max(2 * this.recoveryTimeMs, 60_000);
    throw this.invalid(
      'recoveryTimeMs',
      `stream '${this.options.stream}' remembers message ids for ${formatMs(windowMs)} (its duplicate_window), which is not longer than recoveryTimeMs (${formatMs(this.recoveryTimeMs)}): a record published again after a crash could be stored twice. ` +
        `Raise the stream's duplicate window above ${formatMs(this.recoveryTimeMs)} (e.g. \`nats stream edit ${this.options.stream} --dupe-window ${Math.ceil(wanted / 1000)}s\`), or lower option "recoveryTimeMs" if the pipeline really restarts faster`,
    );
  }

  private checkCaptured(subject: string): void {
    if (this.captured.has(subject)) return;
    if (!this.streamSubjects.some((filter) => subjectMatches(filter, subject))) {
      throw this.invalid(
        'subject',
        `subject '${subject}' is not captured by stream '${this.options.stream}' (its subjects: ${this.streamSubjects.join(', ') || 'none'}); add it to the stream or fix option "subject"`,
      );
    }
    if (this.captured.size >= SUBJECT_CACHE_SIZE) this.captured.clear();
    this.captured.add(subject);
  }

  private subjectOf(record: T, id: number): string {
    const subject = this.options.subject;
    if (typeof subject === 'string') {
      if (this.partitionKey === undefined) return subject;
      let key: unknown = record;
      for (const part of this.partitionKey) key = (key as Record<string, unknown> | null | undefined)?.[part];
      if (key === undefined || key === null) {
        throw this.recordFailure(id, `it has no "${this.options.partitionBy!.key}" to partition it by (partitionBy.key)`);
      }
      return `${subject}.${partitionOf(key, this.options.partitionBy!.partitions)}`;
    }
    let s: unknown;
    try {
      s = subject(record);
    } catch (err) {
      throw this.recordFailure(id, `its subject function threw: ${messageOf(err)}`, err);
    }
    const problem = publishSubjectProblem(s);
    if (problem !== undefined) throw this.recordFailure(id, `its subject function returned ${JSON.stringify(s)}: ${problem}`);
    this.checkCaptured(s as string);
    return s as string;
  }

  private encode(record: T, id: number): Uint8Array {
    switch (this.encoding) {
      case 'bytes':
        if (record instanceof Uint8Array) return record;
        throw this.recordFailure(id, `encode is 'bytes' but the record is not a Uint8Array (${describe(record)})`);
      case 'string':
        if (typeof record === 'string') return this.encoder.encode(record);
        throw this.recordFailure(id, `encode is 'string' but the record is not a string (${describe(record)})`);
      default: {
        let text: string | undefined;
        try {
          text = JSON.stringify(record);
        } catch (err) {
          throw this.recordFailure(id, `it cannot be written as JSON: ${messageOf(err)}`, err);
        }
        if (text === undefined) throw this.recordFailure(id, `it cannot be written as JSON (${describe(record)})`);
        return this.encoder.encode(text);
      }
    }
  }

  private publishFailure(error: unknown, id: number, subject: string): SluiceError {
    if (isTransientNatsError(error) || this.conn?.metrics().connected === 0) {
      this.stale = true;
      return this.disconnected(`publishing message '${this.prefix}:${id}' to stream '${this.options.stream}' failed`, error);
    }
    return new SluiceError(
      ErrorCodes.SINK_FAILED,
      `${this.label()}: stream '${this.options.stream}' refused message '${this.prefix}:${id}' on subject '${subject}': ${messageOf(error)}`,
      { cause: error, details: { sink: this.sinkName, stream: this.options.stream, subject, id } },
    );
  }

  private disconnected(what: string, cause: unknown): DisconnectedError {
    return new DisconnectedError(
      `${this.label()}: ${what}: ${messageOf(cause)}; the server at ${this.servers()} is unreachable or not answering (the batch is written again with the same message ids)`,
      { cause },
    );
  }

  private recordFailure(id: number, why: string, cause?: unknown): SluiceError {
    return new SluiceError(ErrorCodes.SINK_FAILED, `${this.label()}: record '${this.prefix}:${id}' cannot be published: ${why}`, {
      cause,
      details: { sink: this.sinkName, id },
    });
  }

  private invalid(option: string, message: string, cause?: unknown): SluiceError {
    return new SluiceError(ErrorCodes.INVALID_OPTION, `${this.label()}: ${message}`, {
      cause,
      details: { sink: this.sinkName, option, stream: this.options.stream },
    });
  }

  private label(): string {
    return `JetStreamSink '${this.sinkName ?? this.options.idPrefix ?? this.options.stream}'`;
  }

  private servers(): string {
    const s = this.options.connection.servers;
    return typeof s === 'string' ? s : s.join(', ');
  }

  private subjectHint(): string {
    return typeof this.options.subject === 'string' ? this.options.subject : '<subjects>';
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'an object';
}

function formatMs(ms: number): string {
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
