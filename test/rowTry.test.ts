/**
 * Anderson's tries in a scratch residual (issue #11): the kernel `axpy_rows_cols` against its JavaScript twin
 * (odd n, T = 1, 2, 3, 5, 8, repeated columns, zero coefficients), bit for bit; the residual state's
 * `tryRows` + `acceptRows` against the row-by-row route `bcd` used before (the same state, bit for bit),
 * a rejected try leaving the state untouched; fits with and without the scratch route agree and are certified.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { createBcdDatafit, type BcdDatafit, type RowDualTerms } from '../src/solvers/bcdDatafit.js';
import { bcd } from '../src/solvers/bcd.js';
import { groupNormRowPenalty } from '../src/models/groupLassoCore.js';
import { axpyRowsColsJs } from '../src/solvers/bcdKernels.js';
import { wasm } from '../src/linalg/wasm/runtime.js';
import { allocF64, allocI32 } from '../src/linalg/wasm/matrix.js';
import { kernelBackend } from '../src/linalg/blas.js';
import { rowNorm, groupLassoLambdaMax } from '../src/index.js';
import { mulberry32, sharedProblem } from './helpers/random.js';

describe('axpy_rows_cols', () => {
  for (const n of [1, 2, 7, 33, 200]) {
    for (const T of [1, 2, 3, 5, 8]) {
      test(`kernel = JavaScript twin, n = ${n}, T = ${T}`, { skip: wasm === null || !wasm.shared }, () => {
        const rnd = mulberry32(7 * n + T), d = 6, p = 5;
        const X = allocF64(d * n), R = allocF64(T * n), al = allocF64(p * T), cols = allocI32(p);
        for (let i = 0; i < d * n; i++) X[i] = rnd() - 0.5;
        for (let i = 0; i < T * n; i++) R[i] = rnd() - 0.5;
        for (let i = 0; i < p * T; i++) al[i] = i % 3 === 1 ? 0 : rnd() - 0.5;
        Int32Array.from([3, 0, 5, 3, 1]).forEach((c, a) => { cols[a] = c; });
        const Rj = Float64Array.from(R);
        axpyRowsColsJs(p, T, n, Int32Array.from(cols), Float64Array.from(al), Float64Array.from(X), Rj);
        wasm!.k.axpy_rows_cols(p, T, n, cols.byteOffset, al.byteOffset, X.byteOffset, R.byteOffset);
        assert.deepEqual(Array.from(R), Array.from(Rj));
      });
    }
  }
});

/** The route bcd takes without `tryRows`: row by row through updateRow (δ = x − w, unchanged rows skipped). */
function setRowsRoute(f: BcdDatafit, ws: Int32Array, p: number, W: Float64Array, x: Float64Array): void {
  const T = f.T, delta = new Float64Array(T);
  for (let a = 0; a < p; a++) {
    const o = ws[a]! * T;
    let changed = false;
    for (let t = 0; t < T; t++) { delta[t] = x[a * T + t]! - W[o + t]!; if (delta[t] !== 0) changed = true; }
    if (!changed) continue;
    for (let t = 0; t < T; t++) W[o + t] = x[a * T + t]!;
    f.updateRow(ws[a]!, delta, ws, p);
  }
}

