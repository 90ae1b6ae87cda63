// The page's router: #/live, #/runs, #/runs/<name>. Each view mounts into <main> and
// returns a function that tears it down (closing streams, destroying charts).
import { getJson } from './api.js';
import { mountLive } from './liveView.js';
import { mountRun } from './runView.js';
import { mountRuns } from './runsView.js';

const main = document.getElementById('main');
const status = document.getElementById('status');
let unmount = () => {};

function setStatus(text, kind) {
  status.textContent = text;
  status.className = `status status-${kind ?? 'ok'}`;
}

function route() {
  unmount();
  const hash = location.hash.replace(/^#/, '');
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', hash.startsWith(a.getAttribute('href').slice(1)));
  const run = /^\/runs\/(.+)$/.exec(hash);
  if (hash === '/live') unmount = mountLive(main, setStatus);
  else if (run) {
    let name;
    try {
      name = decodeURIComponent(run[1]);
    } catch {
      name = run[1];
    }
    unmount = mountRun(main, name, setStatus);
  } else unmount = mountRuns(main, setStatus);
}

window.addEventListener('hashchange', route);

// No route given: the live view while an experiment runs, the runs list otherwise.
if (location.hash === '' || location.hash === '#' || location.hash === '#/') {
  getJson('/api/live')
    .then((live) => (location.hash = live.active ? '#/live' : '#/runs'))
    .catch(() => (location.hash = '#/runs'));
} else route();
