import type { CheckpointStore } from '@sluice/sdk';

/**
 * A {@link CheckpointStore} in this process's memory: checkpoints survive a failed run that is
 * built again in the same process (tests, a supervisor loop), not a crash of the process. Use
 * `FileCheckpointStore` or the SQLite store of `@sluice/sqlite` for that.
 *
 * @example
 * ```ts
 * const store = new MemoryCheckpointStore()
 * await createPipeline({ components, checkpoints: { store, interval: '1s' } }).run()
 * ```
 * @see docs/fault-tolerance.md
 * @public
 */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly blobs = new Map<number, Uint8Array>();

  write(id: number, data: Uint8Array): void {
    this.blobs.set(id, Uint8Array.from(data));
  }

  read(id: number): Uint8Array | undefined {
    return this.blobs.get(id);
  }

  list(): number[] {
    return [...this.blobs.keys()];
  }

  remove(id: number): void {
    this.blobs.delete(id);
  }
}
