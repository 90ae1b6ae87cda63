/** Longest label a value gets in a run or variant name. */
const MAX_LABEL = 40;

/**
 * A value as it appears in run and variant names (`bytes=20000_shape=normal_r1`): letters,
 * digits, dot and dash only, so names are safe folder names everywhere. Distinct values may
 * share a label (e.g. "a b" and "a-b"): see axisLabels.
 */
export function valueLabel(value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : (JSON.stringify(value) ?? String(value));
  const safe = text
    .replace(/[^A-Za-z0-9.-]+/g, ' ')
    .trim()
    .replace(/ /g, '-');
  return safe === '' ? 'x' : safe;
}

/**
 * The labels of an axis's values: each value's own label when they are all distinct and short,
 * else `v1`, `v2`, ... by position (e.g. for whole exfiltration schedules), so names stay
 * unique and readable. Deterministic: the same values always get the same labels.
 */
export function axisLabels(values: readonly unknown[]): string[] {
  const labels = values.map(valueLabel);
  const usable = new Set(labels).size === labels.length && labels.every((l) => l.length <= MAX_LABEL);
  return usable ? labels : values.map((_, i) => `v${i + 1}`);
}

/** `name=label` parts joined by `_`; `suffix` (e.g. `r2`) last. Empty parts give an empty name. */
export function joinLabels(parts: readonly (readonly [string, string])[], suffix?: string): string {
  const out = parts.map(([name, label]) => `${name}=${label}`);
  if (suffix !== undefined) out.push(suffix);
  return out.join('_');
}
