/** What one child process reports for one run of one implementation (one JSON line). */
export interface RunResult {
  readonly impl: string;
  readonly variant: string;
  readonly n: number;
  readonly ms: number;
  readonly eventsPerSec: number;
  readonly checksum: string;
  /** Peak resident set size of the whole process (`process.resourceUsage().maxRSS`). */
  readonly rssMb: number;
  /** Peak V8 heap in use: the largest `usedHeapSize` seen before a GC during the run. */
  readonly heapMb: number;
  /** The largest V8 heap in use right after a full GC during the run; null when none ran. */
  readonly liveHeapMb: number | null;
  /** What the implementation reports of itself (e.g. its checkpoints), if anything. */
  readonly detail?: string;
}
