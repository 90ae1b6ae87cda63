import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { comparisonReplays } from '../sweep/comparisonReplays.ts';
import { compareVariantNames } from './compareVariantNames.ts';
import { HttpError } from './httpResponses.ts';
import { readOptional } from './runFiles.ts';
import { runNameProblem } from './runName.ts';

// A run replayed by a sweep holds one replay per variant (README "Replaying a sweep"):
// replay/<variant>/summary.json, or the plain replay/summary.json. The dashboard shows one at
// a time; '' names the plain one. A run of a sweep shows only the replays of the sweep's latest
// replay (those its comparison.json lists): folders an older sweep replay left (other axes)
// would otherwise be picked and ranked as if they belonged to the comparison shown.

const hasSummary = (dir: string) => stat(join(dir, 'summary.json')).then((s) => s.isFile(), () => false);

/** The replays of a run: '' for replay/ itself when it holds a summary, then each variant folder that does, by the swept values (compareVariantNames). */
export async function replayVariants(runDir: string): Promise<string[]> {
  const replay = join(runDir, 'replay');
  let entries: string[];
  try {
    entries = (await readdir(replay, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT' || (e as { code?: string }).code === 'ENOTDIR') return [];
    throw e;
  }
  const named = entries.filter((n) => runNameProblem(n) === undefined && n !== 'report').sort(compareVariantNames);
  const found = await Promise.all(named.map(async (n) => ((await hasSummary(join(replay, n))) ? n : undefined)));
  const all = [...((await hasSummary(replay)) ? [''] : []), ...found.filter((n): n is string => n !== undefined)];
  const compared = await comparedVariants(runDir);
  return compared === undefined ? all : all.filter((v) => compared.has(v));
}

/** The variants of this run that the sweep comparison beside it lists; undefined when there is none or it lists no replay of the run. */
async function comparedVariants(runDir: string): Promise<Set<string> | undefined> {
  const run = basename(runDir);
  const listed = comparisonReplays(await readOptional(join(dirname(runDir), 'comparison.json'))).filter((r) => r.run === run).map((r) => r.variant);
  return listed.length === 0 ? undefined : new Set(listed);
}

/** The replay folder of a variant ('' is replay/ itself); a 400 for a name that could leave it. */
export function replayDir(runDir: string, variant: string): string {
  if (variant === '') return join(runDir, 'replay');
  const problem = runNameProblem(variant);
  if (problem) throw new HttpError(400, `variant: ${problem.replace('run name', 'name')} (got ${JSON.stringify(variant.slice(0, 80))})`);
  return join(runDir, 'replay', variant);
}

/** The variant a request means: the one asked for (404 when the run has no such replay), else the plain replay, else the first. */
export function chooseVariant(variants: readonly string[], requested: string | undefined, run: string): string | undefined {
  if (requested !== undefined) {
    if (!variants.includes(requested)) throw new HttpError(404, `run ${JSON.stringify(run)} has no replay ${JSON.stringify(requested.slice(0, 80))} (it has: ${variants.map((v) => (v === '' ? 'replay/' : v)).join(', ') || 'none'})`);
    return requested;
  }
  return variants[0];
}
