import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { statisticsOf } from '../src/data/statisticsOf.js';
import { groupLasso, groupLassoLambdaMax, groupLassoObjective } from '../src/models/groupLasso.js';
import { traceNorm, traceNormLambdaMax } from '../src/models/traceNorm.js';
import { meanRegularized } from '../src/models/meanRegularized.js';
import { graphRegularized } from '../src/models/graphRegularized.js';
import { lowRank } from '../src/models/lowRank.js';
import { aso } from '../src/models/aso.js';
import { asoConvex } from '../src/models/asoConvex.js';
import { clusteredConvex } from '../src/models/clusteredConvex.js';
import { clusteredMeanRegularized } from '../src/models/clusteredMeanRegularized.js';
import { featureLearning } from '../src/models/featureLearning.js';
import { featureProjection } from '../src/models/featureProjection.js';
import { crossValidate } from '../src/selection/crossValidate.js';
import { fitComposite } from '../src/models/composite.js';
import { TraceNormPenalty } from '../src/penalties/traceNorm.js';
import { L1Penalty } from '../src/penalties/l1Penalty.js';
import { multiTaskLoss } from '../src/datafits/quadratic.js';
import { perTaskProblem, sharedProblem } from './helpers/random.js';
import { loadSchool } from '../bench/schoolData.js';

interface FitLike { W: { data: Float64Array }; intercepts: Float64Array; objective: number; certificate: number; converged: boolean }

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));
function maxRelW(a: Float64Array, b: Float64Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) { num = Math.max(num, Math.abs(a[i]! - b[i]!)); den = Math.max(den, Math.abs(b[i]!)); }
  return num / Math.max(den, 1e-300);
}

/** Fits `fit` on the rows and on their statistics; both must certify, and agree. */
function agree(name: string, data: MultiTaskData, fit: (d: MultiTaskData) => FitLike, wTol = 1e-6): void {
  const raw = fit(data);
  const fromStats = fit(MultiTaskData.fromStatistics(statisticsOf(data)));
  assert.ok(raw.converged && fromStats.converged, `${name}: both converge (${raw.converged}, ${fromStats.converged})`);
  assert.ok(rel(fromStats.objective, raw.objective) < 1e-10, `${name}: objective ${fromStats.objective} vs ${raw.objective}`);
  assert.ok(maxRelW(fromStats.W.data, raw.W.data) < wTol, `${name}: W differs by ${maxRelW(fromStats.W.data, raw.W.data)}`);
  assert.ok(maxRelW(fromStats.intercepts, raw.intercepts) < Math.max(wTol, 1e-9), `${name}: intercepts`);
}

