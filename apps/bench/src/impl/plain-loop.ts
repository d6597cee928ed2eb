import { CandleWindows } from '../workload/candle-windows.js';
import { Checksum } from '../workload/checksum.js';
import { isValid, withNotional, withSector } from '../workload/stages.js';
import type { Candle, Tick } from '../workload/tick.js';
import { TickGenerator } from '../workload/tick-generator.js';

const BATCH = 1024;

/** The baseline: the workload written by hand as one loop, same objects as every other impl. */
export async function run(n: number): Promise<string> {
  const source = new TickGenerator(n);
  const windows = new CandleWindows();
  const checksum = new Checksum();
  const emit = (c: Candle): void => checksum.add(c);
  const batch: Tick[] = [];
  for (let count = source.fill(batch, BATCH); count > 0; count = source.fill(batch, BATCH)) {
    for (let i = 0; i < count; i++) {
      const t = batch[i]!;
      if (!isValid(t)) continue;
      windows.add(withSector(withNotional(t)), emit);
    }
  }
  windows.flush(emit);
  return checksum.toString();
}
