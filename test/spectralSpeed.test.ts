// Tests of the #12 speed work on the spectral solvers (session 3): the Lanczos Lipschitz estimate of the
// shared Gram, the Gram by symmetric rank-k blocks, the trace-norm λ_max from the Gram backend, the
// Woodbury W-step of the matrix-fractional alternation and the clustered model on the row side. All seeded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asoConvex, clusteredConvex, MultiTaskData, symEig } from '../src/index.js';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { quadraticDatafit } from '../src/datafits/state.js';
import { taskNormalEquations } from '../src/datafits/normalEquations.js';
import { spectralLipschitz } from '../src/solvers/spectralTools.js';
import { traceNorm, traceNormLambdaMax } from '../src/models/traceNorm.js';
import { MatrixFractional } from '../src/solvers/matrixFractional.js';
import { FractionalRowStep } from '../src/solvers/fractionalRowStep.js';
import { TaskQuadratic } from '../src/solvers/taskQuadratic.js';
import { choleskySolve } from '../src/linalg/cholesky.js';
import { gaussian, mulberry32, perTaskProblem, sharedProblem } from './helpers/random.js';

function sharedData(n: number, d: number, T: number, seed: number): MultiTaskData {
  const g = gaussian(mulberry32(seed));
  const X = Float64Array.from({ length: n * d }, () => g() + 0.3);
  const Y = Float64Array.from({ length: n * T }, () => g());
  return MultiTaskData.fromShared({ rows: n, cols: d, data: X }, { rows: n, cols: T, data: Y });
}

describe('spectral solvers: shared-Gram helpers', () => {
  test('the Lanczos Lipschitz constant is 1.01 · 2 s_max λ_max(G) (symEig of the Gram), and the design\'s power iteration agrees', () => {
    for (const [n, d, seed] of [[80, 30, 1], [40, 60, 2], [200, 1, 3]] as const) {
      const data = sharedData(n, d, 4, seed);
      const loss = new QuadraticLoss(data, { lossScale: 'mean', fitIntercept: true });
      const f = quadraticDatafit(loss, 'gram');
      const G = taskNormalEquations(loss).gram(0);
      const lmax = symEig({ rows: d, cols: d, data: Float64Array.from(G) }).values.reduce((a, b) => Math.max(a, b), 0);
      let smax = 0;
      for (let t = 0; t < loss.T; t++) smax = Math.max(smax, loss.scales[t]!);
      const L = spectralLipschitz(f, loss);
      assert.ok(Math.abs(L / (1.01 * 2 * smax * lmax) - 1) < 1e-8, `n=${n} d=${d}: ${L} vs ${1.01 * 2 * smax * lmax}`);
      const Ldesign = loss.lipschitz(); // 1.01 × power iteration on X̃ itself, an independent estimate
      assert.ok(Ldesign <= L * (1 + 1e-9) && Ldesign >= L * (1 - 1e-4), `n=${n} d=${d}: design ${Ldesign} vs Gram ${L}`);
    }
  });

  test('the centred Gram by row blocks equals X̃ᵀX̃ from an explicitly centred copy, and is exactly symmetric', () => {
    const n = 300, d = 150; // several row blocks of ⌊2^15/d⌋ rows
    const data = sharedData(n, d, 2, 7);
    const loss = new QuadraticLoss(data, { lossScale: 'sum', fitIntercept: true });
    const G = taskNormalEquations(loss).gram(0);
    const X = data.X!;
    const mu = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mu[j]! += X[i * d + j]! / n;
    let worst = 0, asym = 0, scale = 0;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += (X[i * d + a]! - mu[a]!) * (X[i * d + b]! - mu[b]!);
        worst = Math.max(worst, Math.abs(G[a * d + b]! - s));
        asym = Math.max(asym, Math.abs(G[a * d + b]! - G[b * d + a]!));
        scale = Math.max(scale, Math.abs(s));
      }
    }
    assert.ok(worst <= 1e-12 * scale, `max deviation ${worst} (scale ${scale})`);
    assert.equal(asym, 0);
  });

  test('traceNorm reports λ_max = traceNormLambdaMax with either backend, and W = 0 at λ = λ_max', () => {
    const data = sharedData(120, 20, 6, 11);
    const ref = traceNormLambdaMax(data);
    for (const backend of ['gram', 'residual'] as const) {
      const fit = traceNorm(data, { lambda: ref, backend });
      assert.ok(Math.abs(fit.lambdaMax / ref - 1) < 1e-12, `${backend}: ${fit.lambdaMax} vs ${ref}`);
      assert.equal(fit.rank, 0);
    }
  });
});

