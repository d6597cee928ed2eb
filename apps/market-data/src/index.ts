// What tests and other apps may use of the demo: the pipeline builder and the feed's generator
// (to compute expected results independently).
export { buildMarketPipeline } from './build-market-pipeline.js';
export type { MarketPipeline, MarketPipelineOptions } from './build-market-pipeline.js';
export { TickGenerator } from './feed/tick-generator.js';
export { resolveFeedOptions } from './feed/feed-options.js';
export type { FeedOptions } from './feed/feed-options.js';
export { FeedCounters } from './feed/feed-counters.js';
export type { RawTick } from './model/raw-tick.js';
export type { SymbolSnapshot } from './model/symbol-snapshot.js';
