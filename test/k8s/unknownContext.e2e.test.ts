// `--target kubernetes --context does-not-exist` ends at once with one line naming the context
// and no stack trace: through a tiny script calling startKubernetesTarget, and through the
// real experiment CLI. A spawn time-out bounds "at once" (no network is involved); nothing is timed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { writeKubeconfig } from './fakeKubeconfig.ts';
import { tmpDir } from './tmpDir.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: repo, env: { ...process.env, ...env }, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('unknown kubeconfig context', () => {
  // Servers nobody listens on: reaching for them would show as a different error.
  const { path } = writeKubeconfig([
    { name: 'minikube', server: 'http://127.0.0.1:9', token: 't' },
    { name: 'kind-munnin', server: 'http://127.0.0.1:9', token: 't' },
  ]);
  const expected = 'error: kubernetes: context "does-not-exist" not found in kubeconfig (available: minikube, kind-munnin)\n';

  it('startKubernetesTarget: one line, exit 2, no stack trace', async () => {
    const r = await run(['test/k8s/fixtures/startTargetCli.ts', 'does-not-exist'], { KUBECONFIG: path });
    assert.equal(r.signal, null, 'killed by the time-out');
    assert.equal(r.stderr, expected);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('npm run experiment -- --target kubernetes --context does-not-exist: the same line', async () => {
    const out = tmpDir('cli');
    const parameters = join(out, 'parameters.mjs');
    writeFileSync(parameters, `export default { outputDir: ${JSON.stringify(join(out, 'runs'))} };\n`);
    const before = readdirSync(join(repo, 'experimental_data'));
    const r = await run(['src/cli/experiment.ts', '--parameters', parameters, '--target', 'kubernetes', '--context', 'does-not-exist', '--quiet'], { KUBECONFIG: path });
    assert.equal(r.signal, null, 'killed by the time-out');
    assert.equal(r.code, 2, r.stderr);
    assert.ok(r.stderr.endsWith(expected), r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at |unexpected error/);
    // Nothing went to the repository's experimental_data.
    assert.deepEqual(readdirSync(join(repo, 'experimental_data')), before);
  });

  it('no kubeconfig at all: names the context and says so instead of trying localhost:8080', async () => {
    const home = tmpDir('home');
    const r = await run(['test/k8s/fixtures/startTargetCli.ts', 'minikube'], { KUBECONFIG: '', HOME: home });
    assert.equal(r.stderr, 'error: kubernetes: context "minikube" not found: no kubeconfig found (~/.kube/config does not exist and KUBECONFIG is not set); start a cluster (e.g. `minikube start`) or set KUBECONFIG\n');
    assert.equal(r.code, 2);
  });
});
