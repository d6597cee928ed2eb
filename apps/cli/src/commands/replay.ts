import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createPipeline, replayDeadLetters, type PipelineOptions } from '@sluice/core';
import { readDeadLetters } from '@sluice/files';
import { getSourceMetadata, type DeadLetter, type PipelineStats } from '@sluice/sdk';
import { CliError } from '../cli-error.js';
import { loadPipelineFile, type LoadedPipeline } from '../pipeline-file/load-pipeline-file.js';
import { runWithSignals } from '../run-with-signals.js';
import { deadLetterNote, durationOf, runModules, runningOptions, type RunningOptions } from './run-options.js';
import type { SluiceModule } from '@sluice/core';

interface ReplayOptions extends RunningOptions {
  fromCheckpoint?: string;
  deadLetters?: string;
  fromTime?: string;
  json?: boolean;
}

type Mode = { kind: 'checkpoint'; id: number } | { kind: 'dead-letters'; file: string } | { kind: 'time'; eventTime: number; text: string };

/**
 * `sluice replay <file>`: runs the file's pipeline again from a checkpoint, from an event time,
 * or over a dead-letter file (into the stages that rejected the records, sources quiet).
 */
export function replayCommand(program: Command): void {
  runningOptions(
    program
      .command('replay')
      .description('run a pipeline file again: from a checkpoint, from an event time, or over its dead letters')
      .argument('<file>', 'the pipeline file (.yaml, .yml or .json)')
      .option('--from-checkpoint <id>', "restore this checkpoint (the file needs a 'checkpoints' section)")
      .option('--dead-letters <jsonl>', 'replay this dead-letter file into the stages that rejected its records')
      .option('--from-time <time>', 'start every source at this event time (ISO date-time or epoch ms)')
      .option('--json', 'print a one-line JSON summary at the end'),
  ).action(async (file: string, options: ReplayOptions) => {
    const mode = modeOf(options);
    const durationMs = durationOf(options.duration);
    const loaded = await loadPipelineFile(file);
    if (mode.kind === 'dead-letters' && loaded.deadLetterFile === resolve(mode.file)) {
      throw new CliError(
        `--dead-letters: ${mode.file} is the pipeline's own deadLetters.file, where letters that fail again are appended; move it aside first (mv ${mode.file} ${mode.file}.replay) and replay that`,
      );
    }
    const letters = mode.kind === 'dead-letters' ? await lettersOf(mode.file) : [];
    const pipeline = build(loaded, mode, letters, runModules(loaded, options, options.json === true));

    const stats = await runWithSignals(pipeline, (err) => loaded.locate(err), durationMs);
    const summary = summaryOf(loaded, mode, letters, stats);
    if (options.json === true) console.log(JSON.stringify(summary));
    else if (mode.kind === 'dead-letters')
      console.log(`sluice: replayed ${summary.replayed} dead letters from ${mode.file}: ${summary.failedAgain} failed again`);
    const note = deadLetterNote(loaded, stats);
    if (note !== undefined) console.error(note);
  });
}

function modeOf(options: ReplayOptions): Mode {
  const given = [
    options.fromCheckpoint !== undefined && '--from-checkpoint',
    options.deadLetters !== undefined && '--dead-letters',
    options.fromTime !== undefined && '--from-time',
  ].filter((o): o is string => o !== false);
  if (given.length !== 1) {
    throw new CliError(
      given.length === 0
        ? 'replay: expected one of --from-checkpoint <id>, --dead-letters <jsonl> or --from-time <time>'
        : `replay: ${given.join(' and ')} given, expected only one of --from-checkpoint, --dead-letters and --from-time`,
    );
  }
  if (options.fromCheckpoint !== undefined) {
    const id = Number(options.fromCheckpoint);
    if (!/^\d+$/.test(options.fromCheckpoint) || !Number.isSafeInteger(id))
      throw new CliError(`--from-checkpoint: ${JSON.stringify(options.fromCheckpoint)}, expected a checkpoint id (a whole number)`);
    return { kind: 'checkpoint', id };
  }
  if (options.deadLetters !== undefined) return { kind: 'dead-letters', file: options.deadLetters };
  const text = options.fromTime!;
  const eventTime = /^-?\d+$/.test(text) ? Number(text) : /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(eventTime))
    throw new CliError(`--from-time: ${JSON.stringify(text)}, expected an ISO date-time (2024-01-02T09:30:00Z) or epoch milliseconds`);
  return { kind: 'time', eventTime, text };
}

async function lettersOf(file: string): Promise<DeadLetter[]> {
  try {
    return await readDeadLetters(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new CliError(e.code !== undefined ? `${file}: cannot read the dead-letter file (${e.code})` : e.message);
  }
}

function build(loaded: LoadedPipeline, mode: Mode, letters: readonly DeadLetter[], modules: SluiceModule[]) {
  const options: PipelineOptions = { ...loaded.options, modules };
  try {
    switch (mode.kind) {
      case 'checkpoint': {
        if (options.checkpoints === undefined)
          throw new CliError(`${loaded.file}: --from-checkpoint needs a 'checkpoints' section in the pipeline file`);
        return createPipeline({ ...options, checkpoints: { ...options.checkpoints, restore: mode.id } });
      }
      case 'dead-letters':
        return replayDeadLetters(options, letters);
      case 'time': {
        const overrides: Record<string, { options?: Record<string, unknown>; onError?: Record<string, unknown> }> = {
          ...(options.overrides as object),
        };
        for (const name of sourceNames(options)) {
          const o = overrides[name];
          overrides[name] = { ...o, options: { ...(o?.options ?? {}), startAt: { eventTime: mode.eventTime } } };
        }
        return createPipeline({ ...options, overrides: overrides as PipelineOptions['overrides'] });
      }
    }
  } catch (err) {
    throw loaded.locate(err);
  }
}

/** The names of the file's source classes. */
function sourceNames(options: PipelineOptions): string[] {
  const names: string[] = [];
  for (const c of options.components ?? []) {
    if (typeof c !== 'function') continue;
    const name = getSourceMetadata(c as never)?.name;
    if (name !== undefined) names.push(name);
  }
  return names;
}

interface Summary {
  pipeline: string;
  mode: Mode['kind'];
  [key: string]: unknown;
}

function summaryOf(
  loaded: LoadedPipeline,
  mode: Mode,
  letters: readonly DeadLetter[],
  stats: PipelineStats,
): Summary & Record<string, number> {
  const stages = Object.values(stats.stages);
  const sum = (f: (s: (typeof stages)[number]) => number) => stages.reduce((n, s) => n + f(s), 0);
  const base = {
    pipeline: loaded.spec.name ?? loaded.file,
    mode: mode.kind,
    ...(mode.kind === 'checkpoint' && { checkpoint: mode.id }),
    ...(mode.kind === 'time' && { fromTime: mode.eventTime }),
    ...(mode.kind === 'dead-letters' && {
      deadLetters: mode.file,
      replayed: letters.length,
      failedAgain: sum((s) => s.deadLettered + s.skipped),
      ...(loaded.deadLetterFile !== undefined && { failedAgainTo: loaded.deadLetterFile }),
    }),
    recordsRead: Object.values(stats.sources).reduce((n, s) => n + (s.records ?? 0), 0),
    recordsWritten: Object.values(stats.sinks).reduce((n, s) => n + ((s as { records?: number }).records ?? 0), 0),
  };
  return base as never;
}
