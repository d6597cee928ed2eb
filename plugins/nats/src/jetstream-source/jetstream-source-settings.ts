import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';
import type { NatsConnectionOptions } from '../connection/nats-connection-options.js';
import { NATS_DECODES, type NatsDecode } from '../decode/decode-payload.js';

/**
 * Settings of {@link JetStreamSource} (in code, its constructor's argument; in a pipeline file,
 * the `settings` of its entry).
 *
 * @example
 * ```ts
 * const settings: JetStreamSourceSettings = {
 *   connection: { servers: 'nats://127.0.0.1:4222' },
 *   stream: 'ORDERS',
 *   subject: 'orders.>',
 *   durable: 'orders-pipeline',
 * }
 * ```
 * @see docs/nats-sources.md
 * @public
 */
export interface JetStreamSourceSettings {
  /** How to reach NATS. */
  readonly connection: NatsConnectionOptions;
  /** The stream to read; it must exist (the source never creates streams). */
  readonly stream: string;
  /** Only messages on this subject (wildcards allowed); default: every subject of the stream. */
  readonly subject?: string;
  /** The durable pull consumer's name: it keeps the acknowledged position on the server. */
  readonly durable: string;
  /**
   * How long the server waits for an acknowledgement before it delivers a message again, in ms
   * (default 30 000). Messages are acknowledged once the checkpoint after them is stored, so it
   * must be at least 2 × the checkpoint interval + 5000 ms: the source refuses to start otherwise.
   */
  readonly ackWaitMs?: number;
  /** How payloads become records (default `'json'`); one that fails goes to the dead letters. */
  readonly decode?: NatsDecode;
  /**
   * The most messages delivered and not yet acknowledged (default 100 000). Since messages are
   * acknowledged at checkpoints, this bounds how many records one checkpoint interval can read,
   * and the memory the source holds for them.
   */
  readonly maxAckPending?: number;
  /**
   * Where a consumer that does not exist yet starts: at a stream sequence, or at the first message
   * stored at or after a time (an ISO date or ms since the epoch). Default: the first message of
   * the stream. An existing consumer goes on from its acknowledged position instead.
   */
  readonly startAt?: { readonly seq: number } | { readonly time: string | number };
  /**
   * A bounded run: end the source (EndOfStreamError, so the pipeline drains, takes its final
   * checkpoint and completes) once every message up to a stream sequence has been read. `'now'`:
   * the stream's last sequence when the source first opens, i.e. what the stream holds at start.
   * Default: never end.
   */
  readonly endAt?: 'now' | { readonly seq: number };
  /**
   * true (the default): create the durable consumer, or re-create it when its settings differ.
   * false: it must exist (made by an operator); the source uses its settings as they are.
   */
  readonly createConsumer?: boolean;
}

// NATS stream and consumer names: no whitespace, no '.', '*', '>' and no path separators.
const NATS_NAME = /^[^\s.*>/\\]+$/;

/** @internal */
export class StartAtSchema {
  @IsOptional() @IsInt() @Min(1) seq?: number;
  @IsOptional() time?: unknown;
}

/** @internal */
export class EndAtSeqSchema {
  @IsInt() @Min(0) seq!: number;
}

/** @internal Checked by `validateOptions` (the connection by `checkConnectionOptions`). */
export class JetStreamSourceSchema {
  @IsDefined() @IsObject() connection!: object;
  @IsString()
  @Matches(NATS_NAME, { message: 'stream must be a NATS stream name (no spaces, ".", "*", ">", "/" or "\\")' })
  stream!: string;
  @IsOptional() @IsString() @Matches(/^\S+$/, { message: 'subject must be a NATS subject without spaces' }) subject?: string;
  @IsString()
  @Matches(NATS_NAME, { message: 'durable must be a NATS consumer name (no spaces, ".", "*", ">", "/" or "\\")' })
  durable!: string;
  @IsOptional() @IsInt() @Min(1000) ackWaitMs?: number;
  @IsOptional() @IsIn(NATS_DECODES as NatsDecode[]) decode?: NatsDecode;
  @IsOptional() @IsInt() @Min(1) maxAckPending?: number;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => StartAtSchema) startAt?: StartAtSchema;
  @IsOptional() endAt?: unknown;
  @IsOptional() @IsBoolean() createConsumer?: boolean;
}
