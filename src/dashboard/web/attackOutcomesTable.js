// The run page's per-attack table, from summary.json: for each attack, each detector's
// outcome, and whether the alarm that detected it blamed one of its edges, so the page tells
// which detector caught the scan and which only alarmed while it ran (the report's table).
import { blameNote, hasAttackPath } from '/src/evaluation/attackIntervals.ts';
import { el, scrollTable } from './dom.js';
import { formatDelay, formatOffset } from './format.js';

/** One cell: not scored, missed, or detected with its delay and what its alarm blamed. */
export function outcomeCell(o, attack) {
  if (!o || !o.scored) return { text: 'not scored', class: 'outcome-na' };
  if (!o.detected) return { text: 'missed', class: 'outcome-miss' };
  // Summaries written before firstBlamed existed lack it: the plain "detected".
  const blame = o.blameOnPath === true || o.blameOnPath === false ? { edge: o.firstBlamed ?? null, onPath: o.blameOnPath } : undefined;
  const path = Array.isArray(attack.path) ? attack.path : undefined;
  const note = blame ? blameNote(blame, path) : undefined;
  // An attack without a path has no edge to be off: its alarm is not marked as elsewhere.
  const elsewhere = blame?.onPath === false && hasAttackPath(path);
  return { text: `detected, ${formatDelay(o.delaySeconds)}${note === undefined ? '' : `, ${note}`}`, class: elsewhere ? 'outcome-hit outcome-elsewhere' : 'outcome-hit' };
}

/** The table, or nothing when the summary has no attacks or no per-attack outcomes. */
export function attackOutcomesTable(summary, t0) {
  const attacks = Array.isArray(summary.attacks) ? summary.attacks : [];
  const detectors = Object.entries(summary.detectors).filter(([, s]) => Array.isArray(s.events?.outcomes));
  if (attacks.length === 0 || detectors.length === 0) return null;
  const rows = attacks.map((a, i) => ({
    attrs: { 'data-attack': String(i) },
    cells: [
      a.kind,
      formatOffset(a.start - t0),
      Array.isArray(a.path) ? a.path.join(' → ') : '–',
      ...detectors.map(([, s]) => outcomeCell(s.events.outcomes.find((o) => o.attack === i), a)),
    ],
  }));
  return [
    el('h3', null, 'Attacks'),
    el('p', { class: 'note' }, 'Detected: an alarm in one of the attack\'s intervals or the one right after, whatever it blamed. Beside it, the first edge that alarm blamed, unless the attack\'s path names it: "blamed elsewhere" when it is no edge of the attack (the alarm only fell in its interval), the edge itself when it matched only through a * hop (a scan\'s path [workload, "*"] matches every edge touching the workload).'),
    scrollTable({ class: 'compact', id: 'attack-outcomes' }, ['kind', 'start', 'path', ...detectors.map(([d]) => d)], rows),
  ];
}
