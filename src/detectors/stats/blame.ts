import type { BlamedEdge, MetricKey } from '../../types.ts';

/** What a series stands for when it is blamed. */
export interface SeriesLabel {
  readonly src: string;
  readonly dst: string;
  readonly metric?: MetricKey;
}

/** Most edges a verdict names. */
export const MAX_BLAMED = 5;

/**
 * The highest-scoring series of one frame, kept without allocating per offer: detectors
 * offer every series over their limit, and only the few kept become BlamedEdge objects.
 */
export class TopBlamed {
  private readonly series = new Int32Array(MAX_BLAMED);
  private readonly scores = new Float64Array(MAX_BLAMED);
  private count = 0;

  reset(): void {
    this.count = 0;
  }

  offer(series: number, score: number): void {
    let at = this.count;
    if (at === MAX_BLAMED) {
      if (!(score > this.scores[MAX_BLAMED - 1]!)) return;
      at = MAX_BLAMED - 1;
    } else {
      this.count++;
    }
    while (at > 0 && this.scores[at - 1]! < score) {
      this.series[at] = this.series[at - 1]!;
      this.scores[at] = this.scores[at - 1]!;
      at--;
    }
    this.series[at] = series;
    this.scores[at] = score;
  }

  /** The kept series scoring above `above`, highest score first. */
  toBlamed(label: (series: number) => SeriesLabel, above = Number.NEGATIVE_INFINITY): BlamedEdge[] {
    const out: BlamedEdge[] = [];
    for (let i = 0; i < this.count; i++) {
      const score = this.scores[i]!;
      if (!(score > above)) break;
      const l = label(this.series[i]!);
      out.push(l.metric === undefined ? { src: l.src, dst: l.dst, score } : { src: l.src, dst: l.dst, metric: l.metric, score });
    }
    return out;
  }
}
