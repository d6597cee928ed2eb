/** What one child process reports for one run of one implementation (one JSON line). */
export interface RunResult {
  readonly impl: string;
  readonly n: number;
  readonly ms: number;
  readonly eventsPerSec: number;
  readonly checksum: string;
  readonly rssMb: number;
}
