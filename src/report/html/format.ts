// How numbers read in the report's tables.

const DASH = '–';

/** A rate as a percentage with one decimal; missing or NaN as a dash. */
export function percent(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : DASH;
}

/** A value in [0, 1] (AUC, F1, precision) to three decimals. */
export function ratio(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : DASH;
}

export function count(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : DASH;
}

/** A delay with one decimal, exactly as the terminal table and the dashboard print it (toFixed: 1.45 → "1.4 s" in all three). */
export function seconds(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? `${v.toFixed(1)} s` : DASH;
}

/** Bytes with a binary-free SI prefix (what the run format counts). */
export function bytes(v: number | null | undefined): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return DASH;
  if (v < 1000) return `${v} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let x = v;
  let i = -1;
  while (x >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  return `${x.toFixed(x < 10 ? 2 : 1)} ${units[i]}`;
}

/** Unix seconds → ISO 8601 (UTC), or a dash. */
export function isoTime(t: number | undefined): string {
  if (t === undefined || !Number.isFinite(t)) return DASH;
  const d = new Date(t * 1000);
  return Number.isNaN(d.getTime()) ? DASH : d.toISOString().replace('.000Z', 'Z');
}
