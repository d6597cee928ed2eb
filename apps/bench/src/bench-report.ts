import os from 'node:os';
import type { ImplSummary } from './bench-runner.js';
import { variantNamed } from './workload/workload-variant.js';

export function formatRate(eventsPerSec: number): string {
  return `${(eventsPerSec / 1e6).toFixed(2)} M/s`;
}

function table(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const pad = (cell: string, c: number) => (rightAligned.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!));
  return rows.map((r) => r.map(pad).join('  ').trimEnd()).join('\n');
}

export function formatSummary(summaries: readonly ImplSummary[], n: number, runs: number, variant: string): string {
  const rows = [
    ['impl', 'median events/s', 'ratio', 'checksum', 'peak RSS MB', 'peak heap MB', 'live heap MB'],
    ...summaries.map((s) => [
      s.impl,
      formatRate(s.medianEventsPerSec),
      s.ratio.toFixed(2),
      s.checksum,
      s.peakRssMb.toFixed(0),
      s.peakHeapMb.toFixed(0),
      s.liveHeapMb === null ? '-' : s.liveHeapMb.toFixed(0),
    ]),
  ];
  const head = `variant ${variant} (${variantNamed(variant).description}), n = ${n.toLocaleString('en-US')}, median of ${runs} run(s), each in a fresh process`;
  const details = summaries.flatMap((s) => s.details.map((d, i) => `${s.impl} run ${i + 1}: ${d}`));
  return `${head}\n\n${table(rows, new Set([1, 2, 4, 5, 6]))}${details.length === 0 ? '' : `\n\n${details.join('\n')}`}`;
}

export function machineDescription(): string {
  const cpus = os.cpus();
  return [
    `cpu: ${cpus[0]?.model ?? 'unknown'} (${cpus.length} cores)`,
    `memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `node: ${process.version} (${os.platform()} ${os.arch()})`,
  ].join('\n');
}
