import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { count, lastValueFrom, toArray } from 'rxjs';
import { DEFAULT_TRAINING_SECONDS } from '../detectors/index.ts';
import { intervalStart, isBefore } from '../intervalBounds.ts';
import { mulberry32 } from '../mulberry32.ts';
import { MUNNIN_SCHEDULE_SHIFTS_SECONDS, MUNNIN_SHAPED_PATH, MUNNIN_SHAPED_WINDOWS, replayRun, shiftWindows, writeInjectedRun, type StaleRead } from '../replay/index.ts';
import type { MetricKey } from '../types.ts';
import { MUNNIN_SHAPED_SIZES } from './qualityFlags.ts';

// The folders of `npm run quality`'s parts g and h: Munnin's runs with stale reads, as his
// converter wrote them (a gap, its traffic in the next slice) or left them (one matrix at 0).

/** Part h: the metrics of Munnin's runs, each of which can be read stale alone (a matrix, its own query). */
export const STALE_METRICS: readonly MetricKey[] = ['tcp_sent_bytes', 'tcp_received_bytes'];
/** Part h: copies of each of Munnin's runs, and stale reads in each. */
export const RANDOM_STALE_COPIES = 30;
export const RANDOM_STALE_READS = 4;

/**
 * The folder of part g: part d's copies, each attack's slice and the slice before it read stale
 * in turn (one stale read a copy: `0k-<kB>kB-t<s>-stale<k>`, k the slice's position), and
 * Munnin's benign run with one stale read at each slice past the default training
 * (`0k-00kB-stale<k>`). A stale read is what Munnin's converter wrote for one (staleReads: a gap,
 * its traffic in the next slice); the 22 runs not shipped may hold some. On the attack's slice or
 * the one before, the attack's bytes are in the slice right after the gap, which a detector that
 * does not judge that slice (detectorOperator) cannot see.
 */
export async function staleReadFolder(root: string, out: string): Promise<string> {
  const folder = join(out, 'munnin-0k-stale');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const base = join(root, 'test', 'fixtures', 'munnin-cybermonday-0k');
  const ends = await lastValueFrom(replayRun(base).pipe(toArray()));
  const runStart = intervalStart(ends[0]!.t, ends[0]!.dt);
  // The slice an attack window takes: the first whose middle is in it (as injectExfiltration has it).
  const sliceOf = (seconds: number) => ends.findIndex((s) => s.t - s.dt / 2 - runStart >= seconds);
  // The first slice judged, as detectorOperator decides training.
  const firstJudged = ends.findIndex((s) => isBefore(runStart + DEFAULT_TRAINING_SECONDS, s.t));
  for (let k = firstJudged; k < ends.length - 1; k++) await writeInjectedRun(base, join(folder, `0k-00kB-stale${k}`), { inject: [], staleReads: [k], name: `0k-00kB-stale${k}` });
  for (const bytes of MUNNIN_SHAPED_SIZES) {
    for (const shift of MUNNIN_SCHEDULE_SHIFTS_SECONDS) {
      const at = shiftWindows(MUNNIN_SHAPED_WINDOWS, shift);
      // Attacks in adjacent slices share one: each position once.
      const positions = new Set(at.flatMap((w) => [sliceOf(w.startSeconds) - 1, sliceOf(w.startSeconds)]));
      for (const k of positions) {
        const copy = `0k-${String(bytes / 1000).padStart(2, '0')}kB-t${at[0]!.startSeconds}-stale${k}`;
        await writeInjectedRun(base, join(folder, copy), { inject: [{ bytesPerInterval: bytes, at }], path: MUNNIN_SHAPED_PATH, name: copy, staleReads: [k] });
      }
    }
  }
  return folder;
}

/**
 * The folder of part h: Munnin's two runs as shipped, RANDOM_STALE_COPIES copies of each (`0k-r<seed>`,
 * `30k-r<seed>`), each read stale at RANDOM_STALE_READS distinct slices drawn at random (mulberry32,
 * seeded by the copy) from the second to the last but one: each read stale in both matrices (a gap,
 * its traffic in the next slice, as Munnin's converter wrote it) or in one alone (one of
 * STALE_METRICS at 0 on every edge, its traffic in the next slice, as the converter left it, which
 * the detectors read as a gap: staleMetricReads), a third of the time each. Training, attack slices and
 * the slices after them are all fair game: what the hidden runs may hold, with the real attacks.
 */
export async function randomStaleReadFolder(root: string, out: string): Promise<string> {
  const folder = join(out, 'munnin-random-stale');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const [k, run] of ['0k', '30k'].entries()) {
    const base = join(root, 'test', 'fixtures', `munnin-cybermonday-${run}`);
    const slices = await lastValueFrom(replayRun(base).pipe(count()));
    for (let seed = 1; seed <= RANDOM_STALE_COPIES; seed++) {
      const random = mulberry32(1000 * (k + 1) + seed);
      const picked = new Set<number>();
      while (picked.size < RANDOM_STALE_READS) picked.add(1 + Math.floor(random() * (slices - 2)));
      const reads: StaleRead[] = [...picked].sort((a, b) => a - b).map((slice) => {
        const kind = Math.floor(random() * (STALE_METRICS.length + 1));
        return kind === STALE_METRICS.length ? { slice } : { slice, metrics: [STALE_METRICS[kind]!] };
      });
      const copy = `${run}-r${String(seed).padStart(2, '0')}`;
      await writeInjectedRun(base, join(folder, copy), { inject: [], staleReads: reads, name: copy });
    }
  }
  return folder;
}
