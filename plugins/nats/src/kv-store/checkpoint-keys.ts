/**
 * @internal The keys of a pipeline's checkpoints in the bucket:
 *
 * - `<pipeline>.<id>.<n>` — chunk `n` (0, 1, ...) of checkpoint `id`;
 * - `<pipeline>.<id>.manifest` — written last: the chunk count, the size and the SHA-256 of the
 *   whole. A checkpoint exists only once its manifest does.
 *
 * `<pipeline>` is the pipeline's name with every byte (of its UTF-8) other than a letter, a digit,
 * `-` or `_` written `=XX` (hex): KV keys allow only `[-/_=.a-zA-Z0-9]`, and `.` separates the
 * parts. The encoding is one-to-one, so two pipelines never share keys. `<id>` is decimal.
 */
export class CheckpointKeys {
  readonly prefix: string;

  constructor(pipeline: string) {
    this.prefix = encodePipelineName(pipeline);
  }

  manifest(id: number): string {
    return `${this.prefix}.${id}.manifest`;
  }

  chunk(id: number, n: number): string {
    return `${this.prefix}.${id}.${n}`;
  }

  /** The filter of every manifest of the pipeline. */
  manifests(): string {
    return `${this.prefix}.*.manifest`;
  }

  /** The filter of every key of checkpoint `id`: its chunks and its manifest. */
  checkpoint(id: number): string {
    return `${this.prefix}.${id}.>`;
  }

  /** The id of a manifest key of this pipeline, or undefined for any other key. */
  idOfManifest(key: string): number | undefined {
    const m = /^(.+)\.(\d+)\.manifest$/.exec(key);
    if (m === null || m[1] !== this.prefix) return undefined;
    const id = Number(m[2]);
    return Number.isSafeInteger(id) ? id : undefined;
  }
}

/** @internal See {@link CheckpointKeys}. An empty name becomes `=` (a key part cannot be empty). */
export function encodePipelineName(name: string): string {
  if (name === '') return '=';
  let out = '';
  for (const byte of new TextEncoder().encode(name)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_-]/.test(c) ? c : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
