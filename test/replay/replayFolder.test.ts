import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { replayFolder, writeSyntheticRun, type FolderReplay } from '../../src/replay/index.ts';
import { captureLog, makeTempDir, readJson } from '../util.ts';

const tmp = makeTempDir('munnin-replay-folder-');
after(() => tmp.remove());

// Three detectors: two calibrated (positive thresholds, pooled as score ÷ threshold) and
// new-edge (rule threshold 0, pooled as 1 + score − threshold).
const detectors = resolveParameters({ detectors: { trainingSeconds: 100, enabled: ['ewma', 'control-chart', 'new-edge'] } }).detectors;
const DT = 5;

/** A synthetic run whose attacks' `bytes` are all set to `bytes` (the ground truth's size; the traffic is the writer's). */
function run(dir: string, seed: number, exfiltrations: number, bytes?: number): void {
  writeSyntheticRun(dir, { services: 6, edgesPerService: 3, intervals: 100, exfiltrations, seed });
  if (bytes === undefined) return;
  const file = join(dir, 'events.ndjson');
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.stringify({ ...JSON.parse(l), bytes }));
  writeFileSync(file, `${lines.join('\n')}\n`);
}

interface Row {
  readonly t: number;
  readonly detector: string;
  readonly score: number;
  readonly threshold: number;
}

function readScores(file: string): Row[] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [t, detector, score, threshold] = line.split(',');
      return { t: Number(t), detector: detector!, score: Number(score), threshold: Number(threshold) };
    });
}

/** (t − dt, t] overlaps [start, end): the run format's rule for an attack interval. */
const overlaps = (t: number, e: { start: number; end: number }) => t > e.start && t - DT < e.end;

/** A score on its threshold's scale, as the README states it; NaN (no threshold) ranks lowest. */
function relative(score: number, threshold: number): number {
  if (Number.isNaN(threshold) || Number.isNaN(score)) return Number.NEGATIVE_INFINITY;
  return threshold > 0 ? score / threshold : 1 + score - threshold;
}

/** ROC area by counting every (attack, benign) pair: 1 when the attack is higher, ½ for a tie. */
function pairAuc(pos: readonly number[], neg: readonly number[]): number {
  let u = 0;
  for (const p of pos) for (const n of neg) u += p > n ? 1 : p === n ? 0.5 : 0;
  return u / (pos.length * neg.length);
}

