// Node ids: one per name, freed when unnamed (unless kept), freed ones handed out again.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { NodeIds } from '../../src/detectors/nodeIds.ts';

it('node ids: the same name keeps its id; unnamed ids are freed (kept ones not), then reused last freed first', () => {
  const nodes = new NodeIds();
  assert.deepEqual(['a', 'b', 'c', 'd', 'b'].map((n) => nodes.id(n)), [0, 1, 2, 3, 1]);
  assert.equal(nodes.size, 4);
  assert.equal(nodes.capacity, 4);
  const freed: number[] = [];
  // Named: b (1). Kept: d (3). Freed: a (0) and c (2), ascending.
  nodes.freeUnnamed(Uint8Array.of(0, 1, 0, 0), (id) => id === 3, (id) => freed.push(id));
  assert.deepEqual(freed, [0, 2]);
  assert.equal(nodes.size, 2);
  assert.equal(nodes.id('b'), 1);
  assert.equal(nodes.id('d'), 3);
  // c's id 2 was freed last: the first new name gets it, the next gets a's 0, then a new one.
  assert.deepEqual(['e', 'a', 'f'].map((n) => nodes.id(n)), [2, 0, 4]);
  assert.equal(nodes.capacity, 5);
});
