// file: docs/examples/overflow.test.ts
import test from 'ava';
import { VirtualClock } from '@sluice/core/testing';
import { main } from './overflow.js';

test('overflow › the dashboard gets the newest quotes at 100 a second; every dropped quote is archived', async (t) => {
  const clock = new VirtualClock(0);
  const { shown, archived, source } = await clock.run(main(clock));
  // 10 at once (the limiter's burst), 100 during the second the feed lasts, then the 10 in the
  // channel and the 50 in the buffer: 170 shown; the other 830 were dropped, and archived.
  t.is(shown.length, 170);
  t.is(archived.length, 830);
  // Every quote is shown or archived, exactly once.
  t.deepEqual(
    [...shown, ...archived].map((q) => q.seq).sort((a, b) => a - b),
    Array.from({ length: 1_000 }, (_, i) => i),
  );
  t.like(source, { pushed: 1_000, records: shown.length, dropped: { 'drop-oldest': archived.length }, maxBufferFill: 50, bufferFill: 0 });
  // The last 50 quotes were waiting in the buffer when the feed ended: all of them are shown.
  t.deepEqual(
    shown.slice(-50).map((q) => q.seq),
    Array.from({ length: 50 }, (_, i) => 950 + i),
  );
});
