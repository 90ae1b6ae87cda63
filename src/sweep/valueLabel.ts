/** Longest label a value gets in a run or variant name. */
const MAX_LABEL = 48;

/**
 * A value as it appears in run and variant names (`bytes=20000_shape=normal_r1`): letters,
 * digits, dot and dash only, so names are safe folder names everywhere. Distinct values may
 * share a label (e.g. "a b" and "a-b"); sweeps check labels are unique per axis.
 */
export function valueLabel(value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : (JSON.stringify(value) ?? String(value));
  const safe = text
    .replace(/[^A-Za-z0-9.-]+/g, ' ')
    .trim()
    .replace(/ /g, '-')
    .slice(0, MAX_LABEL);
  return safe === '' ? 'x' : safe;
}

/** `name=label` parts joined by `_`; `suffix` (e.g. `r2`) last. Empty parts give an empty name. */
export function joinLabels(parts: readonly (readonly [string, string])[], suffix?: string): string {
  const out = parts.map(([name, label]) => `${name}=${label}`);
  if (suffix !== undefined) out.push(suffix);
  return out.join('_');
}
