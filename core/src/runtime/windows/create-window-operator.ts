import {
  ErrorCodes,
  SluiceError,
  parseDuration,
  type Clock,
  type StateBackend,
  type Trigger,
  type WindowFunction,
  type WindowOptions,
} from '@sluice/sdk';
import { CountWindowOperator } from './count-window-operator.js';
import { GlobalWindowOperator } from './global-window-operator.js';
import { ProcessingTimeWindows } from './processing-time-windows.js';
import { SessionWindowOperator } from './session-window-operator.js';
import type { WindowAggregate } from './window-aggregate.js';
import { WindowCounters, WindowOperator } from './window-operator.js';
import type { WindowingOperator } from './windowing-operator.js';

/**
 * @internal Builds the operator that runs a `@Window` stage: `instance` is its aggregator
 * (create/add/result) or whole-window function (apply). The options were validated and checked
 * for the kind when the graph was built.
 */
export function createWindowOperator(
  stage: string,
  instance: object,
  keyOf: (value: unknown) => unknown,
  window: WindowOptions,
  services: { readonly backend: StateBackend; readonly clock: Clock },
): WindowingOperator {
  const aggregate = windowAggregate(instance);
  const { backend, clock } = services;
  const where = (option: string) => `@Window of '${stage}' ${option}`;
  const lateness = window.lateness === undefined ? 0 : parseDuration(window.lateness, where('lateness'));
  const late = window.late ?? 'side-output';
  const counters = new WindowCounters();
  let operator: WindowingOperator & { nextFireTime(): number };
  if (window.count !== undefined) {
    const { size, slide = size } = window.count;
    return new CountWindowOperator(stage, aggregate, keyOf, { size, slide }, counters, backend, clock);
  } else if (window.global !== undefined) {
    const spec = { trigger: window.global.trigger as Trigger<unknown>, mode: window.global.mode ?? 'accumulate' };
    return new GlobalWindowOperator(stage, aggregate, keyOf, spec, counters, backend, clock);
  } else if (window.session !== undefined) {
    const gap = positive(parseDuration(window.session.gap, where('session.gap')), where('session.gap'), stage);
    operator = new SessionWindowOperator(stage, aggregate, keyOf, { gap, lateness, late }, counters, backend);
  } else {
    const size = positive(
      window.tumbling !== undefined
        ? parseDuration(window.tumbling, where('tumbling'))
        : parseDuration(window.sliding!.size, where('sliding.size')),
      where('size'),
      stage,
    );
    const slide =
      window.tumbling !== undefined ? size : positive(parseDuration(window.sliding!.slide, where('sliding.slide')), where('slide'), stage);
    operator = new WindowOperator(stage, aggregate, keyOf, { size, slide, lateness, late }, counters, backend);
  }
  return window.time === 'processing' ? new ProcessingTimeWindows(operator, clock) : operator;
}

// A whole-window function is an aggregate whose accumulator is the window's records.
function windowAggregate(instance: object): WindowAggregate {
  if (typeof (instance as { apply?: unknown }).apply !== 'function') return instance as WindowAggregate;
  const fn = instance as WindowFunction<unknown, unknown>;
  return {
    create: () => [],
    add: (records, value) => {
      (records as unknown[]).push(value);
      return records;
    },
    result: (records, key, start, end) => fn.apply(records as unknown[], { key, start, end }),
    merge: (a, b) => (a as unknown[]).concat(b as unknown[]),
  };
}

function positive(ms: number, where: string, stage: string): number {
  if (!(ms > 0)) {
    throw new SluiceError(ErrorCodes.INVALID_OPTION, `${where}: a window's size, slide and gap must be longer than 0 ms`, {
      details: { stage },
    });
  }
  return ms;
}
