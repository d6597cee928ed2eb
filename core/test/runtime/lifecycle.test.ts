import test from 'ava';
import { createPipeline, fromArray, fromGenerator, toArray, toCallback } from '@sluice/core';
import { ErrorCodes, SluiceError, Stage, type Enricher, type Mapper, type OnStart, type OnStop } from '@sluice/sdk';

function unbounded() {
  return fromGenerator(
    function* () {
      for (let i = 0; ; i++) yield i;
    },
    { name: 'numbers' },
  );
}

test('lifecycle › onStart runs before the first record and onStop after the last', async (t) => {
  const events: string[] = [];
  @Stage({ name: 'hooked', from: 'numbers' })
  class Hooked implements Mapper<number, number>, OnStart, OnStop {
    async onStart() {
      await new Promise((r) => setTimeout(r, 5));
      events.push('start');
    }
    map(n: number) {
      events.push(`map${n}`);
      return n;
    }
    onStop() {
      events.push('stop');
    }
  }
  await createPipeline({
    components: [fromArray([1, 2], { name: 'numbers' }), Hooked, toArray([], { name: 'out', from: 'hooked' })],
  }).run();
  t.deepEqual(events, ['start', 'map1', 'map2', 'stop']);
});

test('stop › drains: every record read from the source reaches the sink, through an async stage too', async (t) => {
  @Stage({ name: 'slow', from: 'numbers', concurrency: 8 })
  class Slow implements Enricher<number, number> {
    async enrich(n: number) {
      await new Promise((r) => setImmediate(r));
      return n;
    }
  }
  const out: number[] = [];
  const p = createPipeline({ components: [unbounded(), Slow, toArray(out, { name: 'out', from: 'slow' })], batchSize: 100 });
  const done = p.run();
  while (out.length < 5000) await new Promise((r) => setTimeout(r, 5));
  await p.stop();
  const stats = await done;
  t.is(stats.state, 'stopped');
  const read = stats.sources.numbers!.records;
  t.true(read >= 5000);
  t.is(out.length, read);
  t.deepEqual(
    out,
    Array.from({ length: read }, (_, i) => i),
  );
});

test('abort › the AbortSignal cancels the run, which rejects with SLUICE_ERR_ABORTED', async (t) => {
  const controller = new AbortController();
  let seen = 0;
  const p = createPipeline({
    components: [
      unbounded(),
      toCallback<number>(
        async (b) => {
          seen += b.length;
          await new Promise((r) => setTimeout(r, 1));
        },
        { name: 'out', from: 'numbers' },
      ),
    ],
    signal: controller.signal,
  });
  const running = p.run();
  while (seen === 0) await new Promise((r) => setTimeout(r, 1));
  controller.abort();
  const err = await t.throwsAsync(running);
  t.true(SluiceError.is(err, ErrorCodes.ABORTED));
  t.is(p.stats().state, 'failed');
});

test('run › a pipeline runs once; a second run is refused', async (t) => {
  const p = createPipeline({ components: [fromArray([1], { name: 'n' }), toArray([], { name: 'out', from: 'n' })] });
  await p.run();
  await t.throwsAsync(p.start(), { message: /already started/ });
});

test('errors › a throwing stage fails the pipeline by default, naming the stage and the record position', async (t) => {
  @Stage({ name: 'picky', from: 'n' })
  class Picky implements Mapper<number, number> {
    map(n: number) {
      if (n === 3) throw new Error('three is not allowed');
      return n;
    }
  }
  const p = createPipeline({ components: [fromArray([1, 2, 3, 4], { name: 'n' }), Picky, toArray([], { name: 'out', from: 'picky' })] });
  const err = await t.throwsAsync(p.run());
  t.true(SluiceError.is(err, ErrorCodes.STAGE_FAILED));
  t.regex(err.message, /Stage 'picky' \(class Picky\) failed on the record at position 2 of its source: three is not allowed/);
  t.is((err.cause as Error).message, 'three is not allowed');
});

test('errors › a failing hook fails start-up with SLUICE_ERR_LIFECYCLE_FAILED', async (t) => {
  @Stage({ name: 'broken', from: 'n' })
  class Broken implements Mapper<number, number>, OnStart {
    onStart() {
      throw new Error('no database');
    }
    map(n: number) {
      return n;
    }
  }
  const p = createPipeline({ components: [fromArray([1], { name: 'n' }), Broken, toArray([], { name: 'out', from: 'broken' })] });
  const err = await t.throwsAsync(p.run());
  t.true(SluiceError.is(err, ErrorCodes.LIFECYCLE_FAILED));
  t.regex(err.message, /stage 'broken' \(class Broken\).*no database/);
});
