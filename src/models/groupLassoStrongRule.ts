/**
 * The sequential strong rule of the group lasso (R. Tibshirani, J. Bien, J. Friedman, T. Hastie,
 * N. Simon, J. Taylor & R. Tibshirani, "Strong rules for discarding predictors in lasso-type
 * problems", JRSS B 74, 2012), as the model table's screening hook for regularisation paths.
 *
 * @packageDocumentation
 */
import { QuadraticLoss } from '../datafits/quadratic.js';
import { groupLassoGap } from './groupLassoCore.js';
import { rowNorm } from '../penalties/index.js';
import type { GroupLassoOptions } from './groupLasso.js';
import type { StrongRuleSpec } from './table.js';

/**
 * The sequential strong rule for the group lasso: scores ‖∇_j L(W)‖_{q*} (with the ridge term) and the
 * duality gap of the full problem.
 *
 * For a shared design without missing responses the gradient is formed from cached Gram columns,
 * −∇L(W) = 2s ⊙ (XᵀY − Σ_{j∈S} XᵀX[:, j] w^jᵀ) over the support S of W, and the loss from
 * ‖r_t‖² = ‖y_t‖² − Σ_{j∈S} w_jt ((XᵀY)_jt + C_jt) (C = XᵀY − XᵀX W), so a check costs d·|S|·T plus
 * n·d per new support column instead of two n×d×T products; otherwise (per-task designs, missing
 * responses, or when the new Gram columns would cost more) residuals are formed directly.
 * @example
 * ```ts
 * const rule = groupLassoStrongRule.prepare(data, { q: 2 });
 * const gap = rule.check(W, lambda, scores); // scores[j] = ‖∇_j L(W)‖_{q*}
 * ```
 * @see {@link StrongRuleSpec}
 */
export const groupLassoStrongRule: StrongRuleSpec<GroupLassoOptions> = {
  prepare(data, options) {
    const q = options.q ?? 2;
    const ridge = options.ridge ?? 0;
    const taskWeights = options.taskWeights ?? null;
    const loss = new QuadraticLoss(data, {
      lossScale: options.lossScale ?? 'mean',
      fitIntercept: options.fitIntercept ?? true,
      ...(taskWeights ? { taskWeights } : {}),
    });
    const { d, T } = data;
    const norm = rowNorm(q, T);
    const V = new Float64Array(d * T);
    const work = new Float64Array(T);
    const scales = loss.scales;
    // direct mode buffers (allocated on first use)
    let R: Float64Array | null = null;
    // Gram mode state
    const gramMode = loss.shared && loss.mask === null;
    const n = loss.n;
    const gram: (Float64Array | null)[] = gramMode ? new Array<Float64Array | null>(d).fill(null) : [];
    let cached = 0;
    const support = new Int32Array(d);
    const C = gramMode ? new Float64Array(d * T) : new Float64Array(0);
    const yy = new Float64Array(T);
    let XtY: Float64Array | null = null;
    if (gramMode) {
      const Y = loss.Y!;
      for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) yy[t]! += Y[i * T + t]! * Y[i * T + t]!;
    }
    const one = new Int32Array(1);
    const gramColumn = (j: number): Float64Array => {
      const g = new Float64Array(d); // X̃ᵀx̃_j, centred on the fly by the shared design
      one[0] = j;
      loss.design!.gramColumns(one, 1, g);
      return g;
    };
    const scoresFromV = (W: Float64Array, scores: Float64Array): void => {
      for (let j = 0; j < d; j++) {
        if (ridge > 0) {
          // ∇_j of L + ρ‖W‖²: −V_j + 2ρ w^j
          for (let t = 0; t < T; t++) work[t] = V[j * T + t]! - 2 * ridge * W[j * T + t]!;
          scores[j] = norm.dualNorm(work, 0, T);
        } else {
          scores[j] = norm.dualNorm(V, j * T, T);
        }
      }
    };
    return {
      check(W, lambda, scores) {
        if (gramMode) {
          let m = 0, missing = 0;
          for (let j = 0; j < d; j++) {
            for (let t = 0; t < T; t++) {
              if (W[j * T + t] !== 0) { support[m++] = j; if (gram[j] === null) missing++; break; }
            }
          }
          // Gram columns cost n·d each (then cached); the direct products cost about 2·n·d·T
          const affordable = missing * n + m * T < 2 * n * T && (cached + missing) * d <= 1 << 24;
          if (affordable) {
            for (let k = 0; k < m; k++) {
              const j = support[k]!;
              if (gram[j] === null) { gram[j] = gramColumn(j); cached++; }
            }
            if (XtY === null) XtY = loss.xty();
            C.set(XtY);
            for (let k = 0; k < m; k++) {
              const j = support[k]!, g = gram[j]!, wo = j * T;
              for (let r = 0; r < d; r++) {
                const gr = g[r]!;
                if (gr === 0) continue;
                const co = r * T;
                for (let t = 0; t < T; t++) C[co + t]! -= gr * W[wo + t]!;
              }
            }
            let B = 0, A = 0;
            for (let t = 0; t < T; t++) {
              let rr = yy[t]!, ry = yy[t]!;
              for (let k = 0; k < m; k++) {
                const o = support[k]! * T + t;
                const w = W[o]!;
                rr -= w * (XtY[o]! + C[o]!);
                ry -= w * XtY[o]!;
              }
              B += scales[t]! * Math.max(rr, 0);
              A += 2 * scales[t]! * ry;
            }
            for (let r = 0; r < d; r++) for (let t = 0; t < T; t++) V[r * T + t] = 2 * scales[t]! * C[r * T + t]!;
            scoresFromV(W, scores);
            return groupLassoGap(B, A, V, W, d, T, norm, lambda, ridge, work, null, 0).gap;
          }
        }
        if (R === null) R = new Float64Array(loss.residualSize);
        loss.residual(W, R);
        loss.correlation(R, V); // −∇L(W) = Xᵀ(2s ⊙ R)
        scoresFromV(W, scores);
        return groupLassoGap(loss.valueFromResidual(R), loss.innerWithY(R, true), V, W, d, T, norm, lambda, ridge, work, null, 0).gap;
      },
    };
  },
};
