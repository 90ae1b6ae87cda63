import type { Frame } from '../../types.ts';
import type { SeriesLabel } from '../stats/index.ts';
import { ensureLength, ensureLengthInt } from '../growable.ts';
import type { EdgeRef } from '../options.ts';
import type { SeriesSource, VolumeSeries } from '../series/index.ts';

export interface RatioSeriesOptions {
  /** Explicit numerator/denominator pairs; when absent, every edge against `reference`. */
  readonly pairs?: readonly { readonly numerator: EdgeRef; readonly denominator: EdgeRef }[] | undefined;
  /** Denominator of every edge when `pairs` is absent. */
  readonly reference: EdgeRef;
  /** Added to the denominator. */
  readonly epsilon: number;
}

/**
 * Load-normalised volumes: ratio = volume(numerator) / (volume(denominator) + ε), per
 * watched metric (or on total bytes). A ratio is unknown (NaN: skipped, not learned) in an
 * interval where its denominator carried nothing: without load there is nothing to normalise by;
 * and in one where its numerator carried nothing: a silence is no observation, not a ratio of 0
 * (as for the volume charts; scored as 0, every silence of an edge active ≥ 90 % of the time
 * alarmed the two-sided chart until its fifth interval made it the new normal).
 *
 * The denominators are watched too, by their own volume: an exfiltration through the API
 * inflates the reference edge itself (front-end → user), which only makes every ratio fall,
 * so without its own series the edge that carried the attack could never be blamed. With a
 * reference, its series is the one its ratio to itself (always 1) would have had; with explicit
 * pairs, each distinct denominator gets a series after the ratios.
 */
export class RatioSeries implements SeriesSource {
  values = new Float64Array(64);
  /** Explicit pairs only: edge positions, -1 while the edge has not appeared. */
  private numerators = new Int32Array(0);
  private denominators = new Int32Array(0);
  private reference = -1;
  /** Explicit pairs only: the distinct denominator edges, and each pair's number among them. */
  private readonly denominatorEdges: EdgeRef[] = [];
  private readonly denominatorOf: number[] = [];
  /** Whether any denominator has carried traffic yet (a run without the reference edge has no ratios at all). */
  sawDenominator = false;
  /** See SeriesSource: the series that may not be 0 in the last read (undefined: any). */
  touched: Int32Array | undefined = undefined;
  /** See SeriesSource: against a reference, the volume's recycled series (the same numbering); with pairs, none. */
  recycled: Int32Array | undefined = undefined;
  /** See SeriesSource: the series not in `touched` are unknown (the reference is silent or absent). */
  unknownElsewhere = false;
  /** The series `values` may hold other than 0 at (undefined: any). */
  private written: Int32Array | undefined = undefined;

  constructor(
    private readonly volume: VolumeSeries,
    private readonly options: RatioSeriesOptions,
  ) {
    const pairs = options.pairs;
    if (pairs) {
      this.numerators = ensureLengthInt(this.numerators, pairs.length, -1);
      this.denominators = ensureLengthInt(this.denominators, pairs.length, -1);
      for (const { denominator } of pairs) {
        let d = this.denominatorEdges.findIndex((e) => e.src === denominator.src && e.dst === denominator.dst);
        if (d < 0) d = this.denominatorEdges.push(denominator) - 1;
        this.denominatorOf.push(d);
      }
    }
  }

