// file: docs/examples/error-strategies.test.ts
import test from 'ava';
import { VirtualClock } from '@sluice/core/testing';
import { main, orders } from './error-strategies.js';

test('error-strategies › retries, a circuit breaker and a named strategy, on a virtual clock', async (t) => {
  const clock = new VirtualClock(0);
  const got = await clock.run(main(clock));

  // Time-outs were retried (MSFT twice, XOM once); the unknown symbol was not, and was dead-lettered.
  t.deepEqual(
    got.retry.priced.map((line) => line.split(' ')[0]),
    orders.filter((o) => o.symbol !== 'ACME').map((o) => o.id),
  );
  t.deepEqual(got.retry.deadLetters, [{ value: 'o4', error: 'quote ACME: unknown symbol', attempts: 1 }]);
  t.deepEqual(got.retry.stats, { errors: 4, retries: 3, deadLettered: 1 });

  // The breaker opened after three failures, the fourth order waited for the probe, which closed it.
  t.deepEqual(got.breaker.sent, ['o4 sent', 'o5 sent', 'o6 sent']);
  t.deepEqual(got.breaker.breaker, { state: 'closed', opens: 1 });

  // The plugin's strategy waited as the ledger asked, twice; every order was booked.
  t.deepEqual(got.named, { booked: orders.map((o) => `${o.id} booked`), retries: 2 });

  // All the waiting happened on the virtual clock: 50 ms for the breaker, 2 × 20 ms for the ledger,
  // and the jittered back-offs of the retries (at most 10 + 20 ms for MSFT, which waits longest).
  t.true(clock.now() >= 90 && clock.now() <= 120, `virtual time ${clock.now()}`);
});
