import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateNested } from 'class-validator';
import type { NatsConnectionOptions } from '../connection/nats-connection-options.js';

/**
 * How a {@link JetStreamSink} turns a record into a message body: `'json'` (the default) writes
 * `JSON.stringify(record)` as UTF-8; `'string'` writes a string record as UTF-8; `'bytes'` writes
 * a `Uint8Array` record as it is.
 * @see docs/nats-sink-kv.md
 * @beta
 */
export type JetStreamSinkEncoding = 'json' | 'string' | 'bytes';

/**
 * Options of {@link JetStreamSink}. In a pipeline file they are the sink's `settings` (every
 * option but a `subject` function, which only code can give).
 *
 * @example
 * ```ts
 * jetStreamSink<Candle>({
 *   connection: { servers: 'nats://127.0.0.1:4222' },
 *   stream: 'CANDLES',
 *   subject: (c) => `candles.${c.symbol}`,
 *   idPrefix: 'candles-eu',
 * })
 * ```
 * @see docs/nats-sink-kv.md
 * @beta
 */
export interface JetStreamSinkOptions<T = unknown> {
  /** How to reach NATS. */
  readonly connection: NatsConnectionOptions;
  /**
   * The subject each record is published to: one subject, or (in code) a function of the record.
   * Every subject must be captured by `stream`.
   */
  readonly subject: string | ((record: T) => string);
  /**
   * Publish each record to a partition of `subject`: `<subject>.<partitionOf(record[key], partitions)>`.
   * This is the shuffle between processes: a stage keyed by another field re-publishes its input
   * partitioned by that key, and the workers of the next pipeline each read some partitions
   * (docs/scaling.md). `key` is a field of the record (dots reach into nested objects). Only with
   * a string `subject`.
   */
  readonly partitionBy?: { readonly key: string; readonly partitions: number };
  /** The stream that must capture the subjects; every publish expects it, so a message never lands elsewhere. */
  readonly stream: string;
  /** How a record becomes a message body (default `'json'`). */
  readonly encode?: JetStreamSinkEncoding;
  /**
   * Publishes in flight, waiting for their acknowledgement, at most (default 1024). When that
   * many are out, the sink waits for acknowledgements before publishing more: its write takes
   * longer and the engine's backpressure pauses the pipeline upstream.
   */
  readonly maxPendingAcks?: number;
  /**
   * The worst time, in ms, from a crash to the restarted pipeline publishing again what it had
   * published before the crash (default 60000). The stream's duplicate window must be longer,
   * or a re-published message would no longer be recognised as a duplicate: the sink refuses to
   * start otherwise.
   */
  readonly recoveryTimeMs?: number;
  /**
   * The first part of every message id (`<idPrefix>:<ordinal>`). Default: the sink's name in the
   * pipeline. Give each pipeline writing to one stream its own prefix.
   */
  readonly idPrefix?: string;
  /** How long to wait for one publish's acknowledgement before the write counts as disconnected, in ms (default 5000). */
  readonly ackTimeoutMs?: number;
  /** Where the sink reports connection drops and reconnects (default: nowhere). */
  readonly log?: (message: string) => void;
}

/** @internal */
export class PartitionBySchema {
  @IsString() @MinLength(1) key!: string;
  @IsInt() @Min(1) @Max(100_000) partitions!: number;
}

/** @internal Checked by `validateOptions`: the options other than the connection (checked on its own) and the functions. */
export class JetStreamSinkSchema {
  @IsObject() connection!: object;
  // A string or a function: checked by hand (class-validator has no "string or function").
  @IsOptional() subject?: unknown;
  @IsOptional() @ValidateNested() @Type(() => PartitionBySchema) partitionBy?: PartitionBySchema;
  @IsString() @Matches(/^[^\s.*>/\\]+$/, { message: 'must be a stream name (no spaces, ".", "*", ">", "/" or "\\")' }) stream!: string;
  @IsOptional() @IsIn(['json', 'string', 'bytes']) encode?: string;
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000) maxPendingAcks?: number;
  @IsOptional() @IsInt() @Min(0) recoveryTimeMs?: number;
  @IsOptional() @IsString() @MinLength(1) idPrefix?: string;
  @IsOptional() @IsInt() @Min(1) ackTimeoutMs?: number;
  @IsOptional() log?: unknown;
}
