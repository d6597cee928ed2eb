import test from 'ava';
import { createPipeline, defineSink, defineSource } from '@sluice/core';
import { EndOfStreamError, type PushEmitter, type SinkConnector, type SourceConnector } from '@sluice/sdk';

class CountingSource implements SourceConnector<number> {
  private n = 0;
  reads = 0;
  read(max: number): number[] {
    this.reads++;
    if (this.n >= 100) throw new EndOfStreamError();
    const out: number[] = [];
    while (out.length < max && this.n < 100) out.push(this.n++);
    return out;
  }
  metrics() {
    return { reads: this.reads, handedOut: this.n };
  }
}

class CountingSink implements SinkConnector<number> {
  writes = 0;
  write(): void {
    this.writes++;
  }
  metrics() {
    return { writes: this.writes };
  }
}

test('connector metrics › a source’s and a sink’s metrics() appear in their stats as `connector`, read live', async (t) => {
  const source = new CountingSource();
  const sink = new CountingSink();
  const pipeline = createPipeline({
    components: [defineSource({ name: 'numbers' }, source), defineSink({ name: 'out', from: 'numbers' }, sink)],
    batchSize: 10,
  });
  const stats = await pipeline.run();
  t.deepEqual(stats.sources.numbers!.connector, { reads: source.reads, handedOut: 100 });
  t.true(source.reads >= 11);
  t.deepEqual(stats.sinks.out!.connector, { writes: 10 });
});

test('connector metrics › a push source reports through the engine’s adapter; a metrics() that throws reports nothing and breaks nothing', async (t) => {
  let emitter: PushEmitter<number> | undefined;
  const push = defineSource<number>(
    { name: 'feed' },
    {
      subscribe(e: PushEmitter<number>) {
        emitter = e;
        for (let i = 0; i < 5; i++) e.emit(i);
        e.end();
      },
      metrics: () => ({ subscribed: emitter === undefined ? 0 : 1 }),
    },
  );
  const broken = defineSink<number>(
    { name: 'out', from: 'feed' },
    {
      write: () => undefined,
      metrics: () => {
        throw new Error('oops');
      },
    },
  );
  const stats = await createPipeline({ components: [push, broken] }).run();
  t.deepEqual(stats.sources.feed!.connector, { subscribed: 1 });
  t.deepEqual(stats.sinks.out!.connector, {});
  t.is(stats.sinks.out!.records, 5);
});

test('connector metrics › a connector without metrics() has no `connector` field', async (t) => {
  const stats = await createPipeline({
    components: [
      defineSource(
        { name: 'n' },
        {
          read: () => {
            throw new EndOfStreamError();
          },
        },
      ),
      defineSink({ name: 'o', from: 'n' }, { write: () => undefined }),
    ],
  }).run();
  t.false('connector' in stats.sources.n!);
  t.false('connector' in stats.sinks.o!);
});
