import test from 'ava';
import { createPipeline, fromArray, fromIterable, MemoryCheckpointStore, toArray } from '@sluice/core';
import { ErrorCodes, SluiceError } from '@sluice/sdk';

interface Rec {
  id: number;
  t: number;
}

const recs: Rec[] = [
  { id: 0, t: 0 },
  { id: 1, t: 100 },
  { id: 2, t: 250 },
  { id: 3, t: 180 }, // out of order: before 200
  { id: 4, t: 300 },
  { id: 5, t: 400 },
];

test('replay › startAt: { position } starts a fresh run where the source was', async (t) => {
  const out: Rec[] = [];
  await createPipeline({
    components: [fromArray(recs, { name: 'recs', startAt: { position: 4 } }), toArray(out, { name: 'out', from: 'recs' })],
  }).run();
  t.deepEqual(
    out.map((r) => r.id),
    [4, 5],
  );
});

test('replay › startAt: { eventTime } skips the records before it, out-of-order ones too, and counts them', async (t) => {
  const out: Rec[] = [];
  const stats = await createPipeline({
    components: [
      fromArray(recs, { name: 'recs', eventTime: (r: Rec) => r.t, startAt: { eventTime: 200 } }),
      toArray(out, { name: 'out', from: 'recs' }),
    ],
    batchSize: 2,
  }).run();
  t.deepEqual(
    out.map((r) => r.id),
    [2, 4, 5],
  );
  t.is(stats.sources.recs!.skipped, 3);
});

test('replay › a restored checkpoint takes precedence over startAt: { position }', async (t) => {
  const store = new MemoryCheckpointStore();
  const first: Rec[] = [];
  await createPipeline({
    components: [fromArray(recs, { name: 'recs' }), toArray(first, { name: 'out', from: 'recs' })],
    checkpoints: { store },
  }).run();
  const again: Rec[] = [];
  const stats = await createPipeline({
    components: [fromArray(recs, { name: 'recs', startAt: { position: 0 } }), toArray(again, { name: 'out', from: 'recs' })],
    checkpoints: { store },
  }).run();
  t.is(stats.checkpoints!.restoredFrom, 1); // the final checkpoint of the completed run: nothing left to read
  t.deepEqual(again, []);
});

test('replay › startAt that the source cannot honour is refused at build time, naming the source', (t) => {
  const seekless = t.throws(() =>
    createPipeline({
      components: [fromIterable(recs, { name: 'live', startAt: { position: 3 } }), toArray([], { name: 'out', from: 'live' })],
    }),
  );
  t.true(SluiceError.is(seekless, ErrorCodes.INVALID_OPTION));
  t.is(
    seekless.message,
    `Source 'live' (source definition 'live'): option "startAt" gives a position, but this source cannot seek (it has no seek())`,
  );
  const timeless = t.throws(() =>
    createPipeline({
      components: [fromArray(recs, { name: 'recs', startAt: { eventTime: 5 } }), toArray([], { name: 'out', from: 'recs' })],
    }),
  );
  t.regex(timeless.message, /option "startAt" gives an event time, but the source has no eventTime option/);
  const malformed = t.throws(() =>
    createPipeline({
      components: [fromArray(recs, { name: 'recs', startAt: { time: 5 } as never }), toArray([], { name: 'out', from: 'recs' })],
    }),
  );
  t.is(
    malformed.message,
    `defineSource on source definition 'recs': option "startAt" must be { position: <a position of the source> } or { eventTime: <ms since the epoch> } (rule: isStartAt)`,
  );
});
