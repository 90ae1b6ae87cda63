// The front-end relay from istio/30-front-end-relay.yaml, really run with python3 on 127.0.0.1
// (what the cluster runs in python:3.12-alpine), relaying to a local upstream.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_MANIFESTS_DIR, loadManifests } from '../../src/k8s/index.ts';
import { tmpDir } from './tmpDir.ts';

export interface RunningRelay {
  readonly url: string;
  stop(): void;
}

/** The relay script as the manifest ships it. */
export function relayScript(): string {
  const cm = loadManifests(DEFAULT_MANIFESTS_DIR).find((m) => m.object.kind === 'ConfigMap' && m.object.metadata.name === 'front-end-relay');
  if (!cm) throw new Error('no ConfigMap front-end-relay in istio/');
  return (cm.object['data'] as Record<string, string>)['relay.py']!;
}

export async function startRelay(upstream: string): Promise<RunningRelay> {
  const file = join(tmpDir('relay'), 'relay.py');
  writeFileSync(file, relayScript());
  const child = spawn('python3', ['-u', file, '0', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, UPSTREAM: upstream } });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`relay exited (${code})`)));
  });
  const port = Number(/listening on (\d+)/.exec(first)?.[1]);
  if (!(port > 0)) throw new Error(`relay said: ${first}`);
  return { url: `http://127.0.0.1:${port}`, stop: () => void child.kill('SIGTERM') };
}
