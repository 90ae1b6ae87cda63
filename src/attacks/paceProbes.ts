import { sleep } from '../traffic/sleep.ts';
import type { ProbeTally, ScanTarget } from '../types.ts';
import { AttackError } from './AttackError.ts';

/** One probe: resolves true when it was answered, false when nothing answered; rejects only when the attacker itself fails. */
export type Probe = () => Promise<boolean>;

interface Tally {
  attempts: number;
  answered: number;
}

async function attempt(tally: Tally, probe: Probe, what: string): Promise<void> {
  tally.attempts += 1;
  let answered: boolean;
  try {
    answered = await probe();
  } catch (e) {
    throw new AttackError(`${what}: ${e instanceof Error ? e.message : String(e)}`, { ...tally }, { cause: e });
  }
  if (answered) tally.answered += 1;
}

function checkAborted(tally: Tally, what: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AttackError(`${what} aborted`, { ...tally });
}

/**
 * A scan's pacing: target after target, `secondsBetweenTargets` apart (the first at once), each
 * tried on its service port (`port` undefined) and then on each of its other ports, one after
 * the other (a sweep, as a scanner without parallelism does it). Aborting stops before the next
 * probe; the AttackError then carries what was done.
 */
export async function sweepTargets(
  targets: readonly ScanTarget[],
  secondsBetweenTargets: number,
  probe: (service: string, port: number | undefined) => Promise<boolean>,
  signal?: AbortSignal,
): Promise<ProbeTally> {
  const tally: Tally = { attempts: 0, answered: 0 };
  for (const [i, target] of targets.entries()) {
    if (i > 0 && secondsBetweenTargets > 0) await sleep(secondsBetweenTargets * 1000, signal);
    for (const port of [undefined, ...target.otherPorts]) {
      checkAborted(tally, 'scan', signal);
      await attempt(tally, () => probe(target.service, port), `scan of ${target.service}${port === undefined ? '' : `:${port}`}`);
    }
  }
  return { ...tally };
}

/** A lateral movement's pacing: `calls` calls, `secondsBetweenCalls` apart (the first at once); aborting as sweepTargets. */
export async function repeatCalls(calls: number, secondsBetweenCalls: number, call: Probe, signal?: AbortSignal): Promise<ProbeTally> {
  const tally: Tally = { attempts: 0, answered: 0 };
  for (let i = 0; i < calls; i++) {
    if (i > 0 && secondsBetweenCalls > 0) await sleep(secondsBetweenCalls * 1000, signal);
    checkAborted(tally, 'lateral movement', signal);
    await attempt(tally, call, `lateral call ${i + 1}/${calls}`);
  }
  return { ...tally };
}
