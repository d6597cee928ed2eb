// file: docs/examples/lifecycle.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromGenerator, toCallback } from '@sluice/core';
import {
  EndOfStreamError,
  Inject,
  Sink,
  SluiceError,
  Source,
  Stage,
  type Mapper,
  type OnStart,
  type OnStop,
  type SinkConnector,
  type SourceConnector,
} from '@sluice/sdk';

/** Every component writes what happens to it into this log. */
export const LOG = Symbol('log');

@Source({ name: 'numbers', batchSize: 2 })
class Numbers implements SourceConnector<number>, OnStart, OnStop {
  private next = 1;
  constructor(@Inject(LOG) private readonly log: string[]) {}
  onStart() {
    this.log.push('numbers: onStart');
  }
  open() {
    this.log.push('numbers: open');
  }
  read(max: number): number[] {
    if (this.next > 3) throw new EndOfStreamError();
    const batch: number[] = [];
    while (batch.length < max && this.next <= 3) batch.push(this.next++);
    this.log.push(`numbers: read ${batch.join(',')}`);
    return batch;
  }
  close() {
    this.log.push('numbers: close');
  }
  onStop() {
    this.log.push('numbers: onStop');
  }
}

@Stage({ name: 'doubled', from: 'numbers' })
class Double implements Mapper<number, number>, OnStart, OnStop {
  constructor(@Inject(LOG) private readonly log: string[]) {}
  onStart() {
    this.log.push('doubled: onStart');
  }
  map(n: number) {
    return n * 2;
  }
  onStop() {
    this.log.push('doubled: onStop');
  }
}

@Sink({ name: 'printer', from: 'doubled' })
class Printer implements SinkConnector<number>, OnStart, OnStop {
  constructor(@Inject(LOG) private readonly log: string[]) {}
  onStart() {
    this.log.push('printer: onStart');
  }
  open() {
    this.log.push('printer: open');
  }
  write(batch: readonly number[]) {
    this.log.push(`printer: write ${batch.join(',')}`);
  }
  flush() {
    this.log.push('printer: flush');
  }
  close() {
    this.log.push('printer: close');
  }
  onStop() {
    this.log.push('printer: onStop');
  }
}

/** The order of the hooks in a run that ends by itself. */
export async function hookOrder(): Promise<string[]> {
  const log: string[] = [];
  const pipeline = createPipeline({ components: [Numbers, Double, Printer], providers: [{ provide: LOG, useValue: log }] });
  await pipeline.run();
  return log;
}

/** An endless source, stopped gracefully once 1000 records have arrived. */
export async function stopGracefully() {
  const received: number[] = [];
  let enough!: () => void;
  const gotEnough = new Promise<void>((resolve) => (enough = resolve));
  const pipeline = createPipeline({
    components: [
      fromGenerator(function* () {
        for (let i = 0; ; i++) yield i;
      }, { name: 'seq' }),
      toCallback((batch: readonly number[]) => {
        received.push(...batch);
        if (received.length >= 1000) enough();
      }, { name: 'out', from: 'seq' }),
    ],
  });
  await pipeline.start(); // hooks have run, records are moving
  await gotEnough;
  await pipeline.stop(); // the source stops pulling; what it already read drains to the sink
  return { state: pipeline.stats().state, received: received.length, noGaps: received.every((n, i) => n === i) };
}

/** The same endless source, cancelled through an AbortSignal: run() rejects. */
export async function cancelWithSignal() {
  const controller = new AbortController();
  let received = 0;
  const pipeline = createPipeline({
    signal: controller.signal,
    components: [
      fromGenerator(function* () {
        for (let i = 0; ; i++) yield i;
      }, { name: 'seq' }),
      toCallback((batch: readonly number[]) => {
        received += batch.length;
        if (received >= 1000) controller.abort();
      }, { name: 'out', from: 'seq' }),
    ],
  });
  try {
    await pipeline.run();
    return { code: 'none', state: pipeline.stats().state };
  } catch (err) {
    return { code: SluiceError.is(err) ? err.code : String(err), state: pipeline.stats().state };
  }
}

export async function main() {
  return { hookOrder: await hookOrder(), stopGracefully: await stopGracefully(), cancelWithSignal: await cancelWithSignal() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.dir(await main(), { depth: null });
