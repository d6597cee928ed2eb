import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';

// "SLUICECK", format version, SHA-256 of the payload, payload length, payload (v8 structured clone).
const MAGIC = Buffer.from('SLUICECK', 'latin1');
const VERSION = 1;
const HEADER = MAGIC.length + 4 + 32 + 4;

/** @internal What one stored checkpoint holds. */
export interface CheckpointData {
  readonly id: number;
  readonly pipeline: string;
  /** Wall-clock ms when it was triggered. */
  readonly createdAt: number;
  /** Taken at the end of input (or of a graceful stop): every task had finished. */
  readonly final: boolean;
  /** Each task's part: a v8-serialised snapshot, by task name. */
  readonly parts: Readonly<Record<string, Uint8Array>>;
}

/** @internal A checkpoint that must not be used, and why. */
export class CorruptCheckpoint extends Error {}

/** @internal Serialises a checkpoint with a header and a checksum over the payload. */
export function encodeCheckpoint(data: CheckpointData): Uint8Array {
  const payload = serialize(data);
  const out = Buffer.allocUnsafe(HEADER + payload.length);
  MAGIC.copy(out, 0);
  out.writeUInt32BE(VERSION, MAGIC.length);
  createHash('sha256')
    .update(payload)
    .digest()
    .copy(out, MAGIC.length + 4);
  out.writeUInt32BE(payload.length, MAGIC.length + 36);
  payload.copy(out, HEADER);
  return out;
}

/** @internal The checkpoint in `bytes`, or a `CorruptCheckpoint` saying what is wrong with them. */
export function decodeCheckpoint(bytes: Uint8Array, id: number): CheckpointData {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < HEADER || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new CorruptCheckpoint(`not a Sluice checkpoint (${buf.length} bytes, bad header)`);
  }
  const version = buf.readUInt32BE(MAGIC.length);
  if (version !== VERSION) throw new CorruptCheckpoint(`format version ${version}, this engine reads ${VERSION}`);
  const length = buf.readUInt32BE(MAGIC.length + 36);
  const payload = buf.subarray(HEADER);
  if (payload.length !== length) throw new CorruptCheckpoint(`truncated: ${payload.length} of ${length} payload bytes`);
  const sum = createHash('sha256').update(payload).digest();
  if (!sum.equals(buf.subarray(MAGIC.length + 4, MAGIC.length + 36))) throw new CorruptCheckpoint('checksum mismatch');
  let data: CheckpointData;
  try {
    data = deserialize(payload) as CheckpointData;
  } catch (err) {
    throw new CorruptCheckpoint(`unreadable payload: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (data.id !== id) throw new CorruptCheckpoint(`stored under id ${id} but holds checkpoint ${data.id}`);
  return data;
}

/** @internal A task's snapshot as bytes: copied now, so the live state may change right after. */
export function snapshotBytes(snapshot: unknown): Uint8Array {
  return serialize(snapshot);
}

/** @internal The snapshot that `snapshotBytes` made. */
export function fromSnapshotBytes<T>(bytes: Uint8Array): T {
  return deserialize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as T;
}
