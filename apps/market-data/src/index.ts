// What tests and other apps may use of the demo: the pipeline builder, the feed's generator
// (to compute expected results independently) and the candle stage (to test it on its own).
export { buildMarketPipeline } from './build-market-pipeline.js';
export type { MarketPipeline, MarketPipelineOptions } from './build-market-pipeline.js';
export { TickGenerator } from './feed/tick-generator.js';
export { resolveFeedOptions } from './feed/feed-options.js';
export type { FeedOptions } from './feed/feed-options.js';
export { FeedCounters } from './feed/feed-counters.js';
export { Candles } from './stages/candles.js';
export { PriceAlerts } from './stages/price-alerts.js';
export type { PriceAlert } from './model/price-alert.js';
export type { CandleAccumulator } from './stages/candles.js';
export type { RawTick } from './model/raw-tick.js';
export type { SymbolSnapshot } from './model/symbol-snapshot.js';
export type { Candle } from './model/candle.js';
export type { RichTick } from './model/rich-tick.js';
export type { Tick } from './model/tick.js';
export type { CandleBoard } from './sinks/candle-board.js';
export type { LateTickLog } from './sinks/late-tick-log.js';
