// The solver core through its interfaces: datafit backends agree, FISTA never hangs and never claims
// convergence falsely, the generic gap and λ_max, the composition entry point reproduces groupLasso and
// traceNorm, the alternating driver is monotone and certifies what it says, the checks' wording.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { quadraticDatafit } from '../src/datafits/state.js';
import { createBcdDatafit } from '../src/solvers/bcdDatafit.js';
import type { RowwiseDatafit } from '../src/datafits/types.js';
import { fista } from '../src/solvers/fista.js';
import { dualityGap, fixedPointResidual, lambdaMax, certified } from '../src/solvers/certificates.js';
import { alternatingMinimization } from '../src/solvers/alternating.js';
import { fitComposite } from '../src/models/composite.js';
import { groupLasso } from '../src/models/groupLasso.js';
import { traceNorm } from '../src/models/traceNorm.js';
import { GroupNormPenalty, L1Penalty, TraceNormPenalty, RankConstraint, RidgePenalty, type NormPenalty } from '../src/penalties/index.js';
import { checkNumber, checkOptionKeys, checkMat, checkVec, checkSeed, checkOneOf, closest } from '../src/util/checks.js';
import { Matrix } from 'ml-matrix';
import { sharedProblem, perTaskProblem, randn } from './helpers/random.js';

const maxAbsDiff = (a: Float64Array, b: Float64Array): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('datafits: one state layer', () => {
  for (const [name, prob] of [
    ['shared design', sharedProblem(60, 8, 4, 3, 1)],
    ['per-task designs', perTaskProblem([30, 45, 25], 6, 2, 2)],
  ] as const) {
    it(`residual and Gram backends give the same value, gradient and dual terms (${name})`, () => {
      const loss = new QuadraticLoss(prob.data, { lossScale: 'mean' });
      const W = randn(prob.d * prob.T, 3);
      const out: Record<string, { v: number; g: Float64Array; V: Float64Array; A: number }> = {};
      for (const kind of ['residual', 'gram'] as const) {
        const f = quadraticDatafit(loss, kind);
        assert.equal(f.kind, kind);
        const s = new Float64Array(f.stateSize);
        f.computeState(W, s);
        const g = new Float64Array(f.dim), V = new Float64Array(f.dim);
        f.gradient(W, s, g);
        const t = f.dualTerms(W, s, V);
        out[kind] = { v: f.value(W, s), g, V, A: t.innerY };
        assert.ok(Math.abs(t.value - out[kind]!.v) <= 1e-12 * out[kind]!.v);
        for (let i = 0; i < g.length; i++) assert.ok(Math.abs(g[i]! + V[i]!) <= 1e-12 * (1 + Math.abs(g[i]!)));
      }
      const r = out.residual!, gr = out.gram!;
      assert.ok(Math.abs(r.v - gr.v) <= 1e-10 * r.v);
      assert.ok(Math.abs(r.A - gr.A) <= 1e-10 * Math.abs(r.A));
      assert.ok(maxAbsDiff(r.g, gr.g) <= 1e-10 * (1 + Math.max(...r.g.map(Math.abs))));
    });

    it(`the row-wise layer agrees with the full gradient and tracks row updates (${name})`, () => {
      const loss = new QuadraticLoss(prob.data);
      const { d, T } = prob;
      for (const kind of ['residual', 'gram'] as const) {
        const f: RowwiseDatafit = createBcdDatafit(loss, kind); // the BCD state satisfies the core's contract
        const W = randn(d * T, 4);
        f.reset(W);
        const all = Int32Array.from({ length: d }, (_, j) => j);
        f.prepare(all, d);
        const delta = randn(T, 5);
        f.updateRow(2, delta, all, d);
        for (let t = 0; t < T; t++) W[2 * T + t]! += delta[t]!;
        const full = quadraticDatafit(loss, 'residual');
        const s = new Float64Array(full.stateSize), G = new Float64Array(d * T);
        full.computeState(W, s);
        full.gradient(W, s, G);
        const v = new Float64Array(T);
        for (let j = 0; j < d; j++) {
          f.rowNegGradient(j, v);
          for (let t = 0; t < T; t++) assert.ok(Math.abs(v[t]! + G[j * T + t]!) <= 1e-10 * (1 + Math.abs(G[j * T + t]!)), `${kind} row ${j}`);
        }
        // per-coordinate Lipschitz constants: L_jt = ∂²L/∂W_jt² (finite difference of the gradient)
        const Lc = f.coordinateLipschitz();
        const W2 = Float64Array.from(W);
        W2[1 * T + 0]! += 1;
        const s2 = new Float64Array(full.stateSize), G2 = new Float64Array(d * T);
        full.computeState(W2, s2);
        full.gradient(W2, s2, G2);
        assert.ok(Math.abs(G2[T]! - G[T]! - Lc[T]!) <= 1e-9 * (1 + Lc[T]!), `${kind}: L_10 = ${Lc[T]} vs ${G2[T]! - G[T]!}`);
      }
    });
  }
});

