import { jsonForMessage } from '../jsonForMessage.ts';
import { log } from '../logger.ts';

/** A value as quoted in a message about a bad line: short, `nothing` for a missing field, NaN and Infinity as such. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const s = jsonForMessage(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Where a reader reports bad lines; quiet: a second reader of a run whose problems were already reported. */
export function readerLog(quiet: boolean | undefined): { readonly warn: (message: string) => void; readonly info: (message: string) => void } {
  return quiet ? { warn: () => {}, info: () => {} } : log;
}

/** Bad lines of one file reported one by one; the rest only counted. */
export const SHOWN_BAD_LINES = 10;

/**
 * A file's bad-line warnings: the first SHOWN_BAD_LINES printed as they come, then, when the
 * file is done, one line with how many there were in all. A run whose lines are all bad (a
 * converter's mistake: 20,000 lines) prints 11 lines, not 20,000; every one is counted.
 */
export class BadLines {
  count = 0;

  constructor(
    private readonly file: string,
    private readonly say: { readonly warn: (message: string) => void },
  ) {}

  warn(message: string): void {
    this.count += 1;
    if (this.count <= SHOWN_BAD_LINES) this.say.warn(message);
  }

  /** Once the file is read: the count, when some were not shown. */
  finish(): void {
    if (this.count > SHOWN_BAD_LINES) this.say.warn(`${this.file}: ${this.count} bad lines in all (the first ${SHOWN_BAD_LINES} shown above)`);
  }
}
