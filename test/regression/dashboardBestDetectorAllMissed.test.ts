import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveParameters } from '../../src/config/index.ts';
import { RunCatalog } from '../../src/dashboard/RunCatalog.ts';
import { runReplay, StagedOutput } from '../../src/replay/index.ts';
import { makeTempDir } from '../util.ts';

// Bug (tester E, defect 8): when every detector missed every attack (F1 0 for all), the
// dashboard still named a best detector, picked by AUC: edge1's runs list showed "eigenspace
// (F1 0, AUC 1)" for a replay in which no detector caught anything. The fix for runs without
// attacks (dashboardBestDetectorWithoutAttacks) is extended: no best detector when none has a
// true positive, and the page says "– (none caught an attack)".
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'munnin-cybermonday-0k');
const WEB_RUNS_VIEW = join(import.meta.dirname, '..', '..', 'src', 'dashboard', 'web', 'runsView.js');
const tmp = makeTempDir('munnin-best-all-missed-');
after(() => tmp.remove());

it('names no best detector when every detector missed every attack, and says so', async () => {
  // Munnin's benign 2018 run with its null exfiltrations (0 bytes sent) relabelled as attacks:
  // nothing happened in them, so no detector can catch them (the detectors only see traffic).
  const dir = join(tmp.dir, 'data', 'missed');
  cpSync(FIXTURE, dir, { recursive: true });
  const events = readFileSync(join(dir, 'events.ndjson'), 'utf8').trimEnd().split('\n').map((l) => ({ ...JSON.parse(l), kind: 'exfiltration' }));
  writeFileSync(join(dir, 'events.ndjson'), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  const detectors = resolveParameters({ detectors: { enabled: ['ewma', 'control-chart'], trainingSeconds: 100 } }).detectors;
  const staged = StagedOutput.begin(join(dir, 'replay'));
  let byDetector: Record<string, unknown> = {};
  try {
    const { summary } = await runReplay(dir, { outDir: staged.dir, detectors });
    staged.commit();
    assert.ok(summary.attackIntervals > 0, 'attack intervals were scored');
    byDetector = Object.fromEntries(Object.entries(summary.detectors).map(([d, s]) => [d, [s.tp, s.f1, s.events.detected]]));
  } finally {
    staged.discard();
  }
  // The situation of the report: attack intervals scored, no true positive, no attack detected.
  assert.deepEqual(byDetector, { ewma: [0, 0, 0], 'control-chart': [0, 0, 0] });

  const [listed] = (await new RunCatalog(join(tmp.dir, 'data')).list()).runs;
  assert.equal(listed!.replayed, true);
  assert.equal(listed!.bestDetector, undefined);
  assert.equal(listed!.missed, 'every attack');
  register(new URL('../dashboard/browserPathsHook.mjs', import.meta.url));
  const { bestCell } = (await import(pathToFileURL(WEB_RUNS_VIEW).href)) as { bestCell: (r: unknown) => unknown };
  assert.deepEqual(bestCell(listed), { text: '– (none caught an attack)', class: 'note' });
});
