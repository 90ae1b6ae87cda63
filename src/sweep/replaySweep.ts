import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parametersSchema, type DetectorParameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { log } from '../logger.ts';
import { renderChartPng } from '../report/index.ts';
import { runReplay, warnOncePerMessage, type InjectionSpec } from '../replay/index.ts';
import { compareSummaries, type ComparisonRow, type ReplayedSummary } from './compareSummaries.ts';
import { f1Charts, rateAxis } from './f1Charts.ts';
import { comparisonCsv } from './formatComparison.ts';
import { parsePath } from './parameterPath.ts';
import { injectionsOf, planVariants, variantDetectors } from './planSweep.ts';
import type { ResolvedAxis } from './resolveSweep.ts';
import { isRunComplete } from './runSweep.ts';
import { schemaProblems } from '../config/index.ts';
import { listedVariantDirs, removeStaleSweepOutputs } from './staleSweepOutputs.ts';
import { readSweepIndex, SWEEP_INDEX_FILE, type SweepIndex } from './sweepIndex.ts';
import { axisLabels } from './valueLabel.ts';
import { variantOptionWarnings } from './variantOptionWarnings.ts';
import { COMPARISON_FORMAT } from './comparisonReplays.ts';
import { terminalText } from '../terminalText.ts';

/** Chart size in pixels. */
const CHART_SIZE = { width: 900, height: 520 } as const;

export interface ReplaySweepOptions {
  /** Base detector settings (default: those the sweep was recorded with, sweep.json `base.detectors`). */
  readonly detectors?: DetectorParameters | undefined;
  /** Detector-side axes (default: sweep.json's); experiment-side axes are always sweep.json's. */
  readonly detectorAxes?: readonly ResolvedAxis[] | undefined;
  /** Injections, one replay each (default: sweep.json's `inject` rates). */
  readonly inject?: readonly InjectionSpec[] | undefined;
  /** Route of injected data (default: sweep.json's, else the replay default). */
  readonly injectPath?: readonly string[] | undefined;
  /** Metric of each injected hop (default: sweep.json's, else by hop). */
  readonly injectMetrics?: readonly string[] | undefined;
  /** Overrides detectors.trainingSeconds after the axes are applied (`--training`). */
  readonly trainingSeconds?: number | undefined;
  /** Folder for comparison.csv, comparison.json and the charts (default: the sweep folder). */
  readonly outDir?: string | undefined;
  /** One line per replay on stderr (default true). */
  readonly progress?: boolean | undefined;
  /** The file `detectors` and `detectorAxes` come from, for messages (default: sweep.json). */
  readonly origin?: string | undefined;
}

export interface SweepComparison {
  readonly index: SweepIndex;
  /** Axis columns: experiment-side, then detector-side. */
  readonly axisNames: readonly string[];
  readonly withInject: boolean;
  readonly rows: readonly ComparisonRow[];
  /** Every replay aggregated. */
  readonly replays: readonly ReplayedSummary[];
  /** Runs of sweep.json left out because they are missing or not complete. */
  readonly skippedRuns: readonly string[];
  /** Files written: comparison.csv, comparison.json, then the charts. */
  readonly files: readonly string[];
}

/** Axes as sweep.json records them, parsed again. */
export function recordedAxes(index: SweepIndex, file = SWEEP_INDEX_FILE): ResolvedAxis[] {
  return index.axes.map((a, i) => {
    try {
      return { name: a.name, path: a.path, segments: parsePath(a.path), side: a.side, values: a.values, labels: axisLabels(a.values) };
    } catch (e) {
      throw new UserError(`${file}: axes[${i}].path: ${(e as Error).message} (got ${JSON.stringify(a.path)})`);
    }
  });
}

/** The detector settings the sweep was recorded with. */
export function recordedDetectors(index: SweepIndex, file = SWEEP_INDEX_FILE): DetectorParameters {
  const { data, problems } = schemaProblems(parametersSchema.shape.detectors, index.base['detectors'] ?? {}, 'base.detectors');
  if (data === undefined) throw new UserError(`${file}: invalid detector settings:\n  ${problems.join('\n  ')}`);
  return data;
}

/**
 * Replay every complete run of a sweep once per variant (detector-side axis values × injected
 * rate), each into the run's replay/ (or replay/<variant>/ when there are several), then
 * aggregate the summaries over repeats into comparison.csv, comparison.json and F1 charts.
 * Every variant's detector settings are checked before the first replay starts.
 */
