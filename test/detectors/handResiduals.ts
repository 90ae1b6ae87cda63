// A ResidualSource fed by hand: row t of `z` is read at the t-th call to read(), so a
// detector core can be checked against residuals whose values the test chose.

import type { ResidualSource } from '../../src/detectors/series/index.ts';
import type { Frame } from '../../src/types.ts';

export class HandResiduals implements ResidualSource {
  z = new Float64Array(0);
  residual = new Float64Array(0);
  edgeCount = 0;
  /** The last read's active edges (see ResidualSource.active): the row's entry of `activeRows`, if given. */
  active: Int32Array | undefined = undefined;
  /** Edges learnt at each read (index = read number). */
  readonly learnt: number[][] = [];
  private reads = 0;

  constructor(
    private readonly edges: readonly (readonly [string, string])[],
    /** Per read, per edge: the standardised residual (NaN: not scored). Edges beyond a row's length do not exist yet. */
    private readonly rows: readonly (readonly number[])[],
    /** Per read, the edges said to be active (undefined: any edge may be); the others should be NaN in `rows`. */
    private readonly activeRows: readonly (readonly number[] | undefined)[] = [],
    /** Per read, per edge: its value in bytes (see ResidualSource.value; undefined: the row of `rows`). */
    private readonly valueRows: readonly (readonly number[] | undefined)[] = [],
    /** Per read, per edge: its residual in bytes (undefined: the row of `rows`). */
    private readonly residualRows: readonly (readonly number[] | undefined)[] = [],
  ) {}

  read(_frame: Frame): number {
    const row = this.rows[this.reads]!;
    this.reads++;
    this.learnt.push([]);
    this.edgeCount = row.length;
    this.z = Float64Array.from(row);
    this.residual = Float64Array.from(this.residualRows[this.reads - 1] ?? row);
    const active = this.activeRows[this.reads - 1];
    this.active = active === undefined ? undefined : Int32Array.from(active);
    return row.length;
  }

  /** The row's entry of `valueRows` when given, else the residual. */
  value(e: number): number {
    const row = this.valueRows[this.reads - 1];
    return row === undefined ? this.residual[e]! : (row[e] ?? Number.NaN);
  }

  isScored(e: number): boolean {
    return !Number.isNaN(this.z[e]!);
  }

  learn(e: number): void {
    this.learnt[this.reads - 1]!.push(e);
  }

  label(e: number): { src: string; dst: string } {
    const [src, dst] = this.edges[e]!;
    return { src, dst };
  }

  /** A frame whose edge index holds the first `count` edges (what PathCore reads names from), ending at `t` (1-s intervals; every frame at 0 unless given, so none follows another). */
  frame(count = this.edges.length, t = 0): Frame {
    const list = this.edges.slice(0, count).map(([src, dst]) => ({ src, dst }));
    return { t, dt: 1, gap: false, edges: { size: list.length, list, indexOf: () => undefined }, values: new Map(), snapshot: { t, dt: 1, gap: false, edges: [] } };
  }
}
