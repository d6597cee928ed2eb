import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckpointStore } from '@sluice/sdk';
import { crashPoint } from '../runtime/crash-points.js';

const NAME = /^checkpoint-(\d{12})\.bin$/;

/**
 * A {@link CheckpointStore} in a directory, one file per checkpoint. A write goes to a temporary
 * file, is fsynced, renamed over its final name and the directory fsynced: after a crash at any
 * moment a checkpoint file is either complete or absent (a leftover temporary file is ignored
 * and removed on the next open).
 *
 * @example
 * ```ts
 * createPipeline({ components, checkpoints: { store: new FileCheckpointStore('./state/checkpoints') } })
 * ```
 * @see docs/fault-tolerance.md
 * @public
 */
export class FileCheckpointStore implements CheckpointStore {
  constructor(readonly dir: string) {}

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const f of await readdir(this.dir)) if (f.endsWith('.tmp')) await rm(join(this.dir, f), { force: true });
  }

  async write(id: number, data: Uint8Array): Promise<void> {
    const final = this.path(id);
    const tmp = `${final}.${process.pid}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    crashPoint('checkpoint-write');
    await rename(tmp, final);
    await syncDir(this.dir);
  }

  async read(id: number): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.path(id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async list(): Promise<number[]> {
    let files: string[];
    try {
      files = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return files.flatMap((f) => {
      const m = NAME.exec(f);
      return m === null ? [] : [Number(m[1])];
    });
  }

  async remove(id: number): Promise<void> {
    await rm(this.path(id), { force: true });
  }

  private path(id: number): string {
    return join(this.dir, `checkpoint-${String(id).padStart(12, '0')}.bin`);
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
