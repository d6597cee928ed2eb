import { Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CandleWindows } from '../workload/candle-windows.js';
import { Checksum } from '../workload/checksum.js';
import { isValid, withNotional, withSector } from '../workload/stages.js';
import type { Candle, NotionalTick, RichTick, Tick } from '../workload/tick.js';
import { TickGenerator } from '../workload/tick-generator.js';

/** Generates lazily in read(), pushing until the buffer is full (backpressure). */
function tickSource(n: number): Readable {
  const source = new TickGenerator(n);
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

function enrichSector(): Transform {
  return new Transform({
    objectMode: true,
    transform(t: NotionalTick, _enc: BufferEncoding, done: TransformCallback) {
      done(null, withSector(t));
    },
  });
}

function windowCandles(): Transform {
  const windows = new CandleWindows();
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

export async function run(n: number): Promise<string> {
  const checksum = new Checksum();
  await pipeline(tickSource(n), filterValid(), mapNotional(), enrichSector(), windowCandles(), checksumSink(checksum));
  return checksum.toString();
}
