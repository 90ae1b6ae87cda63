// The live view's tables: the exfiltration schedule against what happened, and the alerts.
import { el, table } from './dom.js';
import { formatBytes, formatNumber, formatOffset, formatSeconds } from './format.js';

const MAX_ALERT_ROWS = 200;

/**
 * Each planned exfiltration with its fate: done (bytes moved, when), failed, in progress or
 * still to come. Events are matched to the plan by `atSeconds` and method, each used once.
 */
export function scheduleTable(info, events, started, elapsed, t0) {
  const used = new Set();
  const rows = info.exfiltration.map((x) => {
    const i = events.findIndex((e, k) => !used.has(k) && (e.kind === 'exfiltration' || e.kind === 'exfiltration-failed') && e.atSeconds === x.atSeconds && e.method === x.method);
    if (i !== -1) used.add(i);
    const event = events[i];
    let status;
    let cls;
    if (event?.kind === 'exfiltration') {
      status = `done: ${formatBytes(event.bytes)} moved, ${formatOffset(event.start - t0)} to ${formatOffset(event.end - t0)}${event.incomplete ? ' (incomplete)' : ''}`;
      cls = 'done';
    } else if (event) {
      status = `failed${typeof event.reason === 'string' ? `: ${event.reason}` : ''}`;
      cls = 'failed';
    } else if (started && elapsed >= x.atSeconds) {
      status = 'in progress';
      cls = 'running';
    } else {
      status = started ? `in ${formatSeconds(x.atSeconds - elapsed)}` : 'planned';
      cls = 'planned';
    }
    return { attrs: { class: `exfil-${cls}` }, cells: [formatOffset(x.atSeconds), x.method, x.workload ?? '', formatBytes(x.bytes), status] };
  });
  const other = events.filter((e) => e.kind !== 'exfiltration' && e.kind !== 'exfiltration-failed');
  return [
    rows.length > 0 ? table({ class: 'compact' }, ['at', 'method', 'workload', 'bytes', 'status'], rows) : el('p', { class: 'note' }, 'none scheduled'),
    other.length > 0 ? el('p', { class: 'note' }, `other events: ${other.map((e) => `${e.kind} at ${formatOffset(e.start - t0)}`).join(', ')}`) : null,
  ];
}

/** Alarms, newest first, marked when their interval overlaps an attack known so far. */
export function alertsTable(alerts, timeline, t0) {
  if (alerts.length === 0) return el('p', { class: 'note' }, 'none yet');
  const rows = alerts
    .slice(-MAX_ALERT_ROWS)
    .reverse()
    .map((a) => {
      const pos = timeline.positionOf(a.t);
      const attack = pos !== undefined && timeline.attack[pos];
      const blamed = (a.blamed ?? []).slice(0, 3).map((b) => `${b.src} → ${b.dst}`).join(', ');
      return { attrs: { class: attack ? 'alert-attack' : 'alert-benign' }, cells: [formatOffset(a.t - t0), a.detector, `${formatNumber(a.score)} > ${formatNumber(a.threshold)}`, blamed || '–', attack ? 'attack' : ''] };
    });
  return table({ class: 'compact', id: 'live-alerts-table' }, ['at', 'detector', 'score', 'blamed edges', ''], rows);
}
