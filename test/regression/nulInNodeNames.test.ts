// Regression (7 Dec): edges were keyed by their names joined with a NUL, and a name may hold one
// (names are any non-empty string; label values are the attacker's to choose), so the edges
// "a\0b" → "c" and "a" → "b\0c" shared a key: a slice read stale carried into the next one
// (sumEdges) summed their traffic into one edge named after the first. Keys now carry src's
// length (src/edgeKey.ts).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sumEdges } from '../../src/replay/sumEdges.ts';

test('sumEdges keeps apart two edges whose names joined by a NUL read the same', () => {
  const summed = sumEdges(
    [{ src: 'a\u0000b', dst: 'c', values: { response_bytes: 100 } }],
    [
      { src: 'a', dst: 'b\u0000c', values: { response_bytes: 7 } },
      { src: 'a\u0000b', dst: 'c', values: { response_bytes: 20 } },
    ],
  );
  assert.deepEqual(summed, [
    { src: 'a\u0000b', dst: 'c', values: { response_bytes: 120 } },
    { src: 'a', dst: 'b\u0000c', values: { response_bytes: 7 } },
  ]);
});
