// The page's router: #/live, #/runs, #/runs/<name>[?variant=v], #/sweeps/<name> and
// #/sweeps/<name>/runs/<run>[?variant=v]. Each view mounts into <main> and returns a
// function that tears it down (closing streams, destroying charts).
import { getJson } from './api.js';
import { mountLive } from './liveView.js';
import { mountRun } from './runView.js';
import { mountRuns } from './runsView.js';
import { mountSweep } from './sweepView.js';
import { visibleBidi } from '/src/visibleBidi.ts';

const main = document.getElementById('main');
const status = document.getElementById('status');
let unmount = () => {};

function setStatus(text, kind) {
  status.textContent = visibleBidi(text);
  status.className = `status status-${kind ?? 'ok'}`;
}

function decode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function route() {
  unmount();
  const full = location.hash.replace(/^#/, '');
  const q = full.indexOf('?');
  const hash = q === -1 ? full : full.slice(0, q);
  const variant = new URLSearchParams(q === -1 ? '' : full.slice(q + 1)).get('variant') ?? undefined;
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', hash.startsWith(a.getAttribute('href').slice(1)) || (a.id === 'nav-runs' && hash.startsWith('/sweeps')));
  const run = /^\/runs\/([^/]+)$/.exec(hash);
  const sweepRun = /^\/sweeps\/([^/]+)\/runs\/([^/]+)$/.exec(hash);
  const sweep = /^\/sweeps\/([^/]+)$/.exec(hash);
  if (hash === '/live') unmount = mountLive(main, setStatus);
  else if (run) unmount = mountRun(main, { name: decode(run[1]), variant }, setStatus);
  else if (sweepRun) unmount = mountRun(main, { name: decode(sweepRun[2]), sweep: decode(sweepRun[1]), variant }, setStatus);
  else if (sweep) unmount = mountSweep(main, decode(sweep[1]), setStatus);
  else unmount = mountRuns(main, setStatus);
}

window.addEventListener('hashchange', route);

// No route given: the live view while an experiment runs, the runs list otherwise.
if (location.hash === '' || location.hash === '#' || location.hash === '#/') {
  getJson('/api/live')
    .then((live) => (location.hash = live.active ? '#/live' : '#/runs'))
    .catch(() => (location.hash = '#/runs'));
} else route();
