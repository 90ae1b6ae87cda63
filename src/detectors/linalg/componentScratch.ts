import type { Eigenpair } from './principalEigenvector.ts';
import type { SparseSymmetric } from './sparseSymmetric.ts';
import { FoldScratch } from './foldedLeaves.ts';

/**
 * The connected components of a sparse symmetric matrix and what principalEigenvectorByComponents
 * knows about each, in typed arrays reused from call to call (a caller makes one per interval):
 * rows grouped by component (ascending within each, so a component's local numbering keeps the
 * rows' order), entries grouped likewise, and per component whether it is a star, its top
 * eigenvalue once known, its Gershgorin bound, and its vector (at the component's rows' offset).
 */
export class ComponentScratch {
  /** Per component: 1 when a star (solved in closed form by split). */
  isStar = new Uint8Array(16);
  /** Per component: 1 once its eigenpair is known (a star from split on, the others once kept). */
  solved = new Uint8Array(16);
  converged = new Uint8Array(16);
  value = new Float64Array(16);
  bound = new Float64Array(16);
  residual = new Float64Array(16);
  /** foldedEigenpair's scratch. */
  readonly fold = new FoldScratch();
  private parent = new Int32Array(16);
  /** Per root row: its component's rows and entries so far; per component: its root. */
  private size = new Int32Array(16);
  private entryCount = new Int32Array(16);
  private roots = new Int32Array(16);
  private comp = new Int32Array(16);
  private local = new Int32Array(16);
  private members = new Int32Array(16);
  private memberStart = new Int32Array(17);
  private entryStart = new Int32Array(17);
  private rowAbs = new Float64Array(16);
  /** Component vectors, at memberStart[c] + local index. */
  private vectors = new Float64Array(16);
  private subRows = new Int32Array(16);
  private subCols = new Int32Array(16);
  private subWeights = new Float64Array(16);
  private start = new Float64Array(16);

  /** Find the components (of rows with entries); stars get their value and vector. Returns how many. */
  split(m: SparseSymmetric): number {
    const n = m.size;
    const { rows, cols, weights, count } = m;
    this.fit(n, count);
    const { parent, comp, size, entryCount, roots } = this;
    for (let i = 0; i < n; i++) parent[i] = -1; // −1: no entry; a root points at itself
    // Union under the lower root (so a root is its component's lowest row, and a row's parent is
    // below it), path halving; each root counts its component's rows and entries, so grouping
    // needs no counting passes.
    for (let k = 0; k < count; k++) {
      let a = rows[k]!;
      let b = cols[k]!;
      if (parent[a] === -1) {
        parent[a] = a;
        size[a] = 1;
        entryCount[a] = 0;
      }
      if (parent[b] === -1) {
        parent[b] = b;
        size[b] = 1;
        entryCount[b] = 0;
      }
      while (parent[a] !== a) {
        const up = parent[parent[a]!]!;
        parent[a] = up;
        a = up;
      }
      while (parent[b] !== b) {
        const up = parent[parent[b]!]!;
        parent[b] = up;
        b = up;
      }
      if (a === b) entryCount[a]!++;
      else {
        const low = a < b ? a : b;
        const high = a < b ? b : a;
        parent[high] = low;
        size[low]! += size[high]!;
        entryCount[low]! += entryCount[high]! + 1;
      }
    }
    // Components numbered by their lowest row (the root): a row's parent is below it, so numbered already.
    let parts = 0;
    for (let i = 0; i < n; i++) {
      const up = parent[i]!;
      if (up === -1) comp[i] = -1;
      else if (up === i) {
        roots[parts] = i;
        comp[i] = parts++;
      } else comp[i] = comp[up]!;
    }
    if (parts <= 1) return parts;
    this.fitParts(parts);
    // Rows grouped by component, ascending; entries likewise, in their order.
    const { memberStart, entryStart, members, local } = this;
    memberStart[0] = 0;
    entryStart[0] = 0;
    for (let c = 0; c < parts; c++) {
      memberStart[c + 1] = memberStart[c]! + size[roots[c]!]!;
      entryStart[c + 1] = entryStart[c]! + entryCount[roots[c]!]!;
    }
    // Cursors per component; the current one in a local while the next row (entry) stays in its
    // component, as most do (one large component): no store and reload per row.
    const fillM = this.parent; // union-find is done
    const fillE = this.roots; // read only by the loop above
    for (let c = 0; c < parts; c++) {
      fillM[c] = memberStart[c]!;
      fillE[c] = entryStart[c]!;
    }
    let current = -1;
    let t = 0;
    let base = 0;
    for (let i = 0; i < n; i++) {
      const c = comp[i]!;
      if (c < 0) continue;
      if (c !== current) {
        if (current >= 0) fillM[current] = t;
        current = c;
        t = fillM[c]!;
        base = memberStart[c]!;
      }
      members[t] = i;
      local[i] = t - base;
      t++;
    }
    // Entries grouped likewise, in their order, already in local row numbers (subMatrix's views).
    const { subRows, subCols, subWeights } = this;
    current = -1;
    for (let k = 0; k < count; k++) {
      const i = rows[k]!;
      const c = comp[i]!;
      if (c !== current) {
        if (current >= 0) fillE[current] = t;
        current = c;
        t = fillE[c]!;
      }
      subRows[t] = local[i]!;
      subCols[t] = local[cols[k]!]!;
      subWeights[t] = weights[k]!;
      t++;
    }
    for (let c = 0; c < parts; c++) this.classify(c);
    return parts;
  }

