import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Evaluator, formatSummaryTable } from '../../src/evaluation/index.ts';
import type { ReportModel } from '../../src/report/buildReportModel.ts';
import { summaryTable } from '../../src/report/html/tables.ts';
import type { RunEvent } from '../../src/types.ts';

// Bug: an attack event without `path` showed "blame on path 0/1" in the summary table (and
// "0 / 1" in the report's), as if its alarm's blamed edge had been checked against the attack
// and found wrong. Without a path there is nothing to check it against. summary.json's `blame`
// keeps the run format's counts (an alarm in an attack interval counts in `alarms`; it is on
// path only when it names an edge of the attack, and a pathless attack has none) and says how
// many of those alarms had no path to check (`blameWithoutPath` beside it, written only when some
// had: the run format defines `blame` as `{alarms, onPath}`, so nothing is added inside it); the
// tables show on path over the alarms that could be checked, "-" when none could. Per attack, the
// alarm that detected a pathless attack is no longer marked "elsewhere" (the report's and the
// dashboard's per-attack tables; their text already said only which edge it blamed).

// Intervals (t − 5, t], t = 5 … 50. A: exfiltration [10, 20) without path: attack intervals 15
// and 20, grace 25. B: exfiltration [30, 35) along user-db → user: attack interval 35, grace 40.
const attacks: RunEvent[] = [
  { kind: 'exfiltration', start: 10, end: 20 },
  { kind: 'exfiltration', start: 30, end: 35, path: ['user-db', 'user'] },
];
const edge = (src: string, dst: string) => ({ src, dst, score: 1 });
// nopath: alarms only in A's intervals (nothing to check). mixed: one in A's (unchecked), one in
// B's naming user → user-db (on B's path). wrong: one in B's naming front-end → carts (checked, off path).
const alarms: Record<string, Record<number, { src: string; dst: string; score: number }[]>> = {
  nopath: { 15: [edge('user', 'user-db')], 20: [edge('user', 'user-db')] },
  mixed: { 15: [edge('front-end', 'carts')], 35: [edge('user', 'user-db')] },
  wrong: { 35: [edge('front-end', 'carts')] },
};

function summary() {
  const ev = new Evaluator('pathless', attacks);
  for (let t = 5; t <= 50; t += 5) {
    for (const [detector, at] of Object.entries(alarms)) {
      const blamed = at[t];
      ev.addVerdict({ t, dt: 5, detector, score: blamed ? 2 : 0, threshold: 1, alarm: blamed !== undefined, training: false, gap: false, blamed: blamed ?? [] });
    }
  }
  return ev.summary();
}

/** The last column of each detector's row of the summary table. */
function blameColumn(table: string): Record<string, string> {
  const lines = table.split('\n');
  const header = lines.findIndex((l) => l.startsWith('detector'));
  return Object.fromEntries(lines.slice(header + 1, header + 4).map((l) => [l.split(/\s+/)[0]!, l.split(/\s+/).at(-1)!]));
}

describe('blame on path for an attack without a path', () => {
  const s = summary();
  it("keeps the run format's counts in summary.json and says how many alarms had no path to check", () => {
    assert.deepEqual(s.detectors['nopath']!.blame, { alarms: 2, onPath: 0 });
    assert.equal(s.detectors['nopath']!.blameWithoutPath, 2);
    assert.deepEqual(s.detectors['mixed']!.blame, { alarms: 2, onPath: 1 });
    assert.equal(s.detectors['mixed']!.blameWithoutPath, 1);
    // Every alarm had a path to be checked against: the summary is as before (no blameWithoutPath).
    assert.deepEqual(s.detectors['wrong']!.blame, { alarms: 1, onPath: 0 });
    assert.equal('blameWithoutPath' in s.detectors['wrong']!, false);
  });
  it('shows "-" in the summary table when no alarm could be checked, else on path over those that could', () => {
    assert.deepEqual(blameColumn(formatSummaryTable(s)), { nopath: '-', mixed: '1/1', wrong: '0/1' });
  });
  it("shows the same in the report's summary table", () => {
    const model = { detectors: Object.entries(s.detectors).map(([name, d]) => ({ name, color: '#000', rows: [], summary: d, blame: { ...d.blame, withoutPath: d.blameWithoutPath } })) } as unknown as ReportModel;
    const cells = [...String(summaryTable(model)).matchAll(/<td>([^<]*)<\/td>\n<\/tr>/g)].map((m) => m[1]);
    assert.deepEqual(cells, ['–', '1 / 1', '0 / 1']);
  });
  it("does not mark the detecting alarm of a pathless attack as elsewhere on the dashboard's run page", async () => {
    register(new URL('../dashboard/browserPathsHook.mjs', import.meta.url));
    const file = join(import.meta.dirname, '..', '..', 'src', 'dashboard', 'web', 'attackOutcomesTable.js');
    const { outcomeCell } = (await import(pathToFileURL(file).href)) as { outcomeCell: (o: unknown, a: unknown) => unknown };
    const o = { attack: 0, scored: true, detected: true, delaySeconds: 5, firstBlamed: { src: 'user', dst: 'user-db' }, blameOnPath: false };
    assert.deepEqual(outcomeCell(o, attacks[0]), { text: 'detected, 5.0 s, blamed user → user-db', class: 'outcome-hit' });
    // With a path, an alarm off it is still marked.
    assert.deepEqual(outcomeCell({ ...o, firstBlamed: { src: 'front-end', dst: 'carts' } }, attacks[1]), { text: 'detected, 5.0 s, blamed elsewhere: front-end → carts', class: 'outcome-hit outcome-elsewhere' });
  });
});
