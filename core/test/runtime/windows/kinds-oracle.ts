// Obviously-correct references for session and count windows, record by record and batch by
// batch as the engine's contract states (see window-oracle.ts for the watermark rules).
import type { Out, Rec } from './window-oracle.js';

export interface SessionSpec {
  gap: number;
  delay: number;
  lateness: number;
  late: 'side-output' | 'update' | 'drop';
  batchSize: number;
}

interface Sess {
  key: number | string;
  start: number;
  end: number;
  ids: number[];
  fired: boolean;
  pending: boolean;
}

export function sessionOracle(records: readonly Rec[], spec: SessionSpec): { results: Out[]; tooLate: number; lateUpdates: number } {
  let live: Sess[] = [];
  const results: Out[] = [];
  let wm = -Infinity;
  let maxT = -Infinity;
  let tooLate = 0;
  let lateUpdates = 0;
  const emit = (s: Sess) => {
    results.push({ key: s.key, start: s.start, end: s.end, ids: [...s.ids].sort((a, b) => a - b), update: s.fired });
    s.fired = true;
  };
  for (let b = 0; b < records.length; b += spec.batchSize) {
    const batch = records.slice(b, b + spec.batchSize);
    for (const r of batch) {
      // Grow the record's interval over every session it overlaps or touches, until nothing changes.
      let start = r.t;
      let end = r.t + spec.gap;
      let parts: Sess[] = [];
      for (;;) {
        const next = live.filter((s) => s.key === r.key && s.start <= end && s.end >= start);
        if (next.length === parts.length) break;
        parts = next;
        start = Math.min(r.t, ...parts.map((s) => s.start));
        end = Math.max(r.t + spec.gap, ...parts.map((s) => s.end));
      }
      const late = r.t < wm;
      if (late && spec.late !== 'update' && end + spec.lateness <= wm) {
        tooLate++;
        continue;
      }
      if (late) lateUpdates++;
      live = live.filter((s) => !parts.includes(s));
      const merged: Sess = {
        key: r.key,
        start,
        end,
        ids: [...parts.flatMap((s) => s.ids), r.id],
        fired: parts.some((s) => s.fired),
        pending: end > wm,
      };
      live.push(merged);
      if (!merged.pending) emit(merged);
    }
    for (const r of batch) maxT = Math.max(maxT, r.t);
    wm = Math.max(wm, maxT - spec.delay);
    for (const s of live.filter((x) => x.pending && x.end <= wm)) {
      s.pending = false;
      emit(s);
    }
    if (spec.late !== 'update') live = live.filter((s) => s.pending || s.end + spec.lateness > wm);
  }
  for (const s of live.filter((x) => x.pending)) emit(s);
  return { results, tooLate, lateUpdates };
}

export interface CountOut {
  key: number | string;
  ids: number[];
  start: number;
  end: number;
}

export function countOracle(records: readonly Rec[], size: number, slide: number): CountOut[] {
  const byKey = new Map<number | string, Rec[]>();
  const out: CountOut[] = [];
  const window = (key: number | string, recs: Rec[]) =>
    out.push({
      key,
      ids: recs.map((r) => r.id).sort((a, b) => a - b),
      start: Math.min(...recs.map((r) => r.t)),
      end: Math.max(...recs.map((r) => r.t)) + 1,
    });
  for (const r of records) {
    const recs = byKey.get(r.key) ?? [];
    recs.push(r);
    byKey.set(r.key, recs);
    const n = recs.length;
    if (n % slide === 0) {
      const held = recs.slice(Math.max(0, n - size), n);
      if (held.length > 0 && n - size < n) window(r.key, held);
    }
  }
  for (const [key, recs] of byKey) {
    const n = recs.length;
    const lastFired = Math.floor(n / slide) * slide;
    const e = lastFired + slide; // the earliest open window ends here
    const held = recs.slice(Math.max(0, e - size), n);
    if (n > lastFired && held.length > 0) window(key, held);
  }
  return out;
}
