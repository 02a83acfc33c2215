// The shared prox property table: every prox in the package, one row each, the same properties checked
// on every row. Adding a penalty = adding a row. Every random draw is seeded.
//
// Properties (where they apply):
//  - optimality against random perturbations: φ(z*) ≤ φ(z) for z near z*, φ(z) = ½‖z − v‖² + τh(z)
//    (for constraint sets: z* is at least as close to v as random feasible points);
//  - three-point inequality (convex h): ⟨v − z*, z − z*⟩ ≤ τ(h(z) − h(z*)) for random z;
//  - Moreau identity where the conjugate is known (norms: v − z* lies in the dual ball of radius τλ and
//    ⟨v − z*, z*⟩ = τλΩ(z*); ridge: v = prox_{τh}(v) + τ prox_{h*/τ}(v/τ));
//  - brute force on tiny inputs (2 variables, a grid around the candidate);
//  - T = 1 and diagonal reductions to scalar soft-thresholding / projections.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  GroupNormPenalty, L1Penalty, TraceNormPenalty, RankConstraint, SpectralCappedSimplex, RidgePenalty,
  MeanDeviationPenalty, GraphSmoothPenalty, BlockSumPenalty, ColumnGroupNormPenalty, type Penalty, type NormPenalty,
  BlockMcpPenalty, BlockScadPenalty,
} from '../src/penalties/index.js';
import { FusedGroupRowPenalty } from '../src/penalties/fusedGroupRow.js';
import { TraceNormBall } from '../src/penalties/traceNormBall.js';
import { projectL1Ball } from '../src/penalties/projections.js';
import { thinSvd } from '../src/linalg/svd.js';
import { projectCappedSimplex } from '../src/linalg/cappedSimplex.js';
import { mulberry32, gaussian } from './helpers/random.js';

interface Row {
  name: string;
  /** Builds the penalty for a d×T variable (the variable has `size(d, T)` entries). */
  make: (d: number, T: number) => Penalty;
  size?: (d: number, T: number) => number;
  /** Shapes to test on. */
  shapes: readonly (readonly [number, number])[];
  convex: boolean;
  /** An indicator of a set: prox is the projection, `feasible` draws random feasible points. */
  feasible?: (d: number, T: number, rnd: () => number) => Float64Array;
  /** Norm penalties: check the Moreau decomposition through the dual norm. */
  norm?: boolean;
  /** The T = 1 reduction: the prox of a d×1 input (null: not applicable). */
  t1?: ((v: Float64Array, tau: number) => Float64Array) | null;
  /** The diagonal reduction for square inputs. */
  diag?: ((diag: Float64Array, tau: number) => Float64Array) | null;
  /** Moreau identity through a known conjugate prox: prox_{σh*}(u). */
  conjProx?: (u: Float64Array, sigma: number) => Float64Array;
}

const soft = (x: number, t: number): number => (x > t ? x - t : x < -t ? x + t : 0);
const pathR = (T: number) => {
  // incidence of the path graph 0–1–…–(T−1), with weights 1 and 2 alternating
  const k = Math.max(T - 1, 1);
  const data = new Float64Array(T * k);
  for (let e = 0; e < T - 1; e++) {
    const w = Math.sqrt(e % 2 === 0 ? 1 : 2);
    data[e * k + e] = w;
    data[(e + 1) * k + e] = -w;
  }
  return { rows: T, cols: k, data };
};

