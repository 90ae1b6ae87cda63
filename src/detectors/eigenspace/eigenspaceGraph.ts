import type { EdgeIndex } from '../../types.ts';
import { ensureLengthInt } from '../growable.ts';
import type { SparseSymmetric } from '../linalg/index.ts';

/**
 * Services as matrix rows: an append-only node numbering derived from the append-only edge
 * index, and the dependency matrix of one interval built on it.
 */
export class NodeGraph {
  /** Node name at each row. */
  readonly names: string[] = [];
  private readonly rowOf = new Map<string, number>();
  /** Source and destination row of each edge position seen so far. */
  private src = new Int32Array(64);
  private dst = new Int32Array(64);
  private edgesSeen = 0;

  get nodeCount(): number {
    return this.names.length;
  }

  /** Take in edges [edgesSeen, edgeCount) of the shared index. */
  update(edges: EdgeIndex, edgeCount: number): void {
    if (edgeCount <= this.edgesSeen) return;
    this.src = ensureLengthInt(this.src, edgeCount);
    this.dst = ensureLengthInt(this.dst, edgeCount);
    for (let e = this.edgesSeen; e < edgeCount; e++) {
      const edge = edges.list[e];
      if (edge === undefined) throw new RangeError(`eigenspace: edge position ${e} missing from the edge index`);
      this.src[e] = this.row(edge.src);
      this.dst[e] = this.row(edge.dst);
    }
    this.edgesSeen = edgeCount;
  }

  /**
   * D + Dᵀ with D[src][dst] = volume of the edge (volumes of the first `edgeCount` positions).
   * A view on the graph's own arrays and `volumes`, valid until either changes: copying them
   * into a fresh matrix each interval cost ~0.4 ms at 5,000 edges. Idle edges stay in with
   * weight 0, which adds exactly nothing to a product.
   */
  matrix(volumes: Float64Array, edgeCount: number): SparseSymmetric {
    return { size: this.nodeCount, count: edgeCount, rows: this.src, cols: this.dst, weights: volumes };
  }

  /** Row of edge position e's source. */
  srcOf(e: number): number {
    return this.src[e]!;
  }

  /** Row of edge position e's destination. */
  dstOf(e: number): number {
    return this.dst[e]!;
  }

  private row(name: string): number {
    let row = this.rowOf.get(name);
    if (row === undefined) {
      row = this.names.length;
      this.names.push(name);
      this.rowOf.set(name, row);
    }
    return row;
  }
}
