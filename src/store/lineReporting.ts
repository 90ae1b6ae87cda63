import { log } from '../logger.ts';

/** A value as quoted in a message about a bad line: short, and `nothing` for a missing field. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Where a reader reports bad lines; quiet: a second reader of a run whose problems were already reported. */
export function readerLog(quiet: boolean | undefined): { readonly warn: (message: string) => void; readonly info: (message: string) => void } {
  return quiet ? { warn: () => {}, info: () => {} } : log;
}
