import { mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeInjectedRun } from '../replay/index.ts';
import { readManifest } from '../store/index.ts';
import { QUALITY_SIZES } from './qualityFlags.ts';

/**
 * The routes of part j: a data store's records read by the service that owns them and sent out
 * over a link between that service and external that no interval of the default traffic
 * carries, as the default experiment's `egress` attack does from user (and could from any
 * workload with a data store: `exfiltration[].workload`). Replay's injection adds a hop's bytes
 * to the caller's edge as bytes sent back, so the new link shows as external → user's responses
 * (an outside client the mesh never saw pulling from user), where the live attack shows as user
 * → external's requests: `path` and `new-edge` read the link either way.
 */
export const NEW_LINK_PATHS: readonly (readonly string[])[] = [
  ['user-db', 'user', 'external'],
  ['carts-db', 'carts', 'external'],
];

/** Copies per size and base run, each with its one attack this many intervals later than the one before. */
const POSITIONS = 4;
const POSITION_STEP_INTERVALS = 12;

/**
 * The folder of part j: per base run (a benign recording of the default traffic) a link to it,
 * and per route of NEW_LINK_PATHS and size of QUALITY_SIZES, POSITIONS copies with one
 * one-interval exfiltration each along the route, the first two intervals after training, the
 * others 12 intervals apart. One attack a copy, since the link is new only once: a second attack
 * in the same copy meets a link that the first one made.
 */
export async function newLinkFolder(bases: readonly { readonly name: string; readonly dir: string }[], out: string, trainingSeconds: number): Promise<string> {
  const folder = join(out, 'new-link-sweep');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const base of bases) {
    symlinkSync(resolve(base.dir), join(folder, `${base.name}-benign`), 'dir');
    const dt = (await readManifest(base.dir)).intervalSeconds;
    const intervals = readFileSync(join(base.dir, 'snapshots.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '').length;
    const first = Math.ceil(trainingSeconds / dt) + 2;
    for (const route of NEW_LINK_PATHS) {
      for (const bytes of QUALITY_SIZES) {
        for (let p = 0; p < POSITIONS; p++) {
          const k = first + p * POSITION_STEP_INTERVALS;
          if (k + 2 > intervals) break;
          const name = `${base.name}-${route[1]}-out-${String(bytes / 1000).padStart(3, '0')}kB-${p + 1}`;
          await writeInjectedRun(base.dir, join(folder, name), { inject: [{ bytesPerInterval: bytes, at: [{ startSeconds: k * dt, endSeconds: (k + 1) * dt }] }], path: [...route], name });
        }
      }
    }
  }
  return folder;
}
