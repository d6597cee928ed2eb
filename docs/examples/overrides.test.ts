// file: docs/examples/overrides.test.ts
import { readFileSync } from 'node:fs';
import test from 'ava';
import { VirtualClock } from '@sluice/core/testing';
import { main, quotes } from './overrides.js';

const settings = readFileSync(new URL('../../docs/examples/overrides.settings.json', import.meta.url), 'utf8');

test('overrides › the settings file dead-letters the bad quote and rate-limits the sink', async (t) => {
  const clock = new VirtualClock(0);
  const got = await clock.run(main(settings, clock));
  t.deepEqual(
    got.sent.map((s) => s.symbol),
    quotes.filter((q) => Number.isInteger(q.cents)).map((q) => q.symbol),
  );
  t.deepEqual(got.deadLetters, ['cents must be an integer, got 41020.5']);
  t.is(got.limit, 2);
  // One at once, then 2 a second: the third quote leaves at 1 s.
  t.is(clock.now(), 1_000);
});

test('overrides › without settings the bad quote fails the run, as the class declares no error policy', async (t) => {
  await t.throwsAsync(main('{}', new VirtualClock(0)), { message: /cents must be an integer/ });
});

test('overrides › concepts.md shows the settings file as it is', (t) => {
  const page = readFileSync(new URL('../../docs/concepts.md', import.meta.url), 'utf8');
  t.true(page.includes('```json\n' + settings + '```'), 'the json block in docs/concepts.md differs from overrides.settings.json');
});
