import test from 'ava';
import { createPipeline, fromArray, MemoryStateBackend, toArray } from '@sluice/core';
import { StageHarness, VirtualClock } from '@sluice/core/testing';
import { OnError, Stage, SluiceError, type Processor, type StageContext, type TimeDomain } from '@sluice/sdk';

interface Tick {
  sym: string;
  ts: number;
  px: number;
}

// Counts and sums per key in three kinds of state; emits the key's view after each record.
@Stage({ name: 'acc', from: 'ticks', key: (t: Tick) => t.sym })
class PerKey implements Processor<Tick, string> {
  process(t: Tick, ctx: StageContext<string>) {
    const count = ctx.state.value<number>('count');
    const seen = ctx.state.map<number, number>('byTs');
    const prices = ctx.state.list<number>('prices');
    count.set((count.get() ?? 0) + 1);
    seen.set(t.ts, t.px);
    prices.add(t.px);
    ctx.emit(`${String(ctx.key)}:${count.get()}:${seen.size}:${prices.get().join('+')}`);
  }
}

test('keyed state › value, map and list state are scoped to the current key', (t) => {
  const h = StageHarness.create<Tick, string>(PerKey);
  h.push({ sym: 'A', ts: 1, px: 10 })
    .push({ sym: 'B', ts: 1, px: 20 })
    .push({ sym: 'A', ts: 2, px: 11 })
    .push({ sym: 'A', ts: 2, px: 12 })
    .push({ sym: 'B', ts: 5, px: 21 });
  t.deepEqual(h.take(), ['A:1:1:10', 'B:1:1:20', 'A:2:2:10+11', 'A:3:2:10+11+12', 'B:2:2:20+21']);
});

test('keyed state › object keys compare by value: a new but equal key object meets the same state', (t) => {
  @Stage({ name: 'k', from: 'x', key: (r: { a: string; b: number }) => ({ a: r.a, b: r.b }) })
  class ObjKey implements Processor<{ a: string; b: number }, number> {
    process(_r: { a: string; b: number }, ctx: StageContext<number>) {
      const n = ctx.state.value<number>('n');
      n.set((n.get() ?? 0) + 1);
      ctx.emit(n.get()!);
    }
  }
  const h = StageHarness.create<{ a: string; b: number }, number>(ObjKey);
  h.push({ a: 'x', b: 1 }).push({ a: 'x', b: 1 }).push({ a: 'x', b: 2 }).push({ a: 'x', b: 1 });
  t.deepEqual(h.take(), [1, 2, 1, 3]);
});

test('keyed state › lives in the pipeline state backend, one store per stage and name', async (t) => {
  const backend = new MemoryStateBackend();
  const ticks: Tick[] = [
    { sym: 'A', ts: 1, px: 10 },
    { sym: 'B', ts: 2, px: 20 },
    { sym: 'A', ts: 3, px: 30 },
  ];
  const out: string[] = [];
  await createPipeline({
    components: [fromArray(ticks, { name: 'ticks' }), PerKey, toArray(out, { name: 'out', from: 'acc' })],
    stateBackend: backend,
  }).run();
  t.deepEqual(out, ['A:1:1:10', 'B:1:1:20', 'A:2:2:10+30']);
  const stores = new Map([...backend.stores()].map(([stage, name, store]) => [`${stage}/${name}`, store]));
  t.is(stores.get('acc/state:count')?.get('A'), 2);
  t.deepEqual(stores.get('acc/state:prices')?.get('B'), [20]);
  t.deepEqual(
    [...(stores.get('acc/state:byTs')?.get('A') as Map<number, number>).entries()],
    [
      [1, 10],
      [3, 30],
    ],
  );
});

test('keyed state › clear and delete remove the key from the store (no leak per key)', (t) => {
  const backend = new MemoryStateBackend();
  @Stage({ name: 'c', from: 'x', key: (r: { k: string; op: string }) => r.k })
  class Clearing implements Processor<{ k: string; op: string }, never> {
    process(r: { k: string; op: string }, ctx: StageContext<never>) {
      const v = ctx.state.value<number>('v');
      const m = ctx.state.map<string, number>('m');
      const l = ctx.state.list<number>('l');
      if (r.op === 'set') {
        v.set(1);
        m.set('a', 1);
        l.add(1);
      } else {
        v.clear();
        m.delete('a');
        l.update([]);
      }
    }
  }
  const h = StageHarness.create(Clearing, { stateBackend: backend });
  h.push({ k: 'x', op: 'set' }).push({ k: 'y', op: 'set' }).push({ k: 'x', op: 'clear' });
  const states = [...backend.stores()].filter(([, name]) => name.startsWith('state:'));
  t.is(states.length, 3);
  for (const [, name, store] of states)
    t.deepEqual(
      [...store.entries()].map(([k]) => k),
      ['y'],
      name,
    );
});