describe('FISTA: bounded, honest about convergence', () => {
  const prob = sharedProblem(40, 6, 3, 2, 7);
  const loss = new QuadraticLoss(prob.data);
  const f = quadraticDatafit(loss, 'residual');

  it('a warm start of 1e200 ends at once with status non-finite, converged false, within maxIter', () => {
    const h = new GroupNormPenalty(0.01, 2, 3);
    const W0 = new Float64Array(f.dim).fill(1e200);
    for (const maxIter of [1, 50]) {
      const res = fista(f, h, W0, { lipschitz: f.lipschitz(), maxIter, tol: 1e-8 });
      assert.equal(res.status, 'non-finite');
      assert.equal(res.converged, false);
      assert.ok(res.iterations <= maxIter);
    }
  });

  it('a NaN gradient ends the fit at once', () => {
    const bad = { ...f, dim: f.dim, stateSize: f.stateSize, computeState: f.computeState.bind(f), value: f.value.bind(f),
      gradient: (_W: Float64Array, _s: Float64Array, g: Float64Array) => g.fill(NaN) };
    const res = fista(bad, new L1Penalty(0.1, 3), new Float64Array(f.dim), { lipschitz: 1, maxIter: 1000, tol: 1e-8 });
    assert.equal(res.status, 'non-finite');
    assert.equal(res.converged, false);
    assert.ok(res.iterations <= 1);
  });

  it('backtracking is bounded and counts toward maxIter (a Lipschitz guess far too small)', () => {
    const res = fista(f, new L1Penalty(0.01, 3), new Float64Array(f.dim), { lipschitz: 1e-12, maxIter: 7, tol: 1e-14 });
    assert.ok(res.iterations <= 7, `iterations ${res.iterations}`);
    assert.equal(res.converged, false);
    assert.ok(res.status === 'stalled' || res.status === 'max-iterations');
  });

  it('converged only when a finite certificate meets a finite tolerance', () => {
    assert.equal(certified(Infinity, Infinity), false);
    assert.equal(certified(NaN, 1), false);
    assert.equal(certified(0, NaN), false);
    assert.equal(certified(1e-9, 1e-8), true);
    const res = fista(f, new L1Penalty(0.05, 3), new Float64Array(f.dim), { lipschitz: f.lipschitz(), tol: Infinity });
    assert.equal(res.converged, false, 'an infinite tolerance is never met');
    const ok = fista(f, new L1Penalty(0.05, 3), new Float64Array(f.dim), { lipschitz: f.lipschitz(), tol: 1e-10 });
    assert.equal(ok.status, 'converged');
    assert.ok(ok.certificate <= 1e-10);
  });

  it('calls the progress callback at every certificate check, with the history values', () => {
    const seen: number[] = [];
    const res = fista(f, new L1Penalty(0.05, 3), new Float64Array(f.dim), {
      lipschitz: f.lipschitz(), tol: 1e-12, checkEvery: 5, onProgress: (p) => seen.push(p.iteration),
    });
    assert.deepEqual(seen, res.history.map((h) => h.iteration));
    assert.ok(seen.length >= 2);
  });
});

