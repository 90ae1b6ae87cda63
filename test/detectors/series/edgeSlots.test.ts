// Which slot of per-edge state each edge holds: kept while the edge is active, forgotten after
// forgetAfterSeconds idle, freed slots handed out again.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EdgeSlots } from '../../../src/detectors/series/edgeSlots.ts';

function slots(forgetAfterSeconds: number): { slots: EdgeSlots; fresh: number[] } {
  const fresh: number[] = [];
  const s = new EdgeSlots(forgetAfterSeconds, (i) => fresh.push(i));
  s.reserve(8);
  return { slots: s, fresh };
}

describe('edge slots', () => {
  it('an edge keeps its slot while active, and each new slot is announced once', () => {
    const { slots: s, fresh } = slots(100);
    assert.equal(s.of(3), -1);
    assert.equal(s.take(3, 0), 0);
    assert.equal(s.take(5, 0), 1);
    assert.equal(s.take(3, 50), 0);
    assert.equal(s.take(3, 150), 0); // idle 100 s, not more: kept
    assert.deepEqual(fresh, [0, 1]);
    assert.equal(s.of(5), 1);
  });

  it('idle for more than forgetAfterSeconds: the edge starts over in a fresh slot (its own, freed, handed out again)', () => {
    const { slots: s, fresh } = slots(100);
    s.take(3, 0);
    s.take(5, 0);
    assert.equal(s.take(3, 100.5), 0); // idle 100.5 s: slot 0 freed, then handed out again, fresh
    assert.deepEqual(fresh, [0, 1, 0]);
  });

  it('a sweep frees every slot idle too long, at most every quarter of forgetAfterSeconds, and freed slots are reused last freed first', () => {
    const { slots: s, fresh } = slots(100);
    s.take(1, 0);
    s.take(2, 0);
    s.take(3, 90);
    assert.equal(s.sweep(95), true); // the first sweep runs; nothing idle over 100 s yet
    assert.equal(s.of(1), 0);
    assert.equal(s.sweep(101), false); // next one due at 95 + 25
    assert.equal(s.of(1), 0);
    assert.equal(s.sweep(120), true); // edges 1 and 2 idle 120 s: freed; edge 3 idle 30 s: kept
    assert.deepEqual([s.of(1), s.of(2), s.of(3)], [-1, -1, 2]);
    assert.equal(s.take(6, 120), 1); // slot 1 freed after slot 0
    assert.equal(s.take(7, 120), 0);
    assert.equal(s.take(4, 120), 3); // none free: a new one
    assert.deepEqual(fresh, [0, 1, 2, 1, 0, 3]);
  });

  it('drop frees the slot of an edge whose position now holds another edge', () => {
    const { slots: s } = slots(100);
    s.take(2, 0);
    s.drop(2);
    assert.equal(s.of(2), -1);
    s.drop(2); // no slot: nothing to do
    assert.equal(s.take(2, 1), 0);
  });
});
