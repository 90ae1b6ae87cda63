/**
 * `value[key]` when `value` is a plain object (not null, not an array), else undefined: for
 * reading parameters and run.json as written, before (or without) validation, where any field
 * may be missing or of the wrong type.
 */
export function objectField(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}
