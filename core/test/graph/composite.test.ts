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
  const p = createPipeline({
    components: [fromArray([3, -1, 0, 7], { name: 'numbers' }), Clean, Label, toArray(out, { name: 'out', from: 'label' })],
  });
  t.deepEqual(p.segments(), { numbers: ['clean/positive', 'clean/scaled', 'label'] });
  await p.run();
  t.deepEqual(out, ['#30', '#70']);
  t.is(p.stats().stages['clean/positive']!.recordsOut, 2);
});

test('composite › the same composite class serves two pipelines with other inputs', async (t) => {
  @Composite({ name: 'clean2', from: 'other', stages: [Positive, Scaled], output: 'scaled' })
  class Clean2 {}
  const out: number[] = [];
  await createPipeline({
    components: [fromArray([-5, 5], { name: 'other' }), Clean2, toArray(out, { name: 'out', from: 'clean2' })],
  }).run();
  t.deepEqual(out, [50]);
});

test('edges › a pipeline may override from: so one class reads another input', async (t) => {
  const out: string[] = [];
  await createPipeline({
    components: [
      fromArray([1, 2], { name: 'a' }),
      fromArray([8, 9], { name: 'b' }),
      Label,
      toArray(out, { name: 'out', from: 'label' }),
      toArray([], { name: 'sinkA', from: 'a' }),
    ],
    edges: { label: 'b' },
  }).run();
  t.deepEqual(out, ['#8', '#9']);
});

test('edges › overriding a composite by name rewires the inner stages that read its input', async (t) => {
  const out: string[] = [];
  await createPipeline({
    components: [
      fromArray([1, 2], { name: 'numbers' }),
      fromArray([4, -4], { name: 'other' }),
      Clean,
      Label,
      toArray(out, { name: 'out', from: 'label' }),
      toArray([], { name: 'rest', from: 'numbers' }),
    ],
    edges: { clean: 'other' },
  }).run();
  t.deepEqual(out, ['#40']);
});

test('composite › nested composites resolve their inputs through every level', async (t) => {
  @Stage({ name: 'inner', from: COMPOSITE_INPUT })
  class Inner implements Mapper<number, number> {
    map(n: number) {
      return n + 1;
    }
  }
  @Composite({ name: 'lvl1', from: COMPOSITE_INPUT, stages: [Inner], output: 'inner' })
  class Level1 {}
  @Composite({ name: 'lvl2', from: 'numbers', stages: [Level1, Positive], output: 'positive' })
  class Level2 {}
  // lvl2/positive reads $input too (numbers); lvl2/lvl1/inner reads lvl2's input as well.
  const out: number[] = [];
  const p = createPipeline({
    components: [
      fromArray([-1, 5], { name: 'numbers' }),
      Level2,
      toArray(out, { name: 'out', from: 'lvl2' }),
      toArray([], { name: 'o2', from: 'lvl2/lvl1' }),
    ],
  });
  t.deepEqual(Object.keys(p.segments()), ['numbers']);
  await p.run();
  t.deepEqual(out, [5]);
});

test('composite › one without input is refused, naming the composite', (t) => {
  @Composite({ name: 'floating', stages: [Positive], output: 'positive' })
  class Floating {}
  t.throws(
    () => createPipeline({ components: [fromArray([1], { name: 'numbers' }), Floating, toArray([], { name: 'out', from: 'floating' })] }),
    {
      message: /Composite 'floating' \(class Floating\) declares no input/,
    },
  );
});
