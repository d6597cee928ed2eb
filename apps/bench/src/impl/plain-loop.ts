import { CandleWindows } from '../workload/candle-windows.js';
import { Checksum } from '../workload/checksum.js';
import { isValid, withNotional, withSector } from '../workload/stages.js';
import { SymbolUniverse } from '../workload/symbol-universe.js';
import type { Candle, Tick } from '../workload/tick.js';
import { TickGenerator } from '../workload/tick-generator.js';
import type { WorkloadVariant } from '../workload/workload-variant.js';

const BATCH = 1024;

/** The baseline: the workload written by hand as one loop, same objects as every other impl. */
export async function run(n: number, variant: WorkloadVariant): Promise<string> {
  const universe = new SymbolUniverse(variant.symbols);
  const sectors = universe.sectors;
  const source = new TickGenerator(n, universe);
  const windows = new CandleWindows(variant.sizeMs, variant.slideMs);
  const checksum = new Checksum();
  const emit = (c: Candle): void => checksum.add(c);
  const batch: Tick[] = [];
  for (let count = source.fill(batch, BATCH); count > 0; count = source.fill(batch, BATCH)) {
    for (let i = 0; i < count; i++) {
      const t = batch[i]!;
      if (!isValid(t)) continue;
      windows.add(withSector(withNotional(t), sectors), emit);
    }
  }
  windows.flush(emit);
  return checksum.toString();
}
