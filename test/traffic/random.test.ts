import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRandom } from '../../src/traffic/index.ts';

describe('createRandom', () => {
  it('repeats a stream for the same seed and stream number, and differs otherwise', () => {
    const draw = (seed: number, stream: number) => Array.from({ length: 8 }, createRandom(seed, stream).next);
    assert.deepEqual(draw(1, 0), draw(1, 0));
    assert.notDeepEqual(draw(1, 0), draw(2, 0));
    assert.notDeepEqual(draw(1, 0), draw(1, 1));
  });

  it('draws uniformly in [0, 1) and integers in [min, max] inclusive', () => {
    const r = createRandom(42);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) {
      const x = r.next();
      assert.ok(x >= 0 && x < 1);
      counts[r.int(1, 3) - 1]! += 1;
    }
    // Each face 1/3: 10000 expected, binomial sd about 82; 500 is six sd.
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `counts ${counts}`);
  });

  it('picks behaviours in proportion to the weights (50/30/20), never a zero weight', () => {
    const r = createRandom(7);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[r.weighted([50, 30, 20])]! += 1;
    // sd of a share near 0.5 over 30000 draws is 0.0029; 0.015 is five sd.
    assert.ok(Math.abs(counts[0]! / 30_000 - 0.5) < 0.015, `counts ${counts}`);
    assert.ok(Math.abs(counts[1]! / 30_000 - 0.3) < 0.015, `counts ${counts}`);
    assert.ok(Math.abs(counts[2]! / 30_000 - 0.2) < 0.015, `counts ${counts}`);
    for (let i = 0; i < 1000; i++) assert.notEqual(r.weighted([1, 0, 1]), 1);
  });
});
