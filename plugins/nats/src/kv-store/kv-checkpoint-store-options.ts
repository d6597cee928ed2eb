import { IsInt, IsObject, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import type { NatsConnectionOptions } from '../connection/nats-connection-options.js';

/**
 * Options of {@link KvCheckpointStore}.
 *
 * @example
 * ```ts
 * new KvCheckpointStore({ connection: { servers: ['nats://n1:4222', 'nats://n2:4222'] }, bucket: 'sluice-checkpoints', replicas: 3 })
 * ```
 * @see docs/nats-sink-kv.md
 * @beta
 */
export interface KvCheckpointStoreOptions {
  /** How to reach NATS. */
  readonly connection: NatsConnectionOptions;
  /** The KV bucket (default `'sluice-checkpoints'`); created when missing. Letters, digits, `-` and `_`. */
  readonly bucket?: string;
  /**
   * Replicas of the bucket's stream when the store creates it (default 1; 3 on a cluster, to
   * keep checkpoints through the loss of a server). An existing bucket keeps its own.
   */
  readonly replicas?: number;
  /**
   * The name the checkpoints are kept under, so that several pipelines share a bucket. Default:
   * the pipeline's name, given by the engine when it opens the store; `'default'` without it.
   */
  readonly pipeline?: string;
  /** How long one KV request may take before it fails, in ms (default 5000). */
  readonly timeoutMs?: number;
  /**
   * How long, in ms, a call goes on trying when NATS cannot answer for now (a timeout, no
   * responders, "JetStream temporarily unavailable": a server restarting, a cluster electing the
   * bucket's leader) before it fails (default 15000; 0: never try again). Every call can be tried
   * again whole: a write purges what an earlier attempt left. It matters most for the final
   * checkpoint, which the engine does not try again.
   */
  readonly retryForMs?: number;
  /** Where the store says why it did not return a listed checkpoint (a chunk missing, a checksum that differs); default `console.warn`. */
  readonly log?: (message: string) => void;
}

/** @internal Checked by `validateOptions`: the options other than the connection (checked on its own). */
export class KvCheckpointStoreSchema {
  @IsObject() connection!: object;
  @IsOptional() @IsString() @Matches(/^[-\w]+$/, { message: 'must be a bucket name: letters, digits, "-" and "_"' }) bucket?: string;
  @IsOptional() @IsInt() @Min(1) @Max(5) replicas?: number;
  @IsOptional() @IsString() @MinLength(1) pipeline?: string;
  @IsOptional() @IsInt() @Min(1) timeoutMs?: number;
  @IsOptional() @IsInt() @Min(0) retryForMs?: number;
  @IsOptional() log?: unknown;
}
