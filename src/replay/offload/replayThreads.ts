import { log } from '../../logger.ts';
import { autoThreads, type ThreadsSetting } from './autoThreads.ts';
import { OFFLOADED_DETECTORS } from './offloadProtocol.ts';

export interface ReplayThreadsInput {
  /** What was asked (`--threads`); undefined: one thread. */
  readonly threads: ThreadsSetting | undefined;
  /** The run's folder (auto reads its first lines). */
  readonly dir: string;
  /** The enabled detectors. */
  readonly enabled: readonly string[];
  /** Why the run is not replayed as recorded (`--inject`, `--speed`), if it is not. */
  readonly changedBy: '--inject' | '--speed' | undefined;
}

/**
 * Whether a replay offloads OFFLOADED_DETECTORS to a worker thread, saying what the user should
 * know: two threads chosen by `auto`, or `--threads 2` kept on one. The worker reads the run as
 * recorded, so an injected or paced replay keeps one thread.
 */
export function replayThreads({ threads, dir, enabled, changedBy }: ReplayThreadsInput): boolean {
  if (threads === 'auto') {
    // Asked of nobody: one thread is said only when two are chosen.
    if (changedBy !== undefined) return false;
    const choice = autoThreads(dir, enabled);
    if (choice.threads === 2) log.info(`two threads (--threads auto: ${choice.reason}): ${OFFLOADED_DETECTORS.join(', ')} in the second; --threads 1 to keep one`);
    return choice.threads === 2;
  }
  if ((threads ?? 1) < 2) return false;
  if (changedBy !== undefined) {
    log.info(`--threads 2: one thread here, as ${changedBy} replays the run as changed or paced, and the second thread reads it as recorded`);
    return false;
  }
  if (!enabled.some((n) => OFFLOADED_DETECTORS.includes(n))) log.info(`--threads 2: one thread here, as none of ${OFFLOADED_DETECTORS.join(', ')} (what the second thread runs) is enabled`);
  return true;
}
