import { UserError } from '../errors.ts';

/**
 * A stop (Ctrl-C) that came before the run folder existed: a cluster target still starting
 * (preflight, manifests, rollouts) honours it at once, where the embedded mesh finishes its
 * start first. An interruption like any other, so the commands exit 130 with a warning, not an
 * error; it is a UserError so that a caller that does not know it still says it in one line.
 */
export class InterruptedBeforeRun extends UserError {
  constructor(dir: string) {
    // As the embedded target's early stop says it ("interrupted: 0 intervals kept in <dir> …"), minus the folder.
    super(`interrupted: 0 intervals kept; ${dir} was not created (stopped before the target was up)`);
  }
}
