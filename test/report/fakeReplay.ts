import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Replay outputs (summary.json, scores.csv, alerts.ndjson) written the way run-format.md
// describes, by simple stand-in "detectors", so report tests do not depend on the real
// replay. Labels and counts are computed here independently of src/report.

export interface FakeSnapshot {
  t: number;
  dt: number;
  gap?: boolean;
  edges: ({ src: string; dst: string } & Record<string, number | string>)[];
}

export interface FakeDetector {
  name: string;
  threshold: number;
  score: (s: FakeSnapshot) => number;
}

export interface FakeReplay {
  /** Positions (in snapshots.ndjson order) of the scored intervals. */
  scoredPositions: number[];
  /** Per detector, positions of alarms. */
  alarms: Map<string, number[]>;
  /** Per interval position: attack interval? */
  attack: boolean[];
}

export function readFixtureRun(runDir: string): { snapshots: FakeSnapshot[]; events: { kind: string; start: number; end: number }[] } {
  const lines = (file: string) =>
    readFileSync(join(runDir, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as unknown);
  return { snapshots: lines('snapshots.ndjson') as FakeSnapshot[], events: lines('events.ndjson') as { kind: string; start: number; end: number }[] };
}

/** RFC 4180 quoting, as a careful writer does it. */
const csvField = (v: string): string => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function writeFakeReplay(runDir: string, replayDir: string, detectors: FakeDetector[], trainingIntervals: number): FakeReplay {
  const { snapshots, events } = readFixtureRun(runDir);
  const attacks = events.filter((e) => ['exfiltration', 'scan', 'lateral'].includes(e.kind));
  // (t - dt, t] overlaps [start, end)
  const attack = snapshots.map((s) => attacks.some((e) => e.start <= s.t && s.t - s.dt < e.end));
  const scoredPositions = snapshots.map((s, i) => (i >= trainingIntervals && !s.gap ? i : -1)).filter((i) => i >= 0);
  const csv = ['t,detector,score,threshold,alarm'];
  const alerts: string[] = [];
  const alarms = new Map<string, number[]>();
  const summary: Record<string, unknown> = {};
  for (const d of detectors) {
    let tp = 0;
    let fp = 0;
    let tn = 0;
    let fn = 0;
    const mine: number[] = [];
    for (const i of scoredPositions) {
      const s = snapshots[i]!;
      const score = d.score(s);
      const alarm = score > d.threshold;
      csv.push(`${s.t},${csvField(d.name)},${score},${d.threshold},${alarm}`);
      if (alarm) {
        mine.push(i);
        const top = [...s.edges].sort((a, b) => Number(b['tcp_sent_bytes'] ?? 0) - Number(a['tcp_sent_bytes'] ?? 0))[0];
        alerts.push(JSON.stringify({ t: s.t, detector: d.name, score, threshold: d.threshold, blamed: top ? [{ src: top.src, dst: top.dst, score: 1 }] : [] }));
      }
      if (attack[i] && alarm) tp++;
      else if (attack[i]) fn++;
      else if (alarm) fp++;
      else tn++;
    }
    alarms.set(d.name, mine);
    summary[d.name] = { tp, fp, tn, fn, tpr: tp / (tp + fn), fpr: fp / (fp + tn), precision: tp + fp > 0 ? tp / (tp + fp) : null, f1: null, auc: null, events: { detected: null, total: attacks.length, meanDelaySeconds: null } };
  }
  mkdirSync(replayDir, { recursive: true });
  writeFileSync(join(replayDir, 'scores.csv'), `${csv.join('\n')}\n`);
  writeFileSync(join(replayDir, 'alerts.ndjson'), alerts.map((a) => `${a}\n`).join(''));
  writeFileSync(
    join(replayDir, 'summary.json'),
    JSON.stringify({ run: 'fake', intervals: snapshots.length, scoredIntervals: scoredPositions.length, attackIntervals: attack.filter(Boolean).length, detectors: summary }, null, 2),
  );
  return { scoredPositions, alarms, attack };
}
