/**
 * One string per edge, for Sets and Maps keyed by edge. Names are any non-empty string
 * (src/store/snapshotCodec.ts), and telemetry label values are the attacker's to choose, so a
 * plain separator is not enough: joined by U+0000, the edges "a\0b" → "c" and "a" → "b\0c" would
 * share a key and one could stand in for the other in every Set and Map keyed by it. The length
 * of `src` in front makes the key say where `src` ends: two different edges never share one.
 */
export const edgeKey = (src: string, dst: string): string => `${src.length}:${src}\u0000${dst}`;

/** One string per pair of nodes, whichever way the edge between them runs (the link a → b and b → a share). */
export const linkKey = (a: string, b: string): string => (a < b ? edgeKey(a, b) : edgeKey(b, a));
