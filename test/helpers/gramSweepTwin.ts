/** The JavaScript twin of the Gram form's fused sweep kernel `gl2_sweep_gram`, for the kernel tests (issue #11). */
import type { GroupL2Sweep } from '../../src/solvers/bcd.js';
import type { GramSweepOperands } from '../../src/solvers/groupL2SweepGram.js';
import { groupL2RowStep } from '../../src/solvers/groupL2Sweep.js';

/**
 * A {@link GroupL2Sweep} over a Gram state in JavaScript, the tests' reference twin of
 * `wasmGramGroupL2Sweep` (the same operations in the same order; the library does not use it: on the
 * JavaScript kernels bcd's generic step measured faster). Every working-set row j must have
 * its Gram column (the state's `prepare`).
 * @param g - the state's operands
 * @returns the sweep (its work buffers allocated here, once)
 * @example
 * ```ts
 * const sweep = gramGroupL2Sweep({ d, T, C, cols: () => cols, slot, scales: loss.scales });
 * const worst = sweep(ws, p, W, Lrow, lambda, 0);
 * ```
 * @see src/solvers/groupL2SweepGram.ts
 */
export function gramGroupL2Sweep(g: GramSweepOperands): GroupL2Sweep {
  const { d, T, C, slot, scales: s } = g;
  const z = new Float64Array(T), wNew = new Float64Array(T), dn = new Float64Array(T);
  return (ws, p, W, Lrow, lambda, ridge) => {
    const col = g.cols();
    let worst = 0;
    for (let a = 0; a < p; a++) {
      const j = ws[a]!, o = j * T;
      // z = 2s ⊙ C_j − 2ρ w^j
      for (let t = 0; t < T; t++) z[t] = 2 * s[t]! * C[o + t]! - 2 * ridge * W[o + t]!;
      const viol = groupL2RowStep(W, o, T, z, Lrow[j]!, lambda, wNew);
      if (viol !== viol) return NaN;
      if (viol > worst) worst = viol;
      // −δ = w_old − w_new
      let changed = false;
      for (let t = 0; t < T; t++) { const e = W[o + t]! - wNew[t]!; dn[t] = e; if (e !== 0) changed = true; }
      if (!changed) continue;
      W.set(wNew, o);
      // C_i += G_ij (−δ) for i in the working set (G_ij = cols[slot_j·d + i])
      const off = slot[j]! * d;
      for (let b = 0; b < p; b++) {
        const i = ws[b]!, gi = col[off + i]!;
        if (gi === 0) continue;
        const c = i * T;
        for (let t = 0; t < T; t++) C[c + t] = C[c + t]! + gi * dn[t]!;
      }
    }
    return worst;
  };
}
