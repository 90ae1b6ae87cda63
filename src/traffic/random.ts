import { createPrng } from '../mesh/index.ts';

/**
 * A small seeded pseudo-random generator (mulberry32), so the built-in traffic makes the
 * same decisions for the same seed. Each virtual user draws from its own stream, so its
 * choices do not depend on how the users' requests interleave.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max]. */
  between(min: number, max: number): number;
  /** Integer uniform in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** One element, uniformly; undefined for an empty list. */
  pick<T>(items: readonly T[]): T | undefined;
  /** Index drawn with probability proportional to its weight (weights non-negative, sum > 0). */
  weighted(weights: readonly number[]): number;
  /** Hex string of `length` characters. */
  hex(length: number): string;
}

/** Mix a seed and a stream number into one 32-bit state (splitmix-style avalanche). */
function mixSeed(seed: number, stream: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream | 0, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Generator for `stream` (e.g. a virtual user's number) under `seed`. */
export function createRandom(seed: number, stream = 0): Random {
  // The embedded mesh's generator: the same mulberry32 draws for int, pick and hex.
  const prng = createPrng(mixSeed(seed, stream));
  const next = prng.next;
  return {
    next,
    between: (min, max) => min + (max - min) * next(),
    int: prng.int,
    pick: (items) => (items.length === 0 ? undefined : prng.pick(items)),
    weighted(weights) {
      let total = 0;
      for (const w of weights) total += w;
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i] ?? 0;
        if (r < 0) return i;
      }
      // Rounding can leave r at exactly 0: the last positive weight takes it.
      for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] ?? 0) > 0) return i;
      return 0;
    },
    hex: (length) => prng.chars(length, '0123456789abcdef'),
  };
}
