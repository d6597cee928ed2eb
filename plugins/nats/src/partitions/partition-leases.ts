import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Kvm, type KV } from '@nats-io/kv';
import { ErrorCodes, SluiceError } from '@sluice/sdk';
import type { NatsConnectionOptions } from '../connection/nats-connection-options.js';
import { checkConnectionOptions, openNatsConnection, type TrackedConnection } from '../connection/open-nats-connection.js';

/** Why a worker gives a partition up. @public */
export type RevokeReason =
  /** Another worker joined (or this one has more than its share): drain, checkpoint, hand over. */
  | 'rebalance'
  /** The lease could not be renewed (it expired, another worker holds it now): stop at once, keep nothing. */
  | 'lost'
  /** This worker stops: drain, checkpoint, release. */
  | 'stop';

/** Options of {@link PartitionLeases}. @public */
export interface PartitionLeasesOptions {
  readonly connection: NatsConnectionOptions;
  /** The pipeline whose partitions are shared: workers of one pipeline use the same name. */
  readonly pipeline: string;
  /** How many partitions the input has (subjects `<subject>.0` ... `<subject>.<n-1>`). */
  readonly partitions: number;
  /** This worker's id, unique among the live workers (default: host, pid and a random suffix). */
  readonly worker?: string;
  /** The KV bucket of the leases (default `sluice-leases`); created when missing. */
  readonly bucket?: string;
  /** Replicas of the bucket when it is created (3 on a 3-node cluster). Default 1. */
  readonly replicas?: number;
  /**
   * How long a lease lives without renewal, in ms (default 10 000): the bucket's max age, so the
   * server expires a dead worker's leases without any clock of ours. A live worker renews every
   * `ttlMs / 3`. Takeover of a dead worker's partitions takes up to `ttlMs + ttlMs / 3`.
   */
  readonly ttlMs?: number;
  /** Called when this worker has claimed a partition: start processing it from its last checkpoint. */
  onAssigned(partition: number): Promise<void>;
  /** Called before (rebalance, stop) or after (lost) this worker gives a partition up. */
  onRevoked(partition: number, reason: RevokeReason): Promise<void>;
  /** Where lease changes are told (default: nowhere). */
  readonly log?: (message: string) => void;
}

/** What {@link PartitionLeases.metrics} reports. @public */
export interface PartitionLeaseMetrics {
  readonly owned: number;
  readonly members: number;
  readonly assigned: number;
  readonly revoked: number;
  readonly lost: number;
}

// KV keys allow [-/_=.a-zA-Z0-9]; '.' separates our levels.
const keyPart = (s: string) => s.replace(/[^-_=a-zA-Z0-9]/g, '_');

/**
 * Shares a pipeline's partitions among its workers through leases in a JetStream KV bucket.
 *
 * Each partition has a key `<pipeline>.p.<n>` holding its owner; each live worker a key
 * `<pipeline>.m.<worker>`. Keys are claimed with create (compare-and-set on "absent") and renewed
 * with update (compare-and-set on the revision this worker last wrote), so two workers never
 * both believe they hold a partition after a renewal: the loser's renewal fails and it is told
 * `lost`. The bucket's max age is the lease time: a dead worker's keys expire on the server.
 *
 * The share: the live members sorted by id; member `i` of `m` should hold `floor(p / m)` partitions,
 * plus one when `i < p % m`. A worker above its share releases (after `onRevoked(n, 'rebalance')`,
 * so it can checkpoint first); a worker below it claims free partitions. A joining worker so
 * triggers a rebalance within one renewal interval.
 * @public
 */
export class PartitionLeases {
  readonly worker: string;
  private readonly ttlMs: number;
  private readonly renewMs: number;
  private readonly prefix: string;
  private conn: TrackedConnection | undefined;
  private kv: KV | undefined;
  // Partition -> revision of our last write, and when it was written (ms, our clock).
  private readonly held = new Map<number, { revision: number; at: number }>();
  private memberRevision: number | undefined;
  private members: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;
  private step: Promise<void> = Promise.resolve();
  private stopped = false;
  private counts = { assigned: 0, revoked: 0, lost: 0 };

