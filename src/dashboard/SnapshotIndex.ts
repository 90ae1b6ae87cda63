import { open, stat } from 'node:fs/promises';
import { UserError } from '../errors.ts';
import { MAX_LINE_CHARS, overlongProblem } from '../store/readLines.ts';

const SCAN_CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Where each complete line of a growing snapshots.ndjson starts and ends, so a range of
 * intervals is read without reading the file from the start. The index only grows: each
 * refresh scans the bytes appended since the last one. A line without its newline yet (being
 * written) is not indexed until the newline comes; blank lines are not indexed. A file that
 * shrank or was replaced is indexed afresh.
 */
export class SnapshotIndex {
  private starts: number[] = [];
  private ends: number[] = [];
  private scannedBytes = 0;
  private lineStart = 0;
  private blank = true;
  private inode = -1;
  private pending: Promise<number> | undefined;
  /** Modification time (ms) of the file at the last refresh; NaN when it did not exist. */
  mtimeMillis = Number.NaN;

  constructor(readonly file: string) {}

  /** Complete lines indexed so far. */
  get count(): number {
    return this.starts.length;
  }

  /** Scan what was appended since the last call; resolves to the number of complete lines. Missing file: 0. */
  refresh(): Promise<number> {
    // One scan at a time: concurrent requests share it.
    this.pending ??= this.scan().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async scan(): Promise<number> {
    let size: number;
    try {
      const s = await stat(this.file);
      if (!s.isFile()) throw new UserError(`${this.file}: not a regular file (${s.isDirectory() ? 'a folder' : 'a device, socket or pipe'}); a run's snapshots.ndjson must be a file`);
      size = s.size;
      this.mtimeMillis = s.mtimeMs;
      if (s.ino !== this.inode || size < this.scannedBytes) this.reset(s.ino);
    } catch (e) {
      if (e instanceof UserError || (e as { code?: string }).code !== 'ENOENT') throw e;
      this.reset(-1);
      this.mtimeMillis = Number.NaN;
      return 0;
    }
    if (size === this.scannedBytes) return this.count;
    const handle = await open(this.file, 'r');
    try {
      const buffer = Buffer.allocUnsafe(SCAN_CHUNK_BYTES);
      while (this.scannedBytes < size) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(SCAN_CHUNK_BYTES, size - this.scannedBytes), this.scannedBytes);
        if (bytesRead === 0) break;
        this.scanChunk(buffer, bytesRead, this.scannedBytes);
        this.scannedBytes += bytesRead;
      }
    } finally {
      await handle.close();
    }
    return this.count;
  }

  private scanChunk(buffer: Buffer, length: number, base: number): void {
    for (let i = 0; i < length; i++) {
      const byte = buffer[i]!;
      if (byte === NEWLINE) {
        if (!this.blank) {
          this.starts.push(this.lineStart);
          this.ends.push(base + i);
        }
        this.lineStart = base + i + 1;
        this.blank = true;
      } else if (this.blank && byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) this.blank = false;
    }
  }

  private reset(inode: number): void {
    this.starts = [];
    this.ends = [];
    this.scannedBytes = 0;
    this.lineStart = 0;
    this.blank = true;
    this.inode = inode;
  }

  /**
   * The text of indexed lines [from, from + count) (fewer at the end of the index). A leading
   * byte-order mark is dropped; a line over MAX_LINE_CHARS bytes is not read: its text is a
   * note saying so (not JSON, so decoding reports it as a bad line).
   */
  async read(from: number, count: number): Promise<string[]> {
    const last = Math.min(this.count, from + count) - 1;
    if (from < 0 || last < from) return [];
    const lines: string[] = [];
    const handle = await open(this.file, 'r');
    try {
      // Consecutive lines of ordinary length are read in one go; an overlong one alone is skipped.
      let i = from;
      while (i <= last) {
        let j = i;
        let bytes = 0;
        while (j <= last && this.ends[j]! - this.starts[j]! <= MAX_LINE_CHARS && bytes + this.ends[j]! - this.starts[j]! <= MAX_LINE_CHARS) bytes += this.ends[j]! - this.starts[j++]!;
        if (j === i) {
          lines.push(`(${overlongProblem(this.ends[i]! - this.starts[i]!)})`);
          i += 1;
          continue;
        }
        const begin = this.starts[i]!;
        const buffer = Buffer.alloc(this.ends[j - 1]! - begin);
        await handle.read(buffer, 0, buffer.length, begin);
        // Lines end at newlines, so byte offsets never split a multi-byte character.
        for (let k = i; k < j; k++) {
          const at = this.starts[k]! - begin;
          const bom = this.starts[k] === 0 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
          lines.push(buffer.toString('utf8', at + bom, this.ends[k]! - begin));
        }
        i = j;
      }
    } finally {
      await handle.close();
    }
    return lines;
  }
}
