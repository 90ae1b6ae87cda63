import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROC_CHART_SIZE, TIME_CHART_SIZE, writeReport, type WrittenReport } from '../../src/report/index.ts';
import { readFixtureRun, writeFakeReplay, type FakeReplay, type FakeSnapshot } from './fakeReplay.ts';
import { assertDrawnPng, pngSize } from './pngCheck.ts';
import { copyCybermonday, tempDir, writeRun } from './runFixture.ts';

// The report of a real 2018 Munnin run (test/fixtures/munnin-cybermonday-30k), scored by two
// stand-in detectors. Every expectation is computed here from the run's files.

type XY = { x: number; y: number | null; score?: number | string; threshold?: number | string };

const bytesOf = (s: FakeSnapshot, src: string, dst: string): number => {
  const e = s.edges.find((x) => x.src === src && x.dst === dst);
  return e ? Number(e['tcp_sent_bytes'] ?? 0) + Number(e['tcp_received_bytes'] ?? 0) : 0;
};
const FE_USER_THRESHOLD = 150_000;
const TRAINING_INTERVALS = 6;

describe('writeReport on the cybermonday run', () => {
  let dir: string;
  let runDir: string;
  let replayDir: string;
  let fake: FakeReplay;
  let report: WrittenReport;
  let snapshots: FakeSnapshot[];
  let events: { kind: string; start: number; end: number }[];
  let t0: number;

  before(async () => {
    dir = tempDir('report');
    runDir = copyCybermonday(dir);
    replayDir = join(runDir, 'replay');
    fake = writeFakeReplay(
      runDir,
      replayDir,
      [
        { name: 'fe-user', threshold: FE_USER_THRESHOLD, score: (s) => bytesOf(s, 'front-end', 'user') },
        { name: 'total', threshold: 3, score: (s) => s.edges.reduce((a, e) => a + Number(e['tcp_sent_bytes'] ?? 0), 0) / 1e8 },
      ],
      TRAINING_INTERVALS,
    );
    ({ snapshots, events } = readFixtureRun(runDir));
    t0 = snapshots[0]!.t - snapshots[0]!.dt;
    report = await writeReport({ runDir, replayDir, progress: false });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const chart = (file: string) => {
    const c = report.model.charts.find((x) => x.file === file);
    assert.ok(c, `chart ${file}`);
    return c;
  };
  const datasets = (file: string) => {
    const c = chart(file);
    assert.equal(c.draw.kind, 'chart');
    return c.draw.kind === 'chart' ? c.draw.config.data.datasets : [];
  };
  const dataOf = (file: string, label: string): XY[] => {
    const d = datasets(file).find((x) => x.label === label);
    assert.ok(d, `${file}: dataset ${label}`);
    return d.data as XY[];
  };

  it('writes report.html and one valid, non-blank PNG per chart, at the size the HTML declares', async () => {
    assert.equal(report.htmlPath, join(replayDir, 'report.html'));
    const html = readFileSync(report.htmlPath, 'utf8');
    const files = readdirSync(join(replayDir, 'report')).sort();
    assert.deepEqual(files, report.model.charts.map((c) => c.file).sort());
    assert.deepEqual(report.images.map((p) => p.slice(join(replayDir, 'report').length + 1)).sort(), files);
    // 2 detectors, ROC, 3 attack-path edges + 4 busiest, the traffic matrix.
    assert.equal(files.length, 2 + 1 + 7 + 1);
    for (const c of report.model.charts) {
      const path = join(replayDir, 'report', c.file);
      const expected = c.draw.kind === 'chart' ? { width: c.draw.width, height: c.draw.height } : undefined;
      const { width, height } = await assertDrawnPng(path, expected);
      assert.ok(html.includes(`<img src="report/${c.file}" width="${width}" height="${height}"`), `${c.file} is shown with its size`);
    }
    assert.deepEqual(pngSize(readFileSync(join(replayDir, 'report', 'score-1.png'))), TIME_CHART_SIZE);
    assert.deepEqual(pngSize(readFileSync(join(replayDir, 'report', 'roc.png'))), ROC_CHART_SIZE);
  });

  it('draws one score point per scored interval, at its time, and marks exactly the alarms', () => {
    const summary = JSON.parse(readFileSync(join(replayDir, 'summary.json'), 'utf8')) as { scoredIntervals: number };
    assert.equal(summary.scoredIntervals, snapshots.length - TRAINING_INTERVALS);
    for (const [file, name] of [
      ['score-1.png', 'fe-user'],
      ['score-2.png', 'total'],
    ] as const) {
      const score = dataOf(file, 'score ÷ threshold');
      assert.equal(score.length, summary.scoredIntervals);
      assert.deepEqual(
        score.map((p) => p.x),
        fake.scoredPositions.map((i) => snapshots[i]!.t - t0),
      );
      const alarms = dataOf(file, 'alarm');
      assert.deepEqual(
        alarms.map((p) => p.x),
        (fake.alarms.get(name) ?? []).map((i) => snapshots[i]!.t - t0),
      );
      // Each point keeps its raw threshold (for the tooltip); the limit is drawn at 1 across the scored stretch.
      assert.deepEqual(
        score.map((p) => p.threshold),
        score.map(() => (name === 'fe-user' ? FE_USER_THRESHOLD : 3)),
      );
      assert.deepEqual(
        dataOf(file, 'threshold (= 1)').map((p) => [p.x, p.y]),
        [
          [score[0]!.x, 1],
          [score[score.length - 1]!.x, 1],
        ],
      );
    }
    // fe-user's score is the front-end → user bytes of each interval, drawn as bytes ÷ 150,000
    // on a log axis whose bottom (a decade, not under 0.001) holds the intervals without traffic.
    const feUser = dataOf('score-1.png', 'score ÷ threshold');
    const bytes = fake.scoredPositions.map((i) => bytesOf(snapshots[i]!, 'front-end', 'user'));
    assert.deepEqual(
      feUser.map((p) => p.score),
      bytes,
    );
    const c = chart('score-1.png');
    assert.ok(c.draw.kind === 'chart');
    const y = c.draw.config.options?.scales?.['y'] as { type: string; min: number; max: number };
    assert.equal(y.type, 'logarithmic');
    const ratios = bytes.map((b) => b / FE_USER_THRESHOLD).filter((r) => r > 0.001);
    assert.equal(y.min, Math.max(0.001, Math.min(0.1, 10 ** Math.floor(Math.log10(Math.min(...ratios))))));
    assert.ok(y.max >= Math.max(...ratios) && y.max >= 10 && y.max / 10 < Math.max(10, Math.max(...ratios)));
    assert.deepEqual(
      feUser.map((p) => p.y),
      bytes.map((b) => (b / FE_USER_THRESHOLD > 0.001 ? b / FE_USER_THRESHOLD : y.min)),
    );
  });

  it('shades the attack intervals and the training stretch', () => {
    const attackSpans: { from: number; to: number }[] = [];
    for (const s of snapshots) {
      if (!events.some((e) => e.start <= s.t && s.t - s.dt < e.end)) continue;
      const from = s.t - s.dt - t0;
      const last = attackSpans[attackSpans.length - 1];
      if (last && from <= last.to + 1e-9) last.to = s.t - t0;
      else attackSpans.push({ from, to: s.t - t0 });
    }
    assert.ok(attackSpans.length >= 2);
    const c = chart('score-1.png');
    assert.ok(c.draw.kind === 'chart');
    const bands = (c.draw.config.options?.plugins?.munninIntervalBands?.bands ?? []) as { from: number; to: number; color: string }[];
    const attackBands = bands.filter((b) => b.color.startsWith('rgba(213, 94, 0'));
    assert.deepEqual(
      attackBands.map((b) => ({ from: b.from, to: b.to })),
      attackSpans,
    );
    const training = bands.filter((b) => b.from === 0 && b.color.startsWith('rgba(0, 114, 178'));
    assert.deepEqual(training.map((b) => b.to), [snapshots[TRAINING_INTERVALS]!.t - snapshots[TRAINING_INTERVALS]!.dt - t0]);
  });

  it('charts the attack-path edges and the busiest edges with their volume in every interval', () => {
    const watched = report.model.watched.map((w) => `${w.src}>${w.dst}`);
    // The path user-db → user → front-end → 172.17.0.1 (the outside world in Munnin's data) runs
    // against the callers' edges: all three hops are edges of the run.
    assert.deepEqual(watched.slice(0, 3), ['user>user-db', 'front-end>user', '172.17.0.1>front-end']);
    const totals = new Map<string, number>();
    for (const s of snapshots) for (const e of s.edges) totals.set(`${e.src}>${e.dst}`, (totals.get(`${e.src}>${e.dst}`) ?? 0) + bytesOf(s, e.src, e.dst));
    const busiest = [...totals.entries()]
      .filter(([k]) => !watched.slice(0, 3).includes(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([k]) => k);
    assert.deepEqual(watched.slice(3), busiest);
    report.model.watched.forEach((w, i) => {
      const volume = dataOf(`edge-${i + 1}.png`, 'volume');
      assert.equal(volume.length, snapshots.length);
      assert.deepEqual(
        volume.map((p) => p.y),
        snapshots.map((s) => (s.gap ? null : bytesOf(s, w.src, w.dst))),
      );
    });
  });

  it('puts every detector’s ROC curve on one chart with its operating point from summary.json', () => {
    const ds = datasets('roc.png');
    const summary = JSON.parse(readFileSync(join(replayDir, 'summary.json'), 'utf8')) as { detectors: Record<string, { tpr: number; fpr: number }> };
    // Independent AUC: the share of (attack, benign) pairs ranked correctly, ties half.
    const scored = fake.scoredPositions.map((i) => ({ score: bytesOf(snapshots[i]!, 'front-end', 'user'), attack: fake.attack[i]! }));
    const pos = scored.filter((r) => r.attack);
    const neg = scored.filter((r) => !r.attack);
    let wins = 0;
    for (const p of pos) for (const n of neg) wins += p.score > n.score ? 1 : p.score === n.score ? 0.5 : 0;
    const auc = wins / (pos.length * neg.length);
    const curve = ds.find((d) => d.label === `fe-user (AUC ${auc.toFixed(3)})`);
    assert.ok(curve, `fe-user curve labelled with AUC ${auc.toFixed(3)}: ${ds.map((d) => d.label).join(', ')}`);
    const points = curve.data as XY[];
    assert.deepEqual(points[0], { x: 0, y: 0 });
    assert.deepEqual(points[points.length - 1], { x: 1, y: 1 });
    assert.ok(ds.some((d) => (d.label ?? '').startsWith('total (AUC')));
    const operating = ds.filter((d) => d.label === '').map((d) => d.data[0]);
    assert.deepEqual(operating, [
      { x: summary.detectors['fe-user']!.fpr, y: summary.detectors['fe-user']!.tpr },
      { x: summary.detectors['total']!.fpr, y: summary.detectors['total']!.tpr },
    ]);
  });

  it('reports each attack as detected (with its delay) or missed, per detector', () => {
    // Every attack's path is user-db → user → front-end → external, its edges either way.
    const pathEdges = new Set(['user-db|user', 'user|front-end', 'front-end|external']);
    const attacks = events.filter((e) => e.kind === 'exfiltration').sort((a, b) => a.start - b.start);
    const expected: string[] = [];
    for (const e of attacks) {
      const inside = snapshots.map((s, i) => (s.t > e.start && s.t - s.dt < e.end ? i : -1)).filter((i) => i >= 0);
      const window = [...inside, inside[inside.length - 1]! + 1];
      for (const name of ['fe-user', 'total']) {
        const hit = window.find((i) => fake.alarms.get(name)!.includes(i));
        if (hit === undefined) {
          expected.push('missed');
          continue;
        }
        // The detecting alarm blames the interval's busiest edge (tcp_sent_bytes); said beside it when no edge of the path.
        const top = [...snapshots[hit]!.edges].sort((a, b) => Number(b['tcp_sent_bytes'] ?? 0) - Number(a['tcp_sent_bytes'] ?? 0))[0];
        const onPath = top !== undefined && (pathEdges.has(`${top.src}|${top.dst}`) || pathEdges.has(`${top.dst}|${top.src}`));
        const note = top === undefined ? ', no edge blamed' : onPath ? '' : `, blamed elsewhere: ${top.src} → ${top.dst}`;
        expected.push(`detected, ${(Math.round((snapshots[hit]!.t - e.start) * 10) / 10).toFixed(1)} s${note}`);
      }
    }
    assert.ok(expected.includes('missed') && expected.some((x) => x.startsWith('detected')), 'the case has both outcomes');
    const html = readFileSync(report.htmlPath, 'utf8');
    const cells = [...html.matchAll(/<td class="(?:hit|miss)[^"]*">([^<]*)<\/td>/g)].map((m) => m[1]);
    assert.deepEqual(cells, expected);
  });

  it('shows per detector how many alarms in attack intervals first blame an edge of the attack', () => {
    // summary.json of the fake replay has no `blame`: the report counts it from alerts.ndjson.
    // The fake alerts blame the interval's busiest edge (tcp_sent_bytes); every attack's path is
    // user-db → user → front-end → external, its edges taken in either direction.
    const pathEdges = new Set(['user-db|user', 'user|front-end', 'front-end|external']);
    const html = readFileSync(report.htmlPath, 'utf8');
    let sawOnPath = false;
    for (const name of ['fe-user', 'total']) {
      const inAttack = fake.alarms.get(name)!.filter((i) => fake.attack[i]);
      const onPath = inAttack.filter((i) => {
        const top = [...snapshots[i]!.edges].sort((a, b) => Number(b['tcp_sent_bytes'] ?? 0) - Number(a['tcp_sent_bytes'] ?? 0))[0]!;
        return pathEdges.has(`${top.src}|${top.dst}`) || pathEdges.has(`${top.dst}|${top.src}`);
      }).length;
      if (onPath > 0) sawOnPath = true;
      const row = html.match(new RegExp(`${name}</th>([\\s\\S]*?)</tr>`))?.[1] ?? '';
      const cells = [...row.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]);
      assert.equal(cells[cells.length - 1], inAttack.length === 0 ? '–' : `${onPath} / ${inAttack.length}`, name);
    }
    assert.ok(sawOnPath, 'the case has an alarm blaming the attack path');
  });

  it('gives each detector’s threshold and TPR at 1 % and 0.1 % false alarms, read off its ROC without the grace intervals', () => {
    const html = readFileSync(report.htmlPath, 'utf8');
    const section = html.slice(html.indexOf('id="operating-points"'), html.indexOf('id="attacks"'));
    const scorers: Record<string, (s: FakeSnapshot) => number> = {
      'fe-user': (s) => bytesOf(s, 'front-end', 'user'),
      total: (s) => s.edges.reduce((a, e) => a + Number(e['tcp_sent_bytes'] ?? 0), 0) / 1e8,
    };
    for (const [name, score] of Object.entries(scorers)) {
      const counted = fake.scoredPositions.filter((i) => !fake.grace[i]);
      const benign = counted.filter((i) => !fake.attack[i]).map((i) => score(snapshots[i]!)).sort((a, b) => b - a);
      const attack = counted.filter((i) => fake.attack[i]).map((i) => score(snapshots[i]!));
      const row = section.match(new RegExp(`${name}</th>([\\s\\S]*?)</tr>`))?.[1] ?? '';
      const cells = [...row.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]!);
      assert.equal(cells.length, 6, `${name}: threshold, TPR, achieved FPR at two rates`);
      [0.01, 0.001].forEach((rate, j) => {
        // At most ⌊rate × benign⌋ benign intervals may score above: the threshold is the next one.
        const threshold = benign[Math.floor(rate * benign.length)]!;
        const tpr = attack.filter((x) => x > threshold).length / attack.length;
        const shown = Number(cells[3 * j]);
        assert.ok(Math.abs(shown - threshold) <= 0.005 * Math.abs(threshold), `${name} @${rate}: threshold ${cells[3 * j]} vs ${threshold}`);
        assert.equal(cells[3 * j + 1], `${(tpr * 100).toFixed(1)} %`, `${name} @${rate}: TPR`);
      });
    }
  });

  it('shows the traffic matrix of a typical benign interval beside the worst attack interval', () => {
    const c = chart('traffic-matrix.png');
    assert.ok(c.draw.kind === 'matrix');
    const spec = c.draw.spec;
    const services = (JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { services: string[] }).services;
    assert.deepEqual(spec.nodes, services);
    const total = (s: FakeSnapshot) => s.edges.reduce((a, e) => a + bytesOf(s, e.src, e.dst), 0);
    const attackPos = snapshots.map((_, i) => i).filter((i) => fake.attack[i] && !snapshots[i]!.gap);
    const pathVolume = (i: number) => bytesOf(snapshots[i]!, 'user', 'user-db') + bytesOf(snapshots[i]!, 'front-end', 'user');
    const worst = attackPos.reduce((best, i) => (pathVolume(i) > pathVolume(best) ? i : best));
    const benign = snapshots
      .map((s, i) => ({ i, v: total(s) }))
      .filter(({ i }) => !fake.attack[i] && !snapshots[i]!.gap)
      .sort((a, b) => a.v - b.v || a.i - b.i);
    const median = benign[Math.floor((benign.length - 1) / 2)]!.i;
    assert.equal(spec.panels.length, 2);
    const n = services.length;
    [median, worst].forEach((pos, p) => {
      const s = snapshots[pos]!;
      const panel = spec.panels[p]!;
      assert.ok(panel.title.includes(`+${Math.round((s.t - s.dt - t0) * 10) / 10} s`), panel.title);
      for (const e of s.edges) {
        assert.equal(panel.values[services.indexOf(e.src) * n + services.indexOf(e.dst)], bytesOf(s, e.src, e.dst), `${e.src} → ${e.dst}`);
      }
      const sum = panel.values.reduce((a, v) => a + v, 0);
      assert.equal(sum, total(s));
    });
  });

  it('shows the summary and the run’s parameters, and writes no script', () => {
    const html = readFileSync(report.htmlPath, 'utf8');
    assert.ok(html.includes('<h2 id="detectors">'));
    assert.ok(html.includes('&quot;exfilOffsetsSeconds&quot;'), 'run.json parameters');
    assert.doesNotMatch(html, /<script/i);
    assert.ok(existsSync(join(replayDir, 'report', 'traffic-matrix.png')));
  });

  it('removes the images of an earlier report that this one no longer has', async () => {
    const again = join(dir, 'again');
    writeFakeReplay(runDir, again, [{ name: 'fe-user', threshold: FE_USER_THRESHOLD, score: (s) => bytesOf(s, 'front-end', 'user') }], TRAINING_INTERVALS);
    await writeReport({ runDir, replayDir: again, progress: false });
    assert.ok(existsSync(join(again, 'report', 'edge-6.png')));
    const r = await writeReport({ runDir, replayDir: again, watchedEdges: [{ src: 'front-end', dst: 'user' }], progress: false });
    assert.deepEqual(readdirSync(join(again, 'report')).sort(), r.model.charts.map((c) => c.file).sort());
    assert.ok(!existsSync(join(again, 'report', 'edge-6.png')));
  });

  it('gives each FPR its 95 % interval, and marks and explains a detector whose false alarms broke its calibrated rate', async () => {
    const promiseDir = join(dir, 'promise');
    writeFakeReplay(
      runDir,
      promiseDir,
      [
        { name: 'fe-user', threshold: FE_USER_THRESHOLD, score: (s) => bytesOf(s, 'front-end', 'user') },
        { name: 'total', threshold: 3, score: (s) => s.edges.reduce((a, e) => a + Number(e['tcp_sent_bytes'] ?? 0), 0) / 1e8 },
      ],
      TRAINING_INTERVALS,
    );
    // What replay adds to summary.json (falseAlarmPromise.ts): one promise kept, one broken.
    const file = join(promiseDir, 'summary.json');
    const summary = JSON.parse(readFileSync(file, 'utf8')) as { detectors: Record<string, Record<string, unknown>> };
    summary.detectors['fe-user'] = { ...summary.detectors['fe-user'], fprInterval95: [0.0125, 0.1875], tprInterval95: [0.3424, 1], falseAlarmPromise: { rate: 0.01, judgedIntervals: 45, episodes: 4, p: 0.00107 } };
    summary.detectors['total'] = { ...summary.detectors['total'], fprInterval95: [0, 0.0676], falseAlarmPromise: { rate: 0.01, judgedIntervals: 53, episodes: 0, p: 1 } };
    writeFileSync(file, JSON.stringify(summary));
    const html = readFileSync((await writeReport({ runDir, replayDir: promiseDir, progress: false })).htmlPath, 'utf8');
    assert.match(html, /<td title="95 % interval 1\.3 % – 18\.8 %">[\d.]+ % †<\/td>/);
    assert.match(html, /<td title="95 % interval 0\.0 % – 6\.8 %">[\d.]+ %<\/td>/);
    // The TPR's interval likewise, where the summary has one.
    assert.match(html, /<td title="95 % interval 34\.2 % – 100\.0 %">[\d.]+ %<\/td><td title="95 % interval 1\.3 % – 18\.8 %">/);
    assert.match(html, /<p class="note">† fe-user: 4 false-alarm episode\(s\) \(adjacent pairs of false alarms count once\) in 45 benign intervals judged with a threshold; at 0\.01, the rate its threshold was calibrated to, so many come by chance with probability 0\.0011 \(below 0\.01\)/);
    assert.doesNotMatch(html, /† total/);
  });

  it('embeds the images as data: URIs when asked, writing no PNG files', async () => {
    const embedDir = join(dir, 'embedded');
    writeFakeReplay(runDir, embedDir, [{ name: 'fe-user', threshold: FE_USER_THRESHOLD, score: (s) => bytesOf(s, 'front-end', 'user') }], TRAINING_INTERVALS);
    const r = await writeReport({ runDir, replayDir: embedDir, embedImages: true, watchedEdges: [{ src: 'front-end', dst: 'user' }], progress: false });
    assert.deepEqual(r.images, []);
    assert.equal(existsSync(join(embedDir, 'report')), false);
    const html = readFileSync(r.htmlPath, 'utf8');
    const uris = [...html.matchAll(/<img src="data:image\/png;base64,([A-Za-z0-9+/=]+)" width="(\d+)" height="(\d+)"/g)];
    assert.equal(uris.length, r.model.charts.length);
    for (const m of uris) assert.deepEqual(pngSize(Buffer.from(m[1]!, 'base64')), { width: Number(m[2]), height: Number(m[3]) });
  });
});

describe('writeReport on a run with nothing in it', () => {
  it('still writes a page that says what is missing', async () => {
    const dir = tempDir('report-empty');
    try {
      const runDir = join(dir, 'run');
      writeRun(runDir, { intervalSeconds: 2, metrics: ['requests'] }, [], []);
      const replayDir = join(runDir, 'replay');
      writeFakeReplay(runDir, replayDir, [], 0);
      const r = await writeReport({ runDir, replayDir, progress: false });
      assert.deepEqual(r.images, []);
      const page = readFileSync(r.htmlPath, 'utf8');
      assert.ok(page.includes('No detector scored this run.'));
      assert.ok(page.includes('The run has no attack in its ground truth'));
      assert.ok(page.includes('No interval with traffic to show.'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
