// Tests of k-cluster mean-regularized MTL (src/models/clusteredMeanRegularized.ts) and of the seeded
// k-means helper it starts from (src/models/kmeans.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusteredMeanRegularized, clusteredMeanRegularizedObjective } from '../src/models/clusteredMeanRegularized.js';
import { meanRegularized, meanRegularizedObjective } from '../src/models/meanRegularized.js';
import { kmeans, kmeansPlusPlus } from '../src/models/kmeans.js';
import { mulberry32, normal, relatedTasks, relMaxDiff, samePartition, threeClusterProblem } from './helpers/taskRelationsData.js';

const problem = threeClusterProblem(1);

describe('clusteredMeanRegularized', () => {
  it('k = 1 equals mean-regularized form B exactly (μ = 0 and μ > 0; per-task and shared designs)', () => {
    const shared = relatedTasks({ d: 7, T: 5, n: 30, seed: 41, shared: true, offsets: true }).data;
    for (const data of [problem.data, shared]) {
      for (const mu of [0, 0.3]) {
        const fit = clusteredMeanRegularized(data, { k: 1, lambda: 0.05, mu, restarts: 2 });
        const ref = meanRegularized(data, { form: 'B', lambda: 0.05, mu });
        assert.ok(Math.abs(fit.objective - ref.objective) <= 1e-12 * ref.objective, `${fit.objective} vs ${ref.objective}`);
        assert.ok(relMaxDiff(fit.W.data, ref.W.data) < 1e-10);
        assert.ok(relMaxDiff(fit.centres.data, ref.w0) < 1e-10); // the single centre is form B's w₀
        assert.deepEqual(Array.from(fit.assignment), new Array(data.T).fill(0));
        // the same number through form B's evaluator with (w₀, ΔW)
        const dW = Float64Array.from(fit.W.data);
        for (let j = 0; j < data.d; j++) for (let t = 0; t < data.T; t++) dW[j * data.T + t]! -= fit.centres.data[j]!;
        const fb = meanRegularizedObjective(data, { w0: fit.centres.data, dW: { rows: data.d, cols: data.T, data: dW } }, { form: 'B', lambda: 0.05, mu }, fit.intercepts);
        assert.ok(Math.abs(fb - fit.objective) <= 1e-12 * fb);
      }
    }
  });

  it('k = 3 recovers the true partition of the 3-cluster problem', () => {
    const fit = clusteredMeanRegularized(problem.data, { k: 3, lambda: 0.05, seed: 3 });
    assert.ok(samePartition(fit.assignment, problem.groups), `${Array.from(fit.assignment)} vs ${Array.from(problem.groups)}`);
    assert.ok(fit.converged);
    assert.ok(fit.certificate <= 1e-10 * fit.certificateScale, `certificate ${fit.certificate}`);
    // the kept start is the best of all starts
    for (const f of fit.restartObjectives) assert.ok(fit.objective <= f * (1 + 1e-12));
    const again = clusteredMeanRegularizedObjective(problem.data, fit.W, fit.centres, fit.assignment, { lambda: 0.05 }, fit.intercepts);
    assert.ok(Math.abs(again - fit.objective) <= 1e-12 * again);
    // centres are close to the true ones (up to the permutation)
    const d = problem.data.d;
    for (let t = 0; t < problem.data.T; t++) {
      const g = fit.assignment[t]!, gt = problem.groups[t]!;
      let err = 0, nrm = 0;
      for (let j = 0; j < d; j++) {
        err += (fit.centres.data[j * 3 + g]! - problem.centres.data[j * 3 + gt]!) ** 2;
        nrm += problem.centres.data[j * 3 + gt]! ** 2;
      }
      assert.ok(Math.sqrt(err / nrm) < 0.1);
    }
  });

  it('the same seed gives identical results', () => {
    const a = clusteredMeanRegularized(problem.data, { k: 3, lambda: 0.05, seed: 7, restarts: 4 });
    const b = clusteredMeanRegularized(problem.data, { k: 3, lambda: 0.05, seed: 7, restarts: 4 });
    assert.deepEqual(a.W.data, b.W.data);
    assert.deepEqual(a.assignment, b.assignment);
    assert.deepEqual(a.restartObjectives, b.restartObjectives);
    assert.deepEqual(a.history.map((h) => h.objective), b.history.map((h) => h.objective));
  });

  it('the objective history never increases (problems where tasks move between clusters)', () => {
    const { data } = threeClusterProblem(2, { within: 1, n: 20, d: 20, T: 24 });
    let multi = 0;
    for (const [k, lambda, mu] of [[3, 0.003, 1], [4, 0.03, 1], [6, 0.003, 1], [2, 0.003, 1]] as const) {
      for (let seed = 0; seed < 4; seed++) {
        const fit = clusteredMeanRegularized(data, { k, lambda, mu, seed, restarts: 1 });
        const h = fit.history.map((e) => e.objective);
        if (h.length > 2) multi++;
        for (let i = 1; i < h.length; i++) assert.ok(h[i]! <= h[i - 1]! * (1 + 1e-12), `history increases at ${i}: ${h}`);
        assert.ok(Math.abs(h[h.length - 1]! - fit.objective) <= 1e-10 * fit.objective);
        assert.ok(fit.converged);
      }
    }
    assert.ok(multi >= 4, `only ${multi} runs alternated more than twice`);
  });

  it('validates its options', () => {
    assert.throws(() => clusteredMeanRegularized(problem.data, { k: 0, lambda: 1 }), (e: unknown) => e instanceof RangeError && /k:/.test(e.message));
    assert.throws(() => clusteredMeanRegularized(problem.data, { k: 2, lambda: 0 }), (e: unknown) => e instanceof RangeError && /lambda/.test(e.message));
    assert.throws(() => clusteredMeanRegularized(problem.data, { k: 2, lambda: 1, mu: -1 }), /mu/);
    assert.throws(() => clusteredMeanRegularized(problem.data, { k: 2, lambda: 1, restarts: 0 }), /restarts/);
    assert.throws(() => clusteredMeanRegularizedObjective(problem.data, problem.Wtrue, problem.centres, new Int32Array(problem.data.T).fill(3), { lambda: 1 }), /assignment/);
  });
});

