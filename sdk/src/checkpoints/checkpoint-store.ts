/**
 * Where a pipeline's checkpoints are kept. The engine hands each checkpoint over as opaque bytes
 * (its own format, with a checksum it verifies on read), so a store only has to keep blobs by
 * id: memory and file stores ship with `@sluice/core`, SQLite with `@sluice/sqlite`.
 *
 * The contract:
 * - `write(id, data)` is atomic and durable once it resolves: after a crash at any moment the
 *   id holds either all of `data` or nothing the engine would accept (a partial write is caught
 *   by the checksum and skipped for the previous checkpoint);
 * - `list()` returns the ids present, in any order; `read(id)` the bytes written, or undefined;
 * - `remove(id)` deletes old checkpoints (the engine keeps the newest `retain`).
 *
 * @example
 * ```ts
 * createPipeline({ components, checkpoints: { store: new FileCheckpointStore('./checkpoints'), interval: '1s' } })
 * ```
 * @see docs/fault-tolerance.md
 * @public
 */
export interface CheckpointStore {
  /** Called once before the first other call, with the pipeline's name (a store may be shared). */
  open?(ctx: { readonly pipeline: string }): void | Promise<void>;
  write(id: number, data: Uint8Array): void | Promise<void>;
  read(id: number): Uint8Array | undefined | Promise<Uint8Array | undefined>;
  list(): readonly number[] | Promise<readonly number[]>;
  remove(id: number): void | Promise<void>;
  close?(): void | Promise<void>;
}
