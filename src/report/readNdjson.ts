import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { UserError } from '../errors.ts';
import { log } from '../logger.ts';
import { readError } from './readText.ts';

/** One parsed line of an NDJSON file, with its 1-based line number for error messages. */
export interface NdjsonLine {
  readonly line: number;
  readonly value: unknown;
}

/**
 * Read an NDJSON file line by line. Blank lines are skipped. A last line that is not valid
 * JSON is a run killed mid-write (the run format says readers tolerate it): it is dropped
 * with a warning. Any other invalid line is a UserError naming the file and line.
 */
export async function readNdjson(path: string): Promise<NdjsonLine[]> {
  const out: NdjsonLine[] = [];
  let pending: { line: number; text: string; error: string } | undefined;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const text of lines) {
      n += 1;
      if (text.trim() === '') continue;
      // A bad line followed by more content is not a truncated tail: it is corrupt.
      if (pending) throw new UserError(`${path}:${pending.line}: not valid JSON (${pending.error})`);
      try {
        out.push({ line: n, value: JSON.parse(text) as unknown });
      } catch (e) {
        pending = { line: n, text, error: e instanceof Error ? e.message : String(e) };
      }
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw readError(path, e);
  }
  if (pending) log.warn(`${path}:${pending.line}: ignoring truncated last line (${pending.text.length} characters)`);
  return out;
}
