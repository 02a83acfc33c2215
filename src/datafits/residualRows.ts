/**
 * Row-wise residual state of the squared loss: R = P(Ỹ − X̃W) kept explicitly; a row update costs
 * 2·Σ_t n_t (scikit-learn's `_cd_fast.pyx` style).
 *
 * @packageDocumentation
 */
import type { QuadraticLoss } from './quadratic.js';
import type { RowBackend } from './rowBackend.js';
import { dot } from '../linalg/blas.js';

/** Residual backend: R = P(Y − XW) maintained explicitly. */
export class ResidualRows implements RowBackend {
  readonly kind = 'residual' as const;
  readonly lip: Float64Array;
  readonly coordLip: Float64Array;
  readonly colNormMax: Float64Array;
  private readonly R: Float64Array;
  private readonly cols: Float64Array[];
  private readonly acc: Float64Array;

  constructor(private readonly loss: QuadraticLoss) {
    const { d, T } = loss;
    this.R = new Float64Array(loss.residualSize);
    this.cols = loss.columnMajor();
    this.acc = new Float64Array(T);
    this.lip = new Float64Array(d);
    this.coordLip = new Float64Array(d * T);
    this.colNormMax = new Float64Array(d);
    const s = loss.scales;
    if (loss.X === null) {
      for (let t = 0; t < T; t++) {
        const n = loss.offsets[t + 1]! - loss.offsets[t]!;
        const Xc = this.cols[t]!;
        for (let j = 0; j < d; j++) {
          const sq = dot(n, Xc, j * n, Xc, j * n); // ‖x̃_tj‖²
          this.coordLip[j * T + t] = 2 * s[t]! * sq;
          this.lip[j] = Math.max(this.lip[j]!, 2 * s[t]! * sq);
          this.colNormMax[j] = Math.max(this.colNormMax[j]!, Math.sqrt(sq));
        }
      }
    } else {
      // shared design: ‖x_tj‖ ≤ ‖x_j‖ (a row subset, centring only shrinks it)
      const n = loss.n;
      const Xc = this.cols[0]!;
      let smax = 0;
      for (let t = 0; t < T; t++) smax = Math.max(smax, s[t]!);
      const masked = loss.mask !== null;
      for (let j = 0; j < d; j++) {
        const sq = dot(n, Xc, j * n, Xc, j * n);
        this.lip[j] = 2 * smax * sq;
        this.colNormMax[j] = Math.sqrt(sq);
        for (let t = 0; t < T; t++) this.coordLip[j * T + t] = 2 * s[t]! * sq; // an upper bound when masked
      }
      if (masked) {
        // exact L_jt = 2 s_t Σ_{i observed in t} (x_ij − m_tj)²
        const mask = loss.mask!, m = loss.xMeans, centred = loss.fitIntercept;
        this.coordLip.fill(0);
        for (let j = 0; j < d; j++) {
          for (let i = 0; i < n; i++) {
            const x = Xc[j * n + i]!;
            for (let t = 0; t < T; t++) {
              if (!mask[i * T + t]) continue;
              const v = centred ? x - m[t * d + j]! : x;
              this.coordLip[j * T + t]! += v * v;
            }
          }
          for (let t = 0; t < T; t++) this.coordLip[j * T + t]! *= 2 * s[t]!;
        }
      }
    }
  }

  reset(W: Float64Array): void {
    this.loss.residual(W, this.R);
  }

  prepare(): void {}

  corrRow(j: number, out: Float64Array): void {
    const loss = this.loss;
    const T = loss.T, s = loss.scales, R = this.R;
    if (loss.X === null) {
      // V_jt = 2 s_t x_tjᵀ r_t
      for (let t = 0; t < T; t++) {
        const off = loss.offsets[t]!;
        const n = loss.offsets[t + 1]! - off;
        out[t] = 2 * s[t]! * dot(n, this.cols[t]!, j * n, R, off);
      }
      return;
    }
    // V_j = 2 s ⊙ (Σ_i x_ij R[i, :])
    const n = loss.n, Xc = this.cols[0]!, acc = this.acc;
    acc.fill(0);
    const base = j * n;
    for (let i = 0; i < n; i++) {
      const x = Xc[base + i]!;
      if (x === 0) continue;
      const o = i * T;
      for (let t = 0; t < T; t++) acc[t]! += x * R[o + t]!;
    }
    for (let t = 0; t < T; t++) out[t] = 2 * s[t]! * acc[t]!;
  }

  update(j: number, delta: Float64Array): void {
    const loss = this.loss;
    const T = loss.T, R = this.R;
    if (loss.X === null) {
      // r_t −= δ_t x_tj
      for (let t = 0; t < T; t++) {
        const dt = delta[t]!;
        if (dt === 0) continue;
        const off = loss.offsets[t]!;
        const n = loss.offsets[t + 1]! - off;
        const Xc = this.cols[t]!;
        const base = j * n;
        for (let i = 0; i < n; i++) R[off + i]! -= dt * Xc[base + i]!;
      }
      return;
    }
    const n = loss.n, Xc = this.cols[0]!, base = j * n;
    const mask = loss.mask;
    if (!mask) {
      // R[i, :] −= x_ij δ
      for (let i = 0; i < n; i++) {
        const x = Xc[base + i]!;
        if (x === 0) continue;
        const o = i * T;
        for (let t = 0; t < T; t++) R[o + t]! -= x * delta[t]!;
      }
      return;
    }
    // masked: R[i, t] −= (x_ij − m_tj) δ_t on observed entries (m = per-task means when centring)
    const m = loss.xMeans, d = loss.d;
    const centred = loss.fitIntercept;
    for (let i = 0; i < n; i++) {
      const x = Xc[base + i]!;
      const o = i * T;
      for (let t = 0; t < T; t++) {
        if (!mask[o + t]) continue;
        R[o + t]! -= (centred ? x - m[t * d + j]! : x) * delta[t]!;
      }
    }
  }

  full(_W: Float64Array, V: Float64Array): void {
    this.loss.correlation(this.R, V);
  }

  lossAndInner(_W: Float64Array, out: Float64Array): void {
    out[0] = this.loss.valueFromResidual(this.R);
    out[1] = this.loss.innerWithY(this.R, true);
  }
}