describe('matrix-fractional alternation: the row-side W-step', () => {
  test('the Woodbury step solves (H_t + 2c(ηI + M)⁻¹) w_t = b_t like a direct solve of the assembled system (per-task and shared designs)', () => {
    const problems = [perTaskProblem([15, 12, 20, 9], 10, 2, 31).data, sharedProblem(40, 9, 3, 2, 32).data];
    for (const data of problems) {
      const { d, T } = data;
      const loss = new QuadraticLoss(data, { lossScale: 'mean', fitIntercept: true });
      const q = new TaskQuadratic(loss);
      const eta = 0.3, c = 0.7;
      const pen = new MatrixFractional(d, T, 'rows', 2, eta, c);
      const step = new FractionalRowStep(q, pen);
      const g = gaussian(mulberry32(d + T));
      for (let rep = 0; rep < 3; rep++) {
        const W0 = Float64Array.from({ length: d * T }, () => g());
        pen.evaluate(W0);
        const W = new Float64Array(d * T);
        step.solve(W);
        // reference: assemble A_t = H_t + 2cP and solve by Cholesky
        const P = pen.shiftedInverse(), blk = new Float64Array(d * d), A = new Float64Array(d * d);
        let worst = 0, scale = 0;
        for (let t = 0; t < T; t++) {
          q.block(t, blk);
          for (let k = 0; k < d * d; k++) A[k] = blk[k]! + 2 * c * P[k]!;
          const b = Float64Array.from({ length: d }, (_, j) => q.B[j * T + t]!), x = new Float64Array(d);
          assert.ok(choleskySolve(d, A, b, x));
          for (let j = 0; j < d; j++) {
            worst = Math.max(worst, Math.abs(W[j * T + t]! - x[j]!));
            scale = Math.max(scale, Math.abs(x[j]!));
          }
        }
        assert.ok(worst <= 1e-11 * scale, `d=${d} T=${T}: max deviation ${worst} (scale ${scale})`);
      }
      assert.ok(step.woodburySteps >= 2, `Woodbury steps: ${step.woodburySteps}`); // the first may run directly
    }
  });

  // d = 60 > T = 5 and T·d³ ≥ 1e6: the clustered model runs the row-side alternation with Woodbury steps
  const wide = () => perTaskProblem([90, 100, 80, 95, 85], 60, 2, 41).data;
  test('clustered (d > T, row-side alternation with Woodbury steps) equals the joint FISTA to 1e-8 and convex ASO (h = k)', () => {
    const data = wide();
    const alt = clusteredConvex(data, { rho1: 0.6, rho2: 0.2, k: 2, tol: 1e-12 });
    const fi = clusteredConvex(data, { rho1: 0.6, rho2: 0.2, k: 2, tol: 1e-11, solver: 'fista', maxIter: 300000 });
    const aso = asoConvex(data, { rho1: 0.6, rho2: 0.2, h: 2, tol: 1e-12 });
    assert.ok(alt.converged && fi.converged && aso.converged, `${alt.status} ${fi.status} ${aso.status}`);
    let diff = 0, scale = 0;
    for (let i = 0; i < alt.W.data.length; i++) {
      diff = Math.max(diff, Math.abs(alt.W.data[i]! - fi.W.data[i]!), Math.abs(aso.W.data[i]! - fi.W.data[i]!));
      scale = Math.max(scale, Math.abs(fi.W.data[i]!));
    }
    assert.ok(diff <= 1e-8 * scale, `max |ΔW| ${diff} vs scale ${scale}`);
    assert.ok(Math.abs(alt.objective - fi.objective) <= 1e-11 * Math.abs(fi.objective), `${alt.objective} vs ${fi.objective}`);
    // M is the clustered one (T×T, feasible)
    assert.equal(alt.M.rows, data.T);
    let tr = 0;
    for (let t = 0; t < data.T; t++) tr += alt.M.data[t * data.T + t]!;
    assert.ok(Math.abs(tr - 2) < 1e-10 && alt.eigenvalues.every((v) => v > -1e-10 && v < 1 + 1e-10));
  });

  test('clustered (d > T): the gap upper-bounds the suboptimality of early iterates; a capped run is not converged', () => {
    const data = wide();
    const best = clusteredConvex(data, { rho1: 0.6, rho2: 0.2, k: 2, tol: 1e-13, maxIter: 5000 });
    for (const maxIter of [1, 2, 4]) {
      const early = clusteredConvex(data, { rho1: 0.6, rho2: 0.2, k: 2, tol: 0, maxIter });
      const sub = early.objective - best.objective;
      assert.ok(sub >= -1e-12 * Math.abs(best.objective) && sub <= early.gap * (1 + 1e-9) + 1e-13 * Math.abs(best.objective), `maxIter ${maxIter}: ${sub} vs gap ${early.gap}`);
      assert.equal(early.converged, false);
      assert.equal(early.status, 'max-iterations');
      assert.ok(Number.isFinite(early.certificate) && early.certificate > 0);
    }
  });
});
