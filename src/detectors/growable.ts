/**
 * A Float64Array at least `length` long holding `array`'s values (`fill`, default 0, after them).
 * Grows by doubling so a stream whose edge index keeps growing reallocates O(log n) times.
 */
export function ensureLength(array: Float64Array<ArrayBuffer>, length: number, fill = 0): Float64Array<ArrayBuffer> {
  if (array.length >= length) return array;
  const grown = new Float64Array(Math.max(length, array.length * 2, 16));
  grown.set(array);
  if (fill !== 0) grown.fill(fill, array.length);
  return grown;
}

/** Int32Array version of ensureLength; new slots hold `fill`. */
export function ensureLengthInt(array: Int32Array<ArrayBuffer>, length: number, fill = 0): Int32Array<ArrayBuffer> {
  if (array.length >= length) return array;
  const grown = new Int32Array(Math.max(length, array.length * 2, 16));
  grown.set(array);
  if (fill !== 0) grown.fill(fill, array.length);
  return grown;
}

/** Uint8Array version of ensureLength (new slots hold 0). */
export function ensureLengthBytes(array: Uint8Array<ArrayBuffer>, length: number): Uint8Array<ArrayBuffer> {
  if (array.length >= length) return array;
  const grown = new Uint8Array(Math.max(length, array.length * 2, 16));
  grown.set(array);
  return grown;
}
