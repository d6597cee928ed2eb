import { ErrorCodes, parseDuration, SluiceError, type CheckpointStore, type Clock, type Duration } from '@sluice/sdk';
import type { CoordinatorSettings } from './checkpoint-coordinator.js';

/**
 * Checkpoints of a pipeline (the `checkpoints` option of `createPipeline`): periodic, consistent
 * snapshots of every source position, stage state and sink transaction, from which a restarted
 * pipeline goes on as if it had never stopped.
 *
 * @example
 * ```ts
 * createPipeline({ components, checkpoints: { store: new FileCheckpointStore('./checkpoints'), interval: '1s' } })
 * ```
 * @see docs/fault-tolerance.md
 * @public
 */
export interface CheckpointOptions {
  /** Where checkpoints are kept. */
  store: CheckpointStore;
  /** How often a checkpoint is taken, on the pipeline's clock (default `'1s'`). */
  interval?: Duration;
  /** How many stored checkpoints to keep, newest first (default 3, at least 1). */
  retain?: number;
  /**
   * `exactly-once` (the default) refuses, at build time, a source that cannot rewind (no
   * `position`/`seek`); `at-least-once` accepts it (its records after the checkpoint are not read again).
   */
  mode?: 'exactly-once' | 'at-least-once';
  /** What to start from: the newest usable checkpoint (default `'latest'`), none, or a checkpoint id. */
  restore?: 'latest' | 'none' | number;
  /** Where warnings go (a corrupt checkpoint skipped, a store that failed); default `console.warn`. */
  log?: (message: string) => void;
}

/** @internal The coordinator's settings from the option, checked. */
export function checkpointSettings(
  pipeline: string,
  options: CheckpointOptions,
  clock: Clock,
  fail: (error: SluiceError) => void,
): CoordinatorSettings {
  const bad = (option: string, rule: string, value: unknown) =>
    new SluiceError(ErrorCodes.INVALID_OPTION, `createPipeline: option "checkpoints.${option}" ${rule}, got ${describe(value)}`, {
      details: { option: `checkpoints.${option}` },
    });
  const store = options.store as Partial<CheckpointStore> | undefined;
  for (const method of ['write', 'read', 'list', 'remove'] as const) {
    if (typeof store?.[method] !== 'function')
      throw bad('store', `must be a CheckpointStore (with write, read, list and remove); it has no ${method}()`, store);
  }
  const intervalMs = parseDuration(options.interval ?? '1s', 'checkpoints.interval');
  if (!(intervalMs > 0)) throw bad('interval', 'must be a positive duration', options.interval);
  const retain = options.retain ?? 3;
  if (!Number.isInteger(retain) || retain < 1) throw bad('retain', 'must be an integer of at least 1', retain);
  const restore = options.restore ?? 'latest';
  if (restore !== 'latest' && restore !== 'none' && !(Number.isInteger(restore) && restore > 0)) {
    throw bad('restore', "must be 'latest', 'none' or a checkpoint id (a positive integer)", restore);
  }
  const mode = options.mode ?? 'exactly-once';
  if (mode !== 'exactly-once' && mode !== 'at-least-once') throw bad('mode', "must be 'exactly-once' or 'at-least-once'", mode);
  return {
    pipeline,
    store: store as CheckpointStore,
    intervalMs,
    retain,
    restore,
    clock,
    log: options.log ?? ((m) => console.warn(m)),
    fail,
  };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || typeof value !== 'object') return String(value);
  return value.constructor?.name ?? 'an object';
}
