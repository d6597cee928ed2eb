import { Observable, filter, map, type OperatorFunction } from 'rxjs';
import { CandleWindows } from '../workload/candle-windows.js';
import { Checksum } from '../workload/checksum.js';
import { isValid, withNotional, withSector } from '../workload/stages.js';
import { SymbolUniverse } from '../workload/symbol-universe.js';
import type { Candle, RichTick, Tick } from '../workload/tick.js';
import { TickGenerator } from '../workload/tick-generator.js';
import type { WorkloadVariant } from '../workload/workload-variant.js';

/** A cold observable emitting the ticks synchronously, stopping early on unsubscribe. */
function ticks(n: number, universe: SymbolUniverse): Observable<Tick> {
  return new Observable<Tick>((subscriber) => {
    const source = new TickGenerator(n, universe);
    for (let t = source.next(); t !== undefined; t = source.next()) {
      subscriber.next(t);
      if (subscriber.closed) return;
    }
    subscriber.complete();
  });
}

/** Custom operator around the shared window logic; open windows flush on completion. */
function candleWindows(variant: WorkloadVariant): OperatorFunction<RichTick, Candle> {
  return (source) =>
    new Observable<Candle>((subscriber) => {
      const windows = new CandleWindows(variant.sizeMs, variant.slideMs);
      const emit = (c: Candle): void => subscriber.next(c);
      return source.subscribe({
        next: (t) => windows.add(t, emit),
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          windows.flush(emit);
          subscriber.complete();
        },
      });
    });
}

export async function run(n: number, variant: WorkloadVariant): Promise<string> {
  const universe = new SymbolUniverse(variant.symbols);
  const sectors = universe.sectors;
  const checksum = new Checksum();
  await new Promise<void>((resolve, reject) => {
    ticks(n, universe)
      .pipe(
        filter(isValid),
        map(withNotional),
        map((t) => withSector(t, sectors)),
        candleWindows(variant),
      )
      .subscribe({ next: (c) => checksum.add(c), error: reject, complete: resolve });
  });
  return checksum.toString();
}
