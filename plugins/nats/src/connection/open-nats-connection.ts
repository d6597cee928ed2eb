import { readFile } from 'node:fs/promises';
import { connect, credsAuthenticator, nkeyAuthenticator, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import { ErrorCodes, SluiceError, validateOptions, type ErrorCode } from '@sluice/sdk';
import { NatsConnectionSchema, type NatsConnectionOptions } from './nats-connection-options.js';

/**
 * What a connector reports of its connection in its metrics: whether it is up now, how often it
 * dropped and came back. Fed by the client's status stream.
 * @public
 */
export interface NatsConnectionMetrics {
  /** 1 while connected, 0 while disconnected or reconnecting. */
  readonly connected: number;
  readonly disconnects: number;
  readonly reconnects: number;
}

/** A connection and the state its status stream reports. @internal */
export class TrackedConnection {
  private up = 1;
  private disconnects = 0;
  private reconnects = 0;
  private readonly watching: Promise<void>;

  constructor(
    readonly nc: NatsConnection,
    private readonly log: (message: string) => void,
  ) {
    this.watching = this.watch();
  }

  metrics(): NatsConnectionMetrics {
    return { connected: this.up, disconnects: this.disconnects, reconnects: this.reconnects };
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
    await this.watching;
  }

  private async watch(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect') {
        this.up = 0;
        this.disconnects++;
        this.log(`disconnected from ${s.server}`);
      } else if (s.type === 'reconnect') {
        this.up = 1;
        this.reconnects++;
        this.log(`reconnected to ${s.server}`);
      } else if (s.type === 'close') {
        this.up = 0;
      }
    }
  }
}

/** Checks connection options, naming the component and the option that is wrong. @internal */
export function checkConnectionOptions(options: NatsConnectionOptions, where: { decorator: string; target: string }): void {
  validateOptions(NatsConnectionSchema, options as object, where);
  const servers = options.servers;
  const list = typeof servers === 'string' ? [servers] : servers;
  if (!Array.isArray(list) || list.length === 0 || list.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw new SluiceError(
      ErrorCodes.INVALID_OPTION,
      `${where.decorator} on ${where.target}: option "servers" must be a server URL or a non-empty list of them (got ${JSON.stringify(servers)})`,
      { details: { ...where } },
    );
  }
  const ways = [options.user !== undefined || options.pass !== undefined, options.token, options.nkeySeed, options.credsFile].filter(
    (w) => w !== undefined && w !== false,
  );
  if (ways.length > 1) {
    throw new SluiceError(
      ErrorCodes.INVALID_OPTION,
      `${where.decorator} on ${where.target}: give one way to authenticate: user/pass, token, nkeySeed or credsFile (got ${ways.length})`,
      { details: { ...where } },
    );
  }
}

/**
 * Connects with the options' servers, authentication and TLS. A failure names the servers (never
 * the secrets) and the component that wanted the connection.
 * @internal
 */
export async function openNatsConnection(
  options: NatsConnectionOptions,
  who: string,
  log: (message: string) => void = () => undefined,
  code: ErrorCode = ErrorCodes.SOURCE_FAILED,
): Promise<TrackedConnection> {
  const servers = typeof options.servers === 'string' ? [options.servers] : [...options.servers];
  const opts: ConnectionOptions = {
    servers,
    name: options.name ?? `sluice:${who}`,
    maxReconnectAttempts: options.maxReconnectAttempts ?? -1,
    reconnectTimeWait: options.reconnectTimeWaitMs ?? 1000,
    ...(options.connectTimeoutMs !== undefined && { timeout: options.connectTimeoutMs }),
  };
  if (options.user !== undefined) opts.user = options.user;
  if (options.pass !== undefined) opts.pass = options.pass;
  if (options.token !== undefined) opts.token = options.token;
  try {
    if (options.nkeySeed !== undefined) opts.authenticator = nkeyAuthenticator(new TextEncoder().encode(options.nkeySeed));
    if (options.credsFile !== undefined) opts.authenticator = credsAuthenticator(await readFile(options.credsFile));
    if (options.tls !== undefined) opts.tls = { ...options.tls };
    const nc = await connect(opts);
    return new TrackedConnection(nc, (m) => log(`${who}: ${m}`));
  } catch (err) {
    throw new SluiceError(
      code,
      `${who} could not connect to NATS at ${servers.join(', ')}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err, details: { servers } },
    );
  }
}