  /** Non-star components, largest bound first. */
  generalByBound(parts: number): number[] {
    const out: number[] = [];
    for (let c = 0; c < parts; c++) if (this.isStar[c] === 0) out.push(c);
    return out.sort((a, b) => this.bound[b]! - this.bound[a]! || a - b);
  }

  /** Component c as a matrix of its own (local row numbers): views on split's buffers, valid until the next split. */
  subMatrix(c: number): SparseSymmetric {
    const from = this.entryStart[c]!;
    const to = this.entryStart[c + 1]!;
    return { size: this.sizeOf(c), count: to - from, rows: this.subRows.subarray(from, to), cols: this.subCols.subarray(from, to), weights: this.subWeights.subarray(from, to) };
  }

  /** `start` on component c's rows (zero past its end), or undefined; shared buffer. */
  localStart(c: number, start: Float64Array | undefined): Float64Array | undefined {
    if (start === undefined) return undefined;
    const size = this.sizeOf(c);
    const out = this.start.subarray(0, size);
    const members = this.members;
    const base = this.memberStart[c]!;
    for (let t = 0; t < size; t++) out[t] = start[members[base + t]!] ?? 0;
    return out;
  }

  /** Record Lanczos's answer for component c. */
  keep(c: number, pair: Eigenpair): void {
    this.vectors.set(pair.vector, this.memberStart[c]!);
    this.value[c] = pair.value;
    this.residual[c] = pair.residual;
    this.converged[c] = pair.converged ? 1 : 0;
    this.solved[c] = 1;
  }

  /** out[row] = weight · v_c[row] + constant over c's rows. */
  scatter(c: number, weight: number, out: Float64Array, constant = 0): void {
    const { members, vectors } = this;
    const end = this.memberStart[c + 1]!;
    if (constant === 0) for (let t = this.memberStart[c]!; t < end; t++) out[members[t]!] = weight * vectors[t]!;
    else for (let t = this.memberStart[c]!; t < end; t++) out[members[t]!] = weight * vectors[t]! + constant;
  }

  private sizeOf(c: number): number {
    return this.memberStart[c + 1]! - this.memberStart[c]!;
  }

  /** Star test (one row in every entry, no diagonal entry) and closed form; else the bound. On the grouped entries (local row numbers). */
  private classify(c: number): void {
    const { subRows: rows, subCols: cols, subWeights: weights, rowAbs } = this;
    const e0 = this.entryStart[c]!;
    const e1 = this.entryStart[c + 1]!;
    const a = rows[e0]!;
    const b = cols[e0]!;
    let okA = a !== b;
    let okB = okA;
    const base = this.memberStart[c]!;
    const end = this.memberStart[c + 1]!;
    for (let t = base; t < end; t++) rowAbs[t] = 0;
    for (let k = e0; k < e1; k++) {
      const i = rows[k]!;
      const j = cols[k]!;
      const w = Math.abs(weights[k]!);
      if (i === j) {
        okA = okB = false;
        rowAbs[base + i]! += 2 * w;
        continue;
      }
      if (i !== a && j !== a) okA = false;
      if (i !== b && j !== b) okB = false;
      rowAbs[base + i]! += w;
      rowAbs[base + j]! += w;
    }
    this.solved[c] = 0;
    if (!okA && !okB) {
      this.isStar[c] = 0;
      let bound = 0;
      for (let t = base; t < end; t++) if (rowAbs[t]! > bound) bound = rowAbs[t]!;
      this.bound[c] = bound;
      return;
    }
    // A star: a_ℓ = A[centre][ℓ] summed over the entries joining them (either direction).
    const centre = okA ? a : b;
    const v = this.vectors;
    for (let t = base; t < end; t++) v[t] = 0;
    for (let k = e0; k < e1; k++) {
      const leaf = rows[k] === centre ? cols[k]! : rows[k]!;
      v[base + leaf]! += weights[k]!;
    }
    let squares = 0;
    for (let t = base; t < end; t++) squares += v[t]! * v[t]!;
    const lambda = Math.sqrt(squares);
    const scale = lambda > 0 ? 1 / (lambda * Math.SQRT2) : 0;
    for (let t = base; t < end; t++) v[t] = v[t]! * scale;
    v[base + centre] = Math.SQRT1_2;
    this.isStar[c] = 1;
    this.solved[c] = 1;
    this.value[c] = lambda;
    this.bound[c] = lambda;
    this.residual[c] = 0;
    this.converged[c] = 1;
  }

  private fit(n: number, count: number): void {
    if (this.parent.length < n) {
      const size = Math.max(n, 2 * this.parent.length);
      this.parent = new Int32Array(size);
      this.size = new Int32Array(size);
      this.entryCount = new Int32Array(size);
      this.roots = new Int32Array(size);
      this.comp = new Int32Array(size);
      this.local = new Int32Array(size);
      this.members = new Int32Array(size);
      this.rowAbs = new Float64Array(size);
      this.vectors = new Float64Array(size);
      this.start = new Float64Array(size);
    }
    if (this.subRows.length < count) {
      const size = Math.max(count, 2 * this.subRows.length);
      this.subRows = new Int32Array(size);
      this.subCols = new Int32Array(size);
      this.subWeights = new Float64Array(size);
    }
  }

  private fitParts(parts: number): void {
    if (this.isStar.length >= parts) return;
    const size = Math.max(parts, 2 * this.isStar.length);
    this.isStar = new Uint8Array(size);
    this.solved = new Uint8Array(size);
    this.converged = new Uint8Array(size);
    this.value = new Float64Array(size);
    this.bound = new Float64Array(size);
    this.residual = new Float64Array(size);
    this.memberStart = new Int32Array(size + 1);
    this.entryStart = new Int32Array(size + 1);
  }
}
