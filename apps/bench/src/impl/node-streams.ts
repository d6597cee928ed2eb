import { Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CandleWindows } from '../workload/candle-windows.js';
import { Checksum } from '../workload/checksum.js';
import { isValid, withNotional, withSector } from '../workload/stages.js';
import { SymbolUniverse } from '../workload/symbol-universe.js';
import type { Candle, NotionalTick, RichTick, Tick } from '../workload/tick.js';
import { TickGenerator } from '../workload/tick-generator.js';
import type { WorkloadVariant } from '../workload/workload-variant.js';

/** Generates lazily in read(), pushing until the buffer is full (backpressure). */
function tickSource(n: number, universe: SymbolUniverse): Readable {
  const source = new TickGenerator(n, universe);
  return new Readable({
    objectMode: true,
    read() {
      for (;;) {
        const t = source.next();
        if (t === undefined) {
          this.push(null);
          return;
        }
        if (!this.push(t)) return;
      }
    },
  });
}

function filterValid(): Transform {
  return new Transform({
    objectMode: true,
    transform(t: Tick, _enc: BufferEncoding, done: TransformCallback) {
      if (isValid(t)) done(null, t);
      else done();
    },
  });
}

function mapNotional(): Transform {
  return new Transform({
    objectMode: true,
    transform(t: Tick, _enc: BufferEncoding, done: TransformCallback) {
      done(null, withNotional(t));
    },
  });
}

function enrichSector(sectors: ReadonlyMap<string, string>): Transform {
  return new Transform({
    objectMode: true,
    transform(t: NotionalTick, _enc: BufferEncoding, done: TransformCallback) {
      done(null, withSector(t, sectors));
    },
  });
}

function windowCandles(variant: WorkloadVariant): Transform {
  const windows = new CandleWindows(variant.sizeMs, variant.slideMs);
  return new Transform({
    objectMode: true,
    transform(t: RichTick, _enc: BufferEncoding, done: TransformCallback) {
      windows.add(t, (c) => this.push(c));
      done();
    },
    flush(done: TransformCallback) {
      windows.flush((c) => this.push(c));
      done();
    },
  });
}

function checksumSink(checksum: Checksum): Writable {
  return new Writable({
    objectMode: true,
    write(c: Candle, _enc: BufferEncoding, done: (err?: Error | null) => void) {
      checksum.add(c);
      done();
    },
  });
}

export async function run(n: number, variant: WorkloadVariant): Promise<string> {
  const universe = new SymbolUniverse(variant.symbols);
  const checksum = new Checksum();
  await pipeline(
    tickSource(n, universe),
    filterValid(),
    mapNotional(),
    enrichSector(universe.sectors),
    windowCandles(variant),
    checksumSink(checksum),
  );
  return checksum.toString();
}
