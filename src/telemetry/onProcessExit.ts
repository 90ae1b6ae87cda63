// Cleanups run when this process exits, however it exits (end of main, process.exit(), a
// second Ctrl-C): 'exit' allows only synchronous work, so each must be synchronous.
const cleanups = new Set<() => void>();
let installed = false;

function runAll(): void {
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // Exiting: nothing left to report to.
    }
  }
}

/** Run `cleanup` (synchronous) when this process exits; returns a function that cancels it. */
export function onProcessExit(cleanup: () => void): () => void {
  if (!installed) {
    process.once('exit', runAll);
    installed = true;
  }
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
