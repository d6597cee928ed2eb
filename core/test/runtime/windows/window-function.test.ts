import test from 'ava';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { StageHarness } from '@sluice/core/testing';
import {
  OnError,
  Stage,
  Triggers,
  Window,
  type WindowBounds,
  type WindowFunction,
  type WindowOptions,
  type WindowResult,
} from '@sluice/sdk';
import type { Rec } from './window-oracle.js';

function listing(window: WindowOptions) {
  @Stage({ name: 'list', from: 'recs', key: (r: Rec) => r.key })
  @Window(window)
  class Listing implements WindowFunction<Rec, string> {
    apply(recs: readonly Rec[], w: WindowBounds) {
      if (recs.some((r) => r.id < 0)) throw new Error(`negative id in window ${w.start}`);
      return `${String(w.key)}@${w.start}-${w.end}:${recs.map((r) => r.id).join(',')}`;
    }
  }
  return Listing;
}

const recs: Rec[] = [
  { key: 1, t: 1, id: 1 },
  { key: 2, t: 2, id: 2 },
  { key: 1, t: 5, id: 3 },
  { key: 1, t: 12, id: 4 },
  { key: 1, t: 13, id: 5 },
];

for (const [name, window, expected] of [
  ['tumbling', { tumbling: 10 }, ['1@0-10:1,3', '1@10-20:4,5', '2@0-10:2']],
  ['count', { count: { size: 2 } }, ['1@1-6:1,3', '1@12-14:4,5', '2@2-3:2']],
  ['global', { global: { trigger: Triggers.count(3), mode: 'discard' } }, ['1@1-13:1,3,4', '1@13-14:5', '2@2-3:2']],
] as const) {
  test(`whole-window functions › get every record of a ${name} window, in arrival order, with its bounds`, (t) => {
    const h = StageHarness.create<Rec, WindowResult<string>>(listing(window as WindowOptions));
    h.pushAll(recs, (r) => r.t).end();
    t.deepEqual(h.output.map((r) => r.value).sort(), expected);
  });
}

test('whole-window functions › a throwing apply follows the stage @OnError policy; other windows are not affected', async (t) => {
  @Stage({ name: 'list', from: 'recs', key: (r: Rec) => r.key })
  @Window({ tumbling: 10 })
  @OnError({ then: 'dead-letter' })
  class Careful extends listing({ tumbling: 10 }) {}
  const out: WindowResult<string>[] = [];
  const p = createPipeline({
    components: [
      fromArray([...recs, { key: 3, t: 4, id: -1 }], { name: 'recs', eventTime: (r: Rec) => r.t }),
      Careful,
      toArray(out, { name: 'out', from: 'list' }),
    ],
  });
  const stats = await p.run();
  t.deepEqual(out.map((r) => r.value).sort(), ['1@0-10:1,3', '1@10-20:4,5', '2@0-10:2']);
  const [dl] = p.deadLetters.records();
  t.is(dl?.error.message, 'negative id in window 0');
  t.like(dl?.value, { key: 3, start: 0, end: 10 });
  t.is(stats.stages.list!.windows!.fired, 3);
});

test('whole-window functions › apply without @Window is refused, naming the class', (t) => {
  @Stage({ name: 'bare', from: 'recs', key: (r: Rec) => r.key })
  class Bare implements WindowFunction<Rec, number> {
    apply(rs: readonly Rec[]) {
      return rs.length;
    }
  }
  const e = t.throws(() =>
    createPipeline({ components: [fromArray(recs, { name: 'recs' }), Bare, toArray([], { name: 'out', from: 'bare' })] }),
  );
  t.is(e.message, '@Stage on Bare: a whole-window function (apply) runs per window: add @Window to the class');
});
