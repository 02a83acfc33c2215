/**
 * The fused group-L2 sweep (issue #11) against bcd's generic row step: the same epochs, the same
 * iterates up to rounding, on residual states in the WebAssembly kernels and in JavaScript, with and
 * without a ridge term, from zero and from a warm start; the kernel's one-pass sweep (pending updates
 * fused with the next row's gradient) against the JavaScript twin on odd n and T = 1, 2, 3, 5, 8.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { createBcdDatafit } from '../src/solvers/bcdDatafit.js';
import { bcd, type BcdPenalty } from '../src/solvers/bcd.js';
import { groupNormRowPenalty } from '../src/models/groupLassoCore.js';
import { residualGroupL2Sweep, wasmResidualGroupL2Sweep, groupL2RowStep } from '../src/solvers/groupL2Sweep.js';
import { wasm } from '../src/linalg/wasm/runtime.js';
import { allocF64 } from '../src/linalg/wasm/matrix.js';
import { rowNorm, groupLassoLambdaMax } from '../src/index.js';
import { sharedProblem } from './helpers/random.js';
import { SharedResidualRows } from '../src/solvers/sharedResidualRows.js';
import { wasmKernelsInfo } from '../src/linalg/blas.js';

/** The same penalty without the fused-sweep capability (bcd then takes its generic step). */
function generic(h: BcdPenalty): BcdPenalty {
  return Object.create(h, { plainGroupL2: { value: false } }) as BcdPenalty;
}

function maxRel(a: Float64Array, b: Float64Array): number {
  let m = 0, s = 0;
  for (let i = 0; i < a.length; i++) { m = Math.max(m, Math.abs(a[i]! - b[i]!)); s = Math.max(s, Math.abs(b[i]!)); }
  return m / Math.max(s, 1e-300);
}

