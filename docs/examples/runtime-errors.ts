// file: docs/examples/runtime-errors.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, defineSink, defineSource, fromArray, toArray, toCallback } from '@sluice/core';
import { parseDuration, SluiceError, Stage, type Mapper, type OnStart } from '@sluice/sdk';

@Stage({ name: 'parsed', from: 'lines' })
class ParsePrice implements Mapper<string, number> {
  map(line: string): number {
    const n = Number(line);
    if (Number.isNaN(n)) throw new Error(`not a number: "${line}"`);
    return n;
  }
}

@Stage({ name: 'warm', from: 'lines' })
class WarmCache implements Mapper<string, string>, OnStart {
  onStart(): void {
    throw new Error('reference data service unreachable');
  }
  map(line: string): string {
    return line;
  }
}

const lines = () => fromArray(['1', '2', 'x'], { name: 'lines' });

/** Each case goes wrong while running (or, for the duration, while parsing an option). */
const cases: Record<string, () => Promise<unknown> | unknown> = {
  'bad duration': () => parseDuration('1 second', 'timeout'),
  'stage throws': () => createPipeline({ components: [lines(), ParsePrice, toArray([], { name: 'out', from: 'parsed' })] }).run(),
  'source read throws': () =>
    createPipeline({
      components: [
        defineSource({ name: 'feed' }, { read: () => Promise.reject(new Error('HTTP 500 from the feed')) }),
        toArray([], { name: 'out', from: 'feed' }),
      ],
    }).run(),
  'sink write throws': () =>
    createPipeline({
      components: [
        lines(),
        defineSink({ name: 'db', from: 'lines' }, { write: () => Promise.reject(new Error('unique constraint violated')) }),
      ],
    }).run(),
  'onStart throws': () => createPipeline({ components: [lines(), WarmCache, toArray([], { name: 'out', from: 'warm' })] }).run(),
  'started twice': async () => {
    const pipeline = createPipeline({ components: [lines(), toArray([], { name: 'out', from: 'lines' })] });
    await pipeline.start();
    await pipeline.start();
  },
  'aborted': () => {
    const controller = new AbortController();
    const pipeline = createPipeline({
      name: 'prices',
      signal: controller.signal,
      components: [lines(), toCallback(() => controller.abort(), { name: 'out', from: 'lines' })],
    });
    return pipeline.run();
  },
};

export async function main(): Promise<{ case: string; code: string; message: string }[]> {
  const found: { case: string; code: string; message: string }[] = [];
  for (const [name, run] of Object.entries(cases)) {
    try {
      await run();
      found.push({ case: name, code: 'none', message: 'no error' });
    } catch (err) {
      if (!SluiceError.is(err)) throw err;
      found.push({ case: name, code: err.code, message: err.message });
    }
  }
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const f of await main()) console.log(`${f.case}: ${f.code}\n  ${f.message}`);
}
