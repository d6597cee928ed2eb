import { ErrorCodes, SluiceError, type PipelineStats } from '@sluice/sdk';
import type { Pipeline } from '@sluice/core';

/**
 * How a command-line run answers SIGINT/SIGTERM: the first signal calls `drain`, a second one
 * `cancel`. Returns the function that stops listening.
 */
export function onStopSignals(drain: (signal: NodeJS.Signals) => void, cancel: (signal: NodeJS.Signals) => void): () => void {
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => (++signals === 1 ? drain(signal) : cancel(signal));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/**
 * Runs `pipeline` to its end the way a command-line run should: the first SIGINT/SIGTERM stops it
 * gracefully (sources stop, in-flight records drain, the final checkpoint is taken), a second one
 * cancels; `durationMs` stops it by itself. A failure is passed through `locate` (which points at
 * the pipeline file's line) and thrown.
 */
export async function runWithSignals(pipeline: Pipeline, locate: (err: unknown) => unknown, durationMs?: number): Promise<PipelineStats> {
  const stopListening = onStopSignals(
    (signal) => {
      console.error(`sluice: ${signal}: draining (a second signal cancels)`);
      pipeline.stop().catch(() => undefined); // run() reports a failed drain
    },
    (signal) => {
      console.error(`sluice: ${signal}: cancelling`);
      pipeline.cancel(new SluiceError(ErrorCodes.ABORTED, `cancelled by a second ${signal}`));
    },
  );
  const timer = durationMs === undefined ? undefined : setTimeout(() => void pipeline.stop().catch(() => undefined), durationMs);
  try {
    return await pipeline.run();
  } catch (err) {
    throw locate(err);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    stopListening();
  }
}
