// Not exported from report/index.ts: the sweep stage imports the report (charts), and this
// file imports the sweep's index reader and variant plan; entry points import it directly.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { spreadsheetText } from '../evaluation/outputFields.ts';
import { parsePath, type PathSegment } from '../sweep/parameterPath.ts';
import { injectionsOf, planVariants } from '../sweep/planSweep.ts';
import type { ResolvedAxis } from '../sweep/resolveSweep.ts';
import { readSweepIndex } from '../sweep/sweepIndex.ts';
import { comparisonPlan } from '../sweep/comparisonReplays.ts';
import { axisLabels } from '../sweep/valueLabel.ts';
import type { RowContext } from './CsvFile.ts';
import { ALERT_COLUMNS, SCORE_COLUMNS, TRAFFIC_COLUMNS, INTERVAL_COLUMNS } from './exportTables.ts';
import { ExportFiles, type ExportResult, type ReplayToExport } from './exportRun.ts';
import { exists, readText } from './readText.ts';

export interface ExportSweepOptions {
  /** The sweep folder (holding sweep.json). */
  readonly sweepDir: string;
  /** Default: sweepDir/export. */
  readonly outDir?: string;
}

export interface SweepExportResult extends ExportResult {
  /** Runs exported (recorded, whole or in part). */
  readonly runs: number;
  /** Runs of sweep.json with no recording yet. */
  readonly missing: readonly string[];
}

/**
 * A sweep as the same four CSV files as one run, long form over all its runs: every row
 * names its run, its repeat and the value of each experiment-side axis; rows of scores.csv
 * and alerts.csv also name the replay `variant` and the value of each detector-side axis (and
 * the injected rate, when the sweep injects). traffic.csv and intervals.csv are the recording,
 * one copy per run whatever the variants.
 */
export async function exportSweep(options: ExportSweepOptions): Promise<SweepExportResult> {
  const dir = options.sweepDir;
  const index = readSweepIndex(dir);
  // The detector-side axes and injections of the latest sweep replay (comparison.json) name the
  // variant folders there are; sweep.json's only those of a replay with its own axes.
  const compared = comparisonPlan(await readText(join(dir, 'comparison.json')).catch(() => undefined));
  const recorded = compared === undefined ? index.axes : [...index.axes.filter((a) => a.side === 'experiment'), ...compared.axes.filter((a) => a.side === 'detector')];
  const axes: ResolvedAxis[] = recorded.map((a) => ({ ...a, segments: segmentsOf(a.path), labels: axisLabels(a.values) }));
  const injections = compared === undefined ? injectionsOf(index.inject) : compared.injections;
  const variants = planVariants(axes, injections);
  const taken = new Set<string>([...TRAFFIC_COLUMNS, ...INTERVAL_COLUMNS, ...SCORE_COLUMNS, ...ALERT_COLUMNS, 'run', 'repeat', 'variant', 'injectBytesPerInterval']);
  // An axis named like a column of its own (say `t`) gets a prefix rather than a clash.
  const column = new Map(axes.map((a) => [a.name, taken.has(a.name) ? `axis_${a.name}` : a.name]));
  const experimentAxes = axes.filter((a) => a.side === 'experiment');
  const detectorAxes = axes.filter((a) => a.side === 'detector');
  const runColumns = ['run', 'repeat', ...experimentAxes.map((a) => column.get(a.name)!)];
  const replayColumns = ['variant', ...detectorAxes.map((a) => column.get(a.name)!), ...(injections.length > 0 ? ['injectBytesPerInterval'] : [])];
  const outDir = options.outDir ?? join(dir, 'export');
  await mkdir(outDir, { recursive: true });
  const files = new ExportFiles(outDir, runColumns, replayColumns);
  const missing: string[] = [];
  let runs = 0;
  try {
    for (const run of index.runs) {
      const runDir = join(dir, run.name);
      if (!(await exists(join(runDir, 'run.json')))) {
        missing.push(run.name);
        continue;
      }
      const runContext: RowContext = { run: spreadsheetText(run.name), repeat: run.repeat, ...Object.fromEntries(experimentAxes.map((a) => [column.get(a.name)!, cell(run.axisValues[a.name])])) };
      const replays: ReplayToExport[] = variants.map((v) => ({
        dir: v.name === '' ? join(runDir, 'replay') : join(runDir, 'replay', v.name),
        context: {
          variant: spreadsheetText(v.name),
          ...Object.fromEntries(detectorAxes.map((a) => [column.get(a.name)!, cell(v.axisValues[a.name])])),
          ...(injections.length > 0 ? { injectBytesPerInterval: v.inject?.bytesPerInterval ?? null } : {}),
        },
      }));
      await files.addRun(runDir, runContext, replays);
      runs += 1;
    }
    return { ...(await files.finish()), runs, missing };
  } catch (e) {
    await files.abort();
    throw e;
  }
}

/** An axis value as a cell: numbers, text and booleans as they are, anything else as JSON. */
function cell(value: unknown): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return spreadsheetText(typeof value === 'string' ? value : JSON.stringify(value));
}

function segmentsOf(path: string): PathSegment[] {
  try {
    return parsePath(path);
  } catch {
    return [];
  }
}