describe('fits from sufficient statistics', () => {
  const perTask = perTaskProblem([30, 45, 38, 52], 8, 3, 21).data;
  const shared = sharedProblem(80, 10, 4, 3, 22).data;

  test('the objective evaluators give the textbook loss from the statistics', () => {
    for (const data of [perTask, shared]) {
      const s = MultiTaskData.fromStatistics(statisticsOf(data));
      const W = { rows: data.d, cols: data.T, data: Float64Array.from({ length: data.d * data.T }, (_, i) => Math.sin(i)) };
      const b = Float64Array.from({ length: data.T }, (_, t) => t - 1.5);
      for (const scale of ['sum', 'mean', 'task-mean'] as const) {
        assert.ok(rel(multiTaskLoss(s, W, b, scale), multiTaskLoss(data, W, b, scale)) < 1e-12, scale);
      }
      assert.ok(rel(groupLassoObjective(s, W, { lambda: 0.3, q: 2 }, b), groupLassoObjective(data, W, { lambda: 0.3, q: 2 }, b)) < 1e-12);
    }
  });

  test('group lasso (BCD, Gram form), with and without intercepts, every q: same objective, W and gap', () => {
    for (const data of [perTask, shared]) {
      for (const q of [1, 2, Infinity]) {
        for (const fitIntercept of [true, false]) {
          const lam = 0.2 * groupLassoLambdaMax(data, { q, fitIntercept });
          assert.ok(rel(groupLassoLambdaMax(MultiTaskData.fromStatistics(statisticsOf(data)), { q, fitIntercept }), lam / 0.2) < 1e-10);
          agree(`groupLasso q=${q} intercept=${fitIntercept}`, data, (d) => groupLasso(d, { lambda: lam, q, fitIntercept, tol: 1e-12 }));
        }
      }
    }
  });

  test('the composition entry point (FISTA, Gram datafit) runs trace norm and elementwise L1 from statistics', () => {
    for (const data of [perTask, shared]) {
      const lam = 0.3 * traceNormLambdaMax(data);
      agree('fitComposite trace norm', data, (d) => fitComposite(d, { penalty: new TraceNormPenalty(lam, d.d, d.T), tol: 1e-12 }), 1e-5);
      agree('fitComposite L1', data, (d) => fitComposite(d, { penalty: new L1Penalty(0.02, d.T), tol: 1e-12 }), 1e-5);
    }
  });

  test('School (139 tasks): group lasso from statistics equals the fit from rows', { skip: loadSchool() === null ? 'School data absent' : false }, () => {
    const school = loadSchool()!;
    const lam = 0.1 * groupLassoLambdaMax(school, { q: 2 });
    agree('groupLasso School', school, (d) => groupLasso(d, { lambda: lam, q: 2, tol: 1e-12 }), 1e-5);
  });

  test('trace norm, graph-regularized, clustered, low-rank and ASO models from statistics: same W, objective and certificate (1e-10)', () => {
    // a certificate is a difference of O(F) quantities: its rounding level is ε·F, so it is compared
    // relative to max(|certificate|, F) (measured: ≤ 1e-13·F; certificates at 1e-15 differ by 30 % of themselves)
    const close = (a: number, b: number, scale: number): boolean => Math.abs(a - b) <= 1e-10 * Math.max(Math.abs(b), scale);
    for (const data of [perTask, shared]) {
      const T = data.T;
      const edges: [number, number][] = Array.from({ length: T - 1 }, (_, t) => [t, t + 1]);
      const cases: [string, (d: MultiTaskData) => FitLike][] = [
        ['traceNorm', (d) => traceNorm(d, { lambda: 0.3 * traceNormLambdaMax(data), tol: 1e-10 })],
        ['traceNorm ridge, no intercept', (d) => traceNorm(d, { lambda: 0.2 * traceNormLambdaMax(data), ridge: 0.1, fitIntercept: false, tol: 1e-10 })],
        ['graphRegularized', (d) => graphRegularized(d, { rho1: 0.5, rho2: 0, graph: { edges } })],
        ['graphRegularized L1', (d) => graphRegularized(d, { rho1: 0.5, rho2: 0.01, graph: { edges } })],
        ['clusteredConvex', (d) => clusteredConvex(d, { rho1: 1, rho2: 0.1, k: 2, tol: 1e-12 })],
        ['clusteredMeanRegularized', (d) => clusteredMeanRegularized(d, { k: 2, lambda: 1, mu: 0.1 } as never)],
        ['lowRank', (d) => lowRank(d, { rank: 2 })],
        ['aso', (d) => aso(d, { lambda: 0.1, h: 2 })],
        ['asoConvex', (d) => asoConvex(d, { rho1: 1, rho2: 0.1, h: 2 })],
      ];
      for (const [name, fit] of cases) {
        const raw = fit(data);
        const st = fit(MultiTaskData.fromStatistics(statisticsOf(data)));
        assert.equal(st.converged, raw.converged, `${name}: converged`);
        assert.ok(rel(st.objective, raw.objective) < 1e-10, `${name}: objective ${st.objective} vs ${raw.objective}`);
        assert.ok(maxRelW(st.W.data, raw.W.data) < 1e-10, `${name}: W differs by ${maxRelW(st.W.data, raw.W.data)}`);
        assert.ok(maxRelW(st.intercepts, raw.intercepts) < 1e-10, `${name}: intercepts`);
        assert.ok(close(st.certificate, raw.certificate, raw.objective), `${name}: certificate ${st.certificate} vs ${raw.certificate}`);
      }
    }
  });

  test('what needs rows says so with a TypeError (never a wrong answer), and cross-validation refuses', async () => {
    const s = MultiTaskData.fromStatistics(statisticsOf(perTask));
    assert.throws(() => s.X, /sufficient statistics.*needs them \(X\)/);
    assert.throws(() => s.task(0), TypeError);
    await assert.rejects(crossValidate(s, groupLasso, { folds: 3, grid: [0.1] }), /sufficient statistics/);
    // every other model either agrees with its fit from rows or refuses with the same TypeError
    const others: [string, (d: MultiTaskData) => FitLike][] = [
      ['traceNorm', (d) => traceNorm(d, { lambda: 0.3 * traceNormLambdaMax(perTask), tol: 1e-12 })],
      ['meanRegularized', (d) => meanRegularized(d, { form: 'A', rho: 0.5, lambda: 2 })],
      ['graphRegularized', (d) => graphRegularized(d, { rho1: 0.5, rho2: 0, graph: { edges: [[0, 1], [1, 2], [2, 3]] } })],
      ['lowRank', (d) => lowRank(d, { rank: 2 })],
      ['aso', (d) => aso(d, { lambda: 0.1, h: 2 })],
      ['asoConvex', (d) => asoConvex(d, { rho1: 1, rho2: 0.1, h: 2 })],
      ['clusteredConvex', (d) => clusteredConvex(d, { rho1: 1, rho2: 0.1, k: 2, tol: 1e-12 })],
      ['clusteredMeanRegularized', (d) => clusteredMeanRegularized(d, { k: 2, lambda: 1, mu: 0.1 } as never)],
      ['featureLearning', (d) => featureLearning(d, { gamma: 0.1 })],
      ['featureProjection', (d) => featureProjection(d, { h: 2, lambda: 0.1 })],
    ];
    for (const [name, fit] of others) {
      let out: FitLike | null = null;
      try {
        out = fit(s);
      } catch (e) {
        assert.ok(e instanceof TypeError && /sufficient statistics/.test(e.message), `${name}: ${String(e)}`);
        continue;
      }
      const raw = fit(perTask);
      assert.ok(rel(out.objective, raw.objective) < 1e-8, `${name}: objective from statistics ${out.objective} vs rows ${raw.objective}`);
    }
  });
});

