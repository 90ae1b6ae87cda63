// The runs list: every run in the data folder, newest first.
import { getJson } from './api.js';
import { el, replaceChildren, table } from './dom.js';
import { formatDate, formatNumber, formatSeconds } from './format.js';

export function mountRuns(main, setStatus) {
  const body = el('div', { id: 'runs' }, el('p', { class: 'note' }, 'Loading runs…'));
  const reload = el('button', { type: 'button', onclick: () => load() }, 'Reload');
  replaceChildren(main, el('h2', null, 'Runs ', reload), body);
  let alive = true;

  async function load() {
    try {
      const { dataDir, exists, runs } = await getJson('/api/runs');
      if (!alive) return;
      setStatus(`${runs.length} runs in ${dataDir}`, 'ok');
      if (!exists) return replaceChildren(body, el('p', { class: 'note' }, `${dataDir} does not exist yet: no runs recorded.`));
      if (runs.length === 0) return replaceChildren(body, el('p', { class: 'note' }, `No runs in ${dataDir} yet.`));
      const rows = runs.map((r) => ({
        attrs: { 'data-run': r.name },
        cells: [
          el('a', { href: `#/runs/${encodeURIComponent(r.name)}`, class: 'run-link' }, r.name),
          formatDate(r.createdAt),
          { text: formatSeconds(r.durationSeconds), class: 'num' },
          { text: String(r.intervals), class: 'num' },
          r.source ?? '–',
          el('span', { class: `badge status-${r.status}` }, r.status),
          { text: String(r.attacks), class: 'num' },
          r.bestDetector ? `${r.bestDetector.name} (F1 ${formatNumber(r.bestDetector.f1)}, AUC ${formatNumber(r.bestDetector.auc)})` : r.problem ? { text: r.problem, class: 'problem' } : { text: 'not replayed', class: 'note' },
        ],
      }));
      replaceChildren(body, table({ id: 'runs-table', class: 'runs' }, ['run', 'date', 'duration', 'intervals', 'source', 'status', 'attacks', 'best detector'], rows));
    } catch (e) {
      if (alive) replaceChildren(body, el('p', { class: 'error' }, `Cannot list runs: ${e.message}`));
    }
  }
  load();
  return () => {
    alive = false;
  };
}
