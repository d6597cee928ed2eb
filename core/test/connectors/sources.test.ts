import test from 'ava';
import { createPipeline, defineSource, fromAsyncIterable, fromIterable, toArray } from '@sluice/core';
import { BackoffError, DisconnectedError, EndOfStreamError, Source, type SourceConnector } from '@sluice/sdk';

test('fromIterable › reads any iterable lazily in batches', async (t) => {
  const out: number[] = [];
  await createPipeline({ components: [fromIterable(new Set([1, 2, 3]), { name: 's' }), toArray(out, { name: 'out', from: 's' })] }).run();
  t.deepEqual(out, [1, 2, 3]);
});

test('fromAsyncIterable › reads an async generator, batching what is ready, losing nothing', async (t) => {
  async function* gen() {
    for (let i = 0; i < 2500; i++) {
      if (i % 500 === 0) await new Promise((r) => setTimeout(r, 1));
      yield i;
    }
  }
  const out: number[] = [];
  const p = createPipeline({
    components: [fromAsyncIterable(gen(), { name: 's' }), toArray(out, { name: 'out', from: 's' })],
    batchSize: 256,
  });
  const stats = await p.run();
  t.deepEqual(
    out,
    Array.from({ length: 2500 }, (_, i) => i),
  );
  t.true(stats.sources.s!.batches >= 10);
});

test('source contract › DisconnectedError re-opens the source and BackoffError waits, then reading resumes', async (t) => {
  const calls: string[] = [];
  @Source({ name: 'flaky', batchSize: 2 })
  class Flaky implements SourceConnector<number> {
    private n = 0;
    private step = 0;
    open() {
      calls.push('open');
    }
    read() {
      this.step++;
      if (this.step === 2) throw new DisconnectedError('link down');
      if (this.step === 4) throw new BackoffError(5);
      if (this.n >= 6) throw new EndOfStreamError();
      return [this.n++, this.n++];
    }
    close() {
      calls.push('close');
    }
  }
  const out: number[] = [];
  await createPipeline({ components: [Flaky, toArray(out, { name: 'out', from: 'flaky' })] }).run();
  t.deepEqual(out, [0, 1, 2, 3, 4, 5]);
  t.deepEqual(calls, ['open', 'open', 'close']);
});

test('source contract › any other error fails the pipeline naming the source', async (t) => {
  const broken = defineSource<number>(
    { name: 'broken' },
    {
      read() {
        throw new Error('disk on fire');
      },
    },
  );
  await t.throwsAsync(createPipeline({ components: [broken, toArray([], { name: 'out', from: 'broken' })] }).run(), {
    message: /Source 'broken' .* failed to read: disk on fire/,
  });
});

test('event time › a source eventTime option makes ctx.eventTime available downstream', async (t) => {
  const { Stage } = await import('@sluice/sdk');
  @Stage({ name: 'stamped', from: 'ticks' })
  class Stamped {
    process(v: { ts: number }, ctx: { emit(x: unknown): void; eventTime: number | undefined }) {
      ctx.emit(ctx.eventTime);
    }
  }
  const out: unknown[] = [];
  await createPipeline({
    components: [
      fromIterable([{ ts: 5 }, { ts: 7 }], { name: 'ticks', eventTime: (v: { ts: number }) => v.ts * 1000 }),
      Stamped,
      toArray(out, { name: 'out', from: 'stamped' }),
    ],
  }).run();
  t.deepEqual(out, [5000, 7000]);
});

test('source contract › read() returning something other than an array fails with a clear message', async (t) => {
  const wrong = defineSource<number>({ name: 'wrong' }, { read: () => 42 as never });
  await t.throwsAsync(createPipeline({ components: [wrong, toArray([], { name: 'out', from: 'wrong' })] }).run(), {
    message: /Source 'wrong' .*read\(\) returned number, not an array of records/,
  });
});

test('stop › ends a source whose read is waiting for data that never comes', async (t) => {
  async function* quiet() {
    yield 1;
    await new Promise(() => undefined); // a feed that has gone silent
  }
  const out: number[] = [];
  const p = createPipeline({ components: [fromAsyncIterable(quiet(), { name: 'q' }), toArray(out, { name: 'out', from: 'q' })] });
  const done = p.run();
  while (out.length === 0) await new Promise((r) => setTimeout(r, 2));
  await p.stop();
  t.is((await done).state, 'stopped');
  t.deepEqual(out, [1]);
});

test('source contract › a source that is down at start-up is re-opened with back-off, not failed', async (t) => {
  let opens = 0;
  let sent = false;
  const late = defineSource<number>(
    { name: 'late' },
    {
      open() {
        if (++opens < 3) throw new DisconnectedError('not up yet');
      },
      read() {
        if (sent) throw new EndOfStreamError();
        sent = true;
        return [7];
      },
    },
  );
  const out: number[] = [];
  await createPipeline({ components: [late, toArray(out, { name: 'out', from: 'late' })] }).run();
  t.deepEqual(out, [7]);
  t.is(opens, 3);
});

test('source contract › an open() that fails otherwise fails start-up with SLUICE_ERR_SOURCE_FAILED', async (t) => {
  const bad = defineSource<number>(
    { name: 'bad' },
    {
      open: () => {
        throw new Error('no such file');
      },
      read: () => [],
    },
  );
  await t.throwsAsync(createPipeline({ components: [bad, toArray([], { name: 'out', from: 'bad' })] }).run(), {
    message: /Source 'bad' .* failed to open: no such file/,
  });
});

test('source contract › an idle source (empty reads) is polled with back-off, not in a busy loop', async (t) => {
  let reads = 0;
  const idle = defineSource<number>({ name: 'idle' }, { read: () => (reads++, []) });
  const p = createPipeline({ components: [idle, toArray([], { name: 'out', from: 'idle' })] });
  const done = p.run();
  await new Promise((r) => setTimeout(r, 300));
  await p.stop();
  await done;
  // A busy loop makes well over 100,000 reads in 300 ms; back-off capped at 50 ms makes about 15.
  t.true(reads < 1000, `${reads} reads`);
  t.true(reads > 2);
});
