import { ErrorCodes, SluiceError, parseDuration, type Aggregator, type WindowOptions } from '@sluice/sdk';
import { WindowCounters, WindowOperator, type WindowSpec } from './window-operator.js';
import type { WindowingOperator } from './windowing-operator.js';

/** @internal Builds the operator that runs a `@Window` stage of the given kind. */
export function createWindowOperator(
  stage: string,
  aggregator: Aggregator<unknown, unknown, unknown>,
  keyOf: (value: unknown) => unknown,
  window: WindowOptions,
): WindowingOperator {
  return new WindowOperator(stage, aggregator, keyOf, windowSpec(window, stage), new WindowCounters());
}

function windowSpec(w: WindowOptions, stage: string): WindowSpec {
  const where = (option: string) => `@Window of '${stage}' ${option}`;
  const size =
    w.tumbling !== undefined ? parseDuration(w.tumbling, where('tumbling')) : parseDuration(w.sliding!.size, where('sliding.size'));
  const slide = w.tumbling !== undefined ? size : parseDuration(w.sliding!.slide, where('sliding.slide'));
  if (!(size > 0) || !(slide > 0)) {
    throw new SluiceError(ErrorCodes.INVALID_OPTION, `${where('size')}: a window's size and slide must be longer than 0 ms`, {
      details: { stage },
    });
  }
  return {
    size,
    slide,
    lateness: w.lateness === undefined ? 0 : parseDuration(w.lateness, where('lateness')),
    late: w.late ?? 'side-output',
  };
}
