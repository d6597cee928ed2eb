import type { SluiceError } from '@sluice/sdk';

/**
 * @internal Thrown through fused code when a stage's policy is to fail the pipeline. Upstream
 * stages' catch blocks rethrow it untouched instead of treating it as their own error (a
 * `process` stage's `emit` runs its downstream stages inside the upstream call).
 */
export class PipelineFailure extends Error {
  /** The first failure wins; this is what run() rejects with. */
  constructor(readonly error: SluiceError) {
    super(error.message);
    this.name = 'PipelineFailure';
  }
}