describe('replayFolder', () => {
  const folder = join(tmp.dir, 'runs');
  let result: FolderReplay;
  let warnings = '';

  before(async () => {
    run(join(folder, 'a-small'), 11, 3, 10_000);
    run(join(folder, 'b-large'), 12, 3, 20_000);
    run(join(folder, 'c-benign'), 13, 0);
    mkdirSync(join(folder, 'notes')); // not a run: no run.json
    const log = captureLog();
    try {
      result = await replayFolder(folder, { detectors, progress: false });
    } finally {
      log.restore();
    }
    warnings = log.text('warn');
  });

  it('replays every run into its own replay/ (as a sweep does) and writes the comparison beside them', () => {
    assert.deepEqual(result.runs.map((r) => r.run), ['a-small', 'b-large', 'c-benign']);
    assert.deepEqual(result.failed, []);
    for (const name of ['a-small', 'b-large', 'c-benign']) assert.ok(existsSync(join(folder, name, 'replay', 'summary.json')), name);
    assert.ok(existsSync(join(folder, 'comparison.json')) && existsSync(join(folder, 'comparison.csv')));
    assert.equal(warnings, '');
  });

  it('pools events and false alarms as sums over the runs, from each run summary.json', () => {
    const summaries = ['a-small', 'b-large', 'c-benign'].map((n) => readJson(folder, n, 'replay', 'summary.json'));
    for (const d of detectors.enabled) {
      const p = result.comparison.pooled[d]!;
      const events = summaries.reduce((s, x) => s + x.detectors[d].events.total, 0);
      const caught = summaries.reduce((s, x) => s + x.detectors[d].events.detected, 0);
      const fp = summaries.reduce((s, x) => s + x.detectors[d].fp, 0);
      const benign = summaries.reduce((s, x) => s + x.detectors[d].fp + x.detectors[d].tn, 0);
      assert.equal(p.runs, 3, d);
      assert.equal(p.events, events, d);
      assert.equal(events, 6, `${d}: 3 + 3 attacks, all after the 100 s of training`);
      assert.equal(p.caught, caught, d);
      assert.equal(p.benignIntervals, benign, d);
      assert.equal(p.falseAlarms, fp, d);
      assert.equal(p.tpr, caught / events, d);
      assert.equal(p.fpr, fp / benign, d);
    }
  });

  it("pools the ROC over every run's intervals as score ÷ threshold, from scores.csv and the events", () => {
    for (const d of detectors.enabled) {
      const pos: number[] = [];
      const neg: number[] = [];
      for (const name of ['a-small', 'b-large', 'c-benign']) {
        const events = readFileSync(join(folder, name, 'events.ndjson'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
        for (const r of readScores(join(folder, name, 'replay', 'scores.csv')).filter((x) => x.detector === d)) {
          const attack = events.some((e) => overlaps(r.t, e));
          const grace = !attack && events.some((e) => overlaps(r.t - DT, e));
          if (grace) continue;
          (attack ? pos : neg).push(relative(r.score, r.threshold));
        }
      }
      const p = result.comparison.pooled[d]!;
      assert.equal(p.attackIntervals, pos.length, d);
      assert.equal(p.benignIntervals, neg.length, `${d}: the same benign intervals as the summaries count`);
      assert.ok(Math.abs(p.auc! - pairAuc(pos, neg)) < 1e-12, `${d}: AUC ${p.auc} vs ${pairAuc(pos, neg)} counted pair by pair`);
      // TPR at the configured rate: above the (k+1)-th highest benign score, k = ⌊rate × benign⌋.
      const k = Math.floor(detectors.falseAlarmRate * neg.length);
      const threshold = [...neg].sort((x, y) => y - x)[k]!;
      assert.equal(p.atRate.fpr, 0.01);
      assert.equal(p.atRate.tpr, pos.filter((x) => x > threshold).length / pos.length, d);
      assert.equal(p.atRate.achievedFpr, neg.filter((x) => x > threshold).length / neg.length, d);
    }
  });

  it('groups by the attacks’ bytes: benign runs first, each size its own runs’ false alarms', () => {
    const rows = result.comparison.byBytes;
    assert.deepEqual(rows.map((r) => r.label), ['benign', '10000', '20000']);
    assert.deepEqual(rows.map((r) => r.runs), [['c-benign'], ['a-small'], ['b-large']]);
    const summary = (n: string) => readJson(folder, n, 'replay', 'summary.json');
    for (const d of detectors.enabled) {
      for (const [row, name] of [[rows[0]!, 'c-benign'], [rows[1]!, 'a-small'], [rows[2]!, 'b-large']] as const) {
        const s = summary(name).detectors[d];
        assert.equal(row.detectors[d]!.events, s.events.total, `${d} ${row.label}`);
        assert.equal(row.detectors[d]!.caught, s.events.detected, `${d} ${row.label}`);
        assert.equal(row.detectors[d]!.fpr, s.fp / (s.fp + s.tn), `${d} ${row.label}`);
      }
      assert.equal(rows[0]!.detectors[d]!.tpr, null, 'no attack in the benign row');
    }
    const json = readJson(folder, 'comparison.json');
    assert.equal(json.format, 'munnin-runs-comparison/1');
    assert.deepEqual(json.byBytes.map((r: { bytes: number | null }) => r.bytes), [null, 10000, 20000]);
    assert.deepEqual(json.runs.map((r: { summary: string }) => r.summary), ['a-small/replay/summary.json', 'b-large/replay/summary.json', 'c-benign/replay/summary.json']);
  });

  it('writes comparison.csv: pooled, by bytes and per run, with the figures of comparison.json', () => {
    const lines = readFileSync(join(folder, 'comparison.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'scope,bytes,run,detector,runs,events,caught,tpr,benign_intervals,false_alarms,fpr,attack_intervals,auc,rate,tpr_at_rate,threshold_at_rate,achieved_fpr,tpr_low,tpr_high,fpr_low,fpr_high');
    assert.equal(lines.length, 1 + 3 + 3 * 3 + 3 * 3);
    const ewma = lines.find((l) => l.startsWith('pooled,,,ewma,'))!.split(',');
    const p = result.comparison.pooled['ewma']!;
    assert.deepEqual(ewma.slice(4, 13).map(Number), [3, p.events, p.caught, p.tpr, p.benignIntervals, p.falseAlarms, p.fpr, p.attackIntervals, p.auc]);
    // Each interval's ends are Wilson's: the p whose score test is on its edge, (p̂ − p)² = z²p(1 − p)/n
    // (or 0 and 1 themselves at k = 0 and k = n), one end below p̂ and one above.
    const z2 = 1.959963984540054 ** 2;
    for (const [k, n, ends] of [[p.caught, p.events, ewma.slice(17, 19)], [p.falseAlarms, p.benignIntervals, ewma.slice(19, 21)]] as const) {
      const [low, high] = ends.map(Number) as [number, number];
      const share = k / n;
      assert.ok(low <= share && share <= high, `${low} ≤ ${share} ≤ ${high}`);
      for (const end of [low, high]) {
        if ((end === 0 && k === 0) || (end === 1 && k === n)) continue;
        assert.ok(Math.abs((share - end) ** 2 - (z2 * end * (1 - end)) / n) < 1e-12, `${end} for ${k} of ${n}`);
      }
    }
    assert.ok(lines.includes(lines.find((l) => l.startsWith('bytes,10000,,ewma,'))!));
    assert.ok(lines.some((l) => l.startsWith('bytes,,benign,new-edge,')));
  });
});

describe('replayFolder, errors and odd folders', () => {
  it('refuses a folder with no run in it', async () => {
    const empty = join(tmp.dir, 'empty');
    mkdirSync(join(empty, 'not-a-run'), { recursive: true });
    await assert.rejects(replayFolder(empty, { detectors, progress: false }), (e: unknown) => e instanceof UserError && /empty: no run in it/.test(e.message));
  });

  it('goes on past a run that cannot be read, and names its file', async () => {
    const folder = join(tmp.dir, 'with-broken');
    run(join(folder, 'good-1'), 21, 2, 30_000);
    mkdirSync(join(folder, 'broken'));
    writeFileSync(join(folder, 'broken', 'run.json'), '{"format": "munnin-run/1",\n  "intervalSeconds": 5,,\n}');
    run(join(folder, 'good-2'), 22, 2, 30_000);
    const log = captureLog();
    const result = await replayFolder(folder, { detectors, progress: false }).finally(() => log.restore());
    assert.deepEqual(result.runs.map((r) => r.run), ['good-1', 'good-2']);
    assert.equal(result.failed.length, 1);
    assert.equal(result.failed[0]!.run, 'broken');
    assert.match(result.failed[0]!.message, /broken[\\/]run\.json:2:24: not valid JSON/);
    assert.match(log.text('warn'), /broken: not replayed/);
    assert.deepEqual(readJson(folder, 'comparison.json').failed.map((f: { run: string }) => f.run), ['broken']);
    assert.equal(result.comparison.pooled['ewma']!.runs, 2);
  });

  it('does not write into a read-only run: its outputs go to <folder>/runs/<run>/', async (t) => {
    const folder = join(tmp.dir, 'read-only');
    const dir = join(folder, 'locked');
    run(dir, 31, 2, 30_000);
    chmodSync(dir, 0o555);
    t.after(() => chmodSync(dir, 0o755));
    const result = await replayFolder(folder, { detectors, progress: false });
    assert.deepEqual(readdirSync(dir).sort(), ['events.ndjson', 'run.json', 'snapshots.ndjson']);
    assert.equal(result.outputs.get('locked'), join(folder, 'runs', 'locked'));
    assert.ok(existsSync(join(folder, 'runs', 'locked', 'summary.json')));
  });

  it('compares runs of different interval lengths, each scored on its own intervals', async () => {
    const folder = join(tmp.dir, 'mixed-intervals');
    writeSyntheticRun(join(folder, 'five-s'), { services: 6, edgesPerService: 3, intervals: 100, exfiltrations: 2, seed: 51, intervalSeconds: 5 });
    writeSyntheticRun(join(folder, 'two-s'), { services: 6, edgesPerService: 3, intervals: 200, exfiltrations: 2, seed: 52, intervalSeconds: 2 });
    const log = captureLog();
    const result = await replayFolder(folder, { detectors, progress: false }).finally(() => log.restore());
    assert.deepEqual(result.failed, []);
    const five = readJson(folder, 'five-s', 'replay', 'summary.json');
    const two = readJson(folder, 'two-s', 'replay', 'summary.json');
    // 100 s of training: 20 of the 5-s intervals, 50 of the 2-s ones.
    assert.equal(five.trainingIntervals, 20);
    assert.equal(two.trainingIntervals, 50);
    const p = result.comparison.pooled['ewma']!;
    assert.equal(p.benignIntervals, five.detectors.ewma.fp + five.detectors.ewma.tn + two.detectors.ewma.fp + two.detectors.ewma.tn);
    assert.equal(p.attackIntervals, five.attackIntervals + two.attackIntervals);
  });

  it('neutralises a hostile run name in comparison.csv (a spreadsheet formula)', async () => {
    const folder = join(tmp.dir, 'hostile');
    const name = '=HYPERLINK("http:x","y"),1';
    run(join(folder, name), 41, 2, 30_000);
    const out = join(tmp.dir, 'hostile-out');
    await replayFolder(folder, { detectors, progress: false, outDir: out });
    const csv = readFileSync(join(out, 'comparison.csv'), 'utf8');
    // Quoted (it holds quotes and a comma), its quotes doubled, and a leading ' so no spreadsheet runs it.
    assert.ok(csv.includes(`run,,"'=HYPERLINK(""http:x"",""y""),1",ewma,`), csv);
    assert.ok(!/(^|,)=HYPERLINK/m.test(csv));
    assert.ok(existsSync(join(out, 'runs', name, 'summary.json')), 'with --out, every run’s outputs go under it');
  });
});

describe('replayFolder: warnings', () => {
  it('shows a warning the runs share once, and at the end how many more times it came', async () => {
    const folder = join(tmp.dir, 'warnings');
    for (const seed of [1, 2, 3]) run(join(folder, `run-${seed}`), seed, 1);
    // eigenspace with 10 s of training (2 intervals) warns on each run that its window fills first.
    const short = resolveParameters({ detectors: { trainingSeconds: 10, enabled: ['eigenspace'] } }).detectors;
    const log = captureLog();
    try {
      await replayFolder(folder, { detectors: short, outDir: join(tmp.dir, 'warnings-out'), progress: false });
    } finally {
      log.restore();
    }
    const warnings = log.messages.filter((m) => m.level === 'warn').map((m) => m.message);
    const first = warnings.filter((m) => /^eigenspace: training gave/.test(m));
    assert.equal(first.length, 1, warnings.join('\n'));
    assert.deepEqual(warnings.filter((m) => /more time\(s\) in this folder's runs/.test(m)), [`2 more time(s) in this folder's runs: ${first[0]}`]);
  });
});
