/**
 * mulberry32: a tiny, fast, well-distributed 32-bit generator, for reproducible synthetic data
 * and seeded traffic decisions (not for anything secret). Returns uniform numbers in [0, 1).
 */
export function mulberry32(initialState: number): () => number {
  let state = initialState >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
