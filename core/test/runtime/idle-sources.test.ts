import test from 'ava';
import { createPipeline, defineSource, toArray } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import { EndOfStreamError, Stage, Window, type Aggregator, type WindowResult } from '@sluice/sdk';

interface Ev {
  src: string;
  t: number;
}

@Stage({ name: 'w', from: ['a', 'b'], key: (e: Ev) => e.src })
@Window({ tumbling: 100 })
class Count implements Aggregator<Ev, { n: number }, number> {
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

/** A source the test feeds; it returns [] when it has nothing (a polling source). */
function polled(name: string, idleTimeout?: number) {
  const queue: Ev[] = [];
  let ended = false;
  const def = defineSource<Ev>(
    { name, eventTime: (e) => e.t, ...(idleTimeout === undefined ? {} : { idleTimeout }) },
    {
      read: () => {
        if (queue.length > 0) return queue.splice(0);
        if (ended) throw new EndOfStreamError();
        return [];
      },
    },
  );
  return { def, push: (...evs: Ev[]) => queue.push(...evs), end: () => (ended = true) };
}

/** A source whose read blocks until the test releases it (as a socket read does). */
function blocking(name: string, idleTimeout?: number) {
  let release: ((evs: Ev[]) => void) | undefined;
  let ended = false;
  const pending: Ev[][] = [[{ src: name, t: 0 }]];
  const def = defineSource<Ev>(
    { name, eventTime: (e) => e.t, ...(idleTimeout === undefined ? {} : { idleTimeout }) },
    {
      read: () => {
        if (pending.length > 0) return pending.shift()!;
        if (ended) throw new EndOfStreamError();
        return new Promise<Ev[]>((resolve) => (release = resolve));
      },
    },
  );
  return {
    def,
    end: () => {
      ended = true;
      release?.([]);
    },
    blocked: () => release !== undefined,
  };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const show = (rs: readonly WindowResult<number>[]) => rs.map((r) => `${String(r.key)}[${r.start},${r.end})=${r.value}`);

for (const kind of ['blocking', 'polled'] as const) {
  test(`idle sources › a ${kind} source quiet for idleTimeout stops holding back the watermark of a union`, async (t) => {
    const clock = new VirtualClock(0);
    const a = polled('a');
    const b = kind === 'blocking' ? blocking('b', 50) : polled('b', 50);
    if (kind === 'polled') (b as ReturnType<typeof polled>).push({ src: 'b', t: 0 });
    const out: WindowResult<number>[] = [];
    const p = createPipeline({ components: [a.def, b.def, Count, toArray(out, { name: 'out', from: 'w' })], clock });
    const done = p.run();
    a.push({ src: 'a', t: 10 }, { src: 'a', t: 150 }, { src: 'a', t: 250 });
    await until(() => p.stats().sources.a!.records === 3 && p.stats().sources.b!.records === 1, 'both sources to deliver');
    if (kind === 'blocking') await until(() => (b as ReturnType<typeof blocking>).blocked(), 'b to block in read()');
    // b's watermark is still 0: nothing may fire, however long the wall clock runs.
    await new Promise((r) => setTimeout(r, 100));
    t.deepEqual(out, []);
    clock.advance(49);
    await new Promise((r) => setTimeout(r, 100));
    t.deepEqual(out, [], 'not idle before idleTimeout');
    clock.advance(1);
    await until(() => out.length === 3, 'windows up to a’s watermark to fire');
    t.deepEqual(sortedShow(out), ['a[0,100)=1', 'a[100,200)=1', 'b[0,100)=1']);
    a.end();
    b.end();
    await done;
    t.deepEqual(sortedShow(out), ['a[0,100)=1', 'a[100,200)=1', 'a[200,300)=1', 'b[0,100)=1']);
  });
}

test('idle sources › without idleTimeout a quiet source holds the union back until it ends (the safe default)', async (t) => {
  const clock = new VirtualClock(0);
  const a = polled('a');
  const b = blocking('b');
  const out: WindowResult<number>[] = [];
  const p = createPipeline({ components: [a.def, b.def, Count, toArray(out, { name: 'out', from: 'w' })], clock });
  const done = p.run();
  a.push({ src: 'a', t: 10 }, { src: 'a', t: 150 });
  await until(() => p.stats().sources.a!.records === 2 && b.blocked(), 'a to deliver and b to block');
  clock.advance(60_000);
  await new Promise((r) => setTimeout(r, 100));
  t.deepEqual(out, []);
  b.end();
  a.end();
  await done;
  t.deepEqual(sortedShow(out), ['a[0,100)=1', 'a[100,200)=1', 'b[0,100)=1']);
});

function sortedShow(rs: readonly WindowResult<number>[]): string[] {
  return show(rs).sort();
}
