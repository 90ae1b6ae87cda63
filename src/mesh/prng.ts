import { mulberry32 } from '../mulberry32.ts';

/** A seeded pseudo-random source: the same seed gives the same data on every start. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** A string of `length` characters drawn from `alphabet`. */
  chars(length: number, alphabet: string): string;
}

/** mulberry32: tiny, fast and well distributed enough for synthetic records. */
export function createPrng(seed: number): Prng {
  const next = mulberry32(seed);
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
    chars(length: number, alphabet: string): string {
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet[int(0, alphabet.length - 1)];
      return out;
    },
  };
}

/** A random-looking but reproducible identifier in the 24-hex-digit form of MongoDB object ids. */
export function objectId(prng: Prng): string {
  return prng.chars(24, '0123456789abcdef');
}
