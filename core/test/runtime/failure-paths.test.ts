import test from 'ava';
import { createPipeline, defineSource, fromArray, toArray, toCallback } from '@sluice/core';
import {
  Composite,
  COMPOSITE_INPUT,
  EndOfStreamError,
  ErrorCodes,
  OnError,
  SluiceError,
  Stage,
  type Aggregator,
  type Enricher,
  type Mapper,
  type Processor,
  type StageContext,
} from '@sluice/sdk';

test('failure › a failing source never makes the sink flush (commit) or end-of-input results run over partial data', async (t) => {
  const events: string[] = [];
  let reads = 0;
  const broken = defineSource<number>(
    { name: 'src' },
    {
      read() {
        if (reads++ === 0) return [10, 20];
        throw new Error('disk gone');
      },
    },
  );
  @Stage({ name: 'total', from: 'src', key: () => 'all', emit: 'final' })
  class Total implements Aggregator<number, number, number> {
    create() {
      return 0;
    }
    add(a: number, n: number) {
      return a + n;
    }
    result(a: number) {
      events.push(`result ${a}`);
      return a;
    }
  }
  const sink = toCallback<number>(() => undefined, { name: 'out', from: 'total' });
  (sink.connector as { flush?: () => void }).flush = () => {
    events.push('flush');
  };
  const err = await t.throwsAsync(createPipeline({ components: [broken, Total, sink] }).run());
  t.true(SluiceError.is(err, ErrorCodes.SOURCE_FAILED));
  t.deepEqual(events, []);
});

test('failure › a fail policy holds even when user code between the stages swallows the throw', async (t) => {
  @Stage({ name: 'parse', from: 'lines' })
  class TolerantParse implements Processor<string, { qty: number; price?: number }> {
    process(line: string, ctx: StageContext<{ qty: number; price?: number }>) {
      try {
        ctx.emit(JSON.parse(line) as { qty: number; price?: number });
      } catch {
        // the author meant to skip bad JSON, and also catches what emit throws
      }
    }
  }
  @Stage({ name: 'price', from: 'parse' })
  class Price implements Mapper<{ qty: number; price?: number }, number> {
    map(o: { qty: number; price?: number }) {
      if (o.price === undefined) throw new Error('no price');
      return o.qty * o.price;
    }
  }
  const p = createPipeline({
    components: [
      fromArray(['{"qty":1,"price":2}', '{"qty":2}', '{"qty":3,"price":1}'], { name: 'lines' }),
      TolerantParse,
      Price,
      toArray([], { name: 'out', from: 'price' }),
    ],
  });
  const err = await t.throwsAsync(p.run());
  t.true(SluiceError.is(err, ErrorCodes.STAGE_FAILED));
  t.regex(err.message, /Stage 'price'/);
});

test('enrich › results that finish while downstream is blocked are delivered without waiting for new input', async (t) => {
  @Stage({ name: 'e', from: 'src', concurrency: 4 })
  class Slowish implements Enricher<number, number> {
    async enrich(n: number) {
      await new Promise((r) => setTimeout(r, 5));
      return n;
    }
  }
  let sent = false;
  let received = 0;
  let release!: () => void;
  const allIn = new Promise<void>((r) => (release = r));
  // Sends 4 records, then stays quiet until the sink has all 4: a lost wake-up would deadlock.
  const src = defineSource<number>(
    { name: 'src' },
    {
      async read() {
        if (!sent) {
          sent = true;
          return [0, 1, 2, 3];
        }
        await allIn;
        throw new EndOfStreamError();
      },
    },
  );
  await createPipeline({
    components: [
      src,
      Slowish,
      toCallback<number>(
        async (b) => {
          await new Promise((r) => setTimeout(r, 20));
          received += b.length;
          if (received === 4) release();
        },
        { name: 'out', from: 'e', channelCapacity: 1 },
      ),
    ],
  }).run();
  t.is(received, 4);
});

