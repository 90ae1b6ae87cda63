import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MUNNIN_BAR } from '../evaluation/munninBar.ts';
import { MUNNIN_SCHEDULE_SHIFTS_SECONDS } from '../replay/writeMunninShapedRun.ts';
import { FlagProblems } from './flagProblems.ts';
import { parseFlags } from './parseFlags.ts';

/** Sizes of the injected sweep, bytes per attack (each attack one interval long). */
export const QUALITY_SIZES = [10_000, 20_000, 50_000, 100_000, 200_000, 400_000] as const;

/** Exfiltrated bytes per attack of the synthetic Munnin-shaped runs (Munnin's increments 2-7; 0 is the benign base): the sizes of his bar. */
export const MUNNIN_SHAPED_SIZES: readonly number[] = MUNNIN_BAR.map((b) => b.bytes);

/**
 * Request bytes per byte pulled of part e's injected client: a sensitivity range, not a value
 * measured on Munnin's runs (an API client's requests depend on its paging and headers).
 */
export const QUALITY_REQUEST_RATIOS: readonly number[] = [0.1, 0.25, 0.5, 1];

/** Request bytes per byte pulled of part f (each attack split over two slices): none, the middle of part e's range, its top. */
export const QUALITY_SPLIT_REQUEST_RATIOS: readonly number[] = [0, 0.1, 0.25, 0.5, 1];

/** The parts of `npm run quality`, in the order they run (QUALITY_HELP says what each is). */
export const QUALITY_PARTS = 'abcdefghij';

export const QUALITY_HELP = `npm run quality -- [flags]

Measure the detectors' quality as README "Measured quality across runs" shows it, with the
detector settings of ./parameters.ts (or the defaults), and print the tables:
  a. Munnin's two 2018 runs (test/fixtures/munnin-cybermonday-0k and -30k) in one folder,
     replayed with --training 100 (Munnin's setting) and with the settings as they are;
  b. an injected sweep: benign runs of the default traffic (the three recorded in
     test/fixtures/default-benign-runs, or --base, or one recorded now with --record: about
     3 minutes), each with copies of it with synthetic exfiltrations of
     ${QUALITY_SIZES.map((b) => `${b / 1000} kB`).join(', ')} (replay's --inject, each attack one interval long,
     two copies per size at different times), replayed as one folder; then the smallest
     size each detector catches at an interval FPR of at most 1 %;
  c. synthetic runs shaped like Munnin's (72 slices of 5 s, TCP byte counters, cumulative
     database counters; --munnin-seeds benign runs, default 10), each with copies carrying
     Munnin's five exfiltrations of ${MUNNIN_SHAPED_SIZES.map((b) => `${b / 1000}`).join(', ')} kB along
     user-db → user → front-end → outside, replayed as one folder with --training 100 and
     with the settings as they are: the stand-in for Munnin's 24 runs, which are not shipped;
  d. Munnin's real benign run (munnin-cybermonday-0k) with the same five exfiltrations of
     each size injected, in five copies a size whose schedule is moved by ${MUNNIN_SCHEDULE_SHIFTS_SECONDS.map((s) => (s > 0 ? `+${s}` : `${s}`)).join(', ')} s
     (25 attacks a size), replayed with the settings as they are: real background, synthetic
     attacks (a measurement: nothing is tuned on Munnin's runs);
  e. part d again with the exfiltrating client's own requests: ${QUALITY_REQUEST_RATIOS.join(', ')} bytes of
     requests per byte pulled added to the front door (replay's --inject-requests), replayed
     with the settings as they are: how much an API client's asking must weigh for the
     request-mix evidence of \`path\` to see it.
  f. parts d and e again with each attack half a slice later, its bytes (and requests: ${QUALITY_SPLIT_REQUEST_RATIOS.join(', ')}
     bytes per byte pulled) split half and half between two slices, as the real 30 kB
     run's are, replayed with the settings as they are;
  g. part d with one stale read a copy, as Munnin's converter wrote them (a gap, its
     traffic added to the next slice), on an attack's slice or the slice before it, one copy
     for each, and Munnin's benign run with one at each slice past the default training,
     replayed with the settings as they are: what a stale read costs where it costs most.
  h. Munnin's two runs as shipped, 30 copies of each read stale at 4 random slices (each
     both matrices, a gap as his converter wrote it, or tcp_sent_bytes or tcp_received_bytes
     alone, left as zeros, which the detectors read as a gap), replayed with the settings as they
     are: the real attacks among the converter's faults, wherever they fall.
  i. Munnin's real 30 kB attack run with its five exfiltrations scaled to 10-35 kB (each
     attack slice's excess over the slices around it, on front-end <-> user and the front
     door, times size / 30 kB), and his benign run, replayed with --training 100 and as they
     are: the real attack's own signature, requests and all, at his other runs' sizes.
  j. the benign runs of part b, each with copies carrying one exfiltration of each size of
     part b out by a link the run never had (user-db -> user -> external, as the default
     experiment's egress attack, and carts-db -> carts -> external; one attack a copy, at four
     times), replayed with the settings as they are: a route out whose last hop has no history.
Each part is \`npm run replay -- <folder>\` on the folders it builds (kept in --out).

Flags:
  --out <dir>      where the folders and the replays go (default: a new temporary folder)
  --base <run>     a base run of the injected sweep (a benign run), repeatable
                   (default: the runs in test/fixtures/default-benign-runs)
  --record         record a fresh base run of the default traffic (./parameters.ts
                   without its exfiltrations) instead
  --munnin-seeds <n>  seeds of part c (0: skip it; default 10)
  --skip-sweep     no part b nor part j (the parts that inject into the default traffic)
  --parts <letters>  only these parts, e.g. --parts ad or --parts a,g,h (default: all,
                   ${QUALITY_PARTS})
  --markdown <file>  also write every table as Markdown to <file>, headed by the command
                   and commit (docs/quality.md is written so)
  --quiet          no progress on stderr
  --help           this text
`;