describe('fused group-L2 sweep', () => {
  for (const [n, d, T, ratio, ridge] of [[60, 120, 5, 0.1, 0], [200, 50, 3, 0.01, 0], [40, 80, 7, 0.05, 0.3], [30, 30, 1, 0.2, 0]] as const) {
    test(`${n}×${d}×${T} at ${ratio}·λmax, ρ = ${ridge}: fused and generic steps agree`, () => {
      const data = sharedProblem(n, d, T, 6, n + d + T).data;
      const lambda = ratio * groupLassoLambdaMax(data, { q: 2, fitIntercept: false });
      const loss = new QuadraticLoss(data);
      const tolAbs = 1e-10 * loss.valueAtZero();
      const run = (h: BcdPenalty, W0: Float64Array) => bcd(createBcdDatafit(loss, 'residual'), h, W0, { tolAbs, maxIter: 5000, ridge });
      const h = groupNormRowPenalty(rowNorm(2, T), lambda, T);
      const a = run(h, new Float64Array(d * T));
      const b = run(generic(groupNormRowPenalty(rowNorm(2, T), lambda, T)), new Float64Array(d * T));
      assert.equal(a.status, 'converged');
      assert.equal(b.status, 'converged');
      assert.ok(Math.abs(a.iterations - b.iterations) <= 2, `epochs ${a.iterations} vs ${b.iterations}`);
      assert.ok(maxRel(a.W, b.W) < 1e-7, `W differ by ${maxRel(a.W, b.W)}`);
      assert.ok(Math.abs(a.primal - b.primal) <= 1e-12 * loss.valueAtZero());
      // a warm start from a perturbed solution
      const W1 = Float64Array.from(a.W, (x, i) => (x === 0 ? 0 : x * (1 + 0.1 * Math.sin(i))));
      const c = run(h, W1), e = run(generic(h), W1);
      assert.equal(c.status, 'converged');
      assert.ok(Math.abs(c.primal - e.primal) <= 1e-12 * loss.valueAtZero());
    });
  }

  test('the JavaScript sweep equals the generic row step, row by row', () => {
    const n = 25, d = 12, T = 4;
    const data = sharedProblem(n, d, T, 4, 9).data;
    const loss = new QuadraticLoss(data);
    const lambda = 0.2 * groupLassoLambdaMax(data, { q: 2, fitIntercept: false });
    // plain arrays: X feature-major, R = Y task-major at W = 0
    const X = new Float64Array(d * n), R = new Float64Array(T * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X[j * n + i] = data.X![i * d + j]!;
    for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) R[t * n + i] = data.Y![i * T + t]!;
    const s = loss.scales;
    const Lrow = new Float64Array(d);
    for (let j = 0; j < d; j++) { let q = 0; for (let i = 0; i < n; i++) q += X[j * n + i]! ** 2; Lrow[j] = 2 * s[0]! * q; }
    const ws = Int32Array.from({ length: d }, (_, j) => j);
    const W = new Float64Array(d * T);
    const sweep = residualGroupL2Sweep(n, T, X, R, s);
    let prev = Infinity;
    for (let e = 0; e < 30; e++) {
      const worst = sweep(ws, d, W, Lrow, lambda, 0);
      assert.ok(Number.isFinite(worst));
      // R stays Y − XW
      for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) {
        let r = data.Y![i * T + t]!;
        for (let j = 0; j < d; j++) r -= data.X![i * d + j]! * W[j * T + t]!;
        assert.ok(Math.abs(r - R[t * n + i]!) < 1e-10);
      }
      // the objective never increases
      let F = 0;
      for (let k = 0; k < R.length; k++) F += s[Math.floor(k / n)]! * R[k]! ** 2;
      for (let j = 0; j < d; j++) { let q = 0; for (let t = 0; t < T; t++) q += W[j * T + t]! ** 2; F += lambda * Math.sqrt(q); }
      assert.ok(F <= prev + 1e-12 * Math.abs(prev));
      prev = F;
    }
  });

  for (const T of [1, 2, 3, 5, 8]) {
    for (const n of [17, 33]) {
      test(`kernel sweep (one pass over R per row) = JavaScript sweep, n = ${n}, T = ${T}`, { skip: wasm === null || !wasm.shared }, () => {
        const d = 14, data = sharedProblem(n, d, T, 3, 100 * T + n).data;
        const loss = new QuadraticLoss(data), s = loss.scales;
        // X feature-major, R = Y task-major at W = 0: resident copies for the kernel, heap copies for the twin
        const Xh = new Float64Array(d * n), Rh = new Float64Array(T * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xh[j * n + i] = data.X![i * d + j]!;
        for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) Rh[t * n + i] = data.Y![i * T + t]!;
        const Xw = allocF64(d * n), Rw = allocF64(T * n);
        Xw.set(Xh); Rw.set(Rh);
        const Lrow = new Float64Array(d);
        for (let j = 0; j < d; j++) { let q = 0; for (let i = 0; i < n; i++) q += Xh[j * n + i]! ** 2; Lrow[j] = 2 * s[0]! * q; }
        // λ between the row scores so that some rows stay at zero (no pending update after them) and some move
        const lambda = 0.3 * groupLassoLambdaMax(data, { q: 2, fitIntercept: false });
        const ws = Int32Array.from([3, 0, 1, 7, 2, 13, 5, 4, 12, 6, 8, 11, 9, 10]);
        const Wh = new Float64Array(d * T), Ww = new Float64Array(d * T);
        const js = residualGroupL2Sweep(n, T, Xh, Rh, s);
        const { sweep: kern, release } = wasmResidualGroupL2Sweep(wasm!.k, n, T, Xw, Rw, s);
        const scale = Math.max(...Array.from(Rh, Math.abs));
        let zeros = 0;
        for (let e = 0; e < 12; e++) {
          // the same subset each epoch, then the full set: p < d exercises the last pending update
          const p = e % 3 === 2 ? 9 : d;
          const a = js(ws, p, Wh, Lrow, lambda, e % 2 === 0 ? 0 : 0.2);
          const b = kern(ws, p, Ww, Lrow, lambda, e % 2 === 0 ? 0 : 0.2);
          assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, a), `epoch ${e}: violation ${a} vs ${b}`);
          assert.ok(maxRel(Ww, Wh) < 1e-9, `epoch ${e}: W differ by ${maxRel(Ww, Wh)}`);
          // R stays Ỹ − XW (task-major) in the kernel's state
          for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) {
            let r = data.Y![i * T + t]!;
            for (let j = 0; j < d; j++) r -= data.X![i * d + j]! * Ww[j * T + t]!;
            assert.ok(Math.abs(r - Rw[t * n + i]!) <= 1e-12 * scale, `epoch ${e}: R[${t}, ${i}]`);
          }
        }
        for (let j = 0; j < d; j++) if (Ww[j * T] === 0) zeros++;
        assert.ok(zeros > 0 && zeros < d, `zero rows ${zeros} of ${d}: both kinds of row are exercised`);
        release();
      });
    }
  }

  test('row step: the violation is dist(z, λ∂‖w‖) and the step is block soft-thresholding', () => {
    const out = new Float64Array(2);
    // w = 0, ‖z‖ = 5, λ = 2: violation 3; u = z/L = (1.5, 2), ‖u‖ = 2.5, τ = 1: w = 0.6·u
    assert.equal(groupL2RowStep(new Float64Array([0, 0]), 0, 2, new Float64Array([3, 4]), 2, 2, out), 3);
    assert.ok(Math.abs(out[0]! - 0.9) < 1e-15 && Math.abs(out[1]! - 1.2) < 1e-15);
    // w = (0.6, 0.8), z = λ w/‖w‖: optimal, so the violation is 0 and the step keeps w
    const w = new Float64Array([0.6, 0.8]);
    assert.equal(groupL2RowStep(w, 0, 2, new Float64Array([1.2, 1.6]), 4, 2, out), 0);
    assert.ok(Math.abs(out[0]! - 0.6) < 1e-15 && Math.abs(out[1]! - 0.8) < 1e-15);
    // L = 0: the row goes to 0
    groupL2RowStep(w, 0, 2, new Float64Array([1, 1]), 0, 2, out);
    assert.deepEqual(Array.from(out), [0, 0]);
  });

  test('column-panel residual state (large designs): fused and generic steps agree, plain and centred', { skip: !wasmKernelsInfo().sharedMemory }, () => {
    // n·d ≥ 2^18: the data object's X is resident, so the panel's row steps run in the kernels
    for (const fitIntercept of [false, true]) {
      const data = sharedProblem(600, 450, 3, 12, 77, 1, fitIntercept ? 2 : 0).data;
      const lambda = 0.05 * groupLassoLambdaMax(data, { q: 2, fitIntercept });
      const loss = new QuadraticLoss(data, { fitIntercept });
      const T = 3, d = 450, tolAbs = 1e-10 * loss.valueAtZero();
      const run = (h: BcdPenalty) => bcd(new SharedResidualRows(loss), h, new Float64Array(d * T), { tolAbs, maxIter: 5000 });
      const h = groupNormRowPenalty(rowNorm(2, T), lambda, T);
      const a = run(h), b = run(generic(h));
      assert.equal(a.status, 'converged');
      assert.equal(b.status, 'converged');
      assert.ok(Math.abs(a.iterations - b.iterations) <= 2, `epochs ${a.iterations} vs ${b.iterations}`);
      assert.ok(Math.abs(a.primal - b.primal) <= 1e-12 * loss.valueAtZero(), `objectives ${a.primal} vs ${b.primal}`);
      assert.ok(maxRel(a.W, b.W) < 1e-6, `W differ by ${maxRel(a.W, b.W)}`);
    }
  });
});