test('keyed state › using state in an unkeyed stage, or one name as two kinds, fails naming the stage', (t) => {
  @Stage({ name: 'unkeyed', from: 'x' })
  class Unkeyed implements Processor<number, number> {
    process(v: number, ctx: StageContext<number>) {
      ctx.state.value('n').set(v);
    }
  }
  const e1 = t.throws(() => StageHarness.create(Unkeyed).push(1));
  t.regex(e1.message, /Stage 'unkeyed'.*ctx\.state needs a keyed stage; add the option key/);

  @Stage({ name: 'mixed', from: 'x', key: (v: number) => v })
  class Mixed implements Processor<number, number> {
    process(v: number, ctx: StageContext<number>) {
      ctx.state.value('s').set(v);
      ctx.state.list('s').add(v);
    }
  }
  const e2 = t.throws(() => StageHarness.create(Mixed).push(1));
  t.regex(e2.message, /state 's' is a value state, and is asked for here as a list state/);
});

// Emits "key@time/domain" when a timer fires; registers timers from the record.
@Stage({ name: 'timers', from: 'x', key: (r: { k: string }) => r.k })
class Timed implements Processor<{ k: string; event?: number[]; processing?: number[]; cancel?: number }, string> {
  process(r: { k: string; event?: number[]; processing?: number[]; cancel?: number }, ctx: StageContext<string>) {
    for (const at of r.event ?? []) ctx.timers.registerEventTime(at);
    for (const at of r.processing ?? []) ctx.timers.registerProcessingTime(at);
    if (r.cancel !== undefined) ctx.timers.deleteEventTime(r.cancel);
  }
  onTimer(time: number, ctx: StageContext<string>, domain: TimeDomain) {
    const fired = ctx.state.value<number>('fired');
    fired.set((fired.get() ?? 0) + 1);
    ctx.emit(`${String(ctx.key)}@${time}/${domain}#${fired.get()}`);
  }
}

test('timers › event-time timers fire in time order as the watermark passes them, with the key and its state', (t) => {
  const h = StageHarness.create<unknown, string>(Timed);
  h.push({ k: 'b', event: [300, 100] }, 10)
    .push({ k: 'a', event: [200, 100] }, 11)
    .push({ k: 'a', event: [100] }, 12) // same key and time: one timer
    .push({ k: 'c', event: [250], cancel: 250 }, 13); // registered, then deleted
  h.watermark(99);
  t.deepEqual(h.take(), []);
  h.watermark(200);
  // Equal times fire in registration order; each key counts its own firings.
  t.deepEqual(
    h.records.map((r) => [r.value, r.eventTime]),
    [
      ['b@100/event#1', 100],
      ['a@100/event#1', 100],
      ['a@200/event#2', 200],
    ],
  );
  h.take();
  h.end(); // end of input: the watermark reaches +Infinity
  t.deepEqual(h.records, [{ value: 'b@300/event#2', eventTime: 300 }]);
});

test('timers › processing-time timers follow the virtual clock, not the machine', (t) => {
  const clock = new VirtualClock(1_000);
  const h = StageHarness.create<unknown, string>(Timed, { clock });
  h.push({ k: 'a', processing: [1_500, 3_000] }).push({ k: 'b', processing: [2_000] });
  h.advanceProcessingTime(499);
  t.deepEqual(h.take(), []);
  h.advanceProcessingTime(1);
  t.deepEqual(h.records, [{ value: 'a@1500/processing#1', eventTime: undefined }]);
  h.take();
  h.setProcessingTime(10_000);
  t.deepEqual(h.take(), ['b@2000/processing#1', 'a@3000/processing#2']);
  h.end();
  t.deepEqual(h.take(), []);
});

