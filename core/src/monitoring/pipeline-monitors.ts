import { ErrorCodes, PIPELINE_MONITOR, SluiceError, type PipelineMonitor } from '@sluice/sdk';
import type { Container } from 'inversify';

/** @internal The monitors bound under `PIPELINE_MONITOR` (in this container or its parents), checked. */
export function pipelineMonitors(container: Container): PipelineMonitor[] {
  if (!container.isBound(PIPELINE_MONITOR)) return [];
  const monitors = container.getAll<PipelineMonitor>(PIPELINE_MONITOR, { chained: true });
  monitors.forEach((m, i) => {
    const ok = typeof m === 'object' && m !== null && typeof m.name === 'string' && typeof m.attach === 'function';
    if (!ok) {
      throw new SluiceError(
        ErrorCodes.INVALID_OPTION,
        `createPipeline: the value bound under PIPELINE_MONITOR (number ${i + 1}) is not a PipelineMonitor: it needs a string "name" and an attach(pipeline) method, got ${describe(m)}`,
        { details: { token: 'PIPELINE_MONITOR', index: i } },
      );
    }
  });
  return monitors;
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return `an object with keys ${Object.keys(value).join(', ') || '(none)'}`;
}
