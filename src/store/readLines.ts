import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

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
}

export interface ReadLinesOptions {
  /** Size of each read from disk. Default 1 MiB. */
  readonly chunkBytes?: number;
}

/**
 * Stream a file line by line. Memory holds one chunk plus the current line, however long
 * the file is. Unlike readline, it says whether the last line ended with a newline, which is
 * how a reader tells a line cut off by a killed writer from a bad one.
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<Line, void, undefined> {
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let number = 0;
  let bytesRead = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      const text = decoder.write(chunk);
      let from = 0;
      let nl = text.indexOf('\n');
      if (nl === -1) {
        pending += text;
        continue;
      }
      while (nl !== -1) {
        const piece = from === 0 && pending !== '' ? pending + text.slice(0, nl) : text.slice(from, nl);
        pending = '';
        number += 1;
        yield { text: stripCr(piece), number, terminated: true, bytesRead };
        from = nl + 1;
        nl = text.indexOf('\n', from);
      }
      pending = text.slice(from);
    }
    pending += decoder.end();
    if (pending !== '') {
      number += 1;
      yield { text: stripCr(pending), number, terminated: false, bytesRead };
    }
  } finally {
    stream.destroy();
  }
}

function stripCr(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}