const ROWS: Row[] = [
  ...[1, 2, Infinity, 1.5, 3].map((q): Row => ({
    name: `group norm q = ${q}`,
    make: (_d, T) => new GroupNormPenalty(0.7, q, T),
    shapes: [[4, 3], [1, 2], [3, 1], [2, 5]],
    convex: true,
    norm: true,
    t1: (v, tau) => v.map((x) => soft(x, 0.7 * tau)),
    diag: null,
  })),
  {
    name: 'elementwise L1',
    make: (_d, T) => new L1Penalty(0.4, T),
    shapes: [[4, 3], [1, 2], [3, 1]],
    convex: true,
    norm: true,
    t1: (v, tau) => v.map((x) => soft(x, 0.4 * tau)),
    diag: (dg, tau) => dg.map((x) => soft(x, 0.4 * tau)),
  },
  {
    name: 'trace norm',
    make: (d, T) => new TraceNormPenalty(0.6, d, T),
    shapes: [[4, 3], [1, 2], [3, 3], [2, 5], [3, 1]],
    convex: true,
    norm: true,
    t1: (v, tau) => {
      // a d×1 matrix: ‖W‖_* = ‖w‖₂, prox = block soft-thresholding of the column
      const n = Math.hypot(...v);
      const f = n > 0.6 * tau ? 1 - (0.6 * tau) / n : 0;
      return v.map((x) => f * x);
    },
    diag: (dg, tau) => dg.map((x) => soft(x, 0.6 * tau)),
  },
  {
    name: 'column group norm',
    make: (d, T) => new ColumnGroupNormPenalty(0.5, d, T),
    shapes: [[4, 3], [2, 1], [3, 2]],
    convex: true,
    norm: true,
    t1: (v, tau) => {
      // a d×1 matrix is one column: block soft-thresholding of the whole vector
      const n = Math.hypot(...v);
      const f = n > 0.5 * tau ? 1 - (0.5 * tau) / n : 0;
      return v.map((x) => f * x);
    },
    diag: (dg, tau) => dg.map((x) => soft(x, 0.5 * tau)),
  },
  {
    name: 'rank constraint r = 1',
    make: (d, T) => new RankConstraint(1, d, T),
    shapes: [[4, 3], [2, 2], [3, 1]],
    convex: false,
    feasible: (d, T, rnd) => {
      const g = gaussian(rnd);
      const u = Array.from({ length: d }, g), w = Array.from({ length: T }, g);
      const z = new Float64Array(d * T);
      for (let i = 0; i < d; i++) for (let t = 0; t < T; t++) z[i * T + t] = u[i]! * w[t]!;
      return z;
    },
    t1: (v) => Float64Array.from(v),
    diag: (dg) => {
      // keep the entry of largest magnitude
      let b = 0;
      for (let i = 1; i < dg.length; i++) if (Math.abs(dg[i]!) > Math.abs(dg[b]!)) b = i;
      return dg.map((x, i) => (i === b ? x : 0));
    },
  },
  {
    name: 'spectral capped simplex k = 2',
    make: (_d, T) => new SpectralCappedSimplex(T, 2),
    size: (_d, T) => T * T,
    shapes: [[1, 3], [1, 4], [1, 2]],
    convex: true,
    feasible: (_d, T, rnd) => {
      // a random feasible M: random orthonormal basis (Gram–Schmidt) and eigenvalues on the capped simplex
      const g = gaussian(rnd);
      const Q = new Float64Array(T * T).map(() => g());
      for (let a = 0; a < T; a++) {
        for (let b = 0; b < a; b++) {
          let ip = 0;
          for (let i = 0; i < T; i++) ip += Q[a * T + i]! * Q[b * T + i]!;
          for (let i = 0; i < T; i++) Q[a * T + i]! -= ip * Q[b * T + i]!;
        }
        let n = 0;
        for (let i = 0; i < T; i++) n += Q[a * T + i]! ** 2;
        for (let i = 0; i < T; i++) Q[a * T + i]! /= Math.sqrt(n);
      }
      const s = projectCappedSimplex(new Float64Array(T).map(() => 2 * rnd()), 2, new Float64Array(T));
      const M = new Float64Array(T * T);
      for (let a = 0; a < T; a++) for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) M[i * T + j]! += s[a]! * Q[a * T + i]! * Q[a * T + j]!;
      return M;
    },
    t1: null,
    diag: (dg) => projectCappedSimplex(dg, 2, new Float64Array(dg.length)),
  },
  {
    name: 'ridge',
    make: () => new RidgePenalty(0.8),
    shapes: [[3, 2], [1, 2]],
    convex: true,
    t1: (v, tau) => v.map((x) => x / (1 + 1.6 * tau)),
    diag: (dg, tau) => dg.map((x) => x / (1 + 1.6 * tau)),
    // h*(u) = ‖u‖²/(4ρ): prox_{σh*}(u) = u/(1 + σ/(2ρ))
    conjProx: (u, sigma) => u.map((x) => x / (1 + sigma / 1.6)),
  },
  {
    name: 'mean deviation',
    make: (_d, T) => new MeanDeviationPenalty(0.9, T),
    shapes: [[3, 4], [1, 2], [2, 1]],
    convex: true,
    t1: (v) => Float64Array.from(v),
    diag: null,
  },
  {
    name: 'graph ‖WR‖²',
    make: (_d, T) => new GraphSmoothPenalty(0.5, pathR(T)),
    shapes: [[3, 4], [1, 2], [2, 3]],
    convex: true,
    t1: (v) => Float64Array.from(v),
    diag: null,
  },
  {
    // λ₁‖w‖₁ + λ₂ Σ|w_t − w_{t+1}| + λ₃‖w‖₂ per row (weight 1): the dual norm by bisection on the exact prox
    name: 'fused group row (λ₁, λ₂, λ₃) = (0.3, 0.4, 0.5)',
    make: (_d, T) => new FusedGroupRowPenalty(0.3, 0.4, 0.5, T),
    shapes: [[4, 3], [1, 2], [3, 1], [2, 6]],
    convex: true,
    norm: true,
    // T = 1: no differences, Ω(w) = (λ₁ + λ₃)|w|
    t1: (v, tau) => v.map((x) => soft(x, 0.8 * tau)),
    diag: null,
  },
  {
    name: 'trace-norm ball τ = 1.5',
    make: (d, T) => new TraceNormBall(1.5, d, T),
    shapes: [[4, 3], [2, 2], [3, 1], [1, 4]],
    convex: true,
    feasible: (d, T, rnd) => {
      // a random matrix scaled to a random trace norm in [0, 1.5]
      const g = gaussian(rnd);
      const z = new Float64Array(d * T).map(() => g());
      const nuc = Array.from(thinSvd({ rows: d, cols: T, data: z }).s).reduce((a, b) => a + b, 0);
      const c = (1.5 * rnd()) / nuc;
      return z.map((x) => c * x);
    },
    // d×1: ‖w‖_* = ‖w‖₂, the projection onto the ℓ2 ball
    t1: (v) => {
      const n = Math.hypot(...v);
      return n > 1.5 ? v.map((x) => (1.5 * x) / n) : Float64Array.from(v);
    },
    // diagonal: the diagonal projected onto the ℓ1 ball
    diag: (dg) => {
      const out = new Float64Array(dg.length);
      projectL1Ball(dg, 0, dg.length, 1.5, out, 0);
      return out;
    },
  },
  {
    name: 'block sum (L1/L∞ rows + L1)',
    make: (d, T) => new BlockSumPenalty([new GroupNormPenalty(0.5, Infinity, T), new L1Penalty(0.3, T)], [d * T, d * T]),
    size: (d, T) => 2 * d * T,
    shapes: [[3, 2], [1, 1]],
    convex: true,
    t1: (v, tau) => {
      const n = v.length / 2;
      return v.map((x, i) => soft(x, (i < n ? 0.5 : 0.3) * tau));
    },
    diag: null,
  },
  // non-convex row penalties (no three-point inequality or Moreau decomposition): the prox is the global
  // minimiser, checked against random perturbations and the brute-force grid; T = 1: the firm (MCP) and
  // SCAD thresholds of Zhang (2010) and Fan & Li (2001), valid for τ < γ and τ < a − 1
  ...[3, 1.2].map((g): Row => ({
    name: `block MCP γ = ${g} (non-convex)`,
    make: (_d, T) => new BlockMcpPenalty(0.7, g, T),
    shapes: [[4, 3], [1, 2], [3, 1], [2, 5]],
    convex: false,
    t1: g === 3 ? (v, tau) => v.map((x) => (Math.abs(x) > g * 0.7 ? x : soft(x, 0.7 * tau) / (1 - tau / g))) : null,
    diag: null,
  })),
  {
    name: 'block SCAD a = 3.7 (non-convex)',
    make: (_d, T) => new BlockScadPenalty(0.7, 3.7, T),
    shapes: [[4, 3], [1, 2], [3, 1], [2, 5]],
    convex: false,
    t1: (v, tau) => v.map((x) => {
      const a = 3.7, l = 0.7, ax = Math.abs(x);
      if (ax <= l * (1 + tau)) return soft(x, l * tau);
      return ax <= a * l ? ((a - 1) * x - Math.sign(x) * a * l * tau) / (a - 1 - tau) : x;
    }),
    diag: null,
  },
];