describe('kmeans', () => {
  it('separates well-separated blobs, is deterministic per seed and keeps the best restart', () => {
    const g = normal(mulberry32(5));
    const n = 60, dim = 3;
    const pts = new Float64Array(n * dim);
    const truth = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      truth[i] = i % 3;
      for (let j = 0; j < dim; j++) pts[i * dim + j] = 10 * (j === truth[i] ? 1 : 0) + 0.3 * g();
    }
    const a = kmeans(pts, n, dim, 3, { seed: 1, restarts: 3 });
    const b = kmeans(pts, n, dim, 3, { seed: 1, restarts: 3 });
    assert.ok(samePartition(a.labels, truth));
    assert.deepEqual(a.labels, b.labels);
    assert.deepEqual(a.centres, b.centres);
    let inertia = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) inertia += (pts[i * dim + j]! - a.centres[a.labels[i]! * dim + j]!) ** 2;
    assert.ok(Math.abs(inertia - a.inertia) <= 1e-9 * inertia);
    // k-means++ picks k distinct data points
    const C = kmeansPlusPlus(pts, n, dim, 3, mulberry32(9));
    for (let c = 0; c < 3; c++) {
      let isPoint = false;
      for (let i = 0; i < n && !isPoint; i++) isPoint = pts.subarray(i * dim, (i + 1) * dim).every((v, j) => v === C[c * dim + j]);
      assert.ok(isPoint);
    }
    assert.throws(() => kmeans(pts, n, dim, n + 1), /k:/);
    assert.throws(() => kmeans(pts, n, dim + 1, 2), /points/);
  });
});
