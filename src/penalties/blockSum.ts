/**
 * A sum of penalties over consecutive blocks of one variable vector, h(x) = Σ_b h_b(x_b): how the
 * decomposition models W = P + Q put a structure on each part (x = [P; Q]). The prox is separable:
 * prox_{τh}(v)_b = prox_{τh_b}(v_b).
 *
 * @packageDocumentation
 */
import type { NormPenalty, Penalty } from './types.js';

/**
 * Σ_b h_b(x_b) over blocks of the given sizes, in order.
 *
 * @example
 * ```ts
 * const h = new BlockSumPenalty([new GroupNormPenalty(l1, Infinity, T), new L1Penalty(l2, T)], [d * T, d * T]);
 * h.prox(V, step, out); // rows of P by L1/L∞, entries of Q by soft-thresholding
 * ```
 * @see A. Jalali, P. Ravikumar, S. Sanghavi & C. Ruan, "A dirty model for multi-task learning", NIPS 2010
 */
export class BlockSumPenalty<B extends readonly Penalty[] = readonly Penalty[]> implements Penalty {
  /** Start of each block (length = blocks + 1). */
  readonly offsets: Int32Array;
  private readonly views = new WeakMap<Float64Array, Float64Array[]>();
  /**
   * @param blocks - the penalties, one per block
   * @param sizes - the length of each block
   */
  constructor(readonly blocks: B, sizes: readonly number[]) {
    if (sizes.length !== blocks.length) {
      throw new RangeError(`sizes: expected ${blocks.length} block sizes (one per penalty), got ${sizes.length}`);
    }
    this.offsets = new Int32Array(sizes.length + 1);
    for (let b = 0; b < sizes.length; b++) this.offsets[b + 1] = this.offsets[b]! + sizes[b]!;
  }
  /** Total length Σ_b size_b. */
  get dim(): number {
    return this.offsets[this.blocks.length]!;
  }
  /** The block views of a buffer (cached per buffer, so solvers' loops allocate nothing). */
  split(x: Float64Array): Float64Array[] {
    let v = this.views.get(x);
    if (!v) {
      v = [];
      for (let b = 0; b < this.blocks.length; b++) v.push(x.subarray(this.offsets[b]!, this.offsets[b + 1]!));
      this.views.set(x, v);
    }
    return v;
  }
  value(x: Float64Array): number {
    const xs = this.split(x);
    let s = 0;
    for (let b = 0; b < this.blocks.length; b++) s += this.blocks[b]!.value(xs[b]!); // Σ_b h_b(x_b)
    return s;
  }
  prox(V: Float64Array, step: number, out: Float64Array): void {
    const vs = this.split(V), os = this.split(out);
    for (let b = 0; b < this.blocks.length; b++) this.blocks[b]!.prox(vs[b]!, step, os[b]!);
  }
}

/**
 * A weighted sum of norms over blocks, h(x) = Σ_b λ_b Ω_b(x_b), as one {@link NormPenalty} of weight 1:
 * its dual norm is max_b Ω_b*(v_b)/λ_b, so the duality gap of a decomposition model (W = P + Q) scales
 * the dual point to meet every block's constraint at once (Jalali et al. 2010, dual of the dirty model).
 *
 * @example
 * ```ts
 * const h = new BlockNormSumPenalty([new GroupNormPenalty(l1, Infinity, T), new L1Penalty(l2, T)], [d * T, d * T]);
 * normPenaltyGap(g.dualTerms(x, s, V), V, x, h); // the dirty model's gap
 * ```
 * @see {@link BlockSumPenalty}
 */
export class BlockNormSumPenalty extends BlockSumPenalty<readonly NormPenalty[]> implements NormPenalty {
  /** Always 1: the block weights λ_b are inside. */
  readonly weight = 1;
  norm(x: Float64Array): number {
    return this.value(x); // Σ_b λ_b Ω_b(x_b)
  }
  dualNorm(V: Float64Array): number {
    // max_b Ω_b*(v_b) / λ_b  (a block with λ_b = 0 constrains v_b = 0)
    const vs = this.split(V);
    let m = 0;
    for (let b = 0; b < this.blocks.length; b++) {
      const p = this.blocks[b]!;
      const dn = p.dualNorm(vs[b]!);
      const r = p.weight > 0 ? dn / p.weight : dn > 0 ? Infinity : 0;
      if (r > m) m = r;
    }
    return m;
  }
}
