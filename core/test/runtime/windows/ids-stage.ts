import { Stage, Window, type Aggregator, type WindowOptions } from '@sluice/sdk';
import type { Rec } from './window-oracle.js';

/**
 * A window stage 'w' reading 'recs', keyed by `key`, whose result is the sorted ids of the
 * window's records: a result says exactly which records its window holds.
 */
export function idsStage(window: WindowOptions) {
  @Stage({ name: 'w', from: 'recs', key: (r: Rec) => r.key })
  @Window(window)
  class Ids implements Aggregator<Rec, number[], number[]> {
    create() {
      return [];
    }
    add(acc: number[], r: Rec) {
      acc.push(r.id);
      return acc;
    }
    merge(a: number[], b: number[]) {
      return a.concat(b);
    }
    result(acc: number[]) {
      return [...acc].sort((x, y) => x - y);
    }
  }
  return Ids;
}
