import type { ReportModel } from '../buildReportModel.ts';
import { bytes, count, isoTime, percent, ratio, seconds } from './format.ts';
import { html, type SafeHtml } from './safeHtml.ts';
import { formatSignificant } from '../../evaluation/formatScore.ts';
import { CAVEAT_MARK, caveatNotes, thresholdCaveat, type CaveatFields } from '../../evaluation/thresholdCaveat.ts';
import type { DetectorSummary, ReplaySummary } from '../replayFiles.ts';
import { intervalStart } from '../../intervalBounds.ts';
import { blameNote, hasAttackPath } from '../../evaluation/attackIntervals.ts';
import { checkedBlame } from '../../evaluation/checkedBlame.ts';
import { probedIntervals } from '../probedIntervals.ts';
import { sameRate } from '../configuredFalseAlarmRate.ts';
import { formatP, PROMISE_SIGNIFICANCE } from '../../evaluation/falseAlarmPromise.ts';
import type { AttackWindow, Timeline } from '../timeline.ts';

/** summary.json's counts as thresholdCaveat reads them (a writer may put null where this one leaves nothing). */
function caveatFields(s: DetectorSummary | undefined): CaveatFields & { fpr?: number } {
  const fields: Record<string, number> = {};
  for (const k of ['tp', 'fp', 'tn', 'fn', 'uncalibratedIntervals', 'uncalibratedAttackIntervals', 'fpr'] as const) if (typeof s?.[k] === 'number') fields[k] = s[k];
  return fields;
}

/** On path / checked alarms; "–" when no alarm could be checked (see checkedBlame) or the replay says nothing of blame. */
function blameCell(blame: { alarms: number; onPath: number; withoutPath?: number | undefined } | undefined): string {
  const b = blame === undefined ? undefined : checkedBlame(blame);
  return b === undefined ? '–' : `${b.onPath} / ${b.checked}`;
}

/**
 * Per detector: the confusion counts and rates of summary.json, and attacks caught; a detector
 * without a threshold where it mattered (thresholdCaveat) is marked, with a footnote.
 */
export function summaryTable(model: ReportModel): SafeHtml {
  if (model.detectors.length === 0) return html`<p class="note">No detector scored this run.</p>`;
  const notes = caveatNotes(model.detectors.map((d) => [d.name, caveatFields(d.summary)] as const));
  const broken = model.detectors.flatMap((d) => {
    const promise = d.summary?.falseAlarmPromise;
    return promise !== undefined && promise.p < PROMISE_SIGNIFICANCE ? [{ name: d.name, promise }] : [];
  });
  const rows = model.detectors.map((d) => {
    const s = d.summary;
    const mark = thresholdCaveat(caveatFields(s)) === undefined ? '' : ` ${CAVEAT_MARK}`;
    const ev = s?.events;
    const caught = ev && typeof ev.detected === 'number' && typeof ev.total === 'number' ? `${ev.detected} / ${ev.total}` : '–';
    return html`<tr>
  <th scope="row"><span class="swatch" style="background:${d.color}"></span>${d.name}${mark}</th>
  <td>${d.rows.length}</td><td>${count(s?.tp)}</td><td>${count(s?.fp)}</td><td>${count(s?.tn)}</td><td>${count(s?.fn)}</td>
  <td${intervalTitle(s?.tprInterval95)}>${percent(s?.tpr)}</td><td${intervalTitle(s?.fprInterval95)}>${percent(s?.fpr)}${broken.some((b) => b.name === d.name) ? ` ${BROKEN_MARK}` : ''}</td><td>${ratio(s?.precision)}</td><td>${ratio(s?.f1)}</td><td>${ratio(typeof s?.auc === 'number' ? s.auc : d.roc?.auc)}</td>
  <td>${caught}</td><td>${seconds(ev?.meanDelaySeconds)}</td><td>${blameCell(d.blame)}</td>
</tr>`;
  });
  return html`<table class="numbers">
<thead><tr><th>detector</th><th>scored</th><th>TP</th><th>FP</th><th>TN</th><th>FN</th><th>TPR</th><th>FPR</th><th>precision</th><th>F1</th><th>AUC</th><th>attacks detected</th><th>mean delay</th><th title="of the alarms in attack intervals of attacks with a path, how many name an edge of that attack as their first blamed edge">blame on path</th></tr></thead>
<tbody>${rows}</tbody>
</table>${notes.map((n) => html`\n<p class="note">${n}</p>`)}${broken.map(
    ({ name, promise }) =>
      html`\n<p class="note">${BROKEN_MARK} ${name}: ${promise.episodes} false-alarm episode(s) (adjacent pairs of false alarms count once) in ${promise.judgedIntervals} benign intervals judged with a threshold; at ${promise.rate}, the rate its threshold was calibrated to, so many come by chance with probability ${formatP(promise.p)} (below ${PROMISE_SIGNIFICANCE}): on this run the threshold did not keep its promise.</p>`,
  )}`;
}

