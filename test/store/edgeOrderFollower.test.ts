import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EdgeOrderFollower } from '../../src/store/edgeOrderFollower.ts';
import { NameTable } from '../../src/store/nameTable.ts';

/** A follower on its own name table, and the parser's part: each name guessed, else looked up; then follow(). */
function setUp() {
  const names = new NameTable();
  const order = new EdgeOrderFollower(names);
  const id = (name: string): number => names.intern(Buffer.from(name), 0, name.length);
  /** One name as a line holds it (`"name",`): 'hit' when the guess found it, else 'miss' (and it is looked up). */
  const guess = (name: string, isSrc: boolean, other: number): [number, string] => {
    const b = Buffer.from(`"${name}",`);
    const got = isSrc ? order.guessSrc(b, 1, b.length, other) : order.guessDst(b, 1, b.length, other);
    if (got === -1) return [id(name), 'miss'];
    assert.equal(got, id(name), name);
    assert.equal(order.nameEnd, 1 + name.length, 'nameEnd: the closing quote');
    return [got, 'hit'];
  };
  /**
   * One line of edges "src>dst" ("dst<src": the dst listed first), ended unless `end` is false:
   * per edge, how its guesses went (first name, second name) and the cursor after it.
   */
  const line = (edges: readonly string[], end = true): string[] => {
    order.startLine();
    const got: string[] = [];
    for (const edge of edges) {
      const dstFirst = edge.includes('<');
      const [a, b] = edge.split(dstFirst ? '<' : '>') as [string, string];
      const [first, firstHow] = guess(a, !dstFirst, -1);
      const [second, secondHow] = guess(b, dstFirst, first);
      if (dstFirst) order.follow(second, first);
      else order.follow(first, second);
      got.push(`${firstHow} ${secondHow} ${order.cursor}`);
    }
    if (end) order.endLine();
    return got;
  };
  return { names, order, id, line };
}

describe('EdgeOrderFollower', () => {
  it('finds every name of a line in the same order as the last at the cursor, which moves one edge at a time', () => {
    const { line } = setUp();
    // The first line has nothing to follow: every name is looked up, the cursor stays at 0.
    assert.deepEqual(line(['a>b', 'b>c', 'c>d']), ['miss miss 0', 'miss miss 0', 'miss miss 0']);
    assert.deepEqual(line(['a>b', 'b>c', 'c>d']), ['hit hit 1', 'hit hit 2', 'hit hit 3']);
    // Keys in the other order (dst first): the same places.
    assert.deepEqual(line(['b<a', 'c<b', 'd<c']), ['hit hit 1', 'hit hit 2', 'hit hit 3']);
  });

  it('keeps its place when an edge is inserted, and skips over one that fell silent', () => {
    const { line } = setUp();
    line(['a>b', 'b>c', 'c>d', 'd>e']);
    // x → y is new: not found, the cursor stays after a → b; b → c is then at the cursor.
    assert.deepEqual(line(['a>b', 'x>y', 'b>c', 'c>d', 'd>e']), ['hit hit 1', 'miss miss 1', 'hit hit 2', 'hit hit 3', 'hit hit 4']);
    // The order just read (5 edges) is the one followed now: b → c fell silent, c → d is found
    // two places past the cursor (at 3), and the cursor jumps past it.
    assert.deepEqual(line(['a>b', 'x>y', 'c>d', 'd>e']), ['hit hit 1', 'hit hit 2', 'hit hit 4', 'hit hit 5']);
  });

  it('looks only four places ahead: an edge moved further is not found, and the cursor stays', () => {
    const { line } = setUp();
    line(['a>b', 'a>c', 'a>d', 'a>e', 'a>f', 'a>g']);
    // Lines not ended, each followed from the six edges above.
    // a → g was at place 5, beyond the window [0, 4): its src is found (a is the src at place 0,
    // whatever the dst), its dst is not (b, c, d, e are the dsts from a in the window).
    assert.deepEqual(line(['a>g', 'a>b', 'a>c'], false), ['hit miss 0', 'hit hit 1', 'hit hit 2']);
    // The dst first: g is no dst in the window, and a is no src of an edge to g there.
    assert.deepEqual(line(['g<a', 'b<a'], false), ['miss miss 0', 'hit hit 1']);
    // a → e is at place 3, the window's last: found, the cursor past it. Then a → b (place 0) is
    // behind the cursor: a is found (the src at place 5), b is not (place 5 is a → g).
    assert.deepEqual(line(['a>e', 'a>f', 'a>b'], false), ['hit hit 4', 'hit hit 5', 'hit miss 5']);
  });

  it('takes the second name only from a place whose first name is the one just read', () => {
    const { line } = setUp();
    line(['a>b', 'c>d']);
    // c → b: c is found at place 1; b is a dst only at place 0, from a, so it is looked up.
    assert.deepEqual(line(['c>b']), ['hit miss 0']);
  });

  it('does not take a name for one it is a prefix of, or one that is a prefix of it', () => {
    const { line } = setUp();
    line(['ab>c', 'a>cd']);
    assert.deepEqual(line(['a>c', 'abc>cd']), ['hit miss 0', 'miss miss 0']);
  });

  it('finds the place of an edge in the previous order with or without guesses before it', () => {
    const { order, id, line } = setUp();
    line(['a>b', 'b>c', 'c>d']);
    order.startLine();
    order.follow(id('b'), id('c'));
    assert.equal(order.cursor, 2);
    order.follow(id('x'), id('y'));
    assert.equal(order.cursor, 2);
    order.follow(id('c'), id('d'));
    assert.equal(order.cursor, 3);
  });

  it('keeps the previous order when a line is not ended, and drops it when told to forget', () => {
    const { order, line } = setUp();
    line(['a>b', 'b>c']);
    // A line left to the general path: started, partly read, never ended.
    line(['x>y', 'y>z'], false);
    assert.deepEqual(line(['a>b', 'b>c']), ['hit hit 1', 'hit hit 2']);
    order.forget();
    assert.deepEqual(line(['a>b', 'b>c']), ['miss miss 0', 'miss miss 0']);
  });

  it('follows lines longer than its first arrays (256 edges)', () => {
    const { line } = setUp();
    const edges = Array.from({ length: 300 }, (_, k) => `n${k}>n${k + 1}`);
    line(edges);
    const got = line(edges);
    assert.equal(got.length, 300);
    got.forEach((g, k) => assert.equal(g, `hit hit ${k + 1}`));
  });
});
