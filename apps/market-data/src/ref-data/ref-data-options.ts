/** Container token of the {@link RefDataOptions}. */
export const REF_DATA_OPTIONS = Symbol('market-data:ref-data-options');

/** How the simulated reference-data service behaves. */
export interface RefDataOptions {
  /** Simulated latency of a lookup that misses the cache, in ms (default 2). */
  latencyMs?: number;
  /** How long a looked-up sector stays cached, in ms (default 5000); expiry makes a few lookups go remote again. */
  cacheTtlMs?: number;
}
