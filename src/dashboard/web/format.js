// Numbers and times as the page shows them.

export function formatBytes(n) {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i += 1;
  }
  return `${i === 0 ? Math.round(v) : v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[i]}`;
}

export function formatSeconds(s) {
  if (s === null || s === undefined || !Number.isFinite(s)) return '–';
  if (s < 120) return `${Math.round(s * 10) / 10} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - 60 * m);
  if (m < 120) return `${m} min ${rest} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * A detection delay as the terminal table and the report print it: one decimal always
 * ("5.0 s", "6.7 s"), so the same figure reads the same in all three.
 */
export function formatDelay(s) {
  return typeof s === 'number' && Number.isFinite(s) ? `${s.toFixed(1)} s` : '–';
}

/** Seconds after the run's start, e.g. "+42.5 s". */
export function formatOffset(s) {
  return Number.isFinite(s) ? `+${Math.round(s * 10) / 10} s` : '–';
}

/** A rate or score: NaN and infinities (sent as strings) shown as such. */
export function formatNumber(v, digits = 3) {
  const n = typeof v === 'string' ? Number(v) : v;
  if (n === null || n === undefined) return '–';
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '−∞';
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return n.toLocaleString('en-US');
  if (Math.abs(n) >= 1e4 || (Math.abs(n) < 1e-3 && n !== 0)) return n.toExponential(2);
  return n.toFixed(digits);
}

export function formatDate(iso) {
  if (typeof iso !== 'string') return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (x) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Unix seconds → local clock time. */
export function formatClock(t) {
  if (!Number.isFinite(t)) return '–';
  const d = new Date(t * 1000);
  const pad = (x) => String(x).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Numbers sent as strings ("NaN", "Infinity") back to numbers. */
export function toNumber(v) {
  return typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
}

/** "1 run", "2 runs", "0 runs" (`many` for irregular plurals). */
export function plural(n, one, many = `${one}s`) {
  return `${Number(n).toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** A metric over repeats: "0.812 ± 0.034", "0.812" alone, "–" when undefined; "[k]" when only k runs defined it. */
export function formatStat(s, runs) {
  if (!s || s.mean === null || s.mean === undefined) return '–';
  const text = s.std === null || s.std === undefined ? s.mean.toFixed(3) : `${s.mean.toFixed(3)} ± ${s.std.toFixed(3)}`;
  return s.n < runs ? `${text} [${s.n}]` : text;
}

/** An axis value as a cell: strings as they are, anything else as compact JSON. */
export function formatValue(v) {
  return typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v);
}
