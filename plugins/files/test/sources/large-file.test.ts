import test from 'ava';
import { appendFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createPipeline, defineSink, defineSource } from '@sluice/core';
import { CsvSource, JsonLinesSource } from '@sluice/files';
import { tempDir } from '../helpers.js';

const LINES = 200_000;

function write(path: string, header: string | undefined, line: (i: number) => string): void {
  if (header !== undefined) appendFileSync(path, `${header}\n`);
  for (let from = 0; from < LINES; from += 10_000) {
    let text = '';
    for (let i = from; i < from + 10_000; i++) text += `${line(i)}\n`;
    appendFileSync(path, text);
  }
}

// Streams the file through a real pipeline, keeping only a count and a checksum, and samples the
// memory held in buffers on every batch: a source that read the file whole would hold it all.
async function stream(source: JsonLinesSource<{ i: number }> | CsvSource<{ i: number }>) {
  let count = 0;
  let sum = 0;
  const base = process.memoryUsage().arrayBuffers;
  let maxBuffers = 0;
  const pipeline = createPipeline({
    components: [
      defineSource({ name: 'big' }, source),
      defineSink<{ i: number }>(
        { name: 'count', from: 'big' },
        {
          write(batch) {
            for (const r of batch) {
              count++;
              sum += r.i;
            }
            maxBuffers = Math.max(maxBuffers, process.memoryUsage().arrayBuffers - base);
          },
        },
      ),
    ],
  });
  const stats = await pipeline.run();
  return { count, sum, maxBuffers, stats };
}

test(`large files › ${LINES} JSON lines stream through in bounded memory, every record once, in order`, async (t) => {
  const path = join(tempDir(t), 'big.jsonl');
  write(path, undefined, (i) => JSON.stringify({ i, symbol: 'AAPL', price: 190 + (i % 100) / 100, note: 'x'.repeat(40) }));
  const size = statSync(path).size;
  t.true(size > 15_000_000);
  const got = await stream(new JsonLinesSource<{ i: number }>(path));
  t.is(got.count, LINES);
  t.is(got.sum, (LINES * (LINES - 1)) / 2);
  t.is(got.stats.sources.big!.deadLettered, 0);
  t.true(got.maxBuffers < size / 4, `buffers grew by ${got.maxBuffers} bytes for a ${size}-byte file`);
});

test(`large files › ${LINES} CSV rows stream through in bounded memory`, async (t) => {
  const path = join(tempDir(t), 'big.csv');
  write(path, 'i,symbol,price,note', (i) => `${i},AAPL,${190 + (i % 100) / 100},"a, quoted ""note"""`);
  const size = statSync(path).size;
  const got = await stream(new CsvSource<{ i: number }>(path, { types: { i: 'integer', price: 'number' } }));
  t.is(got.count, LINES);
  t.is(got.sum, (LINES * (LINES - 1)) / 2);
  t.true(got.maxBuffers < size / 4, `buffers grew by ${got.maxBuffers} bytes for a ${size}-byte file`);
});
