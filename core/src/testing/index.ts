// @sluice/core/testing: deterministic time and a step-by-step stage harness for tests.
export { VirtualClock } from './virtual-clock.js';
export { StageHarness } from './stage-harness.js';
export type { StageHarnessOptions, HarnessRecord } from './stage-harness.js';
