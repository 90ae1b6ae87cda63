import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeScaledAttackRun } from '../replay/index.ts';
import { MUNNIN_SHAPED_SIZES } from './qualityFlags.ts';

/** Bytes of each exfiltration of Munnin's attack run (test/fixtures/munnin-cybermonday-30k). */
const RECORDED_BYTES = 30_000;

/**
 * The links of that attack whose counters count a slice's bytes: front-end ↔ user, and the front
 * door, where the attacker's requests come in. Its third hop, user ↔ user-db, is left as
 * recorded: Munnin's database counters count per connection since it opened (../shared/data's
 * README), so no slice's baseline is that slice's traffic, and there the attack never shows.
 */
export const SCALED_LINKS: readonly (readonly [string, string])[] = [['front-end', 'user'], ['172.17.0.1', 'front-end']];

/** The front door repeats a 15-s pattern (3 slices: a quiet one, 18-36 kB of responses): baselines from the attack slice's phase. */
export const SCALED_PERIOD_SLICES = 3;

/**
 * The folder of part i: Munnin's benign run (`0k-00kB`, linked) and his real 30 kB attack run
 * with its five exfiltrations scaled to each of MUNNIN_SHAPED_SIZES (`30k-<kB>kB`; 30 kB is the
 * run as recorded): the attack's own signature, requests and all, at the sizes his other runs
 * moved, where parts d-h inject bytes of a model's shape (writeScaledAttackRun says how).
 */
export async function scaledAttackFolder(root: string, out: string): Promise<string> {
  const folder = join(out, 'munnin-30k-scaled');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const fixtures = join(root, 'test', 'fixtures');
  symlinkSync(join(fixtures, 'munnin-cybermonday-0k'), join(folder, '0k-00kB'), 'dir');
  for (const bytes of MUNNIN_SHAPED_SIZES) {
    const name = `30k-${String(bytes / 1000).padStart(2, '0')}kB`;
    await writeScaledAttackRun(join(fixtures, 'munnin-cybermonday-30k'), join(folder, name), { factor: bytes / RECORDED_BYTES, links: SCALED_LINKS, periodSlices: SCALED_PERIOD_SLICES, name });
  }
  return folder;
}
