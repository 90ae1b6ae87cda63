import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveParameters } from '../../src/config/index.ts';
import { RunCatalog } from '../../src/dashboard/RunCatalog.ts';
import { runReplay, StagedOutput } from '../../src/replay/index.ts';
import { makeTempDir } from '../util.ts';

// Bug: on a run without attacks the dashboard's "best detector (by F1)" was a detector with a
// false alarm: with no attack interval F1 is undefined (null) for every detector without an
// alarm, 0 for one with a false alarm, and null ranked as −1 below it. Munnin's benign 2018
// run (training 100 s) showed "three-tier (F1 0, AUC –)", its one false alarm in 53 benign
// intervals. A replay without attack intervals now names no best detector: "– (no attacks)".
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'munnin-cybermonday-0k');
// The page's own cell: plain JavaScript the browser loads (untyped), pure, so Node runs it too.
const WEB_RUNS_VIEW = join(import.meta.dirname, '..', '..', 'src', 'dashboard', 'web', 'runsView.js');
const tmp = makeTempDir('munnin-best-benign-');
after(() => tmp.remove());

it('names no best detector by F1 on a replay without attacks, and says why', async () => {
  const dir = join(tmp.dir, 'data', 'c0k');
  cpSync(FIXTURE, dir, { recursive: true });
  const detectors = resolveParameters({ detectors: { enabled: ['three-tier', 'ewma'], trainingSeconds: 100 } }).detectors;
  const staged = StagedOutput.begin(join(dir, 'replay'));
  let fp: Record<string, number> = {};
  try {
    const { summary } = await runReplay(dir, { outDir: staged.dir, detectors });
    staged.commit();
    assert.equal(summary.attackIntervals, 0);
    fp = Object.fromEntries(Object.entries(summary.detectors).map(([d, s]) => [d, s.fp]));
  } finally {
    staged.discard();
  }
  // The situation of the report: one detector with a false alarm (F1 0), one without (F1 undefined).
  assert.deepEqual(fp, { 'three-tier': 1, ewma: 0 });

  const [listed] = (await new RunCatalog(join(tmp.dir, 'data')).list()).runs;
  assert.equal(listed!.replayed, true);
  assert.equal(listed!.attacks, 0);
  assert.equal(listed!.bestDetector, undefined);
  // The page's modules import shared ones by the path the dashboard serves them at (/src/…).
  register(new URL('../dashboard/browserPathsHook.mjs', import.meta.url));
  const { bestCell } = (await import(pathToFileURL(WEB_RUNS_VIEW).href)) as { bestCell: (r: unknown) => unknown };
  assert.deepEqual(bestCell(listed), { text: '– (no attacks)', class: 'note' });
});
