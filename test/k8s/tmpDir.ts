// Temporary folders for the k8s tests, all under one root removed when the test process exits.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let root: string | undefined;

/** A fresh empty folder (named after `prefix`), gone when the process exits. */
export function tmpDir(prefix: string): string {
  if (!root) {
    const r = mkdtempSync(join(tmpdir(), 'munnin-k8s-test-'));
    root = r;
    process.once('exit', () => rmSync(r, { recursive: true, force: true }));
  }
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, `${prefix}-`));
}
