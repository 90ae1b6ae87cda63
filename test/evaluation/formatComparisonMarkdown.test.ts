import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatComparisonMarkdown, markdownCell, markdownTable, type PooledFigures, type RunsComparison } from '../../src/evaluation/index.ts';

function figures(caught: number, events: number, falseAlarms: number, benignIntervals: number, auc: number | null = null): PooledFigures {
  return {
    runs: 2, events, caught, tpr: events === 0 ? null : caught / events, benignIntervals, falseAlarms, fpr: falseAlarms / benignIntervals,
    attackIntervals: events, auc, atRate: { fpr: 0.01, threshold: 1, tpr: 0.5, achievedFpr: 0.008 },
  };
}

/** Two detectors over a benign run and two sizes of Munnin's bar, one of them named as an attacker might. */
function comparison(): RunsComparison {
  const hostile = 'x|<img src=y>[a](b)';
  return {
    detectors: ['path', hostile],
    falseAlarmRate: 0.01,
    pooled: { path: figures(150, 150, 0, 1000, 0.9995), [hostile]: figures(10, 150, 30, 1000) },
    byBytesLeftOut: {},
    byBytes: [
      { bytes: null, label: 'benign', runs: ['r0'], detectors: { path: figures(0, 0, 1, 500), [hostile]: figures(0, 0, 20, 500) } },
      // 100 of 100 caught at 0 of 1000: Wilson 95 % [0.963, 1] and [0, 0.0038], beyond sampling error for both sizes' bars.
      { bytes: 10_000, label: '10000', runs: ['r1'], detectors: { path: figures(100, 100, 0, 1000), [hostile]: figures(45, 100, 0, 1000) } },
      // 5 of 5 at 25 kB: 1.00, clears the 90 % bar as measured, but its interval starts at 0.566.
      { bytes: 25_000, label: '25000', runs: ['r2'], detectors: { path: figures(5, 5, 0, 50), [hostile]: figures(1, 5, 0, 50) } },
    ],
  };
}

describe('formatComparisonMarkdown', () => {
  const text = formatComparisonMarkdown(comparison(), { smallestAtFpr: 0.01 });
  const rows = text.split('\n');
  /** The row index of the table whose header matches, which must be there. */
  const tableAt = (isHeader: (line: string) => boolean): number => {
    const header = rows.findIndex(isHeader);
    assert.ok(header >= 0, text);
    return header;
  };

  it('writes the pooled figures as a table, one row per detector, at the precision the terminal prints', () => {
    const header = tableAt((l) => l.startsWith('| detector | runs | caught / attacks |'));
    assert.equal(rows[header + 1], '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    // 150/150 = 1.000, 0/1000 = 0.000, AUC 0.9995 to three places (toFixed), TPR@0.01 0.5, achieved 0.008.
    assert.equal(rows[header + 2], '| path | 2 | 150/150 | 1.000 | 0/1000 | 0.000 | 1.000 | 0.500 | 0.008 |');
    // 10/150 = 0.0667, 30/1000 = 0.030, no AUC: '-'.
    assert.equal(rows[header + 3], '| x\\|&lt;img src=y&gt;\\[a\\](b) | 2 | 10/150 | 0.067 | 30/1000 | 0.030 | - | 0.500 | 0.008 |');
  });

  it('writes TPR / FPR by bytes, the benign row first, sizes in kB', () => {
    assert.ok(rows.includes('| benign | 1 | 0 | - / 0.002 | - / 0.040 |'), text);
    assert.ok(rows.includes('| 10 kB | 1 | 100 | 1.00 / 0.000 | 0.45 / 0.000 |'), text);
    assert.ok(rows.includes('| 25 kB | 1 | 5 | 1.00 / 0.000 | 0.20 / 0.000 |'), text);
  });

  it("holds each detector against Munnin's bar, saying which sizes clear it beyond sampling error and which as measured only", () => {
    const header = tableAt((l) => l.startsWith('| detector | 10 kB | 25 kB | clears the bar at |'));
    // The verdict column is text: left-aligned.
    assert.equal(rows[header + 1], '| --- | ---: | ---: | --- |');
    assert.equal(rows[header + 2], '| path | 1.00 / 0.000 ++ | 1.00 / 0.000 + | **every size** (10 kB beyond sampling error; 25 kB as measured) |');
    // 45 of 100 is more than 40 %, but its interval's lower end (0.355) is not.
    assert.equal(rows[header + 3], '| x\\|&lt;img src=y&gt;\\[a\\](b) | 0.45 / 0.000 + | 0.20 / 0.000 | 10 kB as measured |');
  });

  it('gives the 95 % intervals of the sizes cleared as measured, for the detectors that clear one', () => {
    const header = tableAt((l) => l.startsWith('| detector | 10 kB | 25 kB |') && !l.includes('clears'));
    // Wilson 95 % (z = 1.95996), worked outside the project: 100/100 → [0.9630, 1]; 0/1000 → [0, 0.00383];
    // 5/5 → [0.5655, 1]; 0/50 → [0, 0.0714]; 45/100 → [0.3561, 0.5475].
    assert.equal(rows[header + 2], '| path | 0.96-1.00; 0.000-0.004 | 0.57-1.00; 0.000-0.071 |');
    assert.equal(rows[header + 3], '| x\\|&lt;img src=y&gt;\\[a\\](b) | 0.36-0.55; 0.000-0.004 |  |');
  });

  it('with smallestAtFpr, the smallest size caught by half and by 90 % at that FPR', () => {
    assert.ok(rows.includes('| path | 10 kB | 10 kB |'), text);
    assert.ok(rows.includes('| x\\|&lt;img src=y&gt;\\[a\\](b) | none | none |'), text);
  });

  it('lists the detectors whose false alarms broke their promise over the runs, and only those', () => {
    const c = comparison();
    const withPromise: RunsComparison = {
      ...c,
      pooled: { ...c.pooled, path: { ...c.pooled['path']!, promise: { rate: 0.01, episodes: 8, judgedIntervals: 135, p: 7.2e-5, runs: 3 } } },
    };
    const lines = formatComparisonMarkdown(withPromise).split('\n');
    assert.ok(lines.includes('- path: 8 episode(s) in 135 judged benign intervals of 3 run(s) at a rate of 0.01 (P = 7.2e-5)'), lines.join('\n'));
    assert.ok(!lines.some((l) => l.startsWith('- x')));
    assert.ok(!text.includes('promised rate'));
  });
});

describe('markdownCell', () => {
  it('leaves plain names alone and makes markup, table and link characters inert', () => {
    assert.equal(markdownCell('graph-lasso'), 'graph-lasso');
    assert.equal(markdownCell('a|b'), 'a\\|b');
    assert.equal(markdownCell('<script>&'), '&lt;script&gt;&amp;');
    assert.equal(markdownCell('*_`[]\\'), '\\*\\_\\`\\[\\]\\\\');
  });

  it('writes out line breaks and bidirectional controls, which would end the row or reverse the cell', () => {
    assert.equal(markdownCell('a\nb'), 'a\\\\nb');
    assert.equal(markdownCell('ext\u202Egnp'), 'ext\\\\u202Egnp');
  });
});

describe('markdownTable', () => {
  it('aligns the first column and the last text columns left, the figures right', () => {
    assert.equal(markdownTable(['a', 'b', 'c'], [['1', '2', '3']], 1), '| a | b | c |\n| --- | ---: | --- |\n| 1 | 2 | 3 |');
  });
});