describe('residual state: tryRows', () => {
  const n = 201, d = 300, T = 5;
  const data = sharedProblem(n, d, T, 20, 31).data;
  const loss = new QuadraticLoss(data);
  const rnd = mulberry32(5);
  const W = new Float64Array(d * T);
  for (let j = 0; j < d; j += 7) for (let t = 0; t < T; t++) W[j * T + t] = rnd() - 0.5;
  const ws = Int32Array.from({ length: 40 }, (_, a) => 7 * a), p = ws.length;
  // the new rows: some unchanged, some zeroed, some moved
  const x = new Float64Array(p * T);
  for (let a = 0; a < p; a++) for (let t = 0; t < T; t++) x[a * T + t] = a % 4 === 0 ? W[ws[a]! * T + t]! : a % 4 === 1 ? 0 : rnd() - 0.5;

  test('accepted: the same state as the row-by-row route, bit for bit', { skip: kernelBackend() !== 'wasm' || wasm === null || !wasm.shared }, () => {
    const f = createBcdDatafit(loss, 'residual'), g = createBcdDatafit(loss, 'residual');
    const Wf = Float64Array.from(W), Wg = Float64Array.from(W);
    f.reset(Wf); g.reset(Wg);
    const tried: RowDualTerms = { value: 0, innerY: 0 };
    assert.equal(f.tryRows!(ws, p, Wf, x, tried), true);
    f.acceptRows!();
    for (let a = 0; a < p; a++) for (let t = 0; t < T; t++) Wf[ws[a]! * T + t] = x[a * T + t]!;
    setRowsRoute(g, ws, p, Wg, x);
    assert.deepEqual(Array.from(Wf), Array.from(Wg));
    const Vf = new Float64Array(d * T), Vg = new Float64Array(d * T), df: RowDualTerms = { value: 0, innerY: 0 }, dg: RowDualTerms = { value: 0, innerY: 0 };
    f.fullNegGradient(Wf, Vf); g.fullNegGradient(Wg, Vg);
    f.internalDualTerms(Wf, df); g.internalDualTerms(Wg, dg);
    assert.deepEqual(Array.from(Vf), Array.from(Vg));
    assert.deepEqual(df, dg);
    assert.deepEqual(tried, dg);
  });

  test('not accepted: the state is untouched', { skip: kernelBackend() !== 'wasm' || wasm === null || !wasm.shared }, () => {
    const f = createBcdDatafit(loss, 'residual');
    const Wf = Float64Array.from(W);
    f.reset(Wf);
    const V0 = new Float64Array(d * T), V1 = new Float64Array(d * T), d0: RowDualTerms = { value: 0, innerY: 0 }, d1: RowDualTerms = { value: 0, innerY: 0 };
    f.fullNegGradient(Wf, V0); f.internalDualTerms(Wf, d0);
    assert.equal(f.tryRows!(ws, p, Wf, x, d1), true);
    assert.notEqual(d1.value, d0.value);
    f.fullNegGradient(Wf, V1); f.internalDualTerms(Wf, d1);
    assert.deepEqual(Array.from(V1), Array.from(V0));
    assert.deepEqual(d1, d0);
  });

  test('fits with and without the scratch route: both certified, the same objective within tol', () => {
    const fit = sharedProblem(200, 500, 5, 50, 1705).data;
    const fl = new QuadraticLoss(fit);
    const lambda = 0.01 * groupLassoLambdaMax(fit, { q: 2, fitIntercept: false });
    const tolAbs = 1e-6 * fl.valueAtZero();
    const h = groupNormRowPenalty(rowNorm(2, 5), lambda, 5);
    const a = createBcdDatafit(fl, 'residual');
    let accepted = 0;
    const accept = a.acceptRows?.bind(a);
    if (accept) a.acceptRows = () => { accepted++; accept(); };
    const b = createBcdDatafit(fl, 'residual');
    Object.defineProperty(b, 'tryRows', { value: undefined });
    const ra = bcd(a, h, new Float64Array(500 * 5), { tolAbs, maxIter: 100000, samples: 200 });
    const rb = bcd(b, h, new Float64Array(500 * 5), { tolAbs, maxIter: 100000, samples: 200 });
    assert.equal(ra.status, 'converged');
    assert.equal(rb.status, 'converged');
    assert.ok(ra.gap <= tolAbs && rb.gap <= tolAbs);
    assert.ok(Math.abs(ra.primal - rb.primal) <= tolAbs, `objectives ${ra.primal} vs ${rb.primal}`);
    if (kernelBackend() === 'wasm' && wasm !== null && wasm.shared) assert.ok(accepted > 0, 'no try was accepted');
  });
});