export const QUALITY_FLAGS = {
  out: { type: 'string' },
  base: { type: 'string', multiple: true },
  record: { type: 'boolean' },
  'skip-sweep': { type: 'boolean' },
  'munnin-seeds': { type: 'string' },
  parts: { type: 'string' },
  markdown: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseQualityArgs(argv: readonly string[]) {
  // Unknown flags are listed with the known flags' mistakes, in one error.
  const problems = new FlagProblems();
  const { values, positionals } = parseFlags(argv, QUALITY_FLAGS, true, problems);
  if (values.help) return { help: true as const };
  if (positionals.length > 0) problems.note(`npm run quality takes no arguments besides flags (got ${positionals.join(' ')}; see --help)`);
  if (values.record === true && values.base !== undefined && values.base.length > 0) problems.note('--record records the base run, --base names one: choose one of them');
  const seeds = values['munnin-seeds'] ?? '10';
  if (!/^\d+$/.test(seeds) || Number(seeds) > 1000) problems.note(`--munnin-seeds: a whole number from 0 to 1000 (got ${seeds})`);
  const parts = (values.parts ?? QUALITY_PARTS).replaceAll(',', '');
  const unknown = [...new Set(parts)].filter((p) => !QUALITY_PARTS.includes(p));
  if (parts === '' || unknown.length > 0) problems.note(`--parts: letters from ${QUALITY_PARTS} (got ${values.parts ?? ''}${unknown.length > 0 ? `: no part ${unknown.join(', ')}` : ''})`);
  // Checked before part a runs: a mistyped --base would otherwise fail only after it.
  for (const base of values.base ?? []) if (!existsSync(join(base, 'run.json'))) problems.note(`--base ${base}: ${existsSync(base) ? 'not a run directory (no run.json in it)' : 'no such run directory'}`);
  // Checked before anything runs: a part takes minutes, and the page is written at the end.
  if (values.markdown !== undefined && !existsSync(dirname(resolve(values.markdown)))) problems.note(`--markdown ${values.markdown}: its folder ${dirname(resolve(values.markdown))} does not exist`);
  problems.throwIfAny();
  return { help: false as const, out: values.out, base: values.base ?? [], record: values.record === true, skipSweep: values['skip-sweep'] === true, munninSeeds: Number(seeds), parts: new Set(parts), markdown: values.markdown, argv: [...argv], quiet: values.quiet === true };
}

export type QualityArgs = Extract<ReturnType<typeof parseQualityArgs>, { help: false }>;