describe('certificates: generic gap and λ_max for every norm penalty', () => {
  const prob = perTaskProblem([30, 40, 35], 7, 3, 9);
  const loss = new QuadraticLoss(prob.data);
  const { d, T } = prob;
  const norms: [string, (lam: number) => NormPenalty][] = [
    ['group q = 2', (l) => new GroupNormPenalty(l, 2, T)],
    ['group q = ∞', (l) => new GroupNormPenalty(l, Infinity, T)],
    ['group q = 1.5', (l) => new GroupNormPenalty(l, 1.5, T)],
    ['L1', (l) => new L1Penalty(l, T)],
    ['trace norm', (l) => new TraceNormPenalty(l, d, T)],
  ];
  for (const [name, make] of norms) {
    it(`${name}: W = 0 at λ_max (gap 0), W ≠ 0 below it with a certified gap`, () => {
      const f = quadraticDatafit(loss);
      const lmax = lambdaMax(f, make(1));
      assert.ok(lmax > 0);
      const at = fitComposite(prob.data, { penalty: make(lmax * (1 + 1e-9)), tol: 1e-10 });
      assert.ok(at.W.data.every((x) => x === 0), 'W = 0 at λ_max');
      assert.equal(at.certificateKind, 'duality-gap');
      assert.ok(at.certificate <= 1e-12 * (1 + at.objective));
      const below = fitComposite(prob.data, { penalty: make(0.5 * lmax), tol: 1e-9 });
      assert.equal(below.status, 'converged');
      assert.ok(below.W.data.some((x) => x !== 0));
      const st = new Float64Array(f.stateSize);
      f.computeState(below.W.data, st);
      const g = dualityGap(f, make(0.5 * lmax), below.W.data, st);
      assert.ok(g.gap <= below.tolAbs * (1 + 1e-9), `recomputed gap ${g.gap}`);
      assert.ok(Math.abs(g.primal - below.objective) <= 1e-10 * below.objective);
    });
  }

  it('the fixed-point residual is 0 at a fixed point and positive elsewhere', () => {
    const f = quadraticDatafit(loss);
    const h = new RankConstraint(1, d, T);
    const fit = fitComposite(prob.data, { penalty: h, tol: 1e-9, maxIter: 20000 });
    assert.equal(fit.certificateKind, 'fixed-point-residual');
    const st = new Float64Array(f.stateSize);
    f.computeState(fit.W.data, st);
    const r = fixedPointResidual(f, h, fit.W.data, st, f.lipschitz());
    assert.ok(r <= 10 * fit.tolAbs, `${r}`);
    const Z = randn(d * T, 1);
    f.computeState(Z, st);
    assert.ok(fixedPointResidual(f, h, Z, st, f.lipschitz()) > 1e3 * fit.tolAbs);
  });
});

