// The runs list: the sweeps in the data folder (or the sweep it is), then every run, newest first.
import { getJson, runHash, sweepHash } from './api.js';
import { el, replaceChildren, scrollTable, table } from './dom.js';
import { formatDate, formatNumber, formatSeconds, plural } from './format.js';

export function mountRuns(main, setStatus) {
  const sweepsBox = el('div', { id: 'sweeps' });
  const body = el('div', { id: 'runs' }, el('p', { class: 'note' }, 'Loading runs…'));
  const reload = el('button', { type: 'button', onclick: () => load() }, 'Reload');
  replaceChildren(main, sweepsBox, el('h2', null, 'Runs ', reload), body);
  let alive = true;

  async function load() {
    try {
      const [{ dataDir, exists, runs }, sweeps] = await Promise.all([getJson('/api/runs'), getJson('/api/sweeps').then((r) => r.sweeps, () => [])]);
      if (!alive) return;
      setStatus(`${plural(runs.length, 'run')}${sweeps.length > 0 ? `, ${plural(sweeps.length, 'sweep')}` : ''} in ${dataDir}`, 'ok');
      renderSweeps(sweepsBox, sweeps);
      if (!exists) return replaceChildren(body, el('p', { class: 'note' }, `${dataDir} does not exist yet: no runs recorded.`));
      if (runs.length === 0) return replaceChildren(body, el('p', { class: 'note' }, `No runs in ${dataDir} itself${sweeps.length > 0 ? ' (the sweeps above hold theirs)' : ' yet'}.`));
      const rows = runs.map((r) => ({
        attrs: { 'data-run': r.name },
        cells: [
          el('a', { href: runHash(r.name), class: 'run-link' }, r.name),
          formatDate(r.createdAt),
          { text: formatSeconds(r.durationSeconds), class: 'num' },
          { text: String(r.intervals), class: 'num' },
          r.source ?? '–',
          el('span', { class: `badge status-${r.status}` }, r.status),
          { text: String(r.attacks), class: 'num' },
          bestCell(r),
        ],
      }));
      replaceChildren(body, scrollTable({ id: 'runs-table', class: 'runs' }, ['run', 'date', 'duration', 'intervals', 'source', 'status', 'attacks', 'best detector'], rows));
    } catch (e) {
      if (alive) replaceChildren(body, el('p', { class: 'error' }, `Cannot list runs: ${e.message}`));
    }
  }
  load();
  return () => {
    alive = false;
  };
}

/**
 * The best detector over the run's replays; with several replays (a sweep's variants), which
 * one and of how many readable ones. Unreadable replays are named below it, with why.
 */
export function bestCell(r) {
  const best = bestText(r);
  if (!r.problem) return best;
  if (best === undefined) return { text: r.problem, class: 'problem' };
  return el('span', null, typeof best === 'string' ? best : el('span', { class: best.class }, best.text), el('br'), el('span', { class: 'problem' }, r.problem));
}

function bestText(r) {
  const replays = r.variants?.length ?? (r.replayed ? 1 : 0);
  const readable = replays - (r.unreadableReplays?.length ?? 0);
  if (r.bestDetector) {
    const b = r.bestDetector;
    const of = readable < replays ? `${readable} readable of ${plural(replays, 'replay')}` : plural(replays, 'replay');
    const where = replays > 1 ? ` in ${b.variant || 'replay/'}, best of ${of}` : '';
    return `${b.name} (F1 ${formatNumber(b.f1)}, AUC ${formatNumber(b.auc)})${where}`;
  }
  if (readable === 0 && r.problem) return undefined;
  // Replayed, yet no best: every detector missed (F1 0: ranking by AUC would crown one that
  // caught nothing), or no replay scored an attack interval, so F1 measures no detection (0 with false alarms, null without).
  if (r.missed) return { text: r.missed === 'every attack' ? '– (none caught an attack)' : '– (none caught an attack interval)', class: 'note' };
  if (r.replayed || readable > 0) return { text: r.attacks === 0 ? '– (no attacks)' : '– (no attack scored)', class: 'note' };
  return { text: 'not replayed', class: 'note' };
}

function renderSweeps(box, sweeps) {
  if (sweeps.length === 0) return replaceChildren(box);
  const rows = sweeps.map((s) => ({
    attrs: { 'data-sweep': s.name },
    cells: [
      el('a', { href: sweepHash(s.name), class: 'sweep-link' }, s.name),
      formatDate(s.createdAt),
      s.axes.map((a) => `${a.name} (${plural(a.values.length, 'value')})`).join(', ') || '–',
      { text: `${s.progress.complete ?? 0} / ${s.progress.planned}`, class: 'num' },
      s.problem ? { text: s.problem, class: 'problem' } : s.compared ? 'compared' : { text: 'not replayed', class: 'note' },
    ],
  }));
  replaceChildren(box, el('h2', null, 'Sweeps'), scrollTable({ id: 'sweeps-table', class: 'runs' }, ['sweep', 'created', 'axes', 'runs complete', 'comparison'], rows));
}