test('instances › a stage class used in two composites gets one instance per node', async (t) => {
  @Stage({ name: 'dedup', from: COMPOSITE_INPUT })
  class Dedup implements Processor<number, number> {
    private readonly seen = new Set<number>();
    process(n: number, ctx: StageContext<number>) {
      if (!this.seen.has(n)) {
        this.seen.add(n);
        ctx.emit(n);
      }
    }
  }
  @Composite({ name: 'cleanA', from: 'a', stages: [Dedup], output: 'dedup' })
  class CleanA {}
  @Composite({ name: 'cleanB', from: 'b', stages: [Dedup], output: 'dedup' })
  class CleanB {}
  const outA: number[] = [];
  const outB: number[] = [];
  await createPipeline({
    components: [
      fromArray([1, 2, 2, 3], { name: 'a' }),
      fromArray([1, 2, 3, 3], { name: 'b' }),
      CleanA,
      CleanB,
      toArray(outA, { name: 'oa', from: 'cleanA' }),
      toArray(outB, { name: 'ob', from: 'cleanB' }),
    ],
  }).run();
  t.deepEqual(outA, [1, 2, 3]);
  t.deepEqual(outB, [1, 2, 3]);
});

test('keys › keys that are arrays or objects are compared by value', async (t) => {
  @Stage({ name: 'sum', from: 'ticks', key: (x: { s: string; v: string; n: number }) => [x.s, x.v], emit: 'final' })
  class Sum implements Aggregator<{ n: number }, number, string> {
    create() {
      return 0;
    }
    add(a: number, x: { n: number }) {
      return a + x.n;
    }
    result(a: number, key: unknown) {
      return `${JSON.stringify(key)}=${a}`;
    }
  }
  const out: string[] = [];
  const ticks = [1, 2, 3].map((n) => ({ s: 'AAPL', v: 'X', n }));
  await createPipeline({ components: [fromArray(ticks, { name: 'ticks' }), Sum, toArray(out, { name: 'out', from: 'sum' })] }).run();
  t.deepEqual(out, ['["AAPL","X"]=6']);
});

test("keys › one key's failing result at end of input does not cost the other keys theirs", async (t) => {
  @Stage({ name: 'count', from: 'keys', key: (k: string) => k, emit: 'final' })
  @OnError({ then: 'dead-letter' })
  class Count implements Aggregator<string, number, string> {
    create() {
      return 0;
    }
    add(a: number) {
      return a + 1;
    }
    result(a: number, key: unknown) {
      if (key === 'b') throw new Error('bad key b');
      return `${String(key)}:${a}`;
    }
  }
  const out: string[] = [];
  const p = createPipeline({
    components: [fromArray(['a', 'b', 'c', 'd'], { name: 'keys' }), Count, toArray(out, { name: 'out', from: 'count' })],
  });
  await p.run();
  t.deepEqual(out.sort(), ['a:1', 'c:1', 'd:1']);
  t.deepEqual(
    p.deadLetters.records().map((d) => [d.stage, (d.value as { key: string }).key, d.error.message]),
    [['count', 'b', 'bad key b']],
  );
});

test('signal › a long-lived AbortSignal does not keep finished pipelines attached', async (t) => {
  const controller = new AbortController();
  let attached = 0;
  const add = controller.signal.addEventListener.bind(controller.signal);
  const remove = controller.signal.removeEventListener.bind(controller.signal);
  controller.signal.addEventListener = ((...args: Parameters<typeof add>) => (attached++, add(...args))) as typeof add;
  controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => (attached--, remove(...args))) as typeof remove;
  for (let i = 0; i < 20; i++) {
    await createPipeline({
      components: [fromArray([1], { name: 'n' }), toArray([], { name: 'o', from: 'n' })],
      signal: controller.signal,
    }).run();
  }
  t.is(attached, 0);
});
