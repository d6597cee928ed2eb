import test from 'ava';
import { createPipeline, defineSource, toArray } from '@sluice/core';
import { StageHarness, VirtualClock } from '@sluice/core/testing';
import { EndOfStreamError, Stage, Window, type Aggregator, type WindowResult } from '@sluice/sdk';

@Stage({ name: 'counts', from: 'in', key: (s: string) => s })
@Window({ tumbling: '1s', time: 'processing' })
class Counts implements Aggregator<string, { n: number }, number> {
  create() {
    return { n: 0 };
  }
  add(acc: { n: number }) {
    acc.n++;
    return acc;
  }
  result(acc: { n: number }) {
    return acc.n;
  }
}

const show = (rs: readonly WindowResult<number>[]) => rs.map((r) => `${String(r.key)}[${r.start},${r.end})=${r.value}`);

test('processing-time windows › records count at arrival; windows close when the clock passes their end, without input', (t) => {
  const clock = new VirtualClock(10_000);
  const h = StageHarness.create<string, WindowResult<number>>(Counts, { clock });
  // Event times are ignored: processing time is when the record reaches the stage.
  h.push('a', 1).push('b', 999_999).push('a');
  h.advanceProcessingTime(400).push('a');
  h.advanceProcessingTime(599);
  t.deepEqual(h.take(), []);
  h.advanceProcessingTime(1); // 11_000: [10000, 11000) closes
  t.deepEqual(show(h.take()), ['a[10000,11000)=3', 'b[10000,11000)=1']);
  h.push('b').setProcessingTime(15_000);
  t.deepEqual(show(h.take()), ['b[11000,12000)=1']);
  t.is(h.stats().windows!.lateDropped + h.stats().windows!.lateSideOutput, 0);
});

test('processing-time windows › in a running pipeline on a virtual clock, a quiet input still closes windows', async (t) => {
  const clock = new VirtualClock(0);
  const queue: string[] = [];
  let ended = false;
  let reads = 0;
  const source = defineSource<string>(
    { name: 'in' },
    {
      read: () => {
        reads++;
        if (queue.length > 0) return queue.splice(0);
        if (ended) throw new EndOfStreamError();
        return [];
      },
    },
  );
  const out: WindowResult<number>[] = [];
  const p = createPipeline({ components: [source, Counts, toArray(out, { name: 'out', from: 'counts' })], clock });
  const done = p.run();
  const until = async (cond: () => boolean, what: string) => {
    const deadline = Date.now() + 5_000;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  queue.push('x', 'y', 'x');
  await until(() => p.stats().sources.in!.records === 3, 'the records to be read');
  const readsBefore = reads;
  await until(() => reads > readsBefore + 2, 'the source to go quiet');
  t.deepEqual(out, []); // the virtual clock has not moved: nothing may close
  clock.advance(1_000);
  await until(() => out.length === 2, 'the window to close');
  t.deepEqual(show(out), ['x[0,1000)=2', 'y[0,1000)=1']);
  queue.push('z');
  await until(() => p.stats().sources.in!.records === 4, 'the fourth record');
  ended = true;
  await done;
  // End of input closes the open window, whatever the clock says.
  t.deepEqual(show(out.slice(2)), ['z[1000,2000)=1']);
});
