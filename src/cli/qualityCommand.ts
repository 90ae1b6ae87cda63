import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { packageRoot } from '../packageRoot.ts';
import { formatMunninBar, formatRunsComparison, smallestCaught, type RunsComparison } from '../evaluation/index.ts';
import { log } from '../logger.ts';
import { listRunDirs, MUNNIN_SCHEDULE_SHIFTS_SECONDS, MUNNIN_SHAPED_PATH, MUNNIN_SHAPED_SPLIT_WINDOWS, MUNNIN_SHAPED_WINDOWS, replayFolder, shiftWindows, writeInjectedRun, writeMunninShapedRun, type InjectionWindow } from '../replay/index.ts';
import { readManifest } from '../store/index.ts';
import { detectorSettings, refuseNothingScored } from './replayCommand.ts';
import { drawComparisonCharts } from './replayFolderCommand.ts';
import { MUNNIN_SHAPED_SIZES, QUALITY_REQUEST_RATIOS, QUALITY_SIZES, QUALITY_SPLIT_REQUEST_RATIOS, type QualityArgs } from './qualityFlags.ts';
import { allowTypeScriptImports } from './typescriptOnDemand.ts';
import { QualityMarkdown } from './QualityMarkdown.ts';
import { NEW_LINK_PATHS, newLinkFolder } from './qualityNewLinkFolder.ts';
import { scaledAttackFolder } from './qualityScaledFolder.ts';
import { RANDOM_STALE_COPIES, RANDOM_STALE_READS, STALE_METRICS, randomStaleReadFolder, staleReadFolder } from './qualityStaleFolders.ts';

/** Intervals between the starts of two injected attacks of one copy (room for the grace interval and a return to normal). */
const SPACING_INTERVALS = 6;
/** The interval share FPR must stay within for "caught" (README's question). */
const MAX_FPR = 0.01;

/** The repository whose fixtures and recordings the parts use (see packageRoot). */
function repositoryRoot(): string {
  const root = packageRoot();
  if (root === undefined) throw new UserError('npm run quality: cannot find the repository (package.json) above this command');
  return root;
}

