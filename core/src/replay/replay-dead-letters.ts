import { Stage, type DeadLetter, type Mapper } from '@sluice/sdk';
import { ArraySource } from '../connectors/from-array.js';
import { buildPipeline, type PipelineOptions } from '../create-pipeline.js';
import { defineSource } from '../discovery/component-definition.js';
import type { ComponentRef } from '../discovery/component-ref.js';
import type { Pipeline } from '../runtime/pipeline.js';

/**
 * Builds the pipeline of `options` to replay dead letters after a fix: each record goes back
 * into the stage that rejected it, with its event time, and flows on from there to the sinks.
 * The pipeline's own sources read nothing. Dead letters of several stages are replayed each into
 * its stage; dead letters of a source (payloads it could not decode) are refused — fix the input
 * and read it again instead.
 *
 * @example
 * ```ts
 * const letters = await readDeadLetters('./dead-letters.jsonl')   // @sluice/files
 * await replayDeadLetters({ components: [TickFile, Validate, Candles, CandleSink] }, letters).run()
 * ```
 * @see docs/fault-tolerance.md
 * @public
 */
export function replayDeadLetters(options: PipelineOptions, deadLetters: Iterable<DeadLetter>): Pipeline {
  const byStage = new Map<string, DeadLetter[]>();
  for (const dl of deadLetters) {
    let list = byStage.get(dl.stage);
    if (list === undefined) byStage.set(dl.stage, (list = []));
    list.push(dl);
  }
  const components: ComponentRef[] = [...(options.components ?? [])];
  const extraInputs: Record<string, string[]> = {};
  const replaySources = new Set<string>();
  for (const [stage, letters] of byStage) {
    const source = `dead-letters/${stage}`;
    replaySources.add(source);
    const times = letters.map((dl) => dl.eventTime);
    const timed = times.every((t) => typeof t === 'number');
    // Dead letters come in rejection order: a watermark that waits for the earliest of them
    // keeps every replayed record on time for the windows it reaches.
    const spread = timed ? Math.max(0, ...times.map((t) => t!)) - Math.min(...times.map((t) => t!)) : 0;
    components.push(
      defineSource<DeadLetter>(
        { name: source, ...(timed ? { eventTime: (dl: DeadLetter) => dl.eventTime!, watermark: { maxDelay: spread } } : {}) },
        new ArraySource(letters),
      ),
      unwrapStage(source),
    );
    extraInputs[stage] = [`${source}/value`];
  }
  // A replay is a run of its own: the checkpoints of the pipeline it replays into are not its state.
  return buildPipeline({ ...options, components, checkpoints: undefined }, { extraInputs, silent: (name) => !replaySources.has(name) });
}

// The replayed record is the dead letter's value.
function unwrapStage(source: string) {
  @Stage({ name: `${source}/value`, from: source })
  class DeadLetterValue implements Mapper<DeadLetter, unknown> {
    map(dl: DeadLetter): unknown {
      return dl.value;
    }
  }
  return DeadLetterValue;
}
