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

  /** One UserError with every problem noted (see commandLineError); nothing when there is none. */
  throwIfAny(): void {
    if (this.found.length > 0) throw commandLineError(this.found);
  }
}

/** The command line's problems (at least one) as one UserError: its message alone when there is one, else every one under a count. */
export function commandLineError(problems: readonly string[]): UserError {
  return new UserError(problems.length === 1 ? problems[0]! : `${problems.length} problems with the command line:\n  ${problems.join('\n  ')}`);
}
