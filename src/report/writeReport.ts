import { mkdir, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { log } from '../logger.ts';
import { buildReportModel, type ReportModel, type ReportOptions } from './buildReportModel.ts';
import { reportPage, type PlacedImage } from './html/reportPage.ts';
import { loadReportInputs } from './loadReportInputs.ts';
import { renderChartPng } from './render/renderChartPng.ts';
import { renderTrafficMatrixPng } from './render/renderTrafficMatrixPng.ts';

export interface WriteReportOptions extends ReportOptions {
  /** The run directory (run.json, snapshots.ndjson, events.ndjson). */
  readonly runDir: string;
  /** Where replay wrote summary.json, scores.csv and alerts.ndjson; the report goes here too. */
  readonly replayDir: string;
  /** Put the images inside report.html as data: URIs (one file to send) instead of in replayDir/report/. Default false. */
  readonly embedImages?: boolean;
  /** Progress lines on stderr once drawing has taken more than a second. Default true. */
  readonly progress?: boolean;
  /** The clock of the progress lines, in milliseconds (tests give a virtual one). Default Date.now. */
  readonly now?: () => number;
}

export interface WrittenReport {
  /** replayDir/report.html */
  readonly htmlPath: string;
  /** PNG files written (empty when embedded). */
  readonly images: readonly string[];
  /** What the report shows, for callers that want the numbers or chart data. */
  readonly model: ReportModel;
}

/** Folder of the images, relative to report.html. */
export const IMAGES_DIR = 'report';
/** Names this module gives its images: only these are cleaned up from an earlier report. */
const OUR_IMAGE = /^(?:score-\d+|edge-\d+|roc|traffic-matrix)\.png$/;
const PROGRESS_AFTER_MILLIS = 1000;

/**
 * Read a run and its replay outputs from disk and write replayDir/report.html with its
 * charts as PNGs in replayDir/report/ (or embedded). Works on any replay output that
 * follows run-format.md, whoever wrote it.
 */
export async function writeReport(options: WriteReportOptions): Promise<WrittenReport> {
  const inputs = await loadReportInputs(options.runDir, options.replayDir);
  const model = buildReportModel(inputs, options);
  const embed = options.embedImages ?? false;
  const imagesDir = join(options.replayDir, IMAGES_DIR);
  await mkdir(embed ? options.replayDir : imagesDir, { recursive: true });
  // Images of an earlier report would otherwise linger beside this one.
  await removeOldImages(imagesDir);

  const now = options.now ?? Date.now;
  const started = now();
  let lastProgress = started;
  let shown = 0;
  const placed = new Map<string, PlacedImage>();
  const images: string[] = [];
  for (const [i, chart] of model.charts.entries()) {
    let png: Buffer;
    let width: number;
    let height: number;
    if (chart.draw.kind === 'chart') {
      ({ width, height } = chart.draw);
      png = await renderChartPng(chart.draw.config, width, height);
    } else {
      ({ png, width, height } = await renderTrafficMatrixPng(chart.draw.spec));
    }
    if (embed) placed.set(chart.file, { src: `data:image/png;base64,${png.toString('base64')}`, width, height });
    else {
      const path = join(imagesDir, chart.file);
      await writeFile(path, png);
      images.push(path);
      placed.set(chart.file, { src: `${IMAGES_DIR}/${chart.file}`, width, height });
    }
    const at = now();
    if ((options.progress ?? true) && at - started > PROGRESS_AFTER_MILLIS && at - lastProgress > PROGRESS_AFTER_MILLIS) {
      lastProgress = at;
      shown = i + 1;
      log.info(`report: ${shown}/${model.charts.length} charts drawn`);
    }
  }
  // Progress lines are throttled: once any was shown, the last one says every chart is drawn,
  // or a log (stderr not a terminal) would end on "14/20" and read as six charts failing.
  if (shown > 0 && shown < model.charts.length) log.info(`report: ${model.charts.length}/${model.charts.length} charts drawn`);

  const htmlPath = join(options.replayDir, 'report.html');
  // Write then rename: a reader never sees half a page.
  const tmp = `${htmlPath}.tmp-${process.pid}`;
  await writeFile(tmp, reportPage(model, placed, new Date()), 'utf8');
  await rename(tmp, htmlPath);
  return { htmlPath, images, model };
}

async function removeOldImages(dir: string): Promise<void> {
  const names = await readdir(dir).catch((e: unknown) => {
    if ((e as { code?: string }).code === 'ENOENT') return [];
    throw e;
  });
  for (const name of names) {
    if (OUR_IMAGE.test(name)) await unlink(join(dir, name));
  }
}
