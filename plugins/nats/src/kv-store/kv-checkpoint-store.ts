import { createHash } from 'node:crypto';
import { jetstream, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { ErrorCodes, SluiceError, validateOptions, type CheckpointStore } from '@sluice/sdk';
import { checkConnectionOptions, openNatsConnection, type TrackedConnection } from '../connection/open-nats-connection.js';
import { isTransientNatsError } from '../connection/is-transient-nats-error.js';
import { CheckpointKeys } from './checkpoint-keys.js';
import { KvCheckpointStoreSchema, type KvCheckpointStoreOptions } from './kv-checkpoint-store-options.js';

const DEFAULT_BUCKET = 'sluice-checkpoints';
const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_RETRY_FOR_MS = 15_000;
/** The pause between two attempts of a call that failed for now. */
const RETRY_PAUSE_MS = 250;
/** The server's default `max_payload`, for a connection that did not report one. */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
/**
 * Room left in each chunk's message for what is not the value (the JetStream publish's headers and
 * the protocol line), so that a chunk always fits under the server's max payload.
 */
const CHUNK_HEADROOM = 1024;

/** What the manifest key holds (as JSON): enough to reassemble a checkpoint and tell whether it is whole. */
interface Manifest {
  readonly format: 1;
  readonly id: number;
  readonly size: number;
  readonly chunks: number;
  readonly sha256: string;
  readonly writtenAt: string;
}

/**
 * A {@link CheckpointStore} in a NATS JetStream KV bucket, so that pipelines on several machines
 * keep their checkpoints where any of them can restore them (replicated with `replicas: 3` on a
 * cluster). Several pipelines share one bucket, each under its own keys.
 *
 * Layout: a checkpoint is split into chunks that fit under the server's max payload
 * (`max_payload`, 1 MiB by default), stored under `<pipeline>.<id>.0`, `<pipeline>.<id>.1`, ...,
 * then a manifest under `<pipeline>.<id>.manifest` with the chunk count, the size and the SHA-256
 * of the whole. The manifest is written last, once every chunk is acknowledged: a write cut short
 * (a crash, a lost connection) leaves chunks without a manifest, which `list` never shows and the
 * next write of that id purges. `read` reassembles the chunks and checks size and checksum;
 * `remove` purges the chunks and the manifest in one stream purge (no delete markers are left).
 *
 * A `write` resolves when the server has acknowledged every key. The server writes its stream to
 * disk without an fsync per message (see `sync_interval`): to survive the loss of a machine, run
 * a cluster and create the bucket with `replicas: 3`.
 *
 * @example
 * ```ts
 * const store = new KvCheckpointStore({ connection: { servers: 'nats://127.0.0.1:4222' } })
 * createPipeline({ name: 'candles', components, checkpoints: { store, interval: '1s' } })
 * ```
 * @see docs/nats-sink-kv.md
 * @beta
 */
export class KvCheckpointStore implements CheckpointStore {
  private readonly bucket: string;
  private readonly timeoutMs: number;
  private readonly retryForMs: number;
  private readonly log: (message: string) => void;
  private pipeline: string;
  private keys: CheckpointKeys;
  private opened = false;
  private state: { conn: TrackedConnection; kv: KV; jsm: JetStreamManager } | undefined;
  private connecting: Promise<{ conn: TrackedConnection; kv: KV; jsm: JetStreamManager }> | undefined;

  /** @param options - see {@link KvCheckpointStoreOptions}; checked here, naming the option that is wrong. */
  constructor(private readonly options: KvCheckpointStoreOptions) {
    const bucket = (options as { bucket?: unknown } | undefined)?.bucket ?? DEFAULT_BUCKET;
    const where = { decorator: 'KvCheckpointStore', target: `bucket '${String(bucket)}'` };
    validateOptions(KvCheckpointStoreSchema, options, where);
    checkConnectionOptions(options.connection, { ...where, target: `${where.target}, connection` });
    if (options.log !== undefined && typeof options.log !== 'function') {
      throw new SluiceError(ErrorCodes.INVALID_OPTION, `KvCheckpointStore on ${where.target}: option "log" must be a function`, {
        details: { ...where, option: 'log' },
      });
    }
    this.bucket = options.bucket ?? DEFAULT_BUCKET;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retryForMs = options.retryForMs ?? DEFAULT_RETRY_FOR_MS;
    this.log = options.log ?? ((m) => console.warn(m));
    this.pipeline = options.pipeline ?? 'default';
    this.keys = new CheckpointKeys(this.pipeline);
  }

  /** Called by the engine before any other call: takes the pipeline's name (unless one was given), connects and creates the bucket if missing. */
  async open(ctx?: { readonly pipeline: string }): Promise<void> {
    if (ctx !== undefined && this.options.pipeline === undefined && !this.opened) {
      this.pipeline = ctx.pipeline;
      this.keys = new CheckpointKeys(ctx.pipeline);
    }
    this.opened = true;
    await this.connect();
  }

  /** Stores `data` under `id`: the chunks, then the manifest; resolves once the server has acknowledged all. */
  async write(id: number, data: Uint8Array): Promise<void> {
    await this.attempt(`write checkpoint ${id}`, async ({ conn, kv, jsm }) => {
      // Whatever an earlier write of this id left (a whole checkpoint, or chunks of one cut
      // short) goes first: no old manifest can then vouch for new chunks, and no stale chunk stays.
      await jsm.streams.purge(this.streamName(), { filter: this.subject(this.keys.checkpoint(id)) });
      const size = this.chunkSize(conn);
      const chunks = Math.max(1, Math.ceil(data.byteLength / size));
      // Puts are acknowledged one by one; sending them together costs one round trip, not `chunks`.
      await Promise.all(
        Array.from({ length: chunks }, (_, n) =>
          kv.put(this.keys.chunk(id, n), data.subarray(n * size, Math.min((n + 1) * size, data.byteLength)), { timeout: this.timeoutMs }),
        ),
      );
      const manifest: Manifest = {
        format: 1,
        id,
        size: data.byteLength,
        chunks,
        sha256: sha256(data),
        writtenAt: new Date().toISOString(),
      };
      await kv.put(this.keys.manifest(id), JSON.stringify(manifest), { timeout: this.timeoutMs });
    });
  }

  /**
   * The bytes written under `id`, reassembled and checked; `undefined` when there is no manifest,
   * or when a chunk is missing or the checksum differs (said through `log`): the engine then
   * falls back to an older checkpoint.
   */
  async read(id: number): Promise<Uint8Array | undefined> {
    return this.attempt(`read checkpoint ${id}`, async ({ kv }) => {
      const entry = await kv.get(this.keys.manifest(id));
      if (entry === null || entry.operation !== 'PUT') return undefined;
      const manifest = parseManifest(entry.string());
      if (manifest === undefined || manifest.id !== id)
        return this.unusable(id, `its manifest is not one this store writes: ${entry.string().slice(0, 200)}`);
      const parts = await Promise.all(Array.from({ length: manifest.chunks }, (_, n) => kv.get(this.keys.chunk(id, n))));
      const data = new Uint8Array(manifest.size);
      let at = 0;
      for (const [n, part] of parts.entries()) {
        if (part === null || part.operation !== 'PUT') return this.unusable(id, `chunk ${n} of ${manifest.chunks} is missing`);
        if (at + part.value.byteLength > manifest.size)
          return this.unusable(id, `its chunks hold more than the ${manifest.size} bytes of the manifest`);
        data.set(part.value, at);
        at += part.value.byteLength;
      }
      if (at !== manifest.size) return this.unusable(id, `its chunks hold ${at} bytes, the manifest says ${manifest.size}`);
      if (sha256(data) !== manifest.sha256) return this.unusable(id, 'its SHA-256 differs from the manifest');
      return data;
    });
  }

  /** The ids of this pipeline's checkpoints that have a manifest, ascending. */
  async list(): Promise<number[]> {
    return this.attempt('list checkpoints', async ({ jsm }) => {
      // One request: the subjects of the bucket's stream that hold a manifest of this pipeline.
      // Not `kv.keys()`: it reads through an ordered push consumer, which after the loss of the
      // bucket's leader kept timing out, or waited for as long as 100 s, while plain requests
      // were answered again. The store never leaves delete markers (it purges), so a subject
      // here is a manifest that was put; `read` checks it anyway.
      const info = await jsm.streams.info(this.streamName(), { subjects_filter: this.subject(this.keys.manifests()) });
      const prefix = this.subject('');
      const ids: number[] = [];
      for (const subject of Object.keys(info.state.subjects ?? {})) {
        const id = this.keys.idOfManifest(subject.slice(prefix.length));
        if (id !== undefined) ids.push(id);
      }
      return ids.sort((a, b) => a - b);
    });
  }

  /** Deletes checkpoint `id` (its chunks and manifest, in one purge), if present. */
  async remove(id: number): Promise<void> {
    await this.attempt(`remove checkpoint ${id}`, async ({ jsm }) => {
      await jsm.streams.purge(this.streamName(), { filter: this.subject(this.keys.checkpoint(id)) });
    });
  }

  /** Closes the connection. A later call connects again. */
  async close(): Promise<void> {
    const state = this.state;
    this.state = undefined;
    this.connecting = undefined;
    await state?.conn.close();
  }

  /** The name of the KV bucket's stream (`KV_<bucket>`). */
  streamName(): string {
    return `KV_${this.bucket}`;
  }

  private subject(key: string): string {
    return `$KV.${this.bucket}.${key}`;
  }

  private chunkSize(conn: TrackedConnection): number {
    // Read at each write: after a reconnect the client may be on a server with another limit.
    const max = conn.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
    return Math.max(1, max - CHUNK_HEADROOM);
  }

  private connect(): Promise<{ conn: TrackedConnection; kv: KV; jsm: JetStreamManager }> {
    if (this.state !== undefined && !this.state.conn.nc.isClosed()) return Promise.resolve(this.state);
    this.connecting ??= (async () => {
      const conn = await openNatsConnection(this.options.connection, this.label(), undefined, ErrorCodes.CHECKPOINT_FAILED);
      try {
        const js = jetstream(conn.nc, { timeout: this.timeoutMs });
        const kv = await new Kvm(js).create(this.bucket, { replicas: this.options.replicas ?? 1, history: 1 });
        const jsm = await js.jetstreamManager();
        this.state = { conn, kv, jsm };
        return this.state;
      } catch (err) {
        await conn.close();
        throw this.failure('open the bucket (creating it if missing)', err);
      }
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /**
   * Runs `fn` on the connection; a failure that passes (see {@link isTransientNatsError}: a
   * server restarting, a cluster electing the bucket's leader) is tried again, whole, until
   * `retryForMs` from the first attempt. A failure at the first connection (a wrong address, bad
   * credentials) is not tried again.
   */
  private async attempt<R>(
    what: string,
    fn: (state: { conn: TrackedConnection; kv: KV; jsm: JetStreamManager }) => Promise<R>,
  ): Promise<R> {
    const deadline = Date.now() + this.retryForMs;
    for (;;) {
      const state = await this.connect();
      try {
        return await fn(state);
      } catch (err) {
        if (!isTransientNatsError(err) || Date.now() + RETRY_PAUSE_MS > deadline) throw this.failure(what, err);
        await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      }
    }
  }

  private unusable(id: number, why: string): undefined {
    this.log(`${this.label()}: checkpoint ${id} is not usable: ${why}`);
    return undefined;
  }

  private failure(what: string, err: unknown): SluiceError {
    if (SluiceError.is(err)) return err;
    return new SluiceError(
      ErrorCodes.CHECKPOINT_FAILED,
      `${this.label()} could not ${what}: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
        details: { bucket: this.bucket, pipeline: this.pipeline },
      },
    );
  }

  private label(): string {
    return `KvCheckpointStore (bucket '${this.bucket}', pipeline '${this.pipeline}')`;
  }
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function parseManifest(text: string): Manifest | undefined {
  try {
    const m = JSON.parse(text) as Partial<Manifest>;
    const ok =
      m.format === 1 &&
      Number.isSafeInteger(m.id) &&
      Number.isSafeInteger(m.size) &&
      m.size! >= 0 &&
      Number.isSafeInteger(m.chunks) &&
      m.chunks! >= 1 &&
      typeof m.sha256 === 'string';
    return ok ? (m as Manifest) : undefined;
  } catch {
    return undefined;
  }
}
