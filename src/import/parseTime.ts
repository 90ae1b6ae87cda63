import { UserError } from '../errors.ts';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const RELATIVE = /^(?:now)?\s*([+-])\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/;
const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * A time flag as Unix seconds: RFC 3339 (`2026-12-05T14:00:00Z`, an offset instead of Z),
 * `now`, relative to now (`-2h`, `now-30m`, `-90s`; units ms s m h d w), or Unix seconds.
 */
export function parseTime(flag: string, text: string, nowSeconds: number): number {
  const s = text.trim();
  if (s === 'now') return nowSeconds;
  const relative = RELATIVE.exec(s);
  if (relative) return nowSeconds + (relative[1] === '-' ? -1 : 1) * Number(relative[2]) * UNIT_SECONDS[relative[3]!]!;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  if (RFC3339.test(s)) {
    const ms = Date.parse(s.replace(' ', 'T'));
    if (Number.isFinite(ms)) return ms / 1000;
  }
  throw new UserError(`--${flag}: expected an RFC 3339 time (2026-12-05T14:00:00Z), now, a time relative to now (-2h, now-30m) or Unix seconds (got ${JSON.stringify(text)})`);
}

/** A duration flag (`15s`, `1m`, or plain seconds) as seconds. */
export function parseDuration(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/.exec(text.trim());
  const seconds = m ? Number(m[1]) * (m[2] ? UNIT_SECONDS[m[2]]! : 1) : Number.NaN;
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new UserError(`--${flag}: expected a positive duration such as 15, 15s or 1m (got ${JSON.stringify(text)})`);
  return seconds;
}
