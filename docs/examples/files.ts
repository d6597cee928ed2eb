// file: docs/examples/files.ts
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IsInt, IsNumber, IsString, Min } from 'class-validator';
import { createPipeline, defineSink, defineSource } from '@sluice/core';
import { FileSink, JsonLinesDeadLetterSink, JsonLinesSource, readDeadLetters, type FileSinkHandle } from '@sluice/files';
import { ErrorCodes, SluiceError, Stage, type Mapper } from '@sluice/sdk';

/** What a valid line of ticks.jsonl holds. Unknown fields are refused. */
export class Tick {
  @IsString()
  symbol!: string;

  @IsNumber()
  price!: number;

  @IsInt()
  @Min(1)
  size!: number;
}

export const lines = [
  '{"symbol":"AAPL","price":190.5,"size":100}',
  '{"symbol":"AAPL","price":190.7,"size":50}',
  '{"symbol":"MSFT","price":410.1,"size":2.5}', // line 3: size is not an integer
  '{"symbol":"MSFT","price":410.3', //              line 4: not JSON
  '{"symbol":"XOM","price":118.2,"size":20,"venue":"XNYS"}', // line 5: unknown field
  '{"symbol":"XOM","price":118.4,"size":30}',
  '{"symbol":"MSFT","price":410.6,"size":10}',
];

@Stage({ name: 'notional', from: 'ticks' })
class Notional implements Mapper<Tick, { symbol: string; notional: number }> {
  map(t: Tick) {
    return { symbol: t.symbol, notional: Math.round(t.price * t.size) };
  }
}

/** Reads ticks.jsonl, writes the notionals to committed files, keeps the bad lines as dead letters. */
export async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-files-'));
  try {
    const input = join(dir, 'ticks.jsonl');
    writeFileSync(input, lines.join('\n') + '\n');

    const output = new FileSink({ dir: join(dir, 'out'), name: 'notional' });
    const pipeline = createPipeline({
      components: [
        defineSource({ name: 'ticks', batchSize: 2 }, new JsonLinesSource(input, { recordClass: Tick })),
        Notional,
        defineSink({ name: 'out', from: 'notional' }, output),
      ],
    });
    const stats = await pipeline.run();

    // Keep the dead letters in a file, to look at or to replay after a fix.
    const deadLetterFile = join(dir, 'dead-letters.jsonl');
    const deadLetterSink = new JsonLinesDeadLetterSink(deadLetterFile);
    deadLetterSink.write(pipeline.deadLetters.records());
    deadLetterSink.flush();
    deadLetterSink.close();

    // The committed output is the final files, in name order.
    const files = output.committedFiles();
    return {
      records: stats.sources.ticks!.records,
      deadLettered: stats.sources.ticks!.deadLettered,
      files: files.map((f) => basename(f)),
      output: files.flatMap((f) => readFileSync(f, 'utf8').trimEnd().split('\n')),
      deadLetters: (await readDeadLetters(deadLetterFile)).map((d) => `${d.error.message}  <-  ${String(d.value)}`),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What the engine's checkpoints do with these connectors, by hand: a checkpoint stores the
 * source's position and the sink's pre-committed handle; the process dies; a new one recovers
 * the sink with the stored handle and seeks the source to the stored position. Every record is in
 * the committed output exactly once.
 */
export async function crashAndRecover() {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-files-'));
  const noDeadLetters = { name: 'ticks', batchSize: 2, signal: new AbortController().signal, deadLetter: () => undefined };
  try {
    const input = join(dir, 'ticks.jsonl');
    writeFileSync(input, lines.join('\n') + '\n');
    const copy = (batch: readonly unknown[]) => batch.map((t) => (t as Tick).price);

    // First run: one batch, a checkpoint, one more batch, then a crash.
    const source = new JsonLinesSource(input, { recordClass: Tick });
    const sink = new FileSink({ dir: join(dir, 'out'), name: 'prices' });
    await source.open(noDeadLetters);
    sink.write(copy(await source.read(2)));
    const checkpoint = { position: source.position(), handle: sink.preCommit(1) }; // stored by the checkpoint store
    sink.commit(checkpoint.handle); // the checkpoint is complete
    sink.write(copy(await source.read(2))); // written, never committed: the process dies here
    await source.close();

    // Second run: restore checkpoint 1.
    const restored: { position: number; handle: FileSinkHandle } = structuredClone(checkpoint);
    const source2 = new JsonLinesSource(input, { recordClass: Tick });
    const sink2 = new FileSink({ dir: join(dir, 'out'), name: 'prices' });
    await source2.open(noDeadLetters);
    await source2.seek(restored.position);
    sink2.recover([restored.handle]); // commits checkpoint 1 (again: a no-op) and drops the aborted part
    for (;;) {
      let batch: readonly Tick[];
      try {
        batch = await source2.read(2);
      } catch (err) {
        if (SluiceError.is(err, ErrorCodes.END_OF_STREAM)) break; // the end of the file
        throw err;
      }
      sink2.write(copy(batch));
    }
    sink2.flush(); // end of input: commit the rest
    await source2.close();

    return sink2.committedFiles().map((f) => `${basename(f)}: ${readFileSync(f, 'utf8').trimEnd().split('\n').join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.dir({ ...(await main()), crashAndRecover: await crashAndRecover() }, { depth: null });
