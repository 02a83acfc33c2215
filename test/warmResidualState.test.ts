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
import { MAX_INFLATION, MAX_SKIPS, WarmResidualState, boundStaleRows } from '../src/models/warmResidualState.js';
import { groupLasso, groupLassoLambdaMax } from '../src/models/groupLasso.js';
import { path } from '../src/selection/path.js';
import { mulberry32, sharedProblem } from './helpers/random.js';

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

test('boundStaleRows: the listed rows exact, every other row\'s dual norm (q* = 1, 2, ∞) at least that of −∇_j f(W)', () => {
  const f = createBcdDatafit(loss, 'residual');
  const rnd = mulberry32(31);
  const dual = [(v: Float64Array) => v.reduce((a, x) => a + Math.abs(x), 0), (v: Float64Array) => Math.hypot(...v), (v: Float64Array) => Math.max(...v.map(Math.abs))];
  let written = 0;
  for (let trial = 0; trial < 30; trial++) {
    // W_ref and W with a few rows apart, of sizes from rounding-level to large moves
    const Wref = new Float64Array(d * T), W = new Float64Array(d * T);
    for (let j = 0; j < 15; j++) for (let t = 0; t < T; t++) Wref[j * T + t] = 0.3 * (rnd() - 0.5);
    W.set(Wref);
    const scale = Math.pow(10, -6 * rnd() - 1);
    for (let j = 0; j < 20; j++) if (rnd() < 0.4) for (let t = 0; t < T; t++) W[j * T + t]! += scale * (rnd() - 0.5);
    const Vref = new Float64Array(d * T), Vtrue = new Float64Array(d * T), V = new Float64Array(d * T);
    f.reset(Wref); f.fullNegGradient(Wref, Vref);
    f.reset(W); f.fullNegGradient(W, Vtrue);
    const rows = Int32Array.from({ length: d }, (_, j) => j).filter(() => rnd() < 0.3);
    if (!boundStaleRows(W, Vtrue, rows, rows.length, Wref, Vref, f.columnNormMax(), f.dualStrongConcavity(), d, T, V)) continue;
    written++;
    const listed = new Set(rows);
    for (let j = 0; j < d; j++) {
      const v = V.subarray(j * T, j * T + T), vt = Vtrue.subarray(j * T, j * T + T);
      if (listed.has(j)) { assert.deepEqual(Array.from(v), Array.from(vt), `trial ${trial}, row ${j}`); continue; }
      for (const nrm of dual) assert.ok(nrm(v) >= nrm(vt), `trial ${trial}, row ${j}: ${nrm(v)} < ${nrm(vt)}`);
    }
  }
  // small moves give bounds within MAX_INFLATION of the norms, so most trials wrote V
  assert.ok(written >= 10, `${written} of 30 trials within MAX_INFLATION = ${MAX_INFLATION}`);
});

test('after a fit whose last check was reduced by screening, the next first check takes bounds instead of a product', () => {
  // a tall design (n ≫ d, d/10 true rows): each fit checks fully twice, then screens, so the bounds are tight
  const tall = sharedProblem(1000, 200, 4, 20, 5446, 1, 0).data, D = tall.d, TT = tall.T;
  const tl = new QuadraticLoss(tall, { fitIntercept: false });
  const tmax = groupLassoLambdaMax(tall, { q: 2, fitIntercept: false }), tol = 1e-6 * tl.valueAtZero();
  let calls = 0, lastFull = false;
  const base = createBcdDatafit(tl, 'residual');
  const spy = new Proxy(base, {
    get(target, key, recv) {
      const v = Reflect.get(target, key, recv) as unknown;
      if (key === 'fullNegGradient') {
        return (W: Float64Array, V: Float64Array, rows?: Int32Array, k?: number) => { calls++; lastFull = rows === undefined; base.fullNegGradient(W, V, rows, k); };
      }
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const warm = new WarmResidualState(spy);
  let W: Float64Array = new Float64Array(D * TT), byBounds = 0;
  for (let k = 0; k < 30; k++) {
    const before = calls, prevFull = lastFull;
    const h = groupNormRowPenalty(rowNorm(2, TT), tmax * Math.pow(0.01, k / 29), TT);
    const res = bcd(warm, h, W, { tolAbs: tol, maxIter: 100000 });
    // checks served without the inner state: a first one, by the last full gradient or (after a reduced one) by the bounds
    if (k > 0 && k % (MAX_SKIPS + 1) !== 0 && !prevFull) byBounds += res.history.length - (calls - before);
    assert.equal(res.status, 'converged', `fit ${k}`);
    const ref = bcd(createBcdDatafit(tl, 'residual'), h, W, { tolAbs: 1e-13 * tl.valueAtZero(), maxIter: 200000, screening: false, workingSet: false });
    assert.ok(res.primal - ref.primal <= res.gap + 1e-13 * tl.valueAtZero(), `fit ${k}: ${res.primal} vs ${ref.primal}, gap ${res.gap}`);
    warm.settle(res.W);
    W = res.W;
  }
  assert.ok(byBounds > 0, 'no first check took the bounds');
});
