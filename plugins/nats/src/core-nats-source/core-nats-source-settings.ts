import { IsDefined, IsIn, IsObject, IsOptional, IsString, Matches } from 'class-validator';
import type { NatsConnectionOptions } from '../connection/nats-connection-options.js';
import { NATS_DECODES, type NatsDecode } from '../decode/decode-payload.js';

/**
 * Settings of {@link CoreNatsSource} (in code, its constructor's argument; in a pipeline file,
 * the `settings` of its entry).
 *
 * @example
 * ```ts
 * const settings: CoreNatsSourceSettings = { connection: { servers: 'nats://127.0.0.1:4222' }, subject: 'quotes.>', queue: 'dashboard' }
 * ```
 * @see docs/nats-sources.md
 * @public
 */
export interface CoreNatsSourceSettings {
  /** How to reach NATS. */
  readonly connection: NatsConnectionOptions;
  /** The subject to subscribe to (wildcards allowed). */
  readonly subject: string;
  /** A queue group: the subscribers of one group share the messages, each goes to one of them. */
  readonly queue?: string;
  /** How payloads become records (default `'json'`); one that fails goes to the dead letters. */
  readonly decode?: NatsDecode;
}

/** @internal Checked by `validateOptions` (the connection by `checkConnectionOptions`). */
export class CoreNatsSourceSchema {
  @IsDefined() @IsObject() connection!: object;
  @IsString() @Matches(/^\S+$/, { message: 'subject must be a NATS subject without spaces' }) subject!: string;
  @IsOptional() @IsString() @Matches(/^\S+$/, { message: 'queue must be a queue group name without spaces' }) queue?: string;
  @IsOptional() @IsIn(NATS_DECODES as NatsDecode[]) decode?: NatsDecode;
}
