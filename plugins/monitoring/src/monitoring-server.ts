import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ErrorCodes,
  SluiceError,
  parseDuration,
  type MonitoredPipeline,
  type MonitoringEvents,
  type PipelineGraph,
  type PipelineMonitor,
} from '@sluice/sdk';
import { hasToken } from './http/check-token.js';
import { contentTypeOf } from './http/content-type.js';
import { EventStream } from './http/event-stream.js';
import { toJson } from './http/json-body.js';
import { DASHBOARD_DIR, VENDOR_FILES, readServed, resolveUnder } from './http/static-files.js';
import type { MonitoringServerOptions } from './monitoring-server-options.js';
import { PROMETHEUS_CONTENT_TYPE, formatPrometheus } from './prometheus/format-prometheus.js';

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 9464;
const DEFAULT_INTERVAL_MS = 1000;
const PING_MS = 15_000;

/** The pipeline events forwarded on `/events` (besides `stats`). */
const FORWARDED = [
  'lifecycle',
  'backpressure',
  'bottleneck',
  'checkpoint:started',
  'checkpoint:completed',
  'checkpoint:failed',
  'checkpoint:restored',
  'stage:error',
  'dead-letter',
] as const satisfies readonly (keyof MonitoringEvents)[];

/**
 * An HTTP server that watches a pipeline for its run: `GET /metrics` (Prometheus text format
 * 0.0.4), `/stats` and `/graph` (JSON), `/events` (Server-Sent Events: the graph and a stats
 * snapshot on connect, then stats, lifecycle, backpressure, bottleneck, checkpoint, stage-error and
 * dead-letter events), `/` (the live dashboard) and its files. Bind it under `PIPELINE_MONITOR`
 * (the {@link monitoring} factory does): it starts listening when the pipeline is attached and
 * closes when it is detached. Uses `node:http` only.
 *
 * @example
 * ```ts
 * const server = new MonitoringServer({ port: 0, token: process.env.SLUICE_TOKEN })
 * createPipeline({ components, providers: [{ provide: PIPELINE_MONITOR, useValue: server }] })
 * ```
 * @see docs/monitoring.md
 * @public
 */
export class MonitoringServer implements PipelineMonitor {
  /** Names the monitor in errors. */
  readonly name = '@sluice/monitoring';
  private readonly host: string;
  private readonly port: number;
  private readonly token: string | undefined;
  private readonly intervalMs: number;
  private readonly log: (line: string) => void;
  private server: Server | undefined;
  private pipeline: MonitoredPipeline | undefined;
  private readonly streams = new Set<EventStream>();
  private readonly unsubscribe: (() => void)[] = [];

