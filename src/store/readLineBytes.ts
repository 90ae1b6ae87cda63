import { StringDecoder } from 'node:string_decoder';
import { describeFsError } from './fsErrors.ts';
import { MAX_LINE_CHARS, openFileStream, type ReadLinesOptions } from './readLines.ts';

/**
 * One line of a file as bytes: `bytes[start, end)`, without its newline and without a trailing
 * carriage return. The buffer is the reader's (a chunk of the file, or a line assembled from
 * several): read it before asking for the next line.
 */
export interface LineBytes {
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
  /** 1-based line number. */
  readonly number: number;
  /** False only for a last line with no newline after it (possibly cut off mid-write). */
  readonly terminated: boolean;
  /** Bytes of the file read so far (chunk granularity). */
  readonly bytesRead: number;
  /**
   * Bytes of the file up to the end of this line (its newline included), for progress: a 1 MiB
   * chunk holds a whole small run, so `bytesRead` says 100 % from the first line on.
   */
  readonly consumedBytes: number;
  /** Set when the line was longer than `maxLineChars` characters: its length in characters (`start === end` then). */
  readonly overlongChars?: number;
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const EMPTY: Buffer = Buffer.alloc(0);

/**
 * readLines' twin that hands out each line's bytes instead of a string, for readers that parse
 * bytes themselves (snapshots.ndjson: ~5 kB a line, 100 MB for a 20,000-interval run, where
 * decoding every line to a string cost as much as parsing it). Same lines, numbers, `terminated`,
 * `bytesRead` and overlong rule as readLines: a leading UTF-8 byte-order mark is dropped, a line
 * is overlong when its UTF-8 decoding (with its carriage return, if any) is longer than
 * `maxLineChars` characters, and it is then counted, not kept. The line's object is reused from
 * line to line, as its buffer is.
 */
export async function* readLineBytes(path: string, options: ReadLinesOptions = {}): AsyncGenerator<LineBytes, void, undefined> {
  const maxChars = options.maxLineChars ?? MAX_LINE_CHARS;
  const stream = await openFileStream(path, options);
  const line = { bytes: EMPTY, start: 0, end: 0, number: 0, terminated: true, bytesRead: 0, consumedBytes: 0, overlongChars: undefined as number | undefined };
  // A line spanning chunks: its pieces so far (copies: the stream may reuse nothing, but a
  // subarray would keep a whole 1 MiB chunk alive for a few bytes).
  let pieces: Buffer[] = [];
  let pendingBytes = 0;
  // Characters of the current pending line, counted only once its bytes exceed maxChars (-1 before).
  let pendingChars = -1;
  let counter: StringDecoder | undefined;
  // The pending line is over the limit: its pieces are dropped, only its characters counted.
  let dropping = false;
  // Bytes of a possible byte-order mark still to check at the start of the file.
  let bomChecked = false;
  let head: Buffer = EMPTY;

  const countPending = (piece: Buffer): void => {
    if (pendingChars < 0) {
      counter = new StringDecoder('utf8');
      pendingChars = 0;
      for (const p of pieces) pendingChars += counter.write(p).length;
    }
    pendingChars += counter!.write(piece).length;
  };
  const addPending = (piece: Buffer): void => {
    pendingBytes += piece.length;
    if (dropping) {
      countPending(piece);
      return;
    }
    if (pendingBytes > maxChars) {
      countPending(piece);
      if (pendingChars > maxChars) {
        dropping = true;
        pieces = [];
        return;
      }
    }
    pieces.push(Buffer.from(piece));
  };
  /** The line made of the pending pieces and `bytes[start, end)`; sets `line`'s fields. */
  const finish = (bytes: Buffer, start: number, end: number, terminated: boolean): void => {
    line.number += 1;
    line.terminated = terminated;
    line.overlongChars = undefined;
    if (pendingBytes > 0 || dropping) {
      addPending(bytes.subarray(start, end));
      if (pendingChars >= 0) pendingChars += counter!.end().length;
      if (dropping || pendingChars > maxChars) {
        line.overlongChars = pendingChars;
        line.bytes = EMPTY;
        line.start = line.end = 0;
      } else {
        line.bytes = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, pendingBytes);
        line.start = 0;
        line.end = pendingBytes;
      }
      pieces = [];
      pendingBytes = 0;
      pendingChars = -1;
      counter = undefined;
      dropping = false;
    } else {
      line.bytes = bytes;
      line.start = start;
      line.end = end;
      if (end - start > maxChars) {
        const chars = bytes.toString('utf8', start, end).length;
        if (chars > maxChars) {
          line.overlongChars = chars;
          line.bytes = EMPTY;
          line.start = line.end = 0;
        }
      }
    }
    if (line.end > line.start && line.bytes[line.end - 1] === CR) line.end -= 1;
  };

  try {
    for await (const raw of stream as AsyncIterable<Buffer>) {
      line.bytesRead += raw.length;
      let chunk = raw;
      if (!bomChecked) {
        // The file's first three bytes may arrive in several chunks (tests read 3 bytes at a time).
        head = Buffer.concat([head, chunk]);
        if (head.length < 3 && BOM.subarray(0, head.length).equals(head)) continue;
        bomChecked = true;
        chunk = head.length >= 3 && head[0] === BOM[0] && head[1] === BOM[1] && head[2] === BOM[2] ? head.subarray(3) : head;
        head = EMPTY;
      }
      let from = 0;
      let nl = chunk.indexOf(NEWLINE, from);
      while (nl !== -1) {
        finish(chunk, from, nl, true);
        // What follows the newline in this chunk is not consumed yet.
        line.consumedBytes = line.bytesRead - (chunk.length - nl - 1);
        yield line;
        from = nl + 1;
        nl = chunk.indexOf(NEWLINE, from);
      }
      if (from < chunk.length) addPending(chunk.subarray(from));
    }
    if (!bomChecked && head.length > 0) addPending(head);
    if (pendingBytes > 0 || dropping) {
      finish(EMPTY, 0, 0, false);
      line.consumedBytes = line.bytesRead;
      yield line;
    }
  } catch (e) {
    throw describeFsError(e, path, 'be read', '');
  } finally {
    stream.destroy();
  }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