test('every model of the table fits from statistics as from rows, except the two that say they need rows', async () => {
  const { MODEL_TABLE } = await import('../src/models/table.js');
  const { baseOptions } = await import('./helpers/propertyCase.js');
  const rows = perTaskProblem([30, 25, 40, 35], 6, 3, 11).data;
  const stats = MultiTaskData.fromStatistics(statisticsOf(rows));
  const needRows = new Set(['featureProjectionLowRank']);
  for (const row of MODEL_TABLE) {
    const o = baseOptions(row, rows);
    if (needRows.has(row.name)) {
      assert.throws(() => row.fit(stats, o), (e: unknown) => e instanceof TypeError && /sufficient statistics/.test(e.message), row.name);
      continue;
    }
    const a = row.fit(rows, o), b = row.fit(stats, o);
    assert.equal(b.status, a.status, `${row.name}: status`);
    assert.ok(rel(b.objective, a.objective) < 1e-9, `${row.name}: objective from statistics ${b.objective} vs rows ${a.objective}`);
    let dw = 0, sw = 0;
    for (let k = 0; k < a.W.data.length; k++) { dw = Math.max(dw, Math.abs(a.W.data[k]! - b.W.data[k]!)); sw = Math.max(sw, Math.abs(a.W.data[k]!)); }
    assert.ok(dw <= 1e-6 * Math.max(sw, 1e-300), `${row.name}: W differs by ${dw / sw} relative`);
  }
  // the alternating solver of feature projection projects the rows themselves
  assert.throws(() => featureProjection(stats, { h: 2, lambda: 0.1, solver: 'alternating' }), TypeError);
});
