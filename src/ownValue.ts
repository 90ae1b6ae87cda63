// Metric and node names come from a run's files, and any string is a valid name, `constructor`,
// `toString` and `__proto__` included. A plain object keyed by such names answers
// Object.prototype's members for the names it does not hold (`values.constructor` is a
// function, not a missing metric), and `values['__proto__'] = 7` sets its prototype (7 is not an
// object: ignored) instead of storing 7. Objects keyed by names read and write through these.

/** The record's own value for `key`, or undefined: never one of Object.prototype's members. */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  const v = record[key];
  // Object.prototype's members are functions and objects: a number (most reads) is the record's own.
  if (v === undefined || typeof v === 'number') return v;
  return Object.hasOwn(record, key) ? v : undefined;
}

/** Set the record's own `key`, `__proto__` included (stored as a value, not as the prototype). */
export function setOwnValue<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}
