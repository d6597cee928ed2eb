import { dirname, resolve } from 'node:path';
import { FileCheckpointStore, MemoryCheckpointStore } from '@sluice/core';
import { KvCheckpointStore, type NatsConnectionOptions } from '@sluice/plugin-nats';
import type { CheckpointStore } from '@sluice/sdk';
import type { CheckpointsSection } from './file-schema.js';
import type { DocPath } from './parse-document.js';

// The keys that belong to one store only: given with another, they would be silently ignored.
const STORE_KEYS: Record<CheckpointsSection['store'], readonly string[]> = {
  memory: [],
  file: ['dir'],
  'nats-kv': ['nats', 'bucket', 'replicas'],
};

/**
 * The checkpoint store a file's `checkpoints` section names: memory, a folder relative to the
 * file, or a NATS KV bucket. `fail` reports a problem at a key of the section.
 */
export function checkpointStoreOf(
  section: CheckpointsSection,
  file: string,
  fail: (path: DocPath, message: string) => Error,
): CheckpointStore {
  for (const [store, keys] of Object.entries(STORE_KEYS)) {
    if (store === section.store) continue;
    for (const key of keys) {
      if ((section as unknown as Record<string, unknown>)[key] !== undefined && !STORE_KEYS[section.store].includes(key)) {
        throw fail(['checkpoints', key], `"checkpoints.${key}" is for store: ${store}, expected no "${key}" with store: ${section.store}`);
      }
    }
  }
  switch (section.store) {
    case 'memory':
      return new MemoryCheckpointStore();
    case 'file':
      return new FileCheckpointStore(resolve(dirname(file), section.dir ?? '.sluice-checkpoints'));
    case 'nats-kv': {
      if (section.nats === undefined)
        throw fail(['checkpoints', 'store'], `store: nats-kv needs "checkpoints.nats", expected the NATS connection ({ servers, ... })`);
      try {
        return new KvCheckpointStore({
          connection: section.nats as unknown as NatsConnectionOptions,
          ...(section.bucket !== undefined && { bucket: section.bucket }),
          ...(section.replicas !== undefined && { replicas: section.replicas }),
        });
      } catch (err) {
        throw fail(['checkpoints', 'nats'], err instanceof Error ? err.message : String(err));
      }
    }
  }
}
