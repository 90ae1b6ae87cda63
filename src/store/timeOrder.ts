/**
 * Why an interval ending at `t` cannot follow one ending at `previousT`, or undefined when it
 * can. run-format.md has snapshot lines in increasing `t`: time never runs backwards, so a
 * line that breaks the order is reported and skipped, by every reader in the same words.
 */
export function timeOrderProblem(t: number, previousT: number | undefined): string | undefined {
  if (previousT === undefined || t > previousT) return undefined;
  return `t: ${t} does not come after the previous interval's t (${previousT})`;
}
