import test from 'ava';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { Stage, type Enricher } from '@sluice/sdk';

// Deterministic "random" delays: the same every run, varied enough to finish out of order.
function delayOf(n: number): number {
  let x = (n * 2654435761) >>> 0;
  x ^= x >>> 13;
  return x % 7;
}

function enrichStage(ordered: boolean, concurrency: number) {
  @Stage({ name: 'slow', from: 'numbers', concurrency, ordered })
  class Slow implements Enricher<number, number> {
    async enrich(n: number) {
      await new Promise((r) => setTimeout(r, delayOf(n)));
      return n * 2;
    }
  }
  return Slow;
}

const numbers = Array.from({ length: 400 }, (_, i) => i);

test('enrich › ordered (the default) keeps input order despite random completion order', async (t) => {
  const out: number[] = [];
  const p = createPipeline({
    components: [fromArray(numbers, { name: 'numbers' }), enrichStage(true, 16), toArray(out, { name: 'out', from: 'slow' })],
  });
  await p.run();
  t.deepEqual(
    out,
    numbers.map((n) => n * 2),
  );
  const s = p.stats().stages.slow!;
  t.is(s.maxInFlight, 16);
  t.is(s.inFlight, 0);
});

test('enrich › unordered emits as calls complete: same records, another order, concurrency respected', async (t) => {
  const out: number[] = [];
  const p = createPipeline({
    components: [fromArray(numbers, { name: 'numbers' }), enrichStage(false, 16), toArray(out, { name: 'out', from: 'slow' })],
  });
  await p.run();
  t.deepEqual(
    [...out].sort((a, b) => a - b),
    numbers.map((n) => n * 2),
  );
  t.notDeepEqual(
    out,
    numbers.map((n) => n * 2),
  );
  t.true(p.stats().stages.slow!.maxInFlight <= 16);
});

test('enrich › concurrency 1 runs calls strictly one after another', async (t) => {
  let running = 0;
  let maxRunning = 0;
  @Stage({ name: 'serial', from: 'numbers' })
  class Serial implements Enricher<number, number> {
    async enrich(n: number) {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, delayOf(n) % 2));
      running--;
      return n;
    }
  }
  const out: number[] = [];
  await createPipeline({
    components: [fromArray(numbers.slice(0, 50), { name: 'numbers' }), Serial, toArray(out, { name: 'out', from: 'serial' })],
  }).run();
  t.is(maxRunning, 1);
  t.deepEqual(out, numbers.slice(0, 50));
});
