import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../packageRoot.ts';
import { POSTED } from './offloadProtocol.ts';

/**
 * Set by the build (scripts/build.mjs `define`): the built worker's path from the package root.
 * Undefined when the sources run under tsx (the tests, `node --import tsx`).
 */
declare const MUNNIN_OFFLOAD_WORKER: string | undefined;

/**
 * How to start the replay's worker thread: the built one beside the commands, or, under tsx, a
 * two-line script that registers tsx in the worker and imports the source (Node 20 does not
 * hand the main thread's `--import tsx` hooks to a worker's entry module).
 */
export function offloadWorkerEntry(): { readonly entry: URL | string; readonly eval: boolean } {
  if (typeof MUNNIN_OFFLOAD_WORKER === 'string') {
    const root = packageRoot();
    if (root === undefined) throw new Error('replay worker: no package.json above the build');
    return { entry: pathToFileURL(join(root, MUNNIN_OFFLOAD_WORKER)), eval: false };
  }
  const source = new URL('./offloadWorker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  // A module that fails to load says so as the worker's error message (else the main thread
  // would wait out its silence limit).
  const failed = `(e) => { const { workerData: d } = require('node:worker_threads'); d.port.postMessage({ kind: 'error', message: 'replay worker: ' + String(e && e.message), userError: false, stack: e && e.stack }); const s = new Int32Array(d.shared); Atomics.add(s, ${POSTED}, 1); Atomics.notify(s, ${POSTED}); }`;
  return { entry: `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); }).catch(${failed});`, eval: true };
}