test('timers › a timer registered while timers fire, at or before the watermark, fires in the same pass', (t) => {
  @Stage({ name: 'chain', from: 'x', key: () => 'k' })
  class Chain implements Processor<number, number> {
    process(v: number, ctx: StageContext<number>) {
      ctx.timers.registerEventTime(v);
    }
    onTimer(time: number, ctx: StageContext<number>) {
      ctx.emit(time);
      if (time < 103) ctx.timers.registerEventTime(time + 1);
    }
  }
  const h = StageHarness.create<number, number>(Chain);
  h.push(100).watermark(150);
  t.deepEqual(h.take(), [100, 101, 102, 103]);
});

test('timers › at end of input a timer that re-arms itself stops after the last pending time', (t) => {
  @Stage({ name: 'tick', from: 'x', key: (v: number) => v % 2 })
  class Heartbeat implements Processor<number, number> {
    process(v: number, ctx: StageContext<number>) {
      ctx.timers.registerEventTime(v);
    }
    onTimer(time: number, ctx: StageContext<number>) {
      ctx.emit(time);
      ctx.timers.registerEventTime(time + 10); // every 10 ms, forever
    }
  }
  const h = StageHarness.create<number, number>(Heartbeat);
  h.push(100).push(125).watermark(120);
  t.deepEqual(h.take(), [100, 110, 120]);
  h.end(); // pending then: 125 (key 1) and 130 (key 0)
  t.deepEqual(h.take(), [125, 130]);
});

test('timers › a throwing onTimer follows the stage @OnError policy', (t) => {
  @Stage({ name: 'bad', from: 'x', key: (v: number) => v })
  @OnError({ then: 'dead-letter' })
  class Bad implements Processor<number, number> {
    process(v: number, ctx: StageContext<number>) {
      ctx.timers.registerEventTime(v);
    }
    onTimer(time: number, ctx: StageContext<number>) {
      if (time === 2) throw new Error('boom at 2');
      ctx.emit(time);
    }
  }
  const h = StageHarness.create<number, number>(Bad);
  h.push(1).push(2).push(3).watermark(5);
  t.deepEqual(h.take(), [1, 3]);
  t.is(h.deadLetters.length, 1);
  t.deepEqual(h.deadLetters[0]!.value, { key: 2, time: 2, domain: 'event' });
  t.is(h.deadLetters[0]!.error.message, 'boom at 2');
});

test('timers › bad timer times are refused with a message naming the stage', (t) => {
  @Stage({ name: 'nan', from: 'x', key: () => 1 })
  class NaNTimer implements Processor<number, number> {
    process(_v: number, ctx: StageContext<number>) {
      ctx.timers.registerEventTime(Number.NaN);
    }
  }
  const e = t.throws(() => StageHarness.create(NaNTimer).push(1));
  t.true(SluiceError.is(e));
  t.regex(e.message, /Stage 'nan'.*ctx\.timers\.registerEventTime\(time\) needs a finite number of ms since the epoch, got NaN/);
});

test('timers › event-time timers in a running pipeline fire as source watermarks advance, and at end of input', async (t) => {
  // "No tick for 100 ms": each tick pushes its key's silence timer back.
  @Stage({ name: 'silence', from: 'ticks', key: (x: Tick) => x.sym })
  class Silence implements Processor<Tick, string> {
    process(x: Tick, ctx: StageContext<string>) {
      const last = ctx.state.value<number>('timer');
      const prev = last.get();
      if (prev !== undefined) ctx.timers.deleteEventTime(prev);
      last.set(x.ts + 100);
      ctx.timers.registerEventTime(x.ts + 100);
    }
    onTimer(time: number, ctx: StageContext<string>) {
      ctx.emit(`${String(ctx.key)} quiet since ${time - 100}`);
    }
  }
  const ticks: Tick[] = [
    { sym: 'A', ts: 0, px: 1 },
    { sym: 'B', ts: 10, px: 1 },
    { sym: 'A', ts: 50, px: 1 },
    // Processed before the watermark moves to 200: B's timer at 110 is replaced by 300 first
    // (a record is always processed against the watermark from before it); A's at 150 fires.
    { sym: 'B', ts: 200, px: 1 },
    { sym: 'A', ts: 400, px: 1 },
  ];
  const out: string[] = [];
  await createPipeline({
    components: [
      fromArray(ticks, { name: 'ticks', eventTime: (x: Tick) => x.ts, watermark: 'monotonous' }),
      Silence,
      toArray(out, { name: 'out', from: 'silence' }),
    ],
    batchSize: 1,
  }).run();
  t.deepEqual(out, ['A quiet since 50', 'B quiet since 200', 'A quiet since 400']);
});
