// file: docs/examples/backpressure.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromGenerator, toCallback } from '@sluice/core';

export const COUNT = 10_000;
export const BATCH = 100;
export const CAPACITY = 300;

export async function main() {
  let produced = 0; // records the generator has made
  let written = 0; // records the sink has finished writing
  let maxAhead = 0; // the most records ever made but not yet written
  const received: number[] = [];

  const pipeline = createPipeline({
    components: [
      // A fast source: it could make all 10 000 records at once.
      fromGenerator(
        function* () {
          for (let i = 0; i < COUNT; i++) {
            produced += 1;
            yield i;
          }
        },
        { name: 'numbers', batchSize: BATCH },
      ),
      // A slow sink: every batch takes a timer tick, like a round trip to a database.
      toCallback(
        async (batch: readonly number[]) => {
          maxAhead = Math.max(maxAhead, produced - written);
          await new Promise((resolve) => setTimeout(resolve, 1));
          received.push(...batch);
          written += batch.length;
        },
        { name: 'db', from: 'numbers', channelCapacity: CAPACITY },
      ),
    ],
  });

  const stats = await pipeline.run();
  return {
    received: received.length,
    inOrder: received.every((n, i) => n === i),
    maxAhead,
    channel: stats.channels.db!,
    source: stats.sources.numbers!,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.dir(await main(), { depth: null });