  constructor(private readonly options: PartitionLeasesOptions) {
    const where = { decorator: 'PartitionLeases', target: options.pipeline };
    checkConnectionOptions(options.connection, where);
    if (!Number.isInteger(options.partitions) || options.partitions < 1) {
      throw new SluiceError(
        ErrorCodes.INVALID_OPTION,
        `PartitionLeases on ${options.pipeline}: partitions must be an integer of at least 1, got ${options.partitions}`,
      );
    }
    this.ttlMs = options.ttlMs ?? 10_000;
    if (!Number.isFinite(this.ttlMs) || this.ttlMs < 300) {
      throw new SluiceError(
        ErrorCodes.INVALID_OPTION,
        `PartitionLeases on ${options.pipeline}: ttlMs must be at least 300 ms, got ${options.ttlMs}`,
      );
    }
    this.renewMs = Math.floor(this.ttlMs / 3);
    this.worker = options.worker ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.prefix = keyPart(options.pipeline);
  }

  /** Partitions this worker holds now, ascending. */
  owned(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /**
   * Whether this worker still holds `partition` by its own clock: renewed less than a lease time
   * ago (with a margin). A partition's checkpoint store asks before each write, so that a worker
   * that lost its lease (a long pause) does not overwrite the new owner's checkpoints.
   */
  holds(partition: number): boolean {
    const h = this.held.get(partition);
    return h !== undefined && Date.now() - h.at < this.ttlMs - this.renewMs / 2;
  }

  metrics(): PartitionLeaseMetrics {
    return { owned: this.held.size, members: this.members.length, ...this.counts };
  }

  /** Connects, opens (or creates) the bucket, joins as a member and claims this worker's share. */
  async start(): Promise<void> {
    this.conn = await openNatsConnection(this.options.connection, `PartitionLeases ${this.options.pipeline}`, this.log);
    const bucket = this.options.bucket ?? 'sluice-leases';
    try {
      this.kv = await new Kvm(this.conn.nc).create(bucket, { ttl: this.ttlMs, history: 1, replicas: this.options.replicas ?? 1 });
    } catch (err) {
      await this.conn.close();
      throw new SluiceError(
        ErrorCodes.SOURCE_FAILED,
        `PartitionLeases on ${this.options.pipeline}: cannot open the lease bucket '${bucket}': ${message(err)}`,
        {
          cause: err,
        },
      );
    }
    const info = (await this.kv.status()).ttl;
    if (info !== this.ttlMs) {
      // A bucket made by workers with another ttl: its max age is the real lease time.
      this.log(`bucket '${bucket}' expires leases after ${info} ms (not ${this.ttlMs}): its setting wins`);
    }
    await this.renewNow();
    await this.enqueue(() => this.tick());
    this.schedule();
    // Renewals run on their own timer: a slow drain or restore in a step must not let leases lapse.
    this.renewTimer = setInterval(() => void this.renewNow(), this.renewMs);
  }

  /** Gives every partition up (`onRevoked(n, 'stop')` first), leaves the members and disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.enqueue(async () => {
      for (const n of this.owned()) await this.release(n, 'stop');
      if (this.memberRevision !== undefined) await this.kv?.delete(this.memberKey(this.worker)).catch(() => undefined);
    });
    clearInterval(this.renewTimer);
    await this.renewing;
    await this.conn?.close();
  }

  private readonly log = (m: string) => this.options.log?.(m);

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.enqueue(() => this.tick()).finally(() => this.schedule());
    }, this.renewMs);
  }

  // One step at a time: renewals, releases and claims never interleave.
  private enqueue(step: () => Promise<void>): Promise<void> {
    this.step = this.step.then(step).catch((err: unknown) => this.log(`lease step failed: ${message(err)}`));
    return this.step;
  }

  private partitionKey(n: number): string {
    return `${this.prefix}.p.${n}`;
  }

  private memberKey(worker: string): string {
    return `${this.prefix}.m.${keyPart(worker)}`;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const kv = this.kv!;
    this.members = await this.liveMembers(kv);
    const share = this.share();
    const owned = this.owned();
    if (owned.length > share) {
      // Release the highest numbers: workers agree on nothing else, so any choice is as good.
      for (const n of owned.slice(share).reverse()) await this.release(n, 'rebalance');
    } else if (owned.length < share) {
      await this.claim(kv, share - owned.length);
    }
  }

  private renewNow(): Promise<void> {
    this.renewing ??= this.renew(this.kv!)
      .catch((err: unknown) => this.log(`lease renewal failed: ${message(err)}`))
      .finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async renew(kv: KV): Promise<void> {
    const body = JSON.stringify({ worker: this.worker });
    if (!this.stopped) this.memberRevision = await kv.put(this.memberKey(this.worker), body);
    for (const [n, h] of [...this.held]) {
      let revision: number;
      try {
        revision = await kv.update(this.partitionKey(n), body, h.revision);
      } catch (err) {
        // Released meanwhile by this worker: not a loss.
        if (this.held.get(n) !== h) continue;
        // Expired and taken, or gone: another worker may be processing it now.
        this.held.delete(n);
        this.counts.lost++;
        this.log(`lost partition ${n}: ${message(err)}`);
        await this.enqueue(() => this.options.onRevoked(n, 'lost'));
        continue;
      }
      if (this.held.get(n) === h) this.held.set(n, { revision, at: Date.now() });
    }
  }

  private async liveMembers(kv: KV): Promise<string[]> {
    const members: string[] = [];
    for await (const key of await kv.keys(`${this.prefix}.m.*`)) members.push(key.slice(this.prefix.length + 3));
    const me = keyPart(this.worker);
    if (!members.includes(me)) members.push(me);
    return members.sort();
  }

  private share(): number {
    const p = this.options.partitions;
    const m = this.members.length;
    const i = this.members.indexOf(keyPart(this.worker));
    return Math.floor(p / m) + (i < p % m ? 1 : 0);
  }

  private async claim(kv: KV, wanted: number): Promise<void> {
    const body = JSON.stringify({ worker: this.worker });
    for (let n = 0; n < this.options.partitions && wanted > 0 && !this.stopped; n++) {
      if (this.held.has(n)) continue;
      let revision: number;
      try {
        revision = await kv.create(this.partitionKey(n), body);
      } catch {
        continue; // held by a live worker, or claimed by another just now
      }
      const at = Date.now();
      this.held.set(n, { revision, at });
      this.counts.assigned++;
      wanted--;
      this.log(`claimed partition ${n}`);
      try {
        await this.options.onAssigned(n);
      } catch (err) {
        // It cannot run here: let another worker try.
        this.log(`partition ${n} failed to start here, releasing it: ${message(err)}`);
        this.held.delete(n);
        await kv.delete(this.partitionKey(n), { previousSeq: revision }).catch(() => undefined);
      }
    }
  }

  private async release(n: number, reason: 'rebalance' | 'stop'): Promise<void> {
    const h = this.held.get(n);
    if (h === undefined) return;
    // Checkpoint first, while the lease (still renewed) fences other workers off.
    await this.options.onRevoked(n, reason);
    const last = this.held.get(n);
    if (last === undefined) return; // lost while draining: told already
    this.held.delete(n);
    this.counts.revoked++;
    try {
      await this.kv!.delete(this.partitionKey(n), { previousSeq: last.revision });
    } catch (err) {
      this.log(`partition ${n}: release failed (${message(err)}); it frees when its lease expires`);
    }
    this.log(`released partition ${n} (${reason})`);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