  read(frame: Frame): number {
    this.volume.read(frame);
    const v = this.volume.values;
    const perEdge = this.volume.perEdge;
    const edgeCount = this.volume.edgeCount;
    const epsilon = this.options.epsilon;
    const pairs = this.options.pairs;
    this.touched = undefined;
    this.unknownElsewhere = false;
    this.recycled = pairs ? undefined : this.volume.recycled;
    if (this.volume.recycled !== undefined) {
      // Positions went to new edges: a cached position may be one of them, or its edge forgotten; look them up again.
      this.numerators.fill(-1);
      this.denominators.fill(-1);
      this.reference = -1;
    }
    if (pairs) {
      this.written = undefined;
      const ratios = pairs.length * perEdge;
      const count = ratios + this.denominatorEdges.length * perEdge;
      const out = (this.values = ensureLength(this.values, count));
      for (let p = 0; p < pairs.length; p++) {
        if (this.numerators[p]! < 0) this.numerators[p] = frame.edges.indexOf(pairs[p]!.numerator.src, pairs[p]!.numerator.dst) ?? -1;
        if (this.denominators[p]! < 0) this.denominators[p] = frame.edges.indexOf(pairs[p]!.denominator.src, pairs[p]!.denominator.dst) ?? -1;
        const num = this.numerators[p]!;
        const den = this.denominators[p]!;
        for (let m = 0; m < perEdge; m++) {
          const d = den >= 0 && den < edgeCount ? v[den * perEdge + m]! : 0;
          const n = num >= 0 && num < edgeCount ? v[num * perEdge + m]! : 0;
          if (d > 0) this.sawDenominator = true;
          out[p * perEdge + m] = d > 0 && n > 0 ? n / (d + epsilon) : Number.NaN;
          out[ratios + this.denominatorOf[p]! * perEdge + m] = d;
        }
      }
      return count;
    }
    const count = edgeCount * perEdge;
    const out = (this.values = ensureLength(this.values, count, Number.NaN));
    if (this.reference < 0) this.reference = frame.edges.indexOf(this.options.reference.src, this.options.reference.dst) ?? -1;
    const ref = this.reference;
    if (this.volume.touched !== undefined && this.readSparse(this.volume.touched, ref, count)) return count;
    this.written = undefined;
    for (let m = 0; m < perEdge; m++) {
      const d = ref >= 0 && ref < edgeCount ? v[ref * perEdge + m]! : 0;
      if (d > 0) {
        this.sawDenominator = true;
        const scale = 1 / (d + epsilon);
        for (let e = 0, at = m; e < edgeCount; e++, at += perEdge) out[at] = v[at]! > 0 ? v[at]! * scale : Number.NaN;
      } else {
        for (let e = 0, at = m; e < edgeCount; e++, at += perEdge) out[at] = Number.NaN;
      }
      if (ref >= 0 && ref < edgeCount) out[ref * perEdge + m] = d;
    }
    return count;
  }

  /**
   * read() against the reference in O(edges active now), when the frame lists them (`active`,
   * the volume's touched series): with the reference active, only the active edges' ratios are
   * known (the silent ones' are unknown, not 0); with it silent every ratio is unknown and only
   * its own series (0) is known; without it, nothing is. False (read densely) when the
   * reference is active in some metrics only.
   */
  private readSparse(active: Int32Array, ref: number, count: number): boolean {
    const v = this.volume.values;
    const perEdge = this.volume.perEdge;
    const exists = ref >= 0 && ref < this.volume.edgeCount;
    let positive = 0;
    for (let m = 0; exists && m < perEdge; m++) if (v[ref * perEdge + m]! > 0) positive++;
    const out = this.values;
    if (!exists || positive === 0) {
      this.unknownElsewhere = true;
      this.touched = new Int32Array(exists ? perEdge : 0);
      for (let m = 0; exists && m < perEdge; m++) {
        this.touched[m] = ref * perEdge + m;
        out[ref * perEdge + m] = 0;
      }
      return true;
    }
    if (positive < perEdge) return false;
    this.sawDenominator = true;
    if (this.written === undefined) out.fill(Number.NaN, 0, count);
    else for (const s of this.written) out[s] = Number.NaN;
    const epsilon = this.options.epsilon;
    for (const s of active) {
      const m = s % perEdge;
      out[s] = v[s]! > 0 ? v[s]! * (1 / (v[ref * perEdge + m]! + epsilon)) : Number.NaN;
    }
    for (let m = 0; m < perEdge; m++) out[ref * perEdge + m] = v[ref * perEdge + m]!;
    this.unknownElsewhere = true;
    this.touched = active;
    this.written = active;
    return true;
  }

  label(series: number): SeriesLabel {
    const pairs = this.options.pairs;
    if (!pairs) return this.volume.label(series);
    const perEdge = this.volume.perEdge;
    const at = Math.floor(series / perEdge);
    const metric = this.volume.metricOf(series % perEdge);
    const { src, dst } = at < pairs.length ? pairs[at]!.numerator : this.denominatorEdges[at - pairs.length]!;
    return metric === undefined ? { src, dst } : { src, dst, metric };
  }
}
