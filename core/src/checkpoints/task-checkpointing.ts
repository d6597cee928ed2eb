import type { StateBackend } from '@sluice/sdk';
import type { FusedSegment } from '../runtime/fused-segment.js';
import type { OutBuffer } from '../runtime/out-buffer.js';
import { writeOuts } from '../runtime/write-outs.js';
import { fromSnapshotBytes, snapshotBytes } from './checkpoint-codec.js';
import type { CheckpointCoordinator } from './checkpoint-coordinator.js';
import { restoreSegment, snapshotSegment, type SegmentSnapshot } from './segment-snapshot.js';

/** @internal What a task needs to take part in checkpoints. */
export interface Checkpointing {
  readonly coordinator: CheckpointCoordinator;
  readonly backend: StateBackend;
}

/** @internal A task's snapshot: its segment's state, plus what the task itself keeps. */
export interface TaskSnapshot {
  readonly segment?: SegmentSnapshot;
  readonly [extra: string]: unknown;
}

/**
 * @internal How a segment's task ends with checkpoints (see `driveSegment`): a stop keeps the
 * state, and the final state (plus `extra`, the task's own) goes to the coordinator.
 */
export function checkpointedEnd(cp: Checkpointing | undefined, task: string, segment: FusedSegment, extra?: () => Record<string, unknown>) {
  return cp && { keepStateOnStop: true, finished: () => cp.coordinator.finished(task, taskSnapshot(cp, segment, extra?.())) };
}

/** @internal Registers a task whose only state is its segment's. */
export function registerSegmentTask(cp: Checkpointing | undefined, task: string, segment: FusedSegment): void {
  cp?.coordinator.register({
    name: task,
    restore: (part) => {
      if (part !== undefined) restoreTask(cp, task, segment, part);
    },
  });
}

/** @internal Snapshot bytes of a task: its segment's state and `extra`, copied now. */
export function taskSnapshot(cp: Checkpointing, segment: FusedSegment | undefined, extra: Record<string, unknown> = {}): Uint8Array {
  return snapshotBytes(segment === undefined ? extra : { ...extra, segment: snapshotSegment(segment, cp.backend) });
}

/** @internal Restores a task's segment from its part; returns the part for the task's own fields. */
export function restoreTask(cp: Checkpointing, task: string, segment: FusedSegment | undefined, part: Uint8Array): TaskSnapshot {
  const snap = fromSnapshotBytes<TaskSnapshot>(part);
  if (segment !== undefined && snap.segment !== undefined) restoreSegment(segment, cp.backend, snap.segment, task);
  return snap;
}

/**
 * @internal A task reached barrier `id` with nothing of its own in flight: snapshot, report, and
 * send the barrier on after everything already emitted.
 */
export async function passBarrier(
  cp: Checkpointing,
  task: string,
  id: number,
  segment: FusedSegment,
  outs: readonly OutBuffer[],
  extra?: Record<string, unknown>,
): Promise<void> {
  cp.coordinator.ack(task, id, taskSnapshot(cp, segment, extra));
  await sendBarrier(outs, id);
}

/** @internal Sends barrier `id` down every output, after the records already collected. */
export async function sendBarrier(outs: readonly OutBuffer[], id: number): Promise<void> {
  const before = writeOuts(outs);
  if (before !== undefined) await before;
  for (const out of outs) out.barrier = id;
  const sent = writeOuts(outs);
  if (sent !== undefined) await sent;
}