/** `npm run quality`: build the folders of README "Measured quality across runs", replay them, print the tables. */
export async function qualityCommand(args: QualityArgs, write: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const root = repositoryRoot();
  const out = resolve(args.out ?? mkdtempSync(join(tmpdir(), 'munnin-quality-')));
  mkdirSync(out, { recursive: true });
  const parametersFile = existsSync('parameters.ts') ? 'parameters.ts' : undefined;
  if (parametersFile !== undefined) await allowTypeScriptImports(parametersFile);
  const commit = gitCommit(root);
  write(`munnin quality, commit ${commit}, folders in ${out}\n`);
  const report = args.markdown === undefined ? undefined : new QualityMarkdown(out, root);

  const part = (letter: string): boolean => args.parts.has(letter);
  // a. Munnin's two runs, as one folder of runs.
  if (part('a')) {
    const munnin = join(out, 'munnin-2018');
    mkdirSync(munnin, { recursive: true });
    for (const name of ['munnin-cybermonday-0k', 'munnin-cybermonday-30k']) link(join(root, 'test', 'fixtures', name), join(munnin, name));
    await replayTrainings("a. Munnin's 2018 runs", munnin, join(out, 'munnin-2018'), args.quiet, write, report);
  }
  // The benign runs of the default traffic that parts b and j inject into (--record: one recorded now, once).
  let bases: { readonly name: string; readonly dir: string }[] | undefined;
  const sweepBases = () => (bases ??= defaultTrafficBases(root, out, args));
  if (part('b') && !args.skipSweep) await injectedSweep(sweepBases(), out, args, write, report);

  // c. Synthetic Munnin-shaped runs with Munnin's five exfiltrations of each size.
  if (part('c') && args.munninSeeds > 0) {
    const shaped = await munninShapedFolder(out, args.munninSeeds);
    const heading = `c. ${args.munninSeeds} synthetic Munnin-shaped runs × (benign + ${MUNNIN_SHAPED_SIZES.length} sizes)`;
    await replayTrainings(heading, shaped, join(out, 'munnin-shaped'), args.quiet, write, report, printMunninBar);
  }

  // d. The same five exfiltrations injected into Munnin's real benign run: real background.
  if (part('d')) {
    const realInjected = await realBenignInjectedFolder(root, out);
    const heading = `d. Munnin's benign run with Munnin's five exfiltrations injected (benign + ${MUNNIN_SHAPED_SIZES.length} sizes × ${MUNNIN_SCHEDULE_SHIFTS_SECONDS.length} schedules; measured, never tuned on)`;
    // The settings as they are only: with --training 100 the earlier schedules' first attacks come
    // before a limit has its 20 scores (README "No threshold yet").
    await replayTrainings(heading, realInjected, join(out, 'munnin-0k-injected'), args.quiet, write, report, printMunninBar, [undefined]);
  }

  // e. Part d with the client's own requests, at each ratio of the sensitivity range.
  for (const ratio of part('e') ? QUALITY_REQUEST_RATIOS : []) {
    const folder = await realBenignInjectedFolder(root, out, ratio);
    const heading = `e. part d with ${ratio} bytes of the client's requests per byte pulled`;
    await replayTrainings(heading, folder, folder, args.quiet, write, report, printMunninBar, [undefined]);
  }

  // f. Parts d and e with every attack split over two slices, as the real attack run's are.
  for (const ratio of part('f') ? QUALITY_SPLIT_REQUEST_RATIOS : []) {
    const folder = await realBenignInjectedFolder(root, out, ratio, true);
    const heading = `f. part d with each attack split over two slices and ${ratio} bytes of the client's requests per byte pulled`;
    await replayTrainings(heading, folder, folder, args.quiet, write, report, printMunninBar, [undefined]);
  }

  // g. Part d with one stale read, as Munnin's converter wrote them, where it costs most.
  if (part('g')) {
    const stale = await staleReadFolder(root, out);
    const heading = "g. part d with one stale read (a gap, its traffic in the next slice, as Munnin's converter wrote them) on an attack's slice or the one before it, a copy for each; the benign run with one at each slice past training";
    await replayTrainings(heading, stale, stale, args.quiet, write, report, printMunninBar, [undefined]);
  }

  // h. Munnin's two runs as they are, read stale at random slices, of both matrices or of one.
  if (part('h')) {
    const stale = await randomStaleReadFolder(root, out);
    const heading = `h. Munnin's two runs, ${RANDOM_STALE_COPIES} copies of each read stale at ${RANDOM_STALE_READS} random slices (both matrices, a gap as his converter wrote it, or ${STALE_METRICS.join(' or ')} alone, left as zeros, which the detectors read as a gap)`;
    await replayTrainings(heading, stale, stale, args.quiet, write, report, undefined, [undefined]);
  }
  // i. Munnin's real attack scaled to the sizes of his other runs: its own signature, requests and all.
  if (part('i')) {
    const scaled = await scaledAttackFolder(root, out);
    const heading = "i. Munnin's real 30 kB attack run with its five exfiltrations scaled to 10-35 kB (their excess over the slices around them on front-end ↔ user and the front door), and his benign run";
    await replayTrainings(heading, scaled, scaled, args.quiet, write, report, printMunninBar);
  }
  // j. One exfiltration a copy out by a link the run never had, as the default experiment's egress attack.
  if (part('j') && !args.skipSweep) {
    const settings = await detectorSettings(undefined, undefined, undefined, undefined);
    const folder = await newLinkFolder(sweepBases(), out, settings.detectors.trainingSeconds);
    const heading = `j. one exfiltration a copy out by a link the runs never had (${NEW_LINK_PATHS.map((route) => route.join(' → ')).join('; ')}) in the benign runs of part b`;
    await replayTrainings(heading, folder, folder, args.quiet, write, report, undefined, [undefined]);
  }
  if (report !== undefined && args.markdown !== undefined) {
    writeFileSync(args.markdown, report.text({ commit, argv: args.argv, date: new Date() }));
    write(`\nthe tables as Markdown: ${resolve(args.markdown)}\n`);
  }
  return 0;
}

