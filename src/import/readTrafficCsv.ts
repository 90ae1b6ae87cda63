import { setOwnValue } from '../ownValue.ts';
import { readLines } from '../store/index.ts';
import type { EdgeSample } from '../types.ts';
import { csvFields, decimalNumber, nodeFromCsv } from './csvFields.ts';
import { terminalText } from '../terminalText.ts';
import { edgeKey } from '../edgeKey.ts';

/** One interval's rows of traffic.csv: the edges in the order their first row came. */
export interface TrafficGroup {
  readonly t: number;
  readonly edges: EdgeSample[];
}

export interface TrafficCheck {
  /** `file:line: what` for every bad row. */
  readonly problems: string[];
  /** Metric keys in the order they first appear. */
  readonly metrics: string[];
  /** The line of each metric key's first row (metrics[i] first appears on line metricLines[i]). */
  readonly metricLines: number[];
  /** Distinct interval ends, in order. */
  readonly times: number[];
  /** The line of each interval end's first row (times[i] is on line timeLines[i]). */
  readonly timeLines: number[];
  readonly rows: number;
}

const REQUIRED = ['t', 'src', 'dst', 'metric', 'value'] as const;
type Column = (typeof REQUIRED)[number];

/**
 * traffic.csv in the long form `npm run export` writes (t,src,dst,metric,value; other
 * columns ignored), row by row, checked: t Unix seconds, rows of one interval together and
 * intervals in time order, names not empty, value a non-negative number, both written in
 * decimal (see decimalNumber).
 */
async function* trafficRows(file: string, problems: string[]): AsyncGenerator<{ line: number; t: number; src: string; dst: string; metric: string; value: number }> {
  let columns: Record<Column, number> | undefined;
  for await (const line of readLines(file)) {
    if (line.text.trim() === '') continue;
    const fields = csvFields(line.text);
    const at = `${file}:${line.number}`;
    if (typeof fields === 'string') {
      problems.push(`${at}: ${fields}`);
      continue;
    }
    if (!columns) {
      const index = (name: Column) => fields.findIndex((f) => f.trim() === name);
      const missing = REQUIRED.filter((c) => index(c) < 0);
      if (missing.length > 0) {
        problems.push(`${at}: header must name the columns ${REQUIRED.join(',')} (missing ${missing.join(', ')}; got ${JSON.stringify(line.text.slice(0, 80))})`);
        return;
      }
      columns = Object.fromEntries(REQUIRED.map((c) => [c, index(c)])) as Record<Column, number>;
      continue;
    }
    const field = (c: Column) => fields[columns![c]];
    const tText = field('t');
    const valueText = field('value');
    const t = decimalNumber(tText);
    const value = decimalNumber(valueText);
    const src = nodeFromCsv(field('src') ?? '');
    const dst = nodeFromCsv(field('dst') ?? '');
    const metric = field('metric') ?? '';
    const bad: string[] = [];
    if (fields.length < REQUIRED.length) bad.push(`expected ${REQUIRED.length} fields (got ${fields.length})`);
    else {
      if (!Number.isFinite(t)) bad.push(`t: expected Unix seconds (got ${JSON.stringify(tText)})`);
      if (src === '') bad.push('src: empty');
      if (dst === '') bad.push('dst: empty');
      if (metric === '') bad.push('metric: empty');
      if (!(value >= 0) || !Number.isFinite(value)) bad.push(`value: expected a non-negative decimal number (got ${JSON.stringify(valueText)})`);
    }
    if (bad.length > 0) problems.push(`${at}: ${bad.join('; ')}`);
    else yield { line: line.number, t, src, dst, metric, value };
  }
  if (!columns) problems.push(`${file}: empty (expected the header t,src,dst,metric,value)`);
}

/** First pass: every problem, the metrics and the interval ends, without keeping the rows. */
export async function checkTrafficCsv(file: string): Promise<TrafficCheck> {
  const problems: string[] = [];
  const metrics: string[] = [];
  const metricLines: number[] = [];
  const times: number[] = [];
  const timeLines: number[] = [];
  const seenMetrics = new Set<string>();
  const seenEdgeMetric = new Set<string>();
  let rows = 0;
  for await (const row of trafficRows(file, problems)) {
    rows += 1;
    const last = times[times.length - 1];
    if (last === undefined || row.t > last) {
      times.push(row.t);
      timeLines.push(row.line);
      seenEdgeMetric.clear();
    } else if (row.t < last) {
      problems.push(`${file}:${row.line}: t: ${row.t} comes after rows of t = ${last} (rows must be in time order, one interval's rows together)`);
      continue;
    }
    // An edge's key, then the metric after it: injective whatever the names hold (src/edgeKey.ts).
    const key = edgeKey(edgeKey(row.src, row.dst), row.metric);
    if (seenEdgeMetric.has(key)) problems.push(`${file}:${row.line}: ${terminalText(row.src)} → ${terminalText(row.dst)} ${terminalText(row.metric)} appears twice at t = ${row.t}`);
    seenEdgeMetric.add(key);
    if (!seenMetrics.has(row.metric)) {
      seenMetrics.add(row.metric);
      metrics.push(row.metric);
      metricLines.push(row.line);
    }
  }
  return { problems, metrics, metricLines, times, timeLines, rows };
}

/** Second pass (after a clean first one): the rows grouped by interval, streamed. Zero values are left out (a missing metric is 0). */
export async function* readTrafficGroups(file: string): AsyncGenerator<TrafficGroup, void, undefined> {
  let group: { t: number; edges: EdgeSample[]; byKey: Map<string, EdgeSample & { values: Record<string, number> }> } | undefined;
  for await (const row of trafficRows(file, [])) {
    if (group && row.t !== group.t) {
      yield { t: group.t, edges: group.edges };
      group = undefined;
    }
    group ??= { t: row.t, edges: [], byKey: new Map() };
    const key = edgeKey(row.src, row.dst);
    let edge = group.byKey.get(key);
    if (!edge) {
      edge = { src: row.src, dst: row.dst, values: {} };
      group.byKey.set(key, edge);
      group.edges.push(edge);
    }
    if (row.value > 0) setOwnValue(edge.values, row.metric, row.value);
  }
  if (group) yield { t: group.t, edges: group.edges };
}
