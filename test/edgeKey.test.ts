// Edge keys for Sets and Maps: one per edge, however the names are made (telemetry label values
// are the attacker's to choose, a NUL included).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edgeKey, linkKey } from '../src/edgeKey.ts';

test('edgeKey: two edges whose names joined by a NUL read the same still get two keys', () => {
  assert.notEqual(edgeKey('a\u0000b', 'c'), edgeKey('a', 'b\u0000c'));
  assert.notEqual(edgeKey('a:b', 'c'), edgeKey('a', 'b:c'));
  // Written out: the length of src, a colon, src, a NUL, dst.
  assert.equal(edgeKey('front-end', 'user'), '9:front-end\u0000user');
  // Directed: the reverse edge is another edge.
  assert.notEqual(edgeKey('a', 'b'), edgeKey('b', 'a'));
});

test('linkKey: one key for a → b and b → a, and different pairs never share one', () => {
  assert.equal(linkKey('user', 'user-db'), linkKey('user-db', 'user'));
  assert.equal(linkKey('user', 'user-db'), edgeKey('user', 'user-db'));
  assert.notEqual(linkKey('a\u0000b', 'c'), linkKey('a', 'b\u0000c'));
});
