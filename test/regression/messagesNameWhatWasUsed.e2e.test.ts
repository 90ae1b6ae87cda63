import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UserError } from '../../src/errors.ts';
import { connectKube } from '../../src/k8s/index.ts';
import { makeTempDir } from '../util.ts';
import { experimentMistake } from './experimentMistake.ts';

const ROOT = join(import.meta.dirname, '..', '..');

// Bugs: three messages spoke of what was not used. `--parameters sd/p-out.ts` with an
// unwritable outputDir said "choose another outputDir in parameters.ts"; KUBECONFIG=<a file
// with no contexts> said "(set KUBECONFIG or create ~/.kube/config …)" though KUBECONFIG was
// set; and `--target kubernetes --source scrape` went on without a word (the cluster's sidecars
// are read through Prometheus only, and the scrape source failed only after the rollout).
// (An outputDir that is a file also crashed with a stack trace when the run name was picked.)

function experiment(dir: string, parameters: string, ...flags: string[]) {
  return experimentMistake(dir, 'p-out.ts', parameters, ...flags);
}

it('an unwritable outputDir names the parameters file loaded', () => {
  const tmp = makeTempDir('munnin-outdir-');
  try {
    const notAFolder = join(tmp.dir, 'a-file');
    writeFileSync(notAFolder, '');
    const { file, stderr } = experiment(tmp.dir, `outputDir: ${JSON.stringify(notAFolder)}`);
    assert.ok(stderr.trimEnd().endsWith(`is a file, not a folder; choose another outputDir in ${relative(ROOT, file)}, or free the folder`), stderr);
    assert.ok(!stderr.includes('parameters.ts'), stderr);
  } finally {
    tmp.remove();
  }
});

it('--target kubernetes --source scrape is refused as a parameters mistake, before the cluster is touched', () => {
  const tmp = makeTempDir('munnin-k8s-scrape-');
  try {
    const { stderr } = experiment(tmp.dir, `outputDir: ${JSON.stringify(tmp.dir)}`, '--target', 'kubernetes', '--source', 'scrape');
    // The bad value came from a flag, so the flag is named (tester G, 6 Dec), not the parameters file.
    assert.deepEqual(stderr.trimEnd().split('\n').map((l) => l.trim()), [
      'error: --source: "scrape" reads the embedded mesh\'s sidecars directly; with target "kubernetes" telemetry is read through Prometheus (use "auto" or "prometheus") (got "scrape")',
    ]);
    assert.deepEqual(readdirSync(tmp.dir), ['p-out.ts'], 'nothing was written');
  } finally {
    tmp.remove();
  }
});

it('a KUBECONFIG without contexts is named, not advised to be set', () => {
  const tmp = makeTempDir('munnin-kubeconfig-');
  const saved = process.env['KUBECONFIG'];
  try {
    const path = join(tmp.dir, 'empty.yaml');
    writeFileSync(path, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    process.env['KUBECONFIG'] = path;
    assert.throws(
      () => connectKube(),
      (e: unknown) =>
        e instanceof UserError && e.message === `kubernetes: no kubeconfig contexts found in KUBECONFIG=${path} (add one, e.g. with \`minikube start\`, or point KUBECONFIG at a kubeconfig that has one)`,
    );
  } finally {
    if (saved === undefined) delete process.env['KUBECONFIG'];
    else process.env['KUBECONFIG'] = saved;
    tmp.remove();
  }
});
