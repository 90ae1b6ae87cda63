import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../util.ts';
import { experimentMistake } from './experimentMistake.ts';

// Bug: namespaces were not validated where the parameters enter. `mesh.namespace: 'Bad_NS!'`
// failed only after "starting the embedded Sock Shop mesh…", without naming the file and not
// with the other mistakes; `--target kubernetes --namespace 'Bad_NS!'` went through the
// preflight up to "applying 39 objects". Both are now checked by the parameters schema (the
// RFC 1123 label rule: lower-case letters, digits, dashes, at most 63 characters).

function experiment(dir: string, parameters: string, ...flags: string[]) {
  const r = experimentMistake(dir, 'params.ts', `outputDir: ${JSON.stringify(dir)}, ${parameters}`, ...flags);
  assert.deepEqual(readdirSync(dir), ['params.ts'], 'nothing was started or written');
  const lines = r.stderr.trimEnd().split('\n');
  assert.match(lines[0]!, /params\.ts( and the command line)?: invalid parameters:$/, r.stderr);
  return lines.slice(1).map((l) => l.trim());
}

it('a bad mesh.namespace is listed with the other mistakes, naming the file and the value', () => {
  const tmp = makeTempDir('munnin-ns-');
  try {
    const problems = experiment(tmp.dir, `mesh: { namespace: 'Bad_NS!' }, traffic: { shape: 'sawtooth' }`);
    assert.deepEqual(problems.map((l) => l.split(':')[0]).sort(), ['mesh.namespace', 'traffic.shape']);
    assert.ok(problems.includes('mesh.namespace: must be a Kubernetes namespace name: lower-case letters, digits and dashes, starting and ending with a letter or digit (RFC 1123 label) (got "Bad_NS!")'), problems.join('\n'));
  } finally {
    tmp.remove();
  }
});

it('a bad --namespace (kubernetes.namespace) is refused before the cluster is touched', () => {
  const tmp = makeTempDir('munnin-ns-');
  try {
    // 64 characters: one more than a label may have.
    const long = 'a'.repeat(64);
    // The flag's value is named after the flag (tester G, defect 6).
    assert.deepEqual(experiment(tmp.dir, `mesh: { namespace: ${JSON.stringify(long)} }`, '--target', 'kubernetes', '--namespace', 'Bad_NS!').sort(), [
      `--namespace: must be a Kubernetes namespace name: lower-case letters, digits and dashes, starting and ending with a letter or digit (RFC 1123 label) (got "Bad_NS!")`,
      `mesh.namespace: a Kubernetes namespace name has at most 63 characters (RFC 1123 label) (got "${long}")`,
    ]);
  } finally {
    tmp.remove();
  }
});
