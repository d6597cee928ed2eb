import test from 'ava';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { Composite, COMPOSITE_INPUT, Stage, type Filter, type Mapper } from '@sluice/sdk';

@Stage({ name: 'positive', from: COMPOSITE_INPUT })
class Positive implements Filter<number> {
  filter(n: number) {
    return n > 0;
  }
}

@Stage({ name: 'scaled', from: 'positive' })
class Scaled implements Mapper<number, number> {
  map(n: number) {
    return n * 10;
  }
}

@Composite({ name: 'clean', from: 'numbers', stages: [Positive, Scaled], output: 'scaled' })
class Clean {}

@Stage({ name: 'label', from: 'clean' })
class Label implements Mapper<number, string> {
  map(n: number) {
    return `#${n}`;
  }
}

test('composite › a packaged sub-graph is used like one stage, its stages named under it', async (t) => {
  const out: string[] = [];
  const p = createPipeline({ components: [fromArray([3, -1, 0, 7], { name: 'numbers' }), Clean, Label, toArray(out, { name: 'out', from: 'label' })] });
  t.deepEqual(p.segments(), { numbers: ['clean/positive', 'clean/scaled', 'label'] });
  await p.run();
  t.deepEqual(out, ['#30', '#70']);
  t.is(p.stats().stages['clean/positive']!.recordsOut, 2);
});

test('composite › the same composite class serves two pipelines with other inputs', async (t) => {
  @Composite({ name: 'clean2', from: 'other', stages: [Positive, Scaled], output: 'scaled' })
  class Clean2 {}
  const out: number[] = [];
  await createPipeline({ components: [fromArray([-5, 5], { name: 'other' }), Clean2, toArray(out, { name: 'out', from: 'clean2' })] }).run();
  t.deepEqual(out, [50]);
});

test('edges › a pipeline may override from: so one class reads another input', async (t) => {
  const out: string[] = [];
  await createPipeline({
    components: [fromArray([1, 2], { name: 'a' }), fromArray([8, 9], { name: 'b' }), Label, toArray(out, { name: 'out', from: 'label' }), toArray([], { name: 'sinkA', from: 'a' })],
    edges: { label: 'b' },
  }).run();
  t.deepEqual(out, ['#8', '#9']);
});
