import test from 'ava';
import { createPipeline, defineSource, fromGenerator, toArray } from '@sluice/core';
import { EndOfStreamError, Stage, type Enricher } from '@sluice/sdk';

@Stage({ name: 'enriched', from: 'src', concurrency: 4 })
class PlusOne implements Enricher<number, number> {
  enrich(x: number) {
    return x + 1; // synchronous results: the enrich task never waits on I/O
  }
}

test('channel › a source that closes while the enrich stage is between reads still ends the run', async (t) => {
  // The source awaits a timer before each batch, so its last write and close land at any
  // moment of the reader's loop; a lost wake-up would leave run() pending forever.
  for (let round = 0; round < 20; round++) {
    let n = 0;
    const src = defineSource<number>(
      { name: 'src' },
      {
        async read() {
          await new Promise((r) => setTimeout(r, 1));
          if (n >= 50) throw new EndOfStreamError();
          return [n++, n++];
        },
      },
    );
    const out: number[] = [];
    await createPipeline({ components: [src, PlusOne, toArray(out, { name: 'out', from: 'enriched' })] }).run();
    t.is(out.length, 50);
  }
});

test('scheduling › timers still fire while a busy source is held back by a downstream stage', async (t) => {
  const out: number[] = [];
  const p = createPipeline({
    components: [
      fromGenerator(
        function* () {
          for (let i = 0; ; i++) yield i;
        },
        { name: 'src' },
      ),
      PlusOne,
      toArray(out, { name: 'out', from: 'enriched' }),
    ],
    channelCapacity: 2048,
  });
  const done = p.run();
  // If the source and the enrich task only woke each other through promises, this timer would
  // never fire and the run would never stop (the test would time out).
  await new Promise((r) => setTimeout(r, 100));
  await p.stop();
  const stats = await done;
  t.is(stats.sinks.out!.records, stats.sources.src!.records);
  t.true(stats.sources.src!.pausedCount > 0);
});
