// An obviously-correct reference for event-time tumbling/sliding windows, record by record and
// batch by batch exactly as the engine's contract states: a batch's records are added against
// the watermark from before the batch; then the watermark becomes max(event time) − maxDelay and
// every window with end <= watermark fires. Lateness keeps a fired window open for updates
// until end + lateness <= watermark.

export interface Rec {
  key: number | string;
  t: number;
  id: number;
}

export interface Spec {
  size: number;
  slide: number;
  delay: number;
  lateness: number;
  late: 'side-output' | 'update' | 'drop';
  batchSize: number;
}

export interface Out {
  key: number | string;
  start: number;
  end: number;
  ids: number[];
  update: boolean;
}

export function oracle(records: readonly Rec[], spec: Spec): { results: Out[]; tooLate: number; lateUpdates: number } {
  const windows = new Map<string, { key: number | string; start: number; ids: number[]; fired: boolean }>();
  const results: Out[] = [];
  let wm = -Infinity;
  let maxT = -Infinity;
  let tooLate = 0;
  let lateUpdates = 0;
  const startsOf = (t: number) => {
    const out: number[] = [];
    for (let s = Math.floor(t / spec.slide) * spec.slide; s > t - spec.size; s -= spec.slide) out.push(s);
    return out;
  };
  const fireUpTo = (w: number) => {
    const due = [...windows.values()].filter((x) => !x.fired && x.start + spec.size <= w).sort((a, b) => a.start - b.start);
    for (const x of due) {
      x.fired = true;
      results.push({ key: x.key, start: x.start, end: x.start + spec.size, ids: [...x.ids].sort((a, b) => a - b), update: false });
    }
  };
  for (let b = 0; b < records.length; b += spec.batchSize) {
    const batch = records.slice(b, b + spec.batchSize);
    for (const r of batch) {
      for (const start of startsOf(r.t)) {
        const id = `${JSON.stringify(r.key)}@${start}`;
        const end = start + spec.size;
        let x = windows.get(id);
        if (end <= wm) {
          if (spec.late !== 'update' && end + spec.lateness <= wm) {
            tooLate++;
            continue;
          }
          if (x === undefined) {
            x = { key: r.key, start, ids: [], fired: true };
            windows.set(id, x);
          }
          x.ids.push(r.id);
          lateUpdates++;
          results.push({ key: r.key, start, end, ids: [...x.ids].sort((a, c) => a - c), update: true });
          continue;
        }
        if (x === undefined) {
          x = { key: r.key, start, ids: [], fired: false };
          windows.set(id, x);
        }
        x.ids.push(r.id);
      }
    }
    for (const r of batch) maxT = Math.max(maxT, r.t);
    wm = Math.max(wm, maxT - spec.delay);
    fireUpTo(wm);
  }
  fireUpTo(Infinity);
  return { results, tooLate, lateUpdates };
}
