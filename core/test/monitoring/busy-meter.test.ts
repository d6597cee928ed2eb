import test from 'ava';
// An internal class, tested on its own: reached through the built package (it is not exported).
import { BusyMeter } from '../../dist/runtime/busy-meter.js';

test('BusyMeter › adds spans up, and reports the part of the last whole second, a span across two seconds split between them', (t) => {
  let now = 0;
  const m = new BusyMeter(() => now);
  m.add(100, 300);
  m.add(900, 1_200); // 100 ms in second 0, 200 ms in second 1
  now = 1_500;
  t.is(m.busyMs(), 500);
  t.is(m.busyMsPerSecond(), 300); // second 0: 200 + 100
  now = 2_000;
  t.is(m.busyMsPerSecond(), 200); // second 1
  now = 3_100;
  t.is(m.busyMsPerSecond(), 0); // second 2: nothing
  t.is(m.busyMs(), 500);
});

test('BusyMeter › a lasting busy state counts up to the moment it is read, once', (t) => {
  let now = 5_000;
  const m = new BusyMeter(() => now);
  m.begin();
  m.begin(); // already busy: no effect
  now = 5_400;
  t.is(m.busyMs(), 400);
  now = 6_250;
  t.is(m.busyMsPerSecond(), 1000); // all of second 5
  m.end();
  m.end(); // not busy: no effect
  t.is(m.busyMs(), 1_250);
  now = 7_000;
  t.is(m.busyMsPerSecond(), 250); // second 6
});