  /** Validates the options; throws a `SLUICE_ERR_INVALID_OPTION` error naming the option that is wrong. */
  constructor(options: MonitoringServerOptions = {}) {
    const o = options as Record<string, unknown>;
    const host = o.host ?? DEFAULT_HOST;
    if (typeof host !== 'string' || host.trim().length === 0) throw invalid('host', 'must be a non-empty string (e.g. "127.0.0.1")', host);
    const port = o.port ?? DEFAULT_PORT;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
      throw invalid('port', 'must be an integer from 0 (any free port) to 65535', port);
    }
    const token = o.token;
    if (token !== undefined && (typeof token !== 'string' || token.length === 0 || /\s/.test(token))) {
      throw invalid('token', 'must be a non-empty string without spaces', '<hidden>');
    }
    let intervalMs = DEFAULT_INTERVAL_MS;
    if (o.interval !== undefined) {
      try {
        intervalMs = parseDuration(o.interval as never, '@sluice/monitoring option "interval"');
      } catch (cause) {
        throw invalid('interval', 'must be a duration (ms, or a string like "500ms", "2s")', o.interval, cause);
      }
    }
    const log = o.log ?? ((line: string) => console.log(line));
    if (typeof log !== 'function') throw invalid('log', 'must be a function (line: string) => void', log);
    this.host = host;
    this.port = port;
    this.token = token as string | undefined;
    this.intervalMs = intervalMs;
    this.log = log as (line: string) => void;
  }

  /**
   * The dashboard's address while listening (`http://127.0.0.1:<port>/`, the port actually taken
   * when `port` was 0), without the token. Throws before `attach` and after `detach`.
   */
  get url(): string {
    const address = this.server?.address();
    if (address === undefined || address === null || typeof address === 'string') {
      throw new SluiceError(
        ErrorCodes.INVALID_STATE,
        '@sluice/monitoring: the server is not listening (it listens between attach and detach)',
      );
    }
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${(address as AddressInfo).port}/`;
  }

  /** Starts listening and subscribes to the pipeline's events; rejects when it cannot listen (naming host:port). */
  async attach(pipeline: MonitoredPipeline): Promise<void> {
    if (this.server !== undefined) {
      throw new SluiceError(ErrorCodes.INVALID_STATE, '@sluice/monitoring: this server is already attached to a pipeline');
    }
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, req, 500, 'text/plain; charset=utf-8', 'internal error\n');
        else res.destroy(error instanceof Error ? error : undefined);
      });
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (cause: Error & { code?: string }): void => {
        reject(
          new SluiceError(
            ErrorCodes.LIFECYCLE_FAILED,
            `@sluice/monitoring: cannot listen on ${this.host}:${this.port}${cause.code !== undefined ? ` (${cause.code})` : ''}: ${cause.message}`,
            { cause },
          ),
        );
      };
      server.once('error', onError);
      server.listen(this.port, this.host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    this.server = server;
    this.pipeline = pipeline;
    this.subscribe(pipeline);
    this.log(`Sluice dashboard: ${this.url}`);
  }

  /** Ends the `/events` streams (after a last stats snapshot of the stopped pipeline) and closes the server. */
  async detach(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    let finalStats: unknown;
    try {
      finalStats = this.pipeline?.stats();
    } catch {
      finalStats = undefined;
    }
    for (const stream of [...this.streams]) stream.end(finalStats);
    this.streams.clear();
    const server = this.server;
    this.server = undefined;
    this.pipeline = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private subscribe(pipeline: MonitoredPipeline): void {
    const onStats: MonitoringEvents['stats'] = (s) => {
      for (const stream of this.streams) stream.send('stats', s);
    };
    pipeline.events.on('stats', onStats);
    this.unsubscribe.push(() => pipeline.events.off('stats', onStats));
    for (const name of FORWARDED) {
      const listener = (payload: unknown): void => {
        for (const stream of this.streams) stream.send(name, payload);
      };
      pipeline.events.on(name, listener as never);
      this.unsubscribe.push(() => pipeline.events.off(name, listener as never));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (this.token !== undefined && !hasToken(req, url, this.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="sluice"');
      return send(res, req, 401, 'text/plain; charset=utf-8', 'unauthorized: a bearer token is required\n');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, req, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    }
    const pipeline = this.pipeline;
    if (pipeline === undefined) return send(res, req, 503, 'text/plain; charset=utf-8', 'no pipeline attached\n');
    const path = url.pathname;
    if (path === '/metrics') return send(res, req, 200, PROMETHEUS_CONTENT_TYPE, formatPrometheus(pipeline.stats(), pipeline.name));
    if (path === '/stats') return send(res, req, 200, 'application/json; charset=utf-8', toJson(pipeline.stats()));
    if (path === '/graph') return send(res, req, 200, 'application/json; charset=utf-8', toJson(namedGraph(pipeline)));
    if (path === '/events') return this.openStream(req, res, pipeline);
    if (path === '/' || path === '/index.html') return this.serveFile(req, res, DASHBOARD_DIR, 'index.html');
    if (path.startsWith('/dashboard/')) return this.serveFile(req, res, DASHBOARD_DIR, path.slice('/dashboard/'.length));
    if (path.startsWith('/vendor/')) {
      const file = VENDOR_FILES[path.slice('/vendor/'.length)];
      if (file !== undefined) {
        const body = await readServed(file);
        if (body !== undefined) return send(res, req, 200, contentTypeOf(file), body);
      }
    }
    return send(res, req, 404, 'text/plain; charset=utf-8', 'not found\n');
  }

  private async serveFile(req: IncomingMessage, res: ServerResponse, root: string, encodedPath: string): Promise<void> {
    const file = await resolveUnder(root, encodedPath);
    const body = file === undefined ? undefined : await readServed(file);
    if (file === undefined || body === undefined) return send(res, req, 404, 'text/plain; charset=utf-8', 'not found\n');
    send(res, req, 200, contentTypeOf(file), body);
  }

  private openStream(req: IncomingMessage, res: ServerResponse, pipeline: MonitoredPipeline): void {
    if (req.method === 'HEAD') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    const stream = new EventStream(res, this.intervalMs, PING_MS, (s) => this.streams.delete(s));
    this.streams.add(stream);
    stream.sendNow('graph', namedGraph(pipeline));
    stream.sendNow('stats', pipeline.stats());
  }
}

function send(res: ServerResponse, req: IncomingMessage, status: number, contentType: string, body: string | Buffer): void {
  const buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': buffer.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') res.end();
  else res.end(buffer);
}

function invalid(option: string, rule: string, value: unknown, cause?: unknown): SluiceError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new SluiceError(ErrorCodes.INVALID_OPTION, `@sluice/monitoring: option "${option}" ${rule}; got ${shown}`, {
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The graph with the pipeline's name (`pipeline`), so that a page can title itself from one request. */
function namedGraph(pipeline: MonitoredPipeline): PipelineGraph & { readonly pipeline: string } {
  return { pipeline: pipeline.name, ...pipeline.graph() };
}
