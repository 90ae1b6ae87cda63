// A kubeconfig file pointing at fake API servers, written to a fresh temporary folder.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { tmpDir } from './tmpDir.ts';

export interface FakeContext {
  /** Context (and cluster and user) name. */
  readonly name: string;
  /** API server URL (http://127.0.0.1:port of a fake). */
  readonly server: string;
  /** Bearer token the user presents. */
  readonly token: string;
}

/** Write the kubeconfig and return its path and the parsed config. */
export function writeKubeconfig(contexts: readonly FakeContext[], current = contexts[0]?.name): { path: string; kubeconfig: KubeConfig } {
  const dir = tmpDir('kubeconfig');
  const path = join(dir, 'config');
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': current,
    // Plain HTTP to 127.0.0.1 only: client-node allows it with insecure-skip-tls-verify.
    clusters: contexts.map((c) => ({ name: c.name, cluster: { server: c.server, 'insecure-skip-tls-verify': true } })),
    users: contexts.map((c) => ({ name: c.name, user: { token: c.token } })),
    contexts: contexts.map((c) => ({ name: c.name, context: { cluster: c.name, user: c.name } })),
  };
  writeFileSync(path, stringify(doc));
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(path);
  return { path, kubeconfig };
}
