// Reliability of the task-relation family (#13 items 1, 2, 7; #14 item 1; unknown options): data near the
// floating-point range and overflowing warm starts end with status 'non-finite' within the iteration cap
// (no hang, never `converged: true`), `converged` implies a finite certificate ≤ the tolerance, misspelt
// options and non-integer seeds are rejected with the argument named, matrix options accept every form.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix } from 'ml-matrix';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { asoConvex } from '../src/models/asoConvex.js';
import { clusteredConvex } from '../src/models/clusteredConvex.js';
import { clusteredMeanRegularized } from '../src/models/clusteredMeanRegularized.js';
import { graphRegularized } from '../src/models/graphRegularized.js';
import { meanRegularized } from '../src/models/meanRegularized.js';
import { relatedTasks } from './helpers/taskRelationsData.js';

const base = relatedTasks({ d: 6, T: 5, n: [14, 20, 11, 17, 15], seed: 61, offsets: true }).data;
const { d, T } = base;
/** The same tasks with X and y scaled by `s`. */
function scaled(s: number): MultiTaskData {
  return MultiTaskData.fromTasks(Array.from({ length: T }, (_, t) => {
    const { X, y } = base.task(t);
    return { X: { rows: X.rows, cols: d, data: X.data.map((v) => v * s) }, y: y.map((v) => v * s) };
  }));
}
const chain = { edges: Array.from({ length: T - 1 }, (_, t) => [t, t + 1] as [number, number]) };

type AnyFit = { converged: boolean; status?: string; certificate: number; iterations: number; options: { tol?: number } };
const models: { name: string; fit: (data: MultiTaskData, extra: Record<string, unknown>) => AnyFit }[] = [
  { name: 'meanRegularized A exact', fit: (D, e) => meanRegularized(D, { form: 'A', rho: 0.5, lambda: 3, ...e }) },
  { name: 'meanRegularized B fista', fit: (D, e) => meanRegularized(D, { form: 'B', lambda: 0.1, solver: 'fista', ...e }) },
  { name: 'graphRegularized pcg', fit: (D, e) => graphRegularized(D, { rho1: 0.5, graph: chain, ...e }) },
  { name: 'graphRegularized cd', fit: (D, e) => graphRegularized(D, { rho1: 0.5, rho2: 0.01, graph: chain, ...e }) },
  { name: 'graphRegularized fista', fit: (D, e) => graphRegularized(D, { rho1: 0.5, rho2: 0.01, graph: chain, solver: 'fista', ...e }) },
  { name: 'asoConvex', fit: (D, e) => asoConvex(D, { rho1: 0.5, rho2: 0.3, h: 2, ...e }) },
  { name: 'asoConvex fista', fit: (D, e) => asoConvex(D, { rho1: 0.5, rho2: 0.3, h: 2, solver: 'fista', ...e }) },
  { name: 'clusteredConvex', fit: (D, e) => clusteredConvex(D, { rho1: 0.5, rho2: 0.3, k: 2, ...e }) },
  { name: 'clusteredConvex fista', fit: (D, e) => clusteredConvex(D, { rho1: 0.5, rho2: 0.3, k: 2, solver: 'fista', ...e }) },
  { name: 'clusteredMeanRegularized', fit: (D, e) => clusteredMeanRegularized(D, { k: 2, lambda: 0.1, restarts: 2, ...e }) },
];

