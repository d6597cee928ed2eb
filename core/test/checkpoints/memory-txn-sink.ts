import { defineSink, defineSource } from '@sluice/core';
import { EndOfStreamError, type SinkConnector, type SourceConnector, type SourceOptions } from '@sluice/sdk';

/**
 * What a transactional sink leaves on "disk": committed records, and pre-committed transactions
 * waiting for their commit. It outlives the pipelines (and their sink instances) that write it,
 * as a file or a table outlives a crashed process.
 */
export class Disk<T> {
  readonly committed: T[] = [];
  readonly staged = new Map<number, T[]>();
  readonly done = new Set<number>();
  /** Records committed per transaction, in commit order (for rolling back later ones). */
  readonly byTxn = new Map<number, number>();
  commits = 0;
}

/** A two-phase-commit sink over a `Disk`: writes go to the open transaction, visible once committed. */
export class MemoryTxnSink<T> implements SinkConnector<T> {
  private current: T[] = [];

  constructor(private readonly disk: Disk<T>) {}

  write(batch: readonly T[]): void {
    this.current.push(...batch);
  }

  preCommit(checkpointId: number): number {
    this.disk.staged.set(checkpointId, this.current);
    this.current = [];
    return checkpointId;
  }

  commit(handle: unknown): void {
    const id = handle as number;
    if (this.disk.done.has(id)) return;
    const records = this.disk.staged.get(id) ?? [];
    this.disk.committed.push(...records);
    this.disk.byTxn.set(id, records.length);
    this.disk.staged.delete(id);
    this.disk.done.add(id);
    this.disk.commits++;
  }

  recover(pending: readonly unknown[], checkpointId: number | undefined): void {
    for (const h of pending) this.commit(h);
    this.disk.staged.clear(); // open transactions after the checkpoint: their records come again
    if (checkpointId === undefined) return;
    // Committed under a later checkpoint that could not be restored: those records come again too.
    for (const [id, count] of [...this.disk.byTxn].reverse()) {
      if (id <= checkpointId) continue;
      this.disk.committed.splice(this.disk.committed.length - count, count);
      this.disk.byTxn.delete(id);
      this.disk.done.delete(id);
    }
  }
}

export function txnSink<T>(name: string, from: string, disk: Disk<T>) {
  return defineSink<T>({ name, from }, new MemoryTxnSink(disk));
}

/**
 * A rewindable array source whose reads complete on a later turn of the event loop, as a file or
 * network read does: downstream tasks (and so checkpoint barriers) make progress between batches.
 */
export class AsyncArraySource<T> implements SourceConnector<T> {
  private next = 0;

  constructor(private readonly items: readonly T[]) {}

  // Consumes eagerly, like a file source that has read ahead: a barrier sent while a read is
  // pending must use the position from before the read.
  read(max: number): Promise<readonly T[]> {
    const batch = this.items.slice(this.next, this.next + max);
    this.next += batch.length;
    return new Promise((resolve, reject) => setImmediate(() => (batch.length === 0 ? reject(new EndOfStreamError()) : resolve(batch))));
  }

  position(): number {
    return this.next;
  }

  seek(position: unknown): void {
    this.next = position as number;
  }
}

export function asyncArraySource<T>(items: readonly T[], options: SourceOptions<T>) {
  return defineSource<T>(options, new AsyncArraySource(items));
}

/** An idempotent sink over a store that de-duplicates by id (an upsert): a replayed record overwrites. */
export class UpsertSink<T> implements SinkConnector<T> {
  constructor(readonly rows: Map<number, T>) {}

  write(): void {
    throw new Error('an idempotent sink is written with writeIdempotent');
  }

  writeIdempotent(batch: readonly T[], firstId: number): void {
    for (let i = 0; i < batch.length; i++) this.rows.set(firstId + i, batch[i]!);
  }
}

export function upsertSink<T>(name: string, from: string, rows: Map<number, T>) {
  return defineSink<T>({ name, from }, new UpsertSink(rows));
}
