import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { createPipeline, defineSink, defineSource } from '@sluice/core';
import type { DeadLetter, PipelineStats, SourceConnector, SourceContext } from '@sluice/sdk';

/** A fresh temporary directory, removed when the test ends. */
export function tempDir(t: ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-files-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `source` through a real pipeline into an array; returns the records, dead letters and stats. */
export async function runSource<T>(
  source: SourceConnector<T>,
  options: { batchSize?: number } = {},
): Promise<{ records: T[]; deadLetters: DeadLetter[]; stats: PipelineStats }> {
  const records: T[] = [];
  const pipeline = createPipeline({
    components: [
      defineSource({ name: 'file', ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }) }, source),
      defineSink<T>({ name: 'out', from: 'file' }, { write: (batch) => void records.push(...batch) }),
    ],
  });
  const stats = await pipeline.run();
  return { records, deadLetters: pipeline.deadLetters.records(), stats };
}

/** A source context that collects dead letters, for driving a source by hand. */
export function handContext(): SourceContext & { dead: { payload: unknown; message: string; position: number }[] } {
  const dead: { payload: unknown; message: string; position: number }[] = [];
  return {
    name: 'file',
    batchSize: 1024,
    signal: new AbortController().signal,
    deadLetter: (payload, error, position) => void dead.push({ payload, message: error.message, position }),
    dead,
  };
}

/** Reads a source to its end by hand, one `read(max)` at a time; returns the batches and the position after each. */
export async function readAll<T>(source: SourceConnector<T>, max: number): Promise<{ batches: T[][]; positions: unknown[] }> {
  const batches: T[][] = [];
  const positions: unknown[] = [];
  for (;;) {
    let batch: readonly T[];
    try {
      batch = await source.read(max);
    } catch (err) {
      if ((err as { code?: string }).code === 'SLUICE_ERR_END_OF_STREAM') return { batches, positions };
      throw err;
    }
    batches.push([...batch]);
    positions.push(source.position!());
  }
}
