// The public API of @sluice/sqlite: anything not listed here is internal.
export { SqliteCheckpointStore } from './checkpoints/sqlite-checkpoint-store.js';
export type { SqliteCheckpointStoreOptions } from './checkpoints/sqlite-checkpoint-store.js';
export { SqliteSink } from './sink/sqlite-sink.js';
export type { SqliteSinkOptions, SqliteColumn } from './sink/sqlite-sink-options.js';
export type { SqliteSinkHandle } from './sink/sqlite-sink-handle.js';
export type { SqliteValue } from './sink/sqlite-value.js';