describe('task relations: non-finite values end the fit within the cap, never converged', () => {
  for (const m of models) {
    it(`${m.name}: data scaled by 1e154`, () => {
      let D: MultiTaskData;
      try {
        D = scaled(1e154);
      } catch (e) {
        // the data object refuses data whose sums of squares overflow (#13 item 5), naming the factor to divide by
        assert.ok(e instanceof RangeError && /overflow/.test(e.message), String(e));
        return;
      }
      const fit = m.fit(D, { maxIter: 3 });
      assert.equal(fit.converged, false, `${m.name}: converged with certificate ${fit.certificate}`);
      assert.equal(fit.status, 'non-finite');
      assert.ok(fit.iterations <= 3);
    });
  }
  for (const m of models.filter((x) => /meanRegularized B|graphRegularized/.test(x.name))) {
    it(`${m.name}: a warm start of 1e300`, () => {
      const fit = m.fit(base, { maxIter: 5, warmStart: { rows: d, cols: T, data: new Float64Array(d * T).fill(1e300) } });
      assert.equal(fit.converged, false);
      assert.equal(fit.status, 'non-finite');
      assert.ok(fit.iterations <= 5);
    });
  }
  it('clusteredMeanRegularized with λ = 1e300 does not claim convergence with a NaN certificate', () => {
    const fit = clusteredMeanRegularized(base, { k: 2, lambda: 1e300, restarts: 1 });
    assert.ok(!fit.converged || (Number.isFinite(fit.certificate) && fit.certificate <= 1e-8 * fit.certificateScale), `${fit.status} ${fit.certificate}`);
  });
});

describe('task relations: converged ⇒ a finite certificate ≤ tol (and a status)', () => {
  for (const m of models) {
    it(m.name, () => {
      const fit = m.fit(base, {});
      assert.ok(fit.converged, `${m.name}: ${fit.status} ${fit.certificate}`);
      assert.equal(fit.status, 'converged');
      assert.ok(Number.isFinite(fit.certificate));
    });
  }
});

describe('task relations: option validation', () => {
  it('misspelt options are rejected, naming the closest valid one', () => {
    for (const m of models) {
      assert.throws(() => m.fit(base, { maxiter: 10 }), (e: unknown) => e instanceof RangeError && /unknown option 'maxiter' \(did you mean maxIter\?\)/.test(e.message), m.name);
      assert.throws(() => m.fit(base, { tolerance: 1e-3 }), (e: unknown) => e instanceof RangeError && /unknown option 'tolerance'/.test(e.message), m.name);
    }
    assert.throws(() => meanRegularized(base, { form: 'B', lambda: 0.1, rho: 1 } as never), /unknown option 'rho'/);
  });
  it('non-integer seeds are rejected by the clustered models (not truncated)', () => {
    assert.throws(() => clusteredConvex(base, { rho1: 0.5, rho2: 0.3, k: 2, seed: 1.5 }), (e: unknown) => e instanceof RangeError && /seed: expected an integer/.test(e.message));
    assert.throws(() => clusteredMeanRegularized(base, { k: 2, lambda: 0.1, seed: 2.7 }), (e: unknown) => e instanceof RangeError && /seed: expected an integer/.test(e.message));
    assert.throws(() => clusteredMeanRegularized(base, { k: 2, lambda: 0.1, seed: 2 ** 40 }), /seed/);
  });
  it('warm starts accept number[][], ml-matrix Matrix and Mat, and say what they received', () => {
    const arr = Array.from({ length: d }, () => new Array<number>(T).fill(0.1));
    const a = meanRegularized(base, { form: 'B', lambda: 0.1, solver: 'fista', warmStart: arr, maxIter: 3, tol: 0 });
    const b = meanRegularized(base, { form: 'B', lambda: 0.1, solver: 'fista', warmStart: new Matrix(arr), maxIter: 3, tol: 0 });
    const c = meanRegularized(base, { form: 'B', lambda: 0.1, solver: 'fista', warmStart: { rows: d, cols: T, data: new Float64Array(d * T).fill(0.1) }, maxIter: 3, tol: 0 });
    assert.deepEqual(a.W.data, b.W.data);
    assert.deepEqual(a.W.data, c.W.data);
    assert.throws(() => meanRegularized(base, { form: 'B', lambda: 0.1, warmStart: [[1, 2]] }), (e: unknown) => e instanceof RangeError && /warmStart: expected a d×T = 6×5 matrix, got 1×2/.test(e.message));
    assert.throws(() => graphRegularized(base, { rho1: 1, graph: chain, warmStart: 'W' as never }), (e: unknown) => e instanceof TypeError && /warmStart: .*got "W"/.test(e.message));
  });
});
