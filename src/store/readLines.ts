import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { UserError } from '../errors.ts';
import { describeFsError } from './fsErrors.ts';

/** One line of a text file. */
export interface Line {
  /** The line without its newline (and without a trailing carriage return). */
  readonly text: string;
  /** 1-based line number. */
  readonly number: number;
  /** False only for a last line with no newline after it (possibly cut off mid-write). */
  readonly terminated: boolean;
  /** Bytes of the file read so far (chunk granularity), for progress. */
  readonly bytesRead: number;
  /**
   * Set when the line was longer than `maxLineChars`: its length in characters; `text` is
   * then empty (the line was not kept: a string that long cannot be held, let alone parsed).
   */
  readonly overlongChars?: number;
}

export interface ReadLinesOptions {
  /** Size of each read from disk. Default 1 MiB. */
  readonly chunkBytes?: number;
  /** Longest line kept, in characters (default 64 Mi); longer ones are reported as overlong. */
  readonly maxLineChars?: number;
}

/** Longest line kept by default: far beyond any interval of a real mesh, far below V8's string limit. */
export const MAX_LINE_CHARS = 64 << 20;

/**
 * Stream a file line by line. Memory holds one chunk plus the current line, however long
 * the file is (a line over `maxLineChars` is counted, not kept). Unlike readline, it says
 * whether the last line ended with a newline, which is how a reader tells a line cut off by
 * a killed writer from a bad one. A UTF-8 byte-order mark at the start is dropped. A path
 * that is not a regular file (a folder, a device) or cannot be read is a UserError naming it.
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<Line, void, undefined> {
  const maxChars = options.maxLineChars ?? MAX_LINE_CHARS;
  const stream = await openFileStream(path, options);
  const decoder = new StringDecoder('utf8');
  let pending = '';
  // Characters of the current line not kept because it is overlong (-1: the line is kept).
  let dropped = -1;
  let number = 0;
  let bytesRead = 0;
  let first = true;
  const line = (piece: string, terminated: boolean): Line => {
    number += 1;
    if (dropped >= 0) {
      const chars = dropped + piece.length;
      dropped = -1;
      return { text: '', number, terminated, bytesRead, overlongChars: chars };
    }
    return { text: stripCr(piece), number, terminated, bytesRead };
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      let text = decoder.write(chunk);
      if (first && text !== '') {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      let from = 0;
      let nl = text.indexOf('\n');
      if (nl === -1) {
        if (dropped >= 0) dropped += text.length;
        else if (pending.length + text.length > maxChars) {
          dropped = pending.length + text.length;
          pending = '';
        } else pending += text;
        continue;
      }
      while (nl !== -1) {
        const piece = from === 0 && pending !== '' ? pending + text.slice(0, nl) : text.slice(from, nl);
        pending = '';
        yield line(piece.length > maxChars && dropped < 0 ? ((dropped = 0), piece) : piece, true);
        from = nl + 1;
        nl = text.indexOf('\n', from);
      }
      pending = text.slice(from);
    }
    pending += decoder.end();
    if (pending !== '' || dropped >= 0) yield line(pending, false);
  } catch (e) {
    throw describeFsError(e, path, 'be read', '');
  } finally {
    stream.destroy();
  }
}

function stripCr(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}

/**
 * A read stream of the regular file at `path`, in chunks of `options.chunkBytes` (1 MiB by
 * default); a path that cannot be read or is not a regular file (a folder, a device) is a
 * UserError naming it. Shared by readLines and readLineBytes.
 */
export async function openFileStream(path: string, options: ReadLinesOptions): Promise<ReturnType<typeof createReadStream>> {
  const handle = await open(path, 'r').catch((e: unknown) => {
    throw describeFsError(e, path, 'be read', '');
  });
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new UserError(`${path}: not a regular file (${stat.isDirectory() ? 'a folder' : 'a device, socket or pipe'}); a run's ${path.split(/[\\/]/).pop()} must be a file`);
  }
  return createReadStream(path, { fd: handle, highWaterMark: options.chunkBytes ?? 1 << 20 });
}

/** How readers report a line over the limit, in the same words everywhere. */
export function overlongProblem(chars: number, limit = MAX_LINE_CHARS): string {
  return `line of ${chars} characters, longer than the ${limit} a reader keeps (no interval or event is that long)`;
}
