/**
 * Callbacks for the moment Node's event loop has nothing left to do (process 'beforeExit')
 * while work is still owed: a promise that will never settle now, since nothing is left that
 * could settle it. Without this the process just ends, exit code 0, having written nothing: a
 * detector plugin whose stream never ends (`() => NEVER`) made a replay stop after "detector
 * settings: …" as if it had succeeded.
 *
 * Two kinds. A `watcher` knows what it waits for (a plugin's stream) and fails it with an error
 * that names the culprit; a `lastResort` (runCli: the command's main never settled) is called
 * only on a drain with no watcher left, so it never speaks over an error a watcher is about to
 * give, nor while a watcher's error is still being handled (a folder replay then goes on to
 * its next run). Each callback is called at most once; the returned function unregisters it.
 */
const watchers = new Set<() => void>();
const lastResorts = new Set<() => void>();
let listening = false;

export function whenEventLoopDrained(callback: () => void, kind: 'watcher' | 'lastResort' = 'watcher'): () => void {
  const set = kind === 'watcher' ? watchers : lastResorts;
  set.add(callback);
  listen();
  return () => {
    set.delete(callback);
    listen();
  };
}

function drained(): void {
  const due = watchers.size > 0 ? watchers : lastResorts;
  const now = [...due];
  due.clear();
  listen();
  for (const callback of now) callback();
}

/** The one 'beforeExit' listener, there only while a callback is registered (else the process could never exit). */
function listen(): void {
  const wanted = watchers.size + lastResorts.size > 0;
  if (wanted && !listening) process.on('beforeExit', drained);
  if (!wanted && listening) process.off('beforeExit', drained);
  listening = wanted;
}
