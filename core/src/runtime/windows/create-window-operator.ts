import { ErrorCodes, SluiceError, parseDuration, type Aggregator, type Clock, type StateBackend, type WindowOptions } from '@sluice/sdk';
import { ProcessingTimeWindows } from './processing-time-windows.js';
import { WindowCounters, WindowOperator, type WindowSpec } from './window-operator.js';
import type { WindowingOperator } from './windowing-operator.js';

/** @internal Builds the operator that runs a `@Window` stage of the given kind. */
export function createWindowOperator(
  stage: string,
  aggregator: Aggregator<unknown, unknown, unknown>,
  keyOf: (value: unknown) => unknown,
  window: WindowOptions,
  services: { readonly backend: StateBackend; readonly clock: Clock },
): WindowingOperator {
  const operator = new WindowOperator(stage, aggregator, keyOf, windowSpec(window, stage), new WindowCounters(), services.backend);
  return window.time === 'processing' ? new ProcessingTimeWindows(operator, services.clock) : operator;
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
