import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { formatMunninBar, formatRunsComparison, type RunsComparison } from '../evaluation/index.ts';
import { log } from '../logger.ts';
import { recordedPluginWarnings } from '../plugins/index.ts';
import { listRunDirs, replayFolder } from '../replay/index.ts';
import { terminalMessage, terminalText } from '../terminalText.ts';
import { detectorSettings, refuseNothingScored, shortPath } from './replayCommand.ts';
import type { ReplayArgs } from './replayFlags.ts';
import { refuseSingleRunFlags } from './singleRunFlags.ts';

/** Chart size in pixels (as the sweep's). */
const CHART_SIZE = { width: 900, height: 520 } as const;

/**
 * `npm run replay -- <folder of runs>`: every run in the folder replayed with the same
 * settings (flags apply to each), then one comparison of the detectors pooled over them.
 * Exit 1 when a run could not be replayed (the others are compared all the same).
 */
export async function replayFolderCommand(args: ReplayArgs, write: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  refuseSingleRunFlags(args, 'folder');
  // One setting for every run: a run's recorded settings are not read, or runs would not be compared alike.
  const settings = await detectorSettings(undefined, args.parameters, args.detectors, args.training, args.detectorModules);
  write(`detector settings (every run): ${settings.origin}\n`);
  // Once for the folder, not once per run.
  for (const warning of settings.optionWarnings) log.warn(warning);
  // Runs recorded with plugins these settings do not load: said once per distinct set, naming the runs, as a single run's replay says it.
  for (const warning of await recordedPluginWarnings(settings.source, listRunDirs(args.dir), settings.pluginsLoaded)) log.warn(warning);
  const controller = new AbortController();
  const onSignal = () => controller.abort(new UserError('interrupted; no comparison written (the runs replayed so far keep their outputs)'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await replayFolder(args.dir, {
      detectors: settings.detectors,
      outDir: args.out,
      inject: args.inject.length > 0 ? args.inject : undefined,
      injectPath: args.injectPath,
      injectMetrics: args.injectMetrics,
      injectRequestBytesPerByte: args.injectRequests,
      atFpr: args.atFpr,
      threads: args.threads,
      signal: controller.signal,
      progress: !args.quiet,
      checkSummary: (runDir, summary, seconds) => refuseNothingScored(runDir, summary, seconds, settings.training),
      drawCharts: drawComparisonCharts,
    });
    write(`\n${formatRunsComparison(result.comparison, result.runs.length)}\n`);
    // Runs with exfiltrations of Munnin's sizes (10-35 kB): how they stand against his bar.
    const bar = formatMunninBar(result.comparison);
    if (bar !== '') write(`${bar}\n`);
    write(`written: ${result.files.map(shortPath).join(', ')}; each run's summary.json, scores.csv and alerts.ndjson in ${describePlaces(result.outputs)}\n`);
    if (args.report) log.info('no HTML report per run in a folder replay (replay one run for its report)');
    if (result.failed.length === 0) return 0;
    write(`\n${result.failed.length} of ${result.failed.length + result.runs.length} run(s) not replayed, left out of the comparison:\n${result.failed.map((f) => `  ${terminalText(f.run)}: ${terminalMessage(f.message)}\n`).join('')}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The chart of TPR by size, when the runs have attacks of two sizes or more. */
export async function drawComparisonCharts(comparison: RunsComparison, outDir: string): Promise<string[]> {
  // chart.js on @napi-rs/canvas loads only when there is a chart to draw.
  const { tprByBytesChart } = await import('../replay/tprByBytesChart.ts');
  const config = tprByBytesChart(comparison);
  if (config === undefined) return [];
  const { renderChartPng } = await import('../report/index.ts');
  const file = join(outDir, 'tpr-by-bytes.png');
  writeFileSync(file, await renderChartPng(config, CHART_SIZE.width, CHART_SIZE.height));
  return [file];
}

/** `<run>/replay` for all, or the distinct places. */
function describePlaces(outputs: ReadonlyMap<string, string>): string {
  const places = [...outputs].map(([run, dir]) => ({ run, dir }));
  if (places.every((p) => p.dir.endsWith(`${p.run}/replay`))) return '<run>/replay/';
  if (places.every((p) => p.dir.endsWith(`runs/${p.run}`))) return `${shortPath(join(places[0]!.dir, '..'))}/<run>/`;
  return places.map((p) => shortPath(p.dir)).join(', ');
}
