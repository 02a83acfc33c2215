/**
 * {@link WarmResidualState} (issue #11): a residual BCD state goes on from one fit to the next when the
 * new start is the W the last fit returned — no recomputation of R, and the last full gradient reused —
 * and is recomputed whenever the start differs, so every fit ends where a fit on a fresh state does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { createBcdDatafit, type BcdDatafit } from '../src/solvers/bcdDatafit.js';
import { bcd } from '../src/solvers/bcd.js';
import { rowNorm } from '../src/penalties/index.js';
import { groupNormRowPenalty } from '../src/models/groupLassoCore.js';
import { MAX_SKIPS, WarmResidualState } from '../src/models/warmResidualState.js';
import { groupLasso, groupLassoLambdaMax } from '../src/models/groupLasso.js';
import { path } from '../src/selection/path.js';
import { sharedProblem } from './helpers/random.js';

/** The state, with its resets and full gradients counted. */
function counted(f: BcdDatafit): { f: BcdDatafit; resets: () => number; full: () => number } {
  let resets = 0, full = 0;
  const p = new Proxy(f, {
    get(target, key, recv) {
      const v = Reflect.get(target, key, recv) as unknown;
      if (key === 'reset') return (W: Float64Array) => { resets++; f.reset(W); };
      if (key === 'fullNegGradient') {
        return (W: Float64Array, V: Float64Array, rows?: Int32Array, k?: number) => { if (rows === undefined) full++; f.fullNegGradient(W, V, rows, k); };
      }
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { f: p, resets: () => resets, full: () => full };
}

const n = 120, d = 300, T = 3;
const data = sharedProblem(n, d, T, 12, 21, 0.5, 0).data;
const loss = new QuadraticLoss(data, { fitIntercept: false });
const lmax = groupLassoLambdaMax(data, { q: 2, fitIntercept: false });
const tolAbs = 1e-10 * loss.valueAtZero();
const pen = (ratio: number) => groupNormRowPenalty(rowNorm(2, T), ratio * lmax, T);
const maxDiff = (a: Float64Array, b: Float64Array): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

test('a fit continuing from the last fit\'s W skips the reset and the first full gradient, and ends where a fresh state does', () => {
  const inner = counted(createBcdDatafit(loss, 'residual'));
  const warm = new WarmResidualState(inner.f);
  // no screening: the last check of a fit is then a full gradient, which the next fit's first check reuses
  const opts = { tolAbs, maxIter: 100000, screening: false };
  const a = bcd(warm, pen(0.3), new Float64Array(d * T), opts);
  warm.settle(a.W);
  const r0 = inner.resets(), g0 = inner.full();
  const b = bcd(warm, pen(0.2), a.W, opts);
  assert.equal(inner.resets(), r0, 'the state of a.W was recomputed');
  // the first check took the previous fit's last gradient: one full gradient fewer than checks
  assert.equal(inner.full() - g0, b.history.length - 1);
  const ref = bcd(createBcdDatafit(loss, 'residual'), pen(0.2), a.W, opts);
  assert.equal(b.status, 'converged');
  assert.ok(maxDiff(b.W, ref.W) <= 1e-7 * Math.max(...ref.W.map(Math.abs)), `W differs by ${maxDiff(b.W, ref.W)}`);
  assert.ok(Math.abs(b.primal - ref.primal) <= b.gap + ref.gap, `${b.primal} vs ${ref.primal}`);
});

test('a start that differs from the last fit\'s W in one entry recomputes the state: the same bits as a fresh state', () => {
  const inner = counted(createBcdDatafit(loss, 'residual'));
  const warm = new WarmResidualState(inner.f);
  const opts = { tolAbs, maxIter: 100000 };
  const a = bcd(warm, pen(0.3), new Float64Array(d * T), opts);
  warm.settle(a.W);
  const start = Float64Array.from(a.W);
  const j = start.findIndex((x) => x !== 0);
  start[j] = start[j]! * 1.5;
  const r0 = inner.resets();
  const b = bcd(warm, pen(0.2), start, opts);
  assert.equal(inner.resets(), r0 + 1);
  const ref = bcd(createBcdDatafit(loss, 'residual'), pen(0.2), start, opts);
  assert.deepEqual(b.W, ref.W);
  assert.equal(b.iterations, ref.iterations);
  // without settle (e.g. after a fit that ended non-finite) the state is recomputed as well
  const c = bcd(warm, pen(0.1), b.W, opts);
  assert.equal(inner.resets(), r0 + 2);
  assert.deepEqual(c.W, bcd(createBcdDatafit(loss, 'residual'), pen(0.1), b.W, opts).W);
});

test(`the state is recomputed from the data after ${MAX_SKIPS} continued fits (bounded drift)`, () => {
  const inner = counted(createBcdDatafit(loss, 'residual'));
  const warm = new WarmResidualState(inner.f);
  let W: Float64Array = new Float64Array(d * T);
  for (let k = 0; k < 2 * MAX_SKIPS + 2; k++) {
    const res = bcd(warm, pen(0.5 * Math.pow(0.9, k)), W, { tolAbs, maxIter: 100000 });
    warm.settle(res.W);
    W = res.W;
  }
  // fits 0, MAX_SKIPS + 1 and 2·MAX_SKIPS + 2 … reset: one in MAX_SKIPS + 1
  assert.equal(inner.resets(), 2);
});

test('a path on the kept state: every point certified, and equal to cold fits within their certificates', () => {
  const D = MultiTaskData.fromShared({ rows: n, cols: d, data: data.X! }, { rows: n, cols: T, data: data.Y! });
  const lambdas = Array.from({ length: 12 }, (_, k) => lmax * Math.pow(0.05, k / 11));
  const p = path(D, groupLasso, { lambdas }, { q: 2, fitIntercept: false, tol: 1e-9 });
  for (const [k, pt] of p.points.entries()) {
    assert.ok(pt.converged && pt.certificate <= 1e-9 * loss.valueAtZero(), `point ${k}`);
    const cold = groupLasso(data, { lambda: lambdas[k]!, q: 2, fitIntercept: false, tol: 1e-9 });
    assert.ok(Math.abs(pt.objective - cold.objective) <= pt.certificate + cold.certificate + 1e-14, `point ${k}: ${pt.objective} vs ${cold.objective}`);
  }
});
