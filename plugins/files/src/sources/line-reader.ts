import { open, type FileHandle } from 'node:fs/promises';

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;
const QUOTE = 0x22;

/** @internal One physical or logical line, with where it lies in the file. */
export interface Line {
  /** The text without its line ending (`\n` or `\r\n`); for an oversize line, its first `maxBytes` bytes. */
  text: string;
  /** 1-based number of the line's first physical line. */
  lineNumber: number;
  /** Byte offset just after the line (after its newline). */
  end: number;
  /** Set when the line was longer than `maxBytes`: its full length in bytes. */
  oversize?: number;
}

/**
 * @internal Streams a file line by line with byte offsets, holding at most one chunk plus one
 * line (capped at `maxBytes`) in memory. `next()` returns a line synchronously when one is in
 * the buffer, `undefined` when it must read more (call `fill()` then), or `null` at the end.
 * With `quoted`, a newline inside a double-quoted field (CSV) does not end the line.
 */
export class LineReader {
  private fh: FileHandle | undefined;
  private buf = Buffer.allocUnsafe(CHUNK);
  private start = 0; // next unread byte in buf
  private filled = 0; // bytes of buf holding data
  private bufOffset = 0; // file offset of buf[0]
  private eof = false;
  private line = 1; // number of the next line
  // An oversize line being skipped: how many bytes so far, its first maxBytes bytes, its line number.
  private skipping: { bytes: number; head: string; lineNumber: number } | undefined;

  constructor(
    readonly path: string,
    private readonly maxBytes: number,
    private readonly quoted: boolean,
    private readonly follow: boolean,
  ) {}

  /** Opens the file and places the reader at `offset`, which must start a line. */
  async open(offset: number): Promise<void> {
    await this.close();
    this.fh = await open(this.path, 'r');
    await this.moveTo(offset);
  }

  /** Byte offset of the next unread byte. */
  get offset(): number {
    return this.bufOffset + this.start;
  }

  /** The number of the next line. */
  get lineNumber(): number {
    return this.line;
  }

  async moveTo(offset: number): Promise<void> {
    const fh = this.fh!;
    const size = (await fh.stat()).size;
    if (!Number.isInteger(offset) || offset < 0 || offset > size) {
      throw new RangeError(`${this.path}: cannot seek to ${String(offset)}: the file has ${size} bytes`);
    }
    // Count the lines before the offset, a chunk at a time, so that line numbers stay right.
    let lines = 1;
    let last = NEWLINE;
    for (let at = 0; at < offset;) {
      const { bytesRead } = await fh.read(this.buf, 0, Math.min(CHUNK, offset - at), at);
      if (bytesRead === 0) break;
      for (let i = this.buf.indexOf(NEWLINE, 0); i >= 0 && i < bytesRead; i = this.buf.indexOf(NEWLINE, i + 1)) lines++;
      last = this.buf[bytesRead - 1]!;
      at += bytesRead;
    }
    if (offset > 0 && offset < size && last !== NEWLINE) {
      throw new RangeError(`${this.path}: cannot seek to ${offset}: it is not the start of a line`);
    }
    this.line = lines;
    this.bufOffset = offset;
    this.start = 0;
    this.filled = 0;
    this.eof = false;
    this.skipping = undefined;
  }

  /** Reads the next chunk from the file into the buffer. */
  async fill(): Promise<void> {
    const fh = this.fh!;
    if (this.start > 0) {
      // Keep the unread tail at the front of the buffer.
      this.buf.copy(this.buf, 0, this.start, this.filled);
      this.filled -= this.start;
      this.bufOffset += this.start;
      this.start = 0;
    }
    if (this.filled === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.filled);
      this.buf = bigger;
    }
    const { bytesRead } = await fh.read(this.buf, this.filled, this.buf.length - this.filled, this.bufOffset + this.filled);
    this.filled += bytesRead;
    this.eof = bytesRead === 0;
  }

  /** The next line: a `Line`, `undefined` when more bytes must be read first, `null` at the end. */
  next(): Line | null | undefined {
    const from = this.start;
    if (this.skipping !== undefined) {
      // Throw away the rest of an oversize line without keeping it.
      const i = this.buf.indexOf(NEWLINE, from);
      const nl = i >= 0 && i < this.filled ? i : -1;
      if (nl >= 0) return this.finishSkip(nl - from, nl + 1, true);
      this.skipping.bytes += this.filled - from;
      this.start = this.filled;
      if (this.eof && !this.follow) return this.finishSkip(0, this.filled, false);
      return undefined;
    }
    const nl = this.findEnd(from);
    if (nl < 0) {
      const pending = this.filled - from;
      if (pending > this.maxBytes) {
        this.skipping = { bytes: pending, head: this.buf.toString('utf8', from, from + this.maxBytes), lineNumber: this.line };
        this.start = this.filled;
        if (this.eof && !this.follow) return this.finishSkip(0, this.filled, false);
        return undefined;
      }
      if (!this.eof || this.follow) return undefined;
      // At the end: a last line without a newline counts (except when following a growing file).
      if (pending === 0) return null;
      this.start = this.filled;
      return this.emit(from, this.filled, this.filled, 0);
    }
    if (nl - from > this.maxBytes) {
      const head = this.buf.toString('utf8', from, from + this.maxBytes);
      const lineNumber = this.line;
      this.line += 1 + this.newlinesIn(from, nl);
      this.start = nl + 1;
      return { text: head, lineNumber, end: this.offset, oversize: nl - from };
    }
    this.start = nl + 1;
    return this.emit(from, nl, nl + 1, 1);
  }

  /** True when the reader had to stop at the end of the file (nothing more for now). */
  get atEnd(): boolean {
    return this.eof;
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close();
  }

  private emit(from: number, to: number, next: number, newline: number): Line {
    let end = to;
    // A last line (no newline of its own) may end in a newline a quoted field swallowed.
    if (newline === 0 && end > from && this.buf[end - 1] === NEWLINE) end--;
    if (end > from && this.buf[end - 1] === 0x0d) end--;
    let start = from;
    // A UTF-8 byte order mark at the very start of the file is not part of the text.
    if (this.bufOffset + from === 0 && end - start >= 3 && this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) start += 3;
    const lineNumber = this.line;
    this.line += newline + this.newlinesIn(from, to);
    return { text: this.buf.toString('utf8', start, end), lineNumber, end: this.bufOffset + next };
  }

  private finishSkip(bytes: number, next: number, newline: boolean): Line {
    const s = this.skipping!;
    this.skipping = undefined;
    this.start = next;
    this.line = s.lineNumber + (newline ? 1 : 0);
    return { text: s.head, lineNumber: s.lineNumber, end: this.offset, oversize: s.bytes + bytes };
  }

  // Newlines inside quoted fields, which a logical CSV line may span.
  private newlinesIn(from: number, to: number): number {
    if (!this.quoted) return 0;
    let n = 0;
    for (let i = this.buf.indexOf(NEWLINE, from); i >= 0 && i < to; i = this.buf.indexOf(NEWLINE, i + 1)) n++;
    return n;
  }

  /** Index of the newline that ends the line starting at `from`, or -1 if it is not in the buffer. */
  private findEnd(from: number): number {
    if (!this.quoted) {
      const i = this.buf.indexOf(NEWLINE, from);
      return i >= 0 && i < this.filled ? i : -1;
    }
    let inQuotes = false;
    for (let i = from; i < this.filled; i++) {
      const b = this.buf[i];
      if (b === QUOTE) inQuotes = !inQuotes;
      else if (b === NEWLINE && !inQuotes) return i;
    }
    return -1;
  }
}
