import { FlagProblems } from './flagProblems.ts';
import type { ReplayArgs } from './replayFlags.ts';

/**
 * Refuse, all in one error, the replay flags that only make sense for one run when the replay
 * is of many (a sweep folder or a folder of runs): --events (another ground truth for that run)
 * and --speed (pacing one stream). Both are named when both are given.
 */
export function refuseSingleRunFlags(args: Pick<ReplayArgs, 'events' | 'speed'>, many: 'sweep' | 'folder'): void {
  const problems = new FlagProblems();
  const what = many === 'sweep' ? 'a sweep folder' : 'a folder of runs';
  if (args.events !== undefined) problems.note(`--events scores one run against another ground truth; it does not go with ${what}`);
  if (args.speed !== undefined) problems.note(`--speed paces the replay of one run; it does not apply to ${many === 'sweep' ? 'a sweep' : what} (replay one of ${many === 'sweep' ? 'its runs' : 'them'} instead)`);
  problems.throwIfAny();
}
