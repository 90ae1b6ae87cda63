/**
 * A figure as the tables print it: fixed to `digits` places, `-` when there is none (a TPR
 * without attacks, an AUC without both classes). Shared by the terminal's and the Markdown
 * tables, so both print the same figure alike.
 */
export function figureText(x: number | null, digits = 3): string {
  return x === null ? '-' : x.toFixed(digits);
}

/** A 95 % interval as the tables print it, `low-high` to `digits` places (`-` when there is none). */
export function intervalText(interval: readonly [number, number] | null, digits: number): string {
  return interval === null ? '-' : `${interval[0].toFixed(digits)}-${interval[1].toFixed(digits)}`;
}