/**
 * Replay `folder` with each of `trainings` (default: --training 100, Munnin's setting, then the
 * settings as they are: undefined), into `<outPrefix>-100` and `<outPrefix>-defaults`, each under
 * a heading naming its command; `after` is given each comparison as soon as it is printed, and
 * `report` (--markdown) each comparison under the same heading.
 */
async function replayTrainings(
  heading: string,
  folder: string,
  outPrefix: string,
  quiet: boolean,
  write: (text: string) => void,
  report: QualityMarkdown | undefined,
  after?: (comparison: RunsComparison, write: (text: string) => void) => void,
  trainings: readonly (number | undefined)[] = [100, undefined],
): Promise<void> {
  for (const training of trainings) {
    const label = training === undefined ? 'settings as they are' : `--training ${training}`;
    const replayed = `${outPrefix}-${training ?? 'defaults'}`;
    const command = `npm run replay -- ${folder}${training === undefined ? '' : ` --training ${training}`} --out ${replayed}`;
    write(`\n== ${heading}, ${label}: ${command}\n`);
    const { comparison, settings } = await replayAndPrint(folder, replayed, training, quiet, write);
    after?.(comparison, write);
    report?.add(`${heading}, ${label}`, command, settings, comparison);
  }
}

/** The comparison against Munnin's bar (formatMunninBar), after a blank line. */
function printMunninBar(comparison: RunsComparison, write: (text: string) => void): void {
  write(`\n${formatMunninBar(comparison)}`);
}

/**
 * The folder of part d: Munnin's real benign run (test/fixtures/munnin-cybermonday-0k) and per
 * size one copy per schedule with Munnin's five exfiltrations injected as in part c (route
 * MUNNIN_SHAPED_PATH, at MUNNIN_SHAPED_OFFSETS_SECONDS after the run's start, one slice each),
 * the schedule moved by each of MUNNIN_SCHEDULE_SHIFTS_SECONDS (5 attacks a size are little
 * evidence; the one background has to serve for more).
 * Real background, synthetic attacks: the exfiltrated bytes land whole in their slice and on
 * every hop, where the real 30 kB run spreads them over a slice and the next. With
 * `requestBytesPerByte` (part e) the client also sends that many request bytes per byte pulled,
 * in `munnin-0k-requests-<ratio>`; `split` (part f) moves each attack half a slice later, so its
 * bytes and requests fall half in its slice and half in the next (MUNNIN_SHAPED_SPLIT_WINDOWS),
 * in `munnin-0k-split-requests-<ratio>`.
 */
