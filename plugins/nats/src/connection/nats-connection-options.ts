import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsInt, IsOptional, IsString, Min, MinLength, ValidateNested } from 'class-validator';

/** TLS settings: PEM files of the CA that signed the server's certificate, and the client's own certificate and key. @public */
export interface NatsTlsOptions {
  /** The CA bundle that verifies the server (a private CA). */
  readonly caFile?: string;
  /** The client certificate, for servers that require mutual TLS (with `keyFile`). */
  readonly certFile?: string;
  /** The client certificate's private key. */
  readonly keyFile?: string;
}

/**
 * How to reach NATS: the servers, and one way to authenticate (user and password, a token, an
 * nkey seed, or a credentials file with a JWT), optionally over TLS. In a pipeline file, put
 * secrets in environment variables: `pass: ${NATS_PASSWORD}`.
 * @example
 * ```ts
 * { servers: ['nats://n1:4222', 'nats://n2:4222'], credsFile: '/etc/sluice/worker.creds', tls: { caFile: '/etc/sluice/ca.pem' } }
 * ```
 * @public
 */
export interface NatsConnectionOptions {
  /** One URL or several (`nats://host:port`, `tls://host:port`); the client fails over between them. */
  readonly servers: string | readonly string[];
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
  /** An nkey seed (`SU...`), for servers that authenticate by nkey. */
  readonly nkeySeed?: string;
  /** A `.creds` file (JWT and nkey seed), for servers run in operator mode. */
  readonly credsFile?: string;
  readonly tls?: NatsTlsOptions;
  /** The connection's name, shown by the server's monitoring (default: `sluice:<component>`). */
  readonly name?: string;
  /** Reconnect attempts per server before the connection gives up; -1 (the default) tries forever. */
  readonly maxReconnectAttempts?: number;
  /** Wait between reconnect attempts to one server, in ms (default 1000). */
  readonly reconnectTimeWaitMs?: number;
  /** How long the first connection may take before it fails, in ms (default 20000). */
  readonly connectTimeoutMs?: number;
}

/** @internal */
export class NatsTlsSchema {
  @IsOptional() @IsString() @MinLength(1) caFile?: string;
  @IsOptional() @IsString() @MinLength(1) certFile?: string;
  @IsOptional() @IsString() @MinLength(1) keyFile?: string;
}

/** @internal Checked by `validateOptions` (the fields of {@link NatsConnectionOptions}). */
export class NatsConnectionSchema {
  // One URL or a non-empty list of them (checked by hand: class-validator has no "string or array").
  @IsOptional() servers?: unknown;
  @IsOptional() @IsString() user?: string;
  @IsOptional() @IsString() pass?: string;
  @IsOptional() @IsString() @MinLength(1) token?: string;
  @IsOptional() @IsString() @MinLength(1) nkeySeed?: string;
  @IsOptional() @IsString() @MinLength(1) credsFile?: string;
  @IsOptional() @ValidateNested() @Type(() => NatsTlsSchema) tls?: NatsTlsSchema;
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsInt() @Min(-1) maxReconnectAttempts?: number;
  @IsOptional() @IsInt() @Min(0) reconnectTimeWaitMs?: number;
  @IsOptional() @IsInt() @Min(1) connectTimeoutMs?: number;
}

/** @internal The list form of `servers`. */
export class ServerListSchema {
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) servers!: string[];
}
