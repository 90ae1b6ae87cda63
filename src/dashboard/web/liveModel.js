// What the live view knows, rebuilt from the stream's messages (state, begin, snapshot,
// verdict, event, end). Snapshots are kept as the report's code expects them.
import { buildTimeline, timelineSpans } from '/src/report/timeline.ts';
import { edgeKey, volumeMeasure } from '/src/report/edgeVolumes.ts';
import { toNumber } from './format.js';

/** A run-format line (metrics at the edge's top level) → a Snapshot (metrics under `values`). */
export function fromLine(line) {
  return {
    t: line.t,
    dt: line.dt,
    gap: line.gap === true,
    ...(line.reason !== undefined ? { reason: String(line.reason) } : {}),
    edges: (line.edges ?? []).map(({ src, dst, ...values }) => ({ src: String(src), dst: String(dst), values })),
  };
}

export class LiveModel {
  constructor() {
    this.reset(null);
  }

  reset(info) {
    this.info = info;
    this.snapshots = [];
    this.verdicts = new Map();
    this.alerts = [];
    this.events = [];
    this.ended = null;
    this.dropped = 0;
    this.firstSeen = new Map();
    this.nodes = new Set();
    this.measure = volumeMeasure(info?.metrics?.length ? info.metrics : ['request_bytes']);
  }

  apply(type, data) {
    switch (type) {
      case 'state':
        this.reset(data.info);
        this.dropped = data.droppedIntervals ?? 0;
        for (const s of data.snapshots) this.addSnapshot(s);
        for (const v of data.verdicts) this.addVerdict(v);
        this.events = [...data.events];
        this.ended = data.ended;
        break;
      case 'begin':
        this.reset(data);
        break;
      case 'snapshot':
        this.addSnapshot(data);
        break;
      case 'verdict':
        this.addVerdict(data);
        break;
      case 'event':
        this.events.push(data);
        break;
      case 'end':
        this.ended = data;
        break;
    }
  }

  addSnapshot(line) {
    const s = fromLine(line);
    const i = this.snapshots.length;
    this.snapshots.push(s);
    for (const e of s.edges) {
      const k = edgeKey(e.src, e.dst);
      if (!this.firstSeen.has(k)) this.firstSeen.set(k, { src: e.src, dst: e.dst, index: i });
      this.nodes.add(e.src);
      this.nodes.add(e.dst);
    }
  }

  addVerdict(v) {
    const verdict = { ...v, score: toNumber(v.score), threshold: toNumber(v.threshold) };
    const list = this.verdicts.get(v.detector) ?? [];
    list.push(verdict);
    this.verdicts.set(v.detector, list);
    if (v.alarm) this.alerts.push(verdict);
  }

  /** Detector names: the experiment's order, then any others that reported. */
  get detectors() {
    const named = this.info?.detectors ?? [];
    return [...named, ...[...this.verdicts.keys()].filter((d) => !named.includes(d))];
  }

  get timeline() {
    return buildTimeline(this.snapshots, this.events);
  }

  /** Attack intervals and gaps as spans of seconds since the start (the report's shading). */
  shading(timeline = this.timeline) {
    return {
      attacks: timelineSpans(timeline, (pos) => timeline.attack[pos] === true),
      gaps: timelineSpans(timeline, (pos) => timeline.snapshots[pos]?.gap === true),
    };
  }

  get latest() {
    return this.snapshots[this.snapshots.length - 1];
  }
}
