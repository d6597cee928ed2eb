/**
 * @internal Named places where a crash test can kill the process on purpose, so that each
 * dangerous moment is hit every time instead of by luck: `SLUICE_CRASH_POINT=<name>[:<n>]` makes
 * the process SIGKILL itself the n-th time (default: the first) it reaches `<name>`. Unset — as
 * always outside crash tests — a call costs one comparison. Points:
 * - `before-checkpoint-write`: every task has snapshotted, the checkpoint is not stored yet;
 * - `checkpoint-write`: the file store has written and fsynced the temporary file, not renamed it;
 * - `after-pre-commit`: a sink has pre-committed its transaction, the checkpoint is not stored;
 * - `before-commit`: the checkpoint is stored, no sink has committed;
 * - `between-commits`: the first transactional sink has committed, the others not.
 */
const [point, nth] = parse(process.env.SLUICE_CRASH_POINT);
let hits = 0;

export function crashPoint(name: string): void {
  if (name !== point) return;
  if (++hits >= nth) process.kill(process.pid, 'SIGKILL');
}

function parse(spec: string | undefined): [string | undefined, number] {
  if (spec === undefined || spec === '') return [undefined, 1];
  const [name, n] = spec.split(':');
  return [name, n === undefined ? 1 : Math.max(1, Number(n) || 1)];
}