function phi(h: Penalty, z: Float64Array, v: Float64Array, tau: number): number {
  let s = 0;
  for (let i = 0; i < z.length; i++) s += 0.5 * (z[i]! - v[i]!) ** 2;
  const hv = h.value(z);
  return hv === 0 ? s : s + tau * hv;
}

function dist2(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s;
}

function proxOf(h: Penalty, v: Float64Array, tau: number): Float64Array {
  const out = new Float64Array(v.length);
  h.prox(v, tau, out);
  return out;
}

/** A random input; symmetric for the spectral sets (their domain is the symmetric matrices). */
function input(row: Row, d: number, T: number, rnd: () => number, scale: number): Float64Array {
  const n = row.size ? row.size(d, T) : d * T;
  const g = gaussian(rnd);
  const v = new Float64Array(n).map(() => scale * g());
  if (row.feasible && row.size) {
    // symmetrise T×T inputs
    for (let i = 0; i < T; i++) for (let j = 0; j < i; j++) v[i * T + j] = v[j * T + i]!;
  }
  return v;
}

for (const row of ROWS) {
  describe(`prox table: ${row.name}`, () => {
    it('beats random perturbations (or random feasible points)', () => {
      const rnd = mulberry32(11);
      for (const [d, T] of row.shapes) {
        for (let rep = 0; rep < 20; rep++) {
          const h = row.make(d, T);
          const tau = 0.2 + 2 * rnd();
          const v = input(row, d, T, rnd, rep % 4 === 0 ? 0.1 : 1.5);
          const z = proxOf(h, v, tau);
          if (row.feasible) {
            assert.equal(h.value(z), 0, 'the projection is feasible');
            const dz = dist2(z, v);
            for (let k = 0; k < 30; k++) {
              const p = row.feasible(d, T, rnd);
              assert.ok(dz <= dist2(p, v) + 1e-10, `‖P(v) − v‖² = ${dz} > ‖p − v‖² = ${dist2(p, v)}`);
            }
            continue;
          }
          const f0 = phi(h, z, v, tau);
          const g = gaussian(rnd);
          for (let k = 0; k < 30; k++) {
            const eps = k < 15 ? 1e-3 : 1e-1;
            const p = z.map((x) => x + eps * g());
            // also perturb along single coordinates, including from 0
            if (k % 5 === 0) p.set(z), (p[k % p.length] = z[k % p.length]! + eps * (k % 2 ? 1 : -1));
            assert.ok(f0 <= phi(h, p, v, tau) + 1e-12 * Math.max(1, Math.abs(f0)), `φ(prox) = ${f0} > φ(perturbed) = ${phi(h, p, v, tau)}`);
          }
        }
      }
    });

    if (row.convex) {
      it('satisfies the three-point inequality ⟨v − z*, z − z*⟩ ≤ τ(h(z) − h(z*))', () => {
        const rnd = mulberry32(12);
        for (const [d, T] of row.shapes) {
          for (let rep = 0; rep < 20; rep++) {
            const h = row.make(d, T);
            const tau = 0.1 + rnd();
            const v = input(row, d, T, rnd, 1.5);
            const z = proxOf(h, v, tau);
            const hz = h.value(z);
            for (let k = 0; k < 20; k++) {
              const p = row.feasible ? row.feasible(d, T, rnd) : input(row, d, T, rnd, 1.5);
              let ip = 0;
              for (let i = 0; i < v.length; i++) ip += (v[i]! - z[i]!) * (p[i]! - z[i]!);
              const rhs = tau * (h.value(p) - hz);
              assert.ok(ip <= rhs + 1e-9 * (1 + Math.abs(rhs)), `three-point: ${ip} > ${rhs}`);
            }
          }
        }
      });
    }

    if (row.norm) {
      it('satisfies the Moreau decomposition: v − z* in the dual ball τλB*, ⟨v − z*, z*⟩ = τλΩ(z*)', () => {
        const rnd = mulberry32(13);
        for (const [d, T] of row.shapes) {
          for (let rep = 0; rep < 20; rep++) {
            const h = row.make(d, T) as NormPenalty;
            const tau = 0.1 + rnd();
            const v = input(row, d, T, rnd, rep % 3 === 0 ? 0.2 : 1.5);
            const z = proxOf(h, v, tau);
            const r = v.map((x, i) => x - z[i]!);
            const rad = tau * h.weight;
            assert.ok(h.dualNorm(r) <= rad * (1 + 1e-10) + 1e-14, `Ω*(v − z*) = ${h.dualNorm(r)} > τλ = ${rad}`);
            let ip = 0;
            for (let i = 0; i < v.length; i++) ip += r[i]! * z[i]!;
            const want = rad * h.norm(z);
            assert.ok(Math.abs(ip - want) <= 1e-10 * (1 + Math.abs(want)), `⟨v − z*, z*⟩ = ${ip}, τλΩ(z*) = ${want}`);
          }
        }
      });
    }

    if (row.conjProx) {
      it('satisfies the Moreau identity v = prox_{τh}(v) + τ prox_{h*/τ}(v/τ)', () => {
        const rnd = mulberry32(14);
        for (const [d, T] of row.shapes) {
          const h = row.make(d, T);
          const tau = 0.3 + rnd();
          const v = input(row, d, T, rnd, 1.5);
          const z = proxOf(h, v, tau);
          const c = row.conjProx!(v.map((x) => x / tau), 1 / tau);
          for (let i = 0; i < v.length; i++) assert.ok(Math.abs(z[i]! + tau * c[i]! - v[i]!) <= 1e-12 * (1 + Math.abs(v[i]!)));
        }
      });
    }

    const tiny = row.shapes.find(([d, T]) => (row.size ? row.size(d, T) : d * T) === 2);
    if (tiny && !row.feasible) {
      it('equals the brute-force minimum on a grid (2 variables)', () => {
        const rnd = mulberry32(15);
        const [d, T] = tiny;
        for (let rep = 0; rep < 6; rep++) {
          const h = row.make(d, T);
          const tau = 0.3 + rnd();
          const v = input(row, d, T, rnd, 1.5);
          const z = proxOf(h, v, tau);
          // grid search on [−4, 4]² with step 0.01, then a finer grid around the best point
          let best = Infinity, bx = 0, by = 0;
          const p = new Float64Array(2);
          for (let a = -400; a <= 400; a++) {
            for (let b = -400; b <= 400; b++) {
              p[0] = a / 100; p[1] = b / 100;
              const f = phi(h, p, v, tau);
              if (f < best) { best = f; bx = p[0]; by = p[1]; }
            }
          }
          for (let a = -100; a <= 100; a++) {
            for (let b = -100; b <= 100; b++) {
              p[0] = bx + a / 1e4; p[1] = by + b / 1e4;
              const f = phi(h, p, v, tau);
              if (f < best) best = f;
            }
          }
          const fz = phi(h, z, v, tau);
          assert.ok(fz <= best + 1e-12, `φ(prox) = ${fz} above the grid minimum ${best}`);
          assert.ok(best - fz <= 1e-6, `grid minimum ${best} far below φ(prox) = ${fz}`);
        }
      });
    }

    if (row.t1) {
      it('reduces to its closed form for T = 1', () => {
        const rnd = mulberry32(16);
        for (const d of [1, 3, 5]) {
          const h = row.make(d, 1);
          const tau = 0.2 + rnd();
          const v = input(row, d, 1, rnd, 1.5);
          const z = proxOf(h, v, tau);
          const want = row.t1!(v, tau);
          for (let i = 0; i < v.length; i++) assert.ok(Math.abs(z[i]! - want[i]!) <= 1e-12 * (1 + Math.abs(want[i]!)), `${z[i]} vs ${want[i]}`);
        }
      });
    }

    if (row.diag) {
      it('acts on the diagonal of a diagonal input', () => {
        const rnd = mulberry32(17);
        for (const n of [2, 3, 4]) {
          const h = row.make(n, n);
          const tau = 0.2 + rnd();
          const g = gaussian(rnd);
          const dg = new Float64Array(n).map(() => 1.5 * g());
          const v = new Float64Array(n * n);
          for (let i = 0; i < n; i++) v[i * n + i] = dg[i]!;
          const z = proxOf(h, v, tau);
          const want = row.diag!(dg, tau);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              const w = i === j ? want[i]! : 0;
              assert.ok(Math.abs(z[i * n + j]! - w) <= 1e-10 * (1 + Math.abs(w)), `(${i}, ${j}): ${z[i * n + j]} vs ${w}`);
            }
          }
        }
      });
    }
  });
}
