import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MultiTaskData, groupLasso, standardize, traceNorm } from '../src/index.js';
import { sharedProblem, perTaskProblem } from './helpers/random.js';

describe('standardize (glmnet standardize = TRUE)', () => {
  test('every standardized feature has population variance 1 (shared and per-task, pooled over rows)', () => {
    for (const data of [sharedProblem(50, 4, 3, 2, 1).data, perTaskProblem([20, 30, 15], 4, 2, 2).data]) {
      const scaled = standardize(data);
      const parts = data.kind === 'shared' ? [{ X: scaled.data.X!, n: data.n }] : scaled.data.tasks.map((v) => ({ X: v.X, n: v.n }));
      const N = parts.reduce((a, p) => a + p.n, 0);
      for (let j = 0; j < 4; j++) {
        let m = 0, v = 0;
        for (const p of parts) for (let i = 0; i < p.n; i++) m += p.X[i * 4 + j]!;
        m /= N;
        for (const p of parts) for (let i = 0; i < p.n; i++) v += (p.X[i * 4 + j]! - m) ** 2;
        assert.ok(Math.abs(v / N - 1) < 1e-12, `feature ${j}: variance ${v / N}`);
      }
    }
  });

  test('closed form, one feature and one task: w = S(cov(x, y)/s, λ)/s, the lasso on the standardized feature', () => {
    const x = [1, 4, 2, 8, 5, 7], y = [2, 3, 1, 9, 4, 8];
    const n = x.length;
    const data = MultiTaskData.fromShared(x.map((v) => [v]), y);
    const mx = x.reduce((a, b) => a + b) / n, my = y.reduce((a, b) => a + b) / n;
    const s = Math.sqrt(x.reduce((a, v) => a + (v - mx) ** 2, 0) / n); // population sd (glmnet)
    const cov = x.reduce((a, v, i) => a + (v - mx) * (y[i]! - my), 0) / n;
    const lambda = 0.4;
    const wTilde = Math.sign(cov / s) * Math.max(Math.abs(cov / s) - lambda, 0); // x̃ᵀx̃/n = 1
    const st = standardize(data);
    assert.ok(Math.abs(st.scale[0]! - s) < 1e-14 * s);
    const fit = st.toOriginalScale(groupLasso(st.data, { lambda, tol: 1e-14 }));
    assert.ok(Math.abs(fit.W.data[0]! - wTilde / s) < 1e-10, `${fit.W.data[0]} vs ${wTilde / s}`);
    assert.ok(Math.abs(fit.intercepts[0]! - (my - mx * wTilde / s)) < 1e-10);
    assert.ok(Math.abs(fit.predict([[3]], 0)[0]! - (my + (3 - mx) * wTilde / s)) < 1e-10);
    assert.ok(Math.abs(fit.standardizedW.data[0]! - wTilde) < 1e-10);
  });

  test('scale invariance: multiplying a feature by c divides its original-scale coefficients by c (any model)', () => {
    const { data } = sharedProblem(60, 5, 3, 3, 3);
    const c = [1, 1000, 1e-3, 7, 1];
    const X2 = Float64Array.from(data.X!, (v, i) => v * c[i % 5]!);
    const data2 = MultiTaskData.fromShared({ rows: 60, cols: 5, data: X2 }, { rows: 60, cols: 3, data: data.Y! });
    for (const fitOn of [(d: MultiTaskData) => groupLasso(d, { lambda: 0.05, tol: 1e-12 }), (d: MultiTaskData) => traceNorm(d, { lambda: 0.05, tol: 1e-10 })]) {
      const a = standardize(data), b = standardize(data2);
      const fa = a.toOriginalScale(fitOn(a.data)), fb = b.toOriginalScale(fitOn(b.data));
      for (let j = 0; j < 5; j++) {
        for (let t = 0; t < 3; t++) {
          const wa = fa.W.data[j * 3 + t]!, wb = fb.W.data[j * 3 + t]! * c[j]!;
          assert.ok(Math.abs(wa - wb) <= 1e-6 * (1 + Math.abs(wa)), `(${j}, ${t}): ${wa} vs ${wb}`);
        }
      }
    }
  });

  test('equals glmnet(family = "mgaussian", standardize = TRUE) (skips without Rscript + glmnet)', (t) => {
    const probe = spawnSync('Rscript', ['-e', 'suppressMessages(library(glmnet)); cat("ok")'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.stdout !== 'ok') { t.skip('Rscript with glmnet not found'); return; }
    const { data } = sharedProblem(80, 6, 3, 3, 4);
    const X = Float64Array.from(data.X!, (v, i) => v * [1, 10, 0.1, 3, 1, 50][i % 6]! + [0, 5, -2, 0, 1, 0][i % 6]!);
    const scaled = MultiTaskData.fromShared({ rows: 80, cols: 6, data: X }, { rows: 80, cols: 3, data: data.Y! });
    const dir = mkdtempSync(join(tmpdir(), 'mtl-std-'));
    try {
      const csv = (A: Float64Array, cols: number): string => Array.from({ length: A.length / cols }, (_, i) => Array.from(A.subarray(i * cols, (i + 1) * cols)).join(',')).join('\n');
      writeFileSync(join(dir, 'X.csv'), csv(X, 6));
      writeFileSync(join(dir, 'Y.csv'), csv(data.Y!, 3));
      const lambda = 0.08;
      const r = spawnSync('Rscript', ['-e', `suppressMessages(library(glmnet)); X <- as.matrix(read.csv('${dir}/X.csv', header = FALSE)); Y <- as.matrix(read.csv('${dir}/Y.csv', header = FALSE));
        f <- glmnet(X, Y, family = 'mgaussian', lambda = ${lambda}, standardize = TRUE, intercept = TRUE, thresh = 1e-20, maxit = 1e7);
        for (k in 1:3) cat(as.numeric(coef(f)[[k]]), '\\n')`], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, r.stderr);
      const ref = r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number)); // per task: intercept, β_1..β_6
      const st = standardize(scaled);
      const fit = st.toOriginalScale(groupLasso(st.data, { lambda, q: 2, tol: 1e-14 }));
      for (let k = 0; k < 3; k++) {
        assert.ok(Math.abs(fit.intercepts[k]! - ref[k]![0]!) < 1e-5 * (1 + Math.abs(ref[k]![0]!)), `intercept ${k}: ${fit.intercepts[k]} vs ${ref[k]![0]}`);
        for (let j = 0; j < 6; j++) {
          const w = fit.W.data[j * 3 + k]!, g = ref[k]![j + 1]!;
          assert.ok(Math.abs(w - g) < 1e-5 * (1 + Math.abs(g)), `β(${j}, ${k}): ${w} vs glmnet ${g}`);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