export async function replaySweep(dir: string, options: ReplaySweepOptions = {}): Promise<SweepComparison> {
  const index = readSweepIndex(dir);
  const file = join(dir, SWEEP_INDEX_FILE);
  const recorded = recordedAxes(index, file);
  const experimentAxes = recorded.filter((a) => a.side === 'experiment');
  const detectorAxes = options.detectorAxes ?? recorded.filter((a) => a.side === 'detector');
  // Ascending, as planVariants orders the replays: comparison.json's `inject` lists them so too.
  const injections = [...(options.inject ?? injectionsOf(index.inject))].sort((a, b) => a.bytesPerInterval - b.bytesPerInterval);
  const variants = planVariants(detectorAxes, injections);
  const base = options.detectors ?? recordedDetectors(index, file);
  const settings = variantDetectors(base, detectorAxes, variants).map((d) => (options.trainingSeconds === undefined ? d : { ...d, trainingSeconds: options.trainingSeconds }));
  // Said once, before any replay: a setting with no effect in the variants (falseAlarmRate beside a swept k).
  for (const warning of variantOptionWarnings(options.origin ?? file, variants, settings)) log.warn(warning);
  const injectPath = options.injectPath ?? index.inject?.path;
  const injectMetrics = options.injectMetrics ?? index.inject?.metrics;

  const runs = index.runs.filter((r) => isRunComplete(join(dir, r.name)));
  const skippedRuns = index.runs.filter((r) => !runs.includes(r)).map((r) => r.name);
  if (skippedRuns.length > 0) log.warn(`sweep ${index.name}: ${skippedRuns.length} run(s) missing or incomplete, left out: ${skippedRuns.join(', ')} (record them with npm run experiment -- --sweep)`);
  if (runs.length === 0) throw new UserError(`${dir}: no complete run to replay yet (record them with npm run experiment -- --sweep)`);

  const replays: ReplayedSummary[] = [];
  const total = runs.length * variants.length;
  // The replays share their runs' shape: a warning they share is said once, then counted (as a folder replay does).
  const restoreLog = warnOncePerMessage("this sweep's replays");
  try {
    for (const run of runs) {
      const runDir = join(dir, run.name);
      for (const [k, variant] of variants.entries()) {
        const outDir = variant.name === '' ? join(runDir, 'replay') : join(runDir, 'replay', variant.name);
        if (options.progress ?? true) log.info(`replaying ${replays.length + 1}/${total}: ${terminalText(run.name)}${variant.name ? ` (${terminalText(variant.name)})` : ''}`);
        const { summary } = await runReplay(runDir, { outDir, detectors: settings[k]!, inject: variant.inject ? [variant.inject] : undefined, injectPath, injectMetrics });
        replays.push({
          run: run.name,
          repeat: run.repeat,
          variant: variant.name,
          axisValues: { ...run.axisValues, ...variant.axisValues },
          injectBytesPerInterval: variant.inject?.bytesPerInterval ?? null,
          file: join(outDir, 'summary.json'),
          detectors: summary.detectors,
        });
      }
    }
  } finally {
    restoreLog();
  }

  const axisNames = [...experimentAxes, ...detectorAxes].map((a) => a.name);
  const withInject = injections.length > 0;
  const rows = compareSummaries(replays, [...experimentAxes, ...detectorAxes]);
  const outDir = options.outDir ?? dir;
  mkdirSync(outDir, { recursive: true });
  // Read before comparison.json is replaced: the variant folders the previous replay wrote.
  const previousVariantDirs = listedVariantDirs(outDir);
  const files: string[] = [];
  const csvFile = join(outDir, 'comparison.csv');
  writeFileSync(csvFile, comparisonCsv(rows, axisNames, withInject));
  files.push(csvFile);
  const jsonFile = join(outDir, 'comparison.json');
  const comparison = {
    format: COMPARISON_FORMAT,
    sweep: index.name,
    createdAt: new Date().toISOString(),
    std: 'sample standard deviation (divisor n - 1) over repeats; null with fewer than 2 values',
    axes: [...experimentAxes, ...detectorAxes].map((a) => ({ name: a.name, path: a.path, side: a.side, values: a.values })),
    inject: withInject ? injections : undefined,
    rows,
    replays: replays.map((r) => ({ run: r.run, repeat: r.repeat, variant: r.variant, summary: relative(outDir, r.file) })),
  };
  writeFileSync(jsonFile, `${JSON.stringify(comparison, null, 2)}\n`);
  files.push(jsonFile);
  const rate = rateAxis([...experimentAxes, ...detectorAxes], withInject);
  if (rate === undefined) log.info(`sweep ${index.name}: no exfiltration-rate axis (exfiltration[*].bytes or injected rates), so no F1 chart`);
  else {
    for (const chart of f1Charts(rows, [...experimentAxes, ...detectorAxes], rate)) {
      const png = join(outDir, chart.file);
      writeFileSync(png, await renderChartPng(chart.config, CHART_SIZE.width, CHART_SIZE.height));
      files.push(png);
    }
  }
  const currentVariantDirs = replays.map((r) => dirname(r.file));
  const gone = removeStaleSweepOutputs(dir, outDir, files, previousVariantDirs, currentVariantDirs);
  if (gone.length > 0) {
    const shown = gone.slice(0, 8).map((f) => relative(dir, f) || f);
    log.info(`removed what an earlier replay of the sweep wrote and this one did not: ${shown.join(', ')}${gone.length > shown.length ? ` and ${gone.length - shown.length} more` : ''}`);
  }
  return { index, axisNames, withInject, rows, replays, skippedRuns, files };
}
