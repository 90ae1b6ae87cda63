import { UserError } from '../errors.ts';

/**
 * The problems of a command line, collected so that one run names them all rather than the
 * first (a user who mistyped three flags fixes them in one go): each check runs under `check`
 * (or reports with `note`), a UserError it throws is noted instead of ending the parse, and
 * `throwIfAny` ends it with one UserError listing every problem, each naming its flag and value.
 */
export class FlagProblems {
  private readonly found: string[] = [];

  /** `run()`'s value; undefined when it threw a UserError (noted). Any other error is a bug and goes on. */
  check<T>(run: () => T): T | undefined {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      this.found.push(error.message);
      return undefined;
    }
  }

  note(message: string): void {
    this.found.push(message);
  }

  /** One UserError with every problem noted (its message alone when there is one); nothing when there is none. */
  throwIfAny(): void {
    if (this.found.length === 1) throw new UserError(this.found[0]!);
    if (this.found.length > 1) throw new UserError(`${this.found.length} problems with the command line:\n  ${this.found.join('\n  ')}`);
  }
}