async function realBenignInjectedFolder(root: string, out: string, requestBytesPerByte = 0, split = false): Promise<string> {
  const name = split ? `munnin-0k-split-requests-${requestBytesPerByte}` : requestBytesPerByte === 0 ? 'munnin-0k-injected' : `munnin-0k-requests-${requestBytesPerByte}`;
  const folder = join(out, name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  // Split windows straddle two slices on purpose: their bytes are spread pro rata, not whole.
  await withMunninAttacks(join(root, 'test', 'fixtures', 'munnin-cybermonday-0k'), folder, '0k', {
    requestBytesPerByte,
    windows: split ? MUNNIN_SHAPED_SPLIT_WINDOWS : MUNNIN_SHAPED_WINDOWS,
    spread: split ? 'pro-rata' : undefined,
    shiftsSeconds: MUNNIN_SCHEDULE_SHIFTS_SECONDS,
  });
  return folder;
}

/** How withMunninAttacks injects; every field optional. */
interface MunninAttacks {
  /** Request bytes the client sends per byte pulled (see injectExfiltration). Default 0. */
  readonly requestBytesPerByte?: number;
  /** Where the five attacks go. Default MUNNIN_SHAPED_WINDOWS (one 5-s slice each at MUNNIN_SHAPED_OFFSETS_SECONDS). */
  readonly windows?: readonly InjectionWindow[];
  /** How a window's bytes are spread over the slices it takes (see injectExfiltration). */
  readonly spread?: 'pro-rata' | undefined;
  /** Moves of the whole schedule, seconds: one copy per move, `<name>-<kB>kB-t<s>` (s: its first attack's second). Default: one copy, unmoved, `<name>-<kB>kB`. */
  readonly shiftsSeconds?: readonly number[];
}

/**
 * Into `folder`: `<name>-00kB`, a link to the benign run `base`, and per size of
 * MUNNIN_SHAPED_SIZES the copies with Munnin's five exfiltrations injected along
 * MUNNIN_SHAPED_PATH, as `attacks` says.
 */
async function withMunninAttacks(base: string, folder: string, name: string, attacks: MunninAttacks = {}): Promise<void> {
  const { requestBytesPerByte = 0, windows = MUNNIN_SHAPED_WINDOWS, spread, shiftsSeconds } = attacks;
  link(base, join(folder, `${name}-00kB`));
  for (const bytes of MUNNIN_SHAPED_SIZES) {
    for (const shift of shiftsSeconds ?? [0]) {
      const at = shiftWindows(windows, shift);
      const copy = `${name}-${String(bytes / 1000).padStart(2, '0')}kB${shiftsSeconds === undefined ? '' : `-t${at[0]!.startSeconds}`}`;
      await writeInjectedRun(base, join(folder, copy), { inject: [{ bytesPerInterval: bytes, at }], path: MUNNIN_SHAPED_PATH, name: copy, requestBytesPerByte, spread });
    }
  }
}

/** The benign runs of the default traffic parts b and j inject into: one recorded now (--record), --base, or test/fixtures/default-benign-runs. */
function defaultTrafficBases(root: string, out: string, args: QualityArgs): { readonly name: string; readonly dir: string }[] {
  return args.record
    ? [{ name: 'recorded', dir: recordBase(root, out, args.quiet) }]
    : args.base.length > 0
      ? args.base.map((b, i) => ({ name: `base${i + 1}`, dir: resolve(b) }))
      : listRunDirs(join(root, 'test', 'fixtures', 'default-benign-runs'));
}

/** Part b: the injected sweep of benign runs of the default traffic. */
async function injectedSweep(bases: readonly { readonly name: string; readonly dir: string }[], out: string, args: QualityArgs, write: (text: string) => void, report: QualityMarkdown | undefined): Promise<void> {
  const sweep = join(out, 'injected-sweep');
  rmSync(sweep, { recursive: true, force: true });
  mkdirSync(sweep, { recursive: true });
  const settings = await detectorSettings(undefined, undefined, undefined, undefined);
  for (const base of bases) await injectCopies(base, sweep, settings.detectors.trainingSeconds);
  const heading = `b. injected sweep of ${bases.map((b) => b.dir).join(', ')} (each: ${QUALITY_SIZES.length} sizes × 2 copies + the benign run)`;
  const command = `npm run replay -- ${sweep} --out ${join(out, 'injected-sweep-replay')}`;
  write(`\n== ${heading}: ${command}\n`);
  const { comparison, settings: origin } = await replayAndPrint(sweep, join(out, 'injected-sweep-replay'), undefined, args.quiet, write);
  report?.add(heading, command, origin, comparison, { smallestAtFpr: MAX_FPR });
  write(`\nsmallest exfiltration caught (events' bytes) with the size's interval FPR ≤ ${MAX_FPR}, at the detectors' own thresholds:\n`);
  for (const s of smallestCaught(comparison, MAX_FPR)) {
    const at = (share: string) => (s.bytesAt[share] === null ? 'none' : `${s.bytesAt[share]! / 1000} kB`);
    write(`  ${s.detector.padEnd(14)} ≥ 50 % caught: ${at('0.5').padEnd(7)} ≥ 90 % caught: ${at('0.9')}\n`);
  }
}

/**
 * The folder of part c: per seed a benign Munnin-shaped run (see writeMunninShapedRun) and one
 * copy per size with Munnin's five exfiltrations injected, each one 5-s slice long.
 */
async function munninShapedFolder(out: string, seeds: number): Promise<string> {
  const folder = join(out, 'munnin-shaped');
  const bases = join(out, 'munnin-shaped-bases');
  for (const dir of [folder, bases]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  for (let seed = 1; seed <= seeds; seed++) {
    const name = `seed-${String(seed).padStart(3, '0')}`;
    const base = join(bases, name);
    writeMunninShapedRun(base, { seed });
    await withMunninAttacks(base, folder, name);
  }
  return folder;
}

/**
 * Into `sweep`: a link to the benign run `base`, and per size two copies with attacks injected,
 * each one interval long, starting two intervals after training and every SPACING_INTERVALS
 * (the second copy half a spacing later), the last one with its grace interval inside the run.
 */
async function injectCopies(base: { readonly name: string; readonly dir: string }, sweep: string, trainingSeconds: number): Promise<void> {
  link(base.dir, join(sweep, `${base.name}-benign`));
  const dt = (await readManifest(base.dir)).intervalSeconds;
  const intervals = readFileSync(join(base.dir, 'snapshots.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '').length;
  const first = Math.ceil(trainingSeconds / dt) + 2;
  for (const bytes of QUALITY_SIZES) {
    for (const [copy, offset] of [['a', 0], ['b', SPACING_INTERVALS / 2]] as const) {
      const at: { startSeconds: number; endSeconds: number }[] = [];
      for (let k = first + offset; k + 2 <= intervals; k += SPACING_INTERVALS) at.push({ startSeconds: k * dt, endSeconds: (k + 1) * dt });
      if (at.length === 0) throw new UserError(`${base.dir}: too short for an injected sweep after ${trainingSeconds} s of training`);
      const name = `${base.name}-inject-${String(bytes / 1000).padStart(3, '0')}kB-${copy}`;
      await writeInjectedRun(base.dir, join(sweep, name), { inject: [{ bytesPerInterval: bytes, at }], name });
    }
  }
}

/** Replay a folder, print its comparison; returns it with where its detector settings came from. */
async function replayAndPrint(folder: string, outDir: string, training: number | undefined, quiet: boolean, write: (text: string) => void): Promise<{ comparison: RunsComparison; settings: string }> {
  const settings = await detectorSettings(undefined, undefined, undefined, training);
  write(`detector settings: ${settings.origin}\n`);
  const result = await replayFolder(folder, {
    detectors: settings.detectors,
    outDir,
    progress: !quiet,
    checkSummary: (runDir, summary, seconds) => refuseNothingScored(runDir, summary, seconds, settings.training),
    drawCharts: drawComparisonCharts,
  });
  if (result.failed.length > 0) throw new UserError(`${folder}: ${result.failed.map((f) => `${f.run}: ${f.message}`).join('; ')}`);
  write(formatRunsComparison(result.comparison, result.runs.length));
  return { comparison: result.comparison, settings: settings.origin };
}

/** Record a benign run of the default traffic: ./parameters.ts (or the defaults) without its exfiltrations. */
function recordBase(root: string, out: string, quiet: boolean): string {
  const params = join(out, 'benign-parameters.ts');
  const own = resolve('parameters.ts');
  const base = existsSync(own) ? `import base from ${JSON.stringify(own)};\n` : 'const base = {};\n';
  writeFileSync(params, `${base}// The default run without its exfiltrations: the base of the injected sweep.\nexport const parameters = { ...base, exfiltration: [], outputDir: ${JSON.stringify(out)} };\nexport default parameters;\n`);
  const name = `benign-${Date.now()}`;
  const compiled = join(root, 'dist', 'cli', 'experiment.js');
  const command = existsSync(compiled) ? [compiled] : ['--import', 'tsx', join(root, 'src', 'cli', 'experiment.ts')];
  if (!quiet) log.info(`recording a benign run of the default traffic into ${join(out, name)} (about 3 minutes)`);
  const r = spawnSync(process.execPath, [...command, '--parameters', params, '--name', name, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new UserError(`recording the base run failed (exit ${r.status}); record one yourself and pass it with --base`);
  return join(out, name);
}

/** A symbolic link `at` → `target`, replacing an earlier one. */
function link(target: string, at: string): void {
  rmSync(at, { force: true, recursive: false });
  symlinkSync(resolve(target), at, 'dir');
}

function gitCommit(root: string): string {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).stdout?.trim();
  return r.status === 0 ? `${r.stdout.trim()}${dirty ? ' (with uncommitted changes)' : ''}` : 'unknown (not a git checkout)';
}
