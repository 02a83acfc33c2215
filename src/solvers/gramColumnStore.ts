/**
 * The Gram columns of a shared-design Gram state (issue #11), computed only where they are read.
 *
 * A working-set sweep reads G_ij = x̃_iᵀx̃_j for rows i and j of the working set S only (C_S −= G_{S,j} δᵀ),
 * and a check reads C = X̃ᵀỸ − G_N W_N over all d rows for the nonzero rows N. So a feature that enters a
 * working set while its row is zero gets its column on the covered features only (every feature that has a
 * column so far: 2·n·|covered|·m flops for m new features instead of 2·n·d·m), and the column is completed
 * over all d rows once its row is nonzero at a check. On 20000×500×50 at 0.5·λ_max the working sets of 10,
 * 40 and 160 rows ended with 50 nonzero rows: 160 full columns (3.2 Gflop) before, 50 full columns and
 * the partial ones of the 110 zero rows after.
 *
 * Invariant: the column of every feature with a slot is valid at the rows of every feature with a slot
 * (and at all d rows when marked full); other entries hold finite stale values or 0.
 *
 * @packageDocumentation
 */
import type { SharedDesign } from '../datafits/sharedDesign.js';
import { freeF64, residentOrHeap, residentScratch } from '../linalg/wasm/matrix.js';

/** Partial columns only for new features whose full columns cost at least this many flops (2·n·d·m). */
let partialFlops = 1 << 26;

/**
 * The flop count (2·n·d·m for m new features) from which a working set's new zero rows get partial Gram
 * columns ({@link GramColumnStore}); tests lower it to run the partial route on small problems.
 * @param flops - new threshold (optional; omit to read)
 * @returns the threshold in force
 * @example
 * ```ts
 * const before = gramPartialThreshold(0); // partial columns whenever a row is nonzero
 * gramPartialThreshold(before);
 * ```
 * @see GramColumnStore.ensureCovering
 */
export function gramPartialThreshold(flops?: number): number {
  if (flops !== undefined) {
    if (!(flops >= 0)) throw new RangeError(`gramPartialThreshold: flops must be ≥ 0, got ${flops}`);
    partialFlops = flops;
  }
  return partialFlops;
}

/**
 * Slot-major Gram columns: feature j's column X̃ᵀx̃_j at `cols[slot[j]·d …)`, slot −1 while it has none.
 *
 * @example
 * ```ts
 * const g = new GramColumnStore(design);
 * g.ensureCovering(ws, p); // a working set's sweep may read G_ij, i, j in ws
 * g.ensureFull(nz, k);     // C = X̃ᵀỸ − G_N W_N over all rows
 * ```
 * @see SharedGramRows
 */
export class GramColumnStore {
  readonly d: number;
  /** Slot of feature j, or −1 (updated in place: the sweep kernel's operands keep this array). */
  readonly slot: Int32Array;
  /** Feature of slot s. */
  readonly slotFeature: Int32Array;
  /** Slot s holds all d entries (else those of the features with a slot). */
  private readonly full: Uint8Array;
  /** The columns, d entries per slot (replaced when they grow). */
  cols: Float64Array;
  /** Slots in use. */
  nSlots = 0;
  /** Slots holding full columns. */
  private nFull = 0;

  /**
   * @param design - the shared design X̃
   */
  constructor(private readonly design: SharedDesign) {
    const d = (this.d = design.d);
    this.slot = new Int32Array(d).fill(-1);
    this.slotFeature = new Int32Array(d);
    this.full = new Uint8Array(d);
    this.cols = residentOrHeap(d * Math.min(d, 16), 0);
  }

  /** The listed features without a slot (a new array), and how many. */
  private missing(list: Int32Array, k: number, fullToo: boolean): Int32Array {
    let m = 0;
    const out = new Int32Array(k);
    for (let a = 0; a < k; a++) {
      const j = list[a]!, s = this.slot[j]!;
      if (s < 0 || (fullToo && !this.full[s])) out[m++] = j;
    }
    return out.subarray(0, m);
  }

  /**
   * Whether the whole Gram X̃ᵀX̃ replaced the columns (when m more features would bring half of them in:
   * one product, feature j at slot j, every column full).
   */
  private wholeGram(m: number): boolean {
    const d = this.d;
    if (2 * (this.nSlots + m) < d) return false;
    const G = residentOrHeap(d * d, 0);
    this.design.gram(G);
    freeF64(this.cols);
    this.cols = G;
    for (let j = 0; j < d; j++) { this.slot[j] = j; this.slotFeature[j] = j; this.full[j] = 1; }
    this.nSlots = this.nFull = d;
    return true;
  }

