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
  /** Per interval position: grace interval (right after an attack's last interval, not itself one)? */
  grace: boolean[];
}

/**
 * run-format.md, worked out here on its own: (t - dt, t] is an attack interval of [start, end)
 * when t > start and t - dt < end (an instant, end = start, marks t - dt < start <= t); the
 * interval right after an attack's last attack interval, unless itself an attack interval, is
 * a grace interval.
 */
export function labelIntervals(snapshots: readonly { t: number; dt: number }[], events: readonly { kind: string; start: number; end: number }[]): { attack: boolean[]; grace: boolean[] } {
  const attacks = events.filter((e) => ['exfiltration', 'scan', 'lateral'].includes(e.kind));
  const hit = (s: { t: number; dt: number }, e: { start: number; end: number }) => (e.end === e.start ? s.t - s.dt < e.start && e.start <= s.t : s.t > e.start && s.t - s.dt < e.end);
  const attack = snapshots.map((s) => attacks.some((e) => hit(s, e)));
  const grace = snapshots.map(() => false);
  for (const e of attacks) {
    let last = -1;
    snapshots.forEach((s, i) => {
      if (hit(s, e)) last = i;
    });
    if (last >= 0 && last + 1 < snapshots.length && !attack[last + 1]) grace[last + 1] = true;
  }
  return { attack, grace };
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
  const { attack, grace } = labelIntervals(snapshots, events);
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
      if (grace[i]) continue;
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
  return { scoredPositions, alarms, attack, grace };
}