/** Marks an FPR whose false alarms broke the calibrated rate (falseAlarmPromise). */
const BROKEN_MARK = '†';

/** A rate's 95 % interval (summary.json fprInterval95, tprInterval95) as the cell's tooltip: on a few dozen intervals, or two attacks, it is wide. */
function intervalTitle(interval: readonly [number, number] | null | undefined): SafeHtml | string {
  return interval ? html` title="95 % interval ${percent(interval[0])} – ${percent(interval[1])}"` : '';
}

/**
 * Per detector, at each false-alarm rate: the threshold read off its ROC (alarm when
 * score > threshold), the TPR there and the false-alarm rate it really gives. The configured
 * rate (detectors.falseAlarmRate) is marked: the one to hold the summary table's FPR against.
 */
export function operatingPointsTable(model: ReportModel): SafeHtml {
  const rates = model.detectors[0]?.operatingPoints.map((p) => p.fpr) ?? [];
  if (rates.length === 0 || model.detectors.every((d) => d.operatingPoints.every((p) => p.threshold === null))) {
    return html`<p class="note">No operating point: the scored intervals need both attack and benign intervals.</p>`;
  }
  const rows = model.detectors.map(
    (d) => html`<tr><th scope="row"><span class="swatch" style="background:${d.color}"></span>${d.name}</th>${rates.map((_, i) => {
      const p = d.operatingPoints[i];
      return html`<td>${p?.threshold == null ? '–' : formatSignificant(p.threshold)}</td><td>${percent(p?.tpr)}</td><td>${percent(p?.achievedFpr)}</td>`;
    })}</tr>`,
  );
  const configured = model.falseAlarmRate;
  const header = (r: number) =>
    configured !== undefined && sameRate(r, configured)
      ? html`<th colspan="3" title="detectors.falseAlarmRate: the rate the detectors’ thresholds are calibrated to (unless a detector sets its own)">at ${percent(r)} false alarms (configured)</th>`
      : html`<th colspan="3">at ${percent(r)} false alarms</th>`;
  return html`<table class="numbers">
<thead><tr><th rowspan="2">detector</th>${rates.map(header)}</tr>
<tr>${rates.map(() => html`<th>threshold</th><th>TPR</th><th>achieved FPR</th>`)}</tr></thead>
<tbody>${rows}</tbody>
</table>${
    configured !== undefined && rates.some((r) => sameRate(r, configured))
      ? html`\n<p class="note">Configured: detectors.falseAlarmRate, the rate each detector’s own threshold is calibrated to (unless the detector sets its own); the summary table’s FPR is what that threshold gave.</p>`
      : ''
  }`;
}

