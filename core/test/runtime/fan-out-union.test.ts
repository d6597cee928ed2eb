import test from 'ava';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { Stage, type Filter, type Mapper } from '@sluice/sdk';

@Stage({ name: 'even', from: 'numbers' })
class Even implements Filter<number> {
  filter(n: number) {
    return n % 2 === 0;
  }
}

@Stage({ name: 'odd', from: 'numbers' })
class Odd implements Filter<number> {
  filter(n: number) {
    return n % 2 === 1;
  }
}

@Stage({ name: 'tagged', from: ['even', 'odd', 'letters'] })
class Tagged implements Mapper<number | string, string> {
  map(v: number | string) {
    return `<${v}>`;
  }
}

const numbers = Array.from({ length: 5000 }, (_, i) => i);
const letters = ['a', 'b', 'c'];

test('fan-out › one stage feeds several stages and sinks, each receiving every record', async (t) => {
  const evens: number[] = [];
  const odds: number[] = [];
  const all: number[] = [];
  await createPipeline({
    components: [
      fromArray(numbers, { name: 'numbers' }),
      Even,
      Odd,
      toArray(evens, { name: 'evens', from: 'even' }),
      toArray(odds, { name: 'odds', from: 'odd' }),
      toArray(all, { name: 'all', from: 'numbers' }),
    ],
  }).run();
  t.deepEqual(
    evens,
    numbers.filter((n) => n % 2 === 0),
  );
  t.deepEqual(
    odds,
    numbers.filter((n) => n % 2 === 1),
  );
  t.deepEqual(all, numbers);
});

test('union › a stage reading several inputs receives all their records, each input in its order', async (t) => {
  const out: string[] = [];
  const p = createPipeline({
    components: [
      fromArray(numbers, { name: 'numbers' }),
      fromArray(letters, { name: 'letters' }),
      Even,
      Odd,
      Tagged,
      toArray(out, { name: 'out', from: 'tagged' }),
    ],
    batchSize: 64,
  });
  await p.run();
  t.is(out.length, numbers.length + letters.length);
  t.deepEqual(
    out.filter((s) => /^<[a-z]>$/.test(s)),
    ['<a>', '<b>', '<c>'],
  );
  const evens = out.filter((s) => /^<\d+>$/.test(s) && Number(s.slice(1, -1)) % 2 === 0);
  t.deepEqual(
    evens,
    numbers.filter((n) => n % 2 === 0).map((n) => `<${n}>`),
  );
  t.deepEqual([...out].sort(), [...numbers, ...letters].map((v) => `<${v}>`).sort());
  const stats = p.stats();
  t.is(stats.stages.tagged!.recordsOut, numbers.length + letters.length);
  t.is(stats.stages.tagged!.recordsIn, numbers.length + letters.length);
  t.is(stats.stages.even!.recordsIn, numbers.length);
  t.is(stats.sinks.out!.records, numbers.length + letters.length);
});
