import { ErrorCodes, SluiceError, type CheckpointStore } from '@sluice/sdk';

/**
 * A partition's checkpoint store that writes only while this worker holds the partition's lease:
 * a worker that lost it (a long pause, a network split) must not overwrite the checkpoints of the
 * worker that took the partition over. The engine counts a refused write as a failed checkpoint.
 */
export class FencedCheckpointStore implements CheckpointStore {
  constructor(
    private readonly inner: CheckpointStore,
    private readonly holds: () => boolean,
    private readonly partition: number,
  ) {}

  open(ctx: { readonly pipeline: string }): void | Promise<void> {
    return this.inner.open?.(ctx);
  }

  write(id: number, data: Uint8Array): void | Promise<void> {
    if (!this.holds()) {
      throw new SluiceError(
        ErrorCodes.CHECKPOINT_FAILED,
        `checkpoint ${id} of partition ${this.partition} not written: this worker no longer holds its lease`,
      );
    }
    return this.inner.write(id, data);
  }

  read(id: number) {
    return this.inner.read(id);
  }

  list() {
    return this.inner.list();
  }

  remove(id: number): void | Promise<void> {
    if (this.holds()) return this.inner.remove(id);
  }

  close(): void | Promise<void> {
    return this.inner.close?.();
  }
}
