import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ewmaBand } from '../../src/report/index.ts';

const close = (a: number | null | undefined, b: number, what: string) => {
  assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);
};

describe('ewmaBand', () => {
  it('forecasts each point from the ones before it (λ = 0.5, k = 2, by hand)', () => {
    // x = 10, 20, 10, 40
    // after 10: m = 10, v = 0
    // point 20: band m = 10 ± 0; then r = 10, m = 15, v = 0.5 * (0 + 0.5 * 100) = 25
    // point 10: band m = 15 ± 2·5 = [5, 25]; then r = -5, m = 12.5, v = 0.5 * (25 + 0.5 * 25) = 18.75
    // point 40: band m = 12.5 ± 2·√18.75
    const b = ewmaBand([10, 20, 10, 40], { alpha: 0.5, k: 2 });
    assert.deepEqual([b.mean[0], b.upper[0], b.lower[0]], [null, null, null]);
    close(b.mean[1], 10, 'mean 1');
    close(b.upper[1], 10, 'upper 1');
    close(b.mean[2], 15, 'mean 2');
    close(b.upper[2], 25, 'upper 2');
    close(b.lower[2], 5, 'lower 2');
    close(b.mean[3], 12.5, 'mean 3');
    close(b.upper[3], 12.5 + 2 * Math.sqrt(18.75), 'upper 3');
    close(b.lower[3], 12.5 - 2 * Math.sqrt(18.75), 'lower 3');
  });

  it('skips gaps: no band there, and the state carries over them unchanged', () => {
    const withGap = ewmaBand([10, null, 20, 10], { alpha: 0.5, k: 2 });
    const without = ewmaBand([10, 20, 10], { alpha: 0.5, k: 2 });
    assert.deepEqual([withGap.mean[1], withGap.upper[1]], [null, null]);
    assert.deepEqual([withGap.mean[2], withGap.mean[3], withGap.upper[3]], [without.mean[1], without.mean[2], without.upper[2]]);
  });

  it('rejects a weight outside (0, 1]', () => {
    assert.throws(() => ewmaBand([1], { alpha: 0, k: 3 }), /alpha/);
    assert.throws(() => ewmaBand([1], { alpha: 1.5, k: 3 }), /alpha/);
  });
});
