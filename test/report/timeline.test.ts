import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { attackOutcomes, buildTimeline, isAttackInterval } from '../../src/report/index.ts';
import { isGraceInterval } from '../../src/report/timeline.ts';
import type { RunEvent, Snapshot } from '../../src/types.ts';

// Intervals of 5 s ending at 105, 110, ..., 150 (10 intervals, the first is (100, 105]).
const snapshots: Snapshot[] = Array.from({ length: 10 }, (_, i) => ({ t: 105 + 5 * i, dt: 5, gap: i === 6, edges: [] }));
const exfil = (start: number, end: number): RunEvent => ({ kind: 'exfiltration', start, end });

describe('buildTimeline', () => {
  it('labels attack intervals, finds each attack’s intervals and the one after, and ignores informational events', () => {
    const tl = buildTimeline(snapshots, [exfil(111, 118), { kind: 'note', start: 100, end: 150 }, exfil(138, 140)]);
    assert.equal(tl.t0, 100);
    // (110,115] and (115,120] hold 111..118; (135,140] holds 138..140 (140 excluded); nothing else.
    assert.deepEqual(
      tl.attack.map((a, i) => (a ? i : -1)).filter((i) => i >= 0),
      [2, 3, 7],
    );
    assert.deepEqual(
      tl.attacks.map((a) => ({ intervals: a.intervals, after: a.after })),
      [
        { intervals: [2, 3], after: 4 },
        { intervals: [7], after: 8 },
      ],
    );
    assert.equal(tl.informational.length, 1);
  });

  it('sorts attacks by start and has no interval after an attack in the last interval', () => {
    const tl = buildTimeline(snapshots, [exfil(149, 150), exfil(101, 102)]);
    assert.deepEqual(
      tl.attacks.map((a) => [a.event.start, a.after]),
      [
        [101, 1],
        [149, undefined],
      ],
    );
  });

  it('leaves out an interval that only touches an attack, and marks grace intervals as replay does', () => {
    // [115, 125) starts on a boundary: (110, 115] ends when it starts, holds none of it.
    // Attack intervals (115, 120], (120, 125]; grace (125, 130]. [145, 145) is an instant: (140, 145]; grace (145, 150].
    const tl = buildTimeline(snapshots, [exfil(115, 125), exfil(145, 145)]);
    assert.deepEqual(tl.attack.map((a, i) => (a ? i : -1)).filter((i) => i >= 0), [3, 4, 8]);
    assert.deepEqual(tl.grace.map((g, i) => (g ? i : -1)).filter((i) => i >= 0), [5, 9]);
    assert.deepEqual(tl.attacks.map((a) => a.after), [5, 9]);
    assert.equal(isGraceInterval(tl, 130, 5), true);
    assert.equal(isGraceInterval(tl, 125, 5), false);
    // Outside the run: assumed back to back with intervals of 5 s.
    const later = buildTimeline(snapshots, [exfil(160, 161)]);
    assert.equal(isGraceInterval(later, 165, 5), false, '(160, 165] is the attack interval');
    assert.equal(isGraceInterval(later, 170, 5), true);
  });

  it('finds an interval by t to within a millisecond, as read back from a CSV', () => {
    const tl = buildTimeline(snapshots, []);
    assert.equal(tl.positionOf(125), 4);
    assert.equal(tl.positionOf(125.0004), 4);
    assert.equal(tl.positionOf(124.9996), 4);
    assert.equal(tl.positionOf(125.01), undefined);
    assert.equal(tl.positionOf(99), undefined);
    assert.equal(tl.positionOf(151), undefined);
  });

  it('labels a t outside the run from the attacks themselves', () => {
    const tl = buildTimeline(snapshots, [exfil(160, 161)]);
    assert.equal(isAttackInterval(tl, 162, 5), true);
    assert.equal(isAttackInterval(tl, 170, 5), false);
    assert.equal(isAttackInterval(tl, 160, 5), false, '(155, 160] ends when the attack starts');
    assert.equal(isAttackInterval(tl, 125, 5), false);
  });
});

describe('attackOutcomes', () => {
  const tl = buildTimeline(snapshots, [exfil(111, 118), exfil(126, 127), exfil(200, 201), exfil(141, 142)]);
  // attacks by start: A (111..118) intervals 2,3 after 4; B (126..127) interval 5 after 6 (a gap);
  // C (141..142) interval 8 after 9; D (200..201) outside the run.
  const scored = new Set([0, 1, 2, 3, 4, 5, 7, 8, 9]);

  it('detects an attack by an alarm in its own intervals, with the delay to that interval’s end', () => {
    const [a] = attackOutcomes(tl, scored, new Set([3]));
    assert.deepEqual(a, { scored: true, detected: true, delaySeconds: 120 - 111 });
  });

  it('takes the first alarm when several fall in the window', () => {
    const [a] = attackOutcomes(tl, scored, new Set([4, 2, 3]));
    assert.deepEqual(a, { scored: true, detected: true, delaySeconds: 115 - 111 });
  });

  it('detects an attack by an alarm in the interval right after it, but not later', () => {
    const outcomes = attackOutcomes(tl, scored, new Set([4, 10]));
    assert.deepEqual(outcomes[0], { scored: true, detected: true, delaySeconds: 125 - 111 });
    assert.deepEqual(attackOutcomes(tl, scored, new Set([5]))[0], { scored: true, detected: false });
  });

  it('misses an attack whose following interval is a gap, and cannot judge one outside the run', () => {
    const outcomes = attackOutcomes(tl, scored, new Set([2, 9]));
    assert.deepEqual(
      outcomes.map((o) => [o.scored, o.detected]),
      [
        [true, true],
        [true, false],
        [true, true],
        [false, false],
      ],
    );
    assert.equal(outcomes[2]?.delaySeconds, 150 - 141);
  });

  it('does not score an attack that fell entirely in training', () => {
    const [a, b] = attackOutcomes(tl, new Set([5, 7, 8, 9]), new Set());
    assert.deepEqual([a?.scored, b?.scored], [false, true]);
  });
});
