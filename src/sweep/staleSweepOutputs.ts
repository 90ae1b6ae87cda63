import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { comparisonReplays } from './comparisonReplays.ts';

// A sweep replay's outputs replace the previous replay's whole (README "Replaying a sweep"):
// a chart or a variant folder that the previous replay wrote and this one did not would sit
// beside a comparison it is not part of (a `rate` chart beside a comparison over `k`), and the
// dashboard and the export would show it as current. Only what a sweep replay is known to have
// written is removed: F1 charts (their file names are the sweep's own), and the variant folders
// the previous comparison.json lists; a user's notes or own replays elsewhere stay.

/** F1 chart file names as f1Charts() makes them. */
const F1_CHART = /^f1-vs-.+\.png$/;

/** The replay folders (run/replay/<variant>) the comparison.json in `outDir` lists, absolute; none when it is missing or unreadable. */
export function listedVariantDirs(outDir: string): string[] {
  let text: string | undefined;
  try {
    text = readFileSync(join(outDir, 'comparison.json'), 'utf8');
  } catch {
    return [];
  }
  return comparisonReplays(text).flatMap((r) => (r.variant !== '' && r.summary !== undefined ? [dirname(resolve(outDir, r.summary))] : []));
}

/**
 * Remove what the previous sweep replay wrote and this one did not: F1 charts in `outDir` not
 * among `charts`, and the variant folders in `previousVariantDirs` (read before the new
 * comparison.json replaced the old) not among `currentVariantDirs`. A folder is removed only
 * when it is a `replay/<variant>` folder of one of the sweep's runs (`sweepDir/<run>/replay/<variant>`),
 * so a hand-edited comparison.json cannot point the removal elsewhere. Returns what was removed.
 */
export function removeStaleSweepOutputs(sweepDir: string, outDir: string, charts: readonly string[], previousVariantDirs: readonly string[], currentVariantDirs: readonly string[]): string[] {
  const removed: string[] = [];
  const keepCharts = new Set(charts.map((c) => basename(c)));
  for (const name of readdirSync(outDir)) {
    if (F1_CHART.test(name) && !keepCharts.has(name)) {
      rmSync(join(outDir, name), { force: true });
      removed.push(join(outDir, name));
    }
  }
  const current = new Set(currentVariantDirs.map((d) => resolve(d)));
  for (const dir of new Set(previousVariantDirs.map((d) => resolve(d)))) {
    if (current.has(dir) || !isVariantDir(resolve(sweepDir), dir)) continue;
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

/** `dir` is `<sweepDir>/<run>/replay/<variant>` with plain names (no `..`). */
function isVariantDir(sweepDir: string, dir: string): boolean {
  const parts = relative(sweepDir, dir).split(sep);
  return parts.length === 3 && parts[1] === 'replay' && parts.every((p) => p !== '' && p !== '.' && p !== '..');
}
