import type { OutBuffer } from './out-buffer.js';

/** @internal Carries an input batch's source-read time to every output of the task (end-to-end latency). */
export function stampOuts(outs: readonly OutBuffer[], stamp: number | undefined): void {
  if (stamp === undefined || stamp === Infinity) return;
  for (const out of outs) out.stamp(stamp);
}
