import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository's locust/ folder, found from this file (not from the working directory). */
export function locustDir(): string {
  return fileURLToPath(new URL('../../locust/', import.meta.url));
}

/** The locustfile munnin runs. */
export function locustfilePath(): string {
  return fileURLToPath(new URL('../../locust/locustfile.py', import.meta.url));
}

/**
 * True when `binary --version` runs and succeeds (Debian: apt-get install -y python3-locust).
 * Never rejects.
 */
export function locustAvailable(binary = 'locust', timeoutMillis = 15_000): Promise<boolean> {
  return new Promise((resolve) => {
    // Our own timer: spawn's `timeout` option leaves its timer running when the binary is missing.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const answer = (ok: boolean) => {
      clearTimeout(timer);
      resolve(ok);
    };
    let child;
    try {
      child = spawn(binary, ['--version'], { stdio: 'ignore' });
    } catch {
      return answer(false);
    }
    timer = setTimeout(() => child.kill('SIGKILL'), timeoutMillis);
    child.once('error', () => answer(false));
    child.once('close', (code) => answer(code === 0));
  });
}
