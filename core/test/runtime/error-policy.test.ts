import test from 'ava';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { OnError, Stage, type Enricher, type Mapper, type Processor, type StageContext } from '@sluice/sdk';

@Stage({ name: 'parsed', from: 'lines' })
@OnError({ then: 'dead-letter' })
class Parse implements Mapper<string, number> {
  map(line: string) {
    const n = Number(line);
    if (Number.isNaN(n)) throw new Error(`not a number: ${line}`);
    return n;
  }
}

test("@OnError › 'dead-letter' keeps going and keeps each rejected record with its error, stage and position", async (t) => {
  const out: number[] = [];
  const p = createPipeline({
    components: [fromArray(['1', 'x', '3', 'y'], { name: 'lines' }), Parse, toArray(out, { name: 'out', from: 'parsed' })],
  });
  const stats = await p.run();
  t.deepEqual(out, [1, 3]);
  const dead = p.deadLetters.records();
  t.deepEqual(
    dead.map((d) => [d.stage, d.value, d.position, d.error.message]),
    [
      ['parsed', 'x', 1, 'not a number: x'],
      ['parsed', 'y', 3, 'not a number: y'],
    ],
  );
  t.is(stats.stages.parsed!.deadLettered, 2);
  t.is(stats.stages.parsed!.errors, 2);
});

test("@OnError › 'skip' drops failing records and counts them", async (t) => {
  @Stage({ name: 'parsed', from: 'lines' })
  @OnError({ then: 'skip' })
  class Lenient implements Mapper<string, number> {
    map(line: string) {
      if (line === 'x') throw new Error('bad');
      return Number(line);
    }
  }
  const out: number[] = [];
  const p = createPipeline({
    components: [fromArray(['1', 'x', '3'], { name: 'lines' }), Lenient, toArray(out, { name: 'out', from: 'parsed' })],
  });
  const stats = await p.run();
  t.deepEqual(out, [1, 3]);
  t.is(stats.stages.parsed!.skipped, 1);
  t.is(p.deadLetters.size, 0);
});

test('@OnError › a downstream failure inside ctx.emit is charged to the downstream stage, not the emitter', async (t) => {
  @Stage({ name: 'split', from: 'lines' })
  class Split implements Processor<string, string> {
    process(line: string, ctx: StageContext<string>) {
      for (const part of line.split(',')) ctx.emit(part);
    }
  }
  @Stage({ name: 'parsed', from: 'split' })
  @OnError({ then: 'dead-letter' })
  class ParseParts implements Mapper<string, number> {
    map(part: string) {
      if (part === 'x') throw new Error('x');
      return Number(part);
    }
  }
  const out: number[] = [];
  const p = createPipeline({
    components: [fromArray(['1,x,2', '3'], { name: 'lines' }), Split, ParseParts, toArray(out, { name: 'out', from: 'parsed' })],
  });
  const stats = await p.run();
  t.deepEqual(out, [1, 2, 3]);
  t.is(stats.stages.split!.errors, 0);
  t.deepEqual(
    p.deadLetters.records().map((d) => [d.stage, d.value, d.position]),
    [['parsed', 'x', 0]],
  );
});

test('@OnError › an async enrich rejection goes to the dead letters too', async (t) => {
  @Stage({ name: 'looked', from: 'lines', concurrency: 4 })
  @OnError({ then: 'dead-letter' })
  class Lookup implements Enricher<string, string> {
    async enrich(s: string) {
      await new Promise((r) => setImmediate(r));
      if (s === 'x') throw new Error('unknown symbol x');
      return s.toUpperCase();
    }
  }
  const out: string[] = [];
  const p = createPipeline({
    components: [fromArray(['a', 'x', 'b'], { name: 'lines' }), Lookup, toArray(out, { name: 'out', from: 'looked' })],
  });
  await p.run();
  t.deepEqual(out, ['A', 'B']);
  t.deepEqual(
    p.deadLetters.records().map((d) => [d.stage, d.value, d.error.message]),
    [['looked', 'x', 'unknown symbol x']],
  );
});
