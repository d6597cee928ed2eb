import type { StateBackend } from '@sluice/sdk';
import type { FusedSegment } from '../runtime/fused-segment.js';

/** @internal One stage's part of a segment snapshot. */
interface StageSnapshot {
  /** The stage's stores in the state backend: `[store name, entries]`. */
  readonly stores: [string, [unknown, unknown][]][];
  /** What its operator or keyed context keeps outside the backend. */
  readonly operator?: unknown;
  readonly context?: unknown;
}

/** @internal The state of every stage of a fused segment, as plain data. */
export type SegmentSnapshot = Record<string, StageSnapshot>;

/**
 * @internal Takes the state of a segment's stages between two batches (so it is consistent).
 * The result references live state: serialise it before the next batch runs.
 */
export function snapshotSegment(segment: FusedSegment, backend: StateBackend): SegmentSnapshot {
  const names = new Set(segment.stages.map((s) => s.name));
  const out: Record<string, { stores: [string, [unknown, unknown][]][]; operator?: unknown; context?: unknown }> = {};
  for (const s of segment.stages) {
    out[s.name] = { stores: [] };
    if (s.operator !== undefined) out[s.name]!.operator = s.operator.snapshotState();
    if (s.context?.keyed === true) out[s.name]!.context = s.context.snapshotState();
  }
  for (const [stage, name, store] of backend.stores()) {
    if (names.has(stage) && store.size > 0) out[stage]!.stores.push([name, [...store.entries()]]);
  }
  return out;
}

/** @internal Puts a segment's stages back in the state `snapshotSegment` took. */
export function restoreSegment(segment: FusedSegment, backend: StateBackend, snapshot: SegmentSnapshot, task: string): void {
  for (const s of segment.stages) {
    const snap = snapshot[s.name];
    if (snap === undefined) throw new Error(`the checkpoint has no state for stage '${s.name}' in '${task}'`);
    // Stores first, so that operators rebuild their indexes from restored data.
    for (const [stage, , store] of backend.stores()) if (stage === s.name) store.clear();
    for (const [name, entries] of snap.stores) {
      const store = backend.store<unknown>(s.name, name);
      for (const [k, v] of entries) store.set(k, v);
    }
    if (s.operator !== undefined) s.operator.restoreState(snap.operator);
    if (s.context?.keyed === true) s.context.restoreState(snap.context);
  }
}