describe('composition entry point', () => {
  it('reproduces groupLasso (FISTA) exactly', () => {
    const prob = sharedProblem(50, 10, 4, 3, 21);
    for (const q of [2, Infinity]) {
      const gl = groupLasso(prob.data, { lambda: 0.05, q, solver: 'fista', tol: 1e-8 });
      const c = fitComposite(prob.data, { penalty: (_d, T) => new GroupNormPenalty(0.05, q, T), backend: 'residual', tol: 1e-8 });
      assert.equal(c.iterations, gl.iterations);
      assert.deepEqual(Array.from(c.W.data), Array.from(gl.W.data));
      assert.equal(c.certificate, gl.certificate);
      assert.ok(Math.abs(c.objective - gl.objective) <= 1e-12 * gl.objective);
    }
  });

  it('reproduces groupLasso with a ridge (gap with the ridge term)', () => {
    const prob = sharedProblem(50, 10, 4, 3, 22);
    const gl = groupLasso(prob.data, { lambda: 0.05, ridge: 0.1, solver: 'fista', tol: 1e-8 });
    const c = fitComposite(prob.data, {
      penalty: (_d, T) => new GroupNormPenalty(0.05, 2, T), smooth: [new RidgePenalty(0.1)], backend: 'residual', tol: 1e-8,
    });
    assert.equal(c.certificateKind, 'duality-gap');
    assert.ok(maxAbsDiff(c.W.data, gl.W.data) <= 1e-6 * (1 + Math.max(...gl.W.data.map(Math.abs))));
    assert.ok(c.converged && gl.converged);
  });

  it('reproduces traceNorm exactly', () => {
    const prob = perTaskProblem([40, 30, 50, 35], 6, 2, 23);
    const tn = traceNorm(prob.data, { lambda: 0.1, tol: 1e-8, solver: 'fista-svd' });
    const c = fitComposite(prob.data, { penalty: (d, T) => new TraceNormPenalty(0.1, d, T), tol: 1e-8 });
    assert.equal(c.iterations, tn.iterations);
    assert.deepEqual(Array.from(c.W.data), Array.from(tn.W.data));
    assert.equal(c.certificate, tn.certificate);
  });

  it('rejects a misspelt option, naming the closest', () => {
    const prob = sharedProblem(20, 3, 2, 1, 1);
    assert.throws(
      () => fitComposite(prob.data, { penalty: new L1Penalty(0.1, 2), maxiter: 5 } as never),
      /fitComposite options: unknown option 'maxiter' \(did you mean maxIter\?\)/,
    );
    assert.throws(() => fitComposite(prob.data, { penalty: new L1Penalty(0.1, 2), warmStart: [[1, 2]] }), /warmStart: expected a d×T = 3×2 matrix, got 1×2/);
  });
});

describe('alternating driver', () => {
  // f(x, y) = ½[x y] A [x y]ᵀ − bᵀ[x y] with exact block minimisation (Gauss–Seidel): converges to A⁻¹b
  const A = [[4, 1], [1, 3]], b = [1, 2];
  const sol = [(b[0]! * A[1]![1]! - A[0]![1]! * b[1]!) / 11, (A[0]![0]! * b[1]! - A[1]![0]! * b[0]!) / 11];
  const obj = (s: { x: number; y: number }) => 0.5 * (A[0]![0]! * s.x * s.x + 2 * A[0]![1]! * s.x * s.y + A[1]![1]! * s.y * s.y) - b[0]! * s.x - b[1]! * s.y;
  const cert = (s: { x: number; y: number }) => Math.hypot(A[0]![0]! * s.x + A[0]![1]! * s.y - b[0]!, A[1]![0]! * s.x + A[1]![1]! * s.y - b[1]!);
  it('never increases the objective and certifies a stationary point', () => {
    const st = { x: 5, y: -3 };
    const res = alternatingMinimization({
      steps: [(s) => { s.x = (b[0]! - A[0]![1]! * s.y) / A[0]![0]!; }, (s) => { s.y = (b[1]! - A[1]![0]! * s.x) / A[1]![1]!; }],
      objective: obj, certificate: cert,
    }, st, { tol: 1e-12 });
    assert.equal(res.status, 'converged');
    assert.ok(res.certificate <= 1e-12);
    assert.ok(Math.abs(st.x - sol[0]!) <= 1e-12 && Math.abs(st.y - sol[1]!) <= 1e-12);
    for (let k = 1; k < res.history.length; k++) assert.ok(res.history[k]!.objective <= res.history[k - 1]!.objective + 1e-15);
  });

  it('undoes a sweep that raises the objective and stops (stalled), and reports non-finite values', () => {
    const st = { x: 0.1, y: 0.1 };
    let saved = { x: 0, y: 0 };
    const res = alternatingMinimization({
      steps: [(s) => { s.x += 10; }],
      objective: obj, certificate: cert,
      save: (s) => { saved = { ...s }; }, restore: (s) => { s.x = saved.x; s.y = saved.y; },
    }, st, { tol: 1e-12 });
    assert.equal(res.status, 'stalled');
    assert.equal(res.converged, false);
    assert.deepEqual(st, { x: 0.1, y: 0.1 });
    const nf = alternatingMinimization({ steps: [(s) => { s.x = NaN; }], objective: obj, certificate: cert }, { x: 0, y: 0 }, { maxIter: 5 });
    assert.equal(nf.status, 'non-finite');
    assert.equal(nf.converged, false);
  });
});