  /** Slots for the features F (none has one), the columns grown to hold them. */
  private addSlots(F: Int32Array): void {
    const d = this.d, m = F.length;
    if ((this.nSlots + m) * d > this.cols.length) {
      const cap = Math.min(d, Math.max(2 * (this.nSlots + m), 16));
      const bigger = residentOrHeap(cap * d, 0);
      bigger.set(this.cols.subarray(0, this.nSlots * d));
      freeF64(this.cols);
      this.cols = bigger;
    }
    for (let b = 0; b < m; b++) { this.slot[F[b]!] = this.nSlots + b; this.slotFeature[this.nSlots + b] = F[b]!; this.full[this.nSlots + b] = 0; }
    this.nSlots += m;
  }

  /**
   * The new features F (slots from `first` on, their columns valid at the rows of every feature with a
   * slot): their rows in the partial columns of the older slots, by symmetry G_fs = G_sf.
   */
  private mirrorInto(F: Int32Array, first: number): void {
    const d = this.d, c = this.cols;
    for (let s = 0; s < first; s++) {
      if (this.full[s]) continue;
      const js = this.slotFeature[s]!;
      // cols[s, f] = cols[slot f, j_s]
      for (let b = 0; b < F.length; b++) c[s * d + F[b]!] = c[this.slot[F[b]!]! * d + js]!;
    }
  }

  /**
   * Makes the column of every listed feature valid at the rows of every listed one (and of every feature
   * with a column): the new ones get X̃ᵀx̃_f on those rows only, by one product X̃_Fᵀ X̃_A (A: every feature
   * with a slot, F among them).
   * @param list - feature indices (a working set)
   * @param k - how many
   */
  ensureCovering(list: Int32Array, k: number): void {
    const F = this.missing(list, k, false), m = F.length, d = this.d;
    if (m === 0) return;
    // full columns when partial ones would not pay: before any row is nonzero (the first working set's
    // rows are the worst violators, and most turn nonzero: completing them costs another pass over X) or
    // when the columns are cheap (2·n·d·m < 2^26 flops: a pass over X then costs about as much; 2000×50×5
    // and 20000×50×5 fits ran 10–20 % slower with partial columns)
    if (this.nFull === 0 || 2 * this.design.n * d * m < partialFlops) { this.ensureFull(F, m); return; }
    if (this.wholeGram(m)) return;
    const first = this.nSlots;
    this.addSlots(F);
    const na = this.nSlots, A = this.slotFeature.subarray(0, na);
    // P (m×na) = X̃_Fᵀ X̃_A, or when F is most of A the symmetric X̃_Aᵀ X̃_A by syrk (n·na² flops instead of
    // 2·n·na·m; F's rows are its last m rows); cols[slot f, a_c] = P[f, c]
    const sym = 2 * m > na, P = residentScratch((sym ? na : m) * na);
    if (sym) this.design.gramBlock(A, na, A, na, P); else this.design.gramBlock(F, m, A, na, P);
    const c = this.cols, p0 = sym ? first : 0;
    for (let b = 0; b < m; b++) for (let q = 0, o = (first + b) * d, po = (p0 + b) * na; q < na; q++) c[o + A[q]!] = P[po + q]!;
    freeF64(P);
    this.mirrorInto(F, first);
  }

  /**
   * Makes the column of every listed feature full (all d rows): the nonzero rows of W at a check, for
   * C = X̃ᵀỸ − G_N W_N. Partial columns are recomputed in full, the other missing ones added.
   * @param list - feature indices
   * @param k - how many
   */
  ensureFull(list: Int32Array, k: number): void {
    const S = this.missing(list, k, true), m = S.length, d = this.d;
    if (m === 0) return;
    let fresh = 0;
    for (let b = 0; b < m; b++) if (this.slot[S[b]!]! < 0) fresh++;
    if (this.wholeGram(fresh)) return;
    const F = new Int32Array(fresh), first = this.nSlots;
    for (let b = 0, q = 0; b < m; b++) if (this.slot[S[b]!]! < 0) F[q++] = S[b]!;
    this.addSlots(F);
    // rows of X̃_Sᵀ X̃ (m×d) are the Gram columns of S (symmetry), into their slots
    const out = residentScratch(m * d); // every entry written by the product
    this.design.gramColumns(S, m, out);
    const c = this.cols;
    for (let b = 0; b < m; b++) { const s = this.slot[S[b]!]!; c.set(out.subarray(b * d, b * d + d), s * d); this.full[s] = 1; }
    this.nFull += m;
    freeF64(out);
    this.mirrorInto(F, first);
  }
}