/** One row per attack, one column per detector: detected (with delay) or missed. */
export function attackTable(model: ReportModel): SafeHtml {
  const { timeline, detectors } = model;
  if (timeline.attacks.length === 0) return html`<p class="note">The run has no attack in its ground truth (events.ndjson), so nothing can be detected or missed.</p>`;
  const rows = timeline.attacks.map((a, i) => {
    const e = a.event;
    const cells = detectors.map((d) => {
      const o = d.outcomes[i];
      if (!o || !o.scored) return html`<td class="na">not scored</td>`;
      if (!o.detected) return html`<td class="miss">missed</td>`;
      const note = o.blame ? blameNote(o.blame, e.path) : undefined;
      // An alarm that blamed no edge of the attack detected it by the spec's rule, but only by falling in its interval.
      // An attack without a path has no edge to be off: its alarm is not marked as elsewhere.
      const about = o.blame?.onPath === false && hasAttackPath(e.path) ? 'hit elsewhere' : 'hit';
      return html`<td class="${about}">detected, ${seconds(o.delaySeconds)}${note === undefined ? '' : `, ${note}`}</td>`;
    });
    return html`<tr>
  <td>${i + 1}</td><td>${e.kind}</td><td title="${isoTime(e.start)}">+${seconds(e.start - timeline.t0)}</td><td>${seconds(e.end - e.start)}</td>
  <td>${bytes(e.bytes)}</td><td>${e.method ?? '–'}</td><td>${(e.path ?? []).join(' → ') || '–'}</td><td>${intervalsCell(a, timeline)}</td>
  ${cells}
</tr>`;
  });
  return html`<p class="note">Detected: an alarm in one of the attack's intervals or the one right after (run-format.md), whatever it blamed. Beside it, the first edge the detecting alarm blamed, unless it is an edge the attack's path names: "blamed elsewhere" when it is no edge of the attack (the alarm only fell in its interval: another attack there, or noise), the edge itself when it matched only through a * hop (a scan's path [workload, "*"] matches every edge touching the workload).</p>
<table>
<thead><tr><th>#</th><th>kind</th><th>start</th><th>duration</th><th>bytes</th><th>method</th><th>path</th><th>intervals</th>${detectors.map((d) => html`<th>${d.name}</th>`)}</tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

/** An attack's interval count; for a paced scan, how many of them hold a probe (the others count as attack intervals too). */
function intervalsCell(a: AttackWindow, timeline: Timeline): string {
  const probed = probedIntervals(a, timeline);
  return probed === undefined || probed === a.intervals.length ? String(a.intervals.length) : `${a.intervals.length} (${probed} with a probe)`;
}

/** Per detector, the edges its alerts blamed most often. */
export function blamedTable(model: ReportModel): SafeHtml {
  const withAlerts = model.detectors.filter((d) => d.blamed.length > 0);
  if (withAlerts.length === 0) return html`<p class="note">No alert in alerts.ndjson blames an edge.</p>`;
  const rows = withAlerts.flatMap((d) =>
    d.blamed.map((b, i) => html`<tr>${i === 0 ? html`<th scope="rowgroup" rowspan="${d.blamed.length}">${d.name}</th>` : ''}<td>${b.src} → ${b.dst}</td><td>${b.alerts}</td></tr>`),
  );
  return html`<table><thead><tr><th>detector</th><th>edge</th><th>alerts blaming it</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Facts about the run: name, times, intervals, source. */
export function runFacts(model: ReportModel): SafeHtml {
  const { run, snapshots } = model.inputs;
  const gaps = snapshots.filter((s) => s.gap).length;
  const attackIntervals = model.timeline.attack.filter(Boolean).length;
  const graceIntervals = model.timeline.grace.filter(Boolean).length;
  const first = snapshots[0];
  const last = snapshots[snapshots.length - 1];
  const source = run.source ? JSON.stringify(run.source) : '–';
  const facts: [string, string][] = [
    ['run', run.name ?? '–'],
    ['created', run.createdAt ?? '–'],
    ['complete', run.complete === true ? 'yes' : 'no (interrupted or still being written)'],
    ['time', first && last ? `${isoTime(intervalStart(first.t, first.dt))} to ${isoTime(last.t)}` : '–'],
    ['intervals', `${snapshots.length} of ${run.intervalSeconds} s (${gaps} gaps, ${intervalCounts(model.inputs.summary, attackIntervals, graceIntervals)})`],
    ['scored intervals (summary.json)', count(model.inputs.summary.scoredIntervals)],
    ['attacks', `${model.timeline.attacks.length} (${model.timeline.informational.length} informational events)`],
    ['metrics', run.metrics.join(', ')],
    ['source', source],
  ];
  return html`<table class="facts"><tbody>${facts.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}</tbody></table>`;
}

/**
 * Attack and grace intervals as summary.json and the terminal count them (scored ones: after
 * training, gaps excluded), and how many more the run holds where nothing was scored, so the
 * header never gives a third count. `all*`: every interval of the run (the timeline's).
 */
function intervalCounts(summary: ReplaySummary, allAttack: number, allGrace: number): string {
  // Either may be missing from summary.json (older replays): then the run's own counts.
  const attack = typeof summary.attackIntervals === 'number' ? summary.attackIntervals : allAttack;
  const grace = typeof summary.graceIntervals === 'number' ? summary.graceIntervals : allGrace;
  const unscoredAttack = Math.max(0, allAttack - attack);
  const unscoredGrace = Math.max(0, allGrace - grace);
  const scored = `${attack} attack intervals, ${grace} grace`;
  if (unscoredAttack === 0 && unscoredGrace === 0) return scored;
  return `${scored} scored; ${unscoredAttack} more attack interval(s) and ${unscoredGrace} grace in training or gaps, not scored`;
}

/** A parameters object as indented JSON (escaped like everything else). */
export function parametersBlock(value: unknown): SafeHtml {
  if (value === undefined) return html`<p class="note">Not recorded.</p>`;
  return html`<pre>${JSON.stringify(value, null, 2)}</pre>`;
}