describe('checks: one wording', () => {
  it('checkNumber names the argument and the range', () => {
    assert.equal(checkNumber(0.5, 'lambda', { min: 0 }), 0.5);
    assert.throws(() => checkNumber(-1, 'lambda', { min: 0 }), { name: 'RangeError', message: 'lambda: expected a finite number ≥ 0, got -1' });
    assert.throws(() => checkNumber('1', 'tol', { min: 0, minExclusive: true }), { name: 'TypeError', message: 'tol: expected a finite number > 0, got "1"' });
    assert.throws(() => checkNumber(2.5, 'rank', { min: 1, max: 4, integer: true }), { message: 'rank: expected an integer in [1, 4], got 2.5' });
    assert.throws(() => checkNumber(NaN, 'rho', {}), /rho: expected a finite number, got NaN/);
    assert.equal(checkNumber(Infinity, 'q', { min: 1, allowInfinity: true }), Infinity);
    assert.throws(() => checkSeed(1.5), /seed: expected an integer in \[0, 4294967295\], got 1\.5/);
    assert.throws(() => checkOneOf('mena', 'lossScale', ['sum', 'mean', 'task-mean'], 'mean'), /did you mean 'mean'\?/);
  });

  it('checkOptionKeys rejects unknown keys, naming the closest valid one', () => {
    assert.throws(() => checkOptionKeys({ lamda: 1 }, ['lambda', 'tol'], 'groupLasso options'), {
      name: 'RangeError', message: "groupLasso options: unknown option 'lamda' (did you mean lambda?)",
    });
    assert.throws(() => checkOptionKeys({ tolerance: 1 }, ['lambda', 'tol'], 'x'), /unknown option 'tolerance' \(valid options: lambda, tol\)/);
    checkOptionKeys({ lambda: 1, tol: 2 }, ['lambda', 'tol'], 'x');
    assert.equal(closest('nLambda', ['nLambdas', 'lambdas']), 'nLambdas');
    assert.equal(closest('fold', ['folds', 'seed']), 'folds');
  });

  it('checkMat accepts number[][], ml-matrix Matrix and Mat, and says what it received', () => {
    const arr = [[1, 0, 0], [-1, 1, 0], [0, -1, 1], [0, 0, -1]];
    const forms = [arr, new Matrix(arr), { rows: 4, cols: 3, data: Float64Array.from(arr.flat()) }];
    for (const R of forms) {
      const M = checkMat(R, 'graph.R', { rows: 4, label: 'T×k with T = 4' });
      assert.deepEqual(Array.from(M.data), arr.flat());
    }
    assert.throws(() => checkMat(arr, 'graph.R', { rows: 3, label: 'T×k with T = 3' }), /graph\.R: expected a T×k with T = 3 matrix, got 4×3/);
    assert.throws(() => checkMat('x', 'warmStart'), /warmStart: expected a matrix .* got "x"/);
    assert.throws(() => checkMat([[1, NaN]], 'W'), /W: expected finite entries, got NaN at \(0, 1\)/);
    assert.deepEqual(Array.from(checkVec([1, 2], 'w', 2)), [1, 2]);
    assert.throws(() => checkVec([1, 2], 'taskWeights', 3), /taskWeights: expected a vector of length 3, got length 2/);
    assert.throws(() => checkVec([1, -2], 'taskWeights', 2, { min: 0 }), /taskWeights\[1\]: expected a finite number ≥ 0, got -2/);
  });
});
