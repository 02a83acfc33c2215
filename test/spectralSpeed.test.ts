// Tests of the #12 speed work on the spectral solvers (session 3): the Lanczos Lipschitz estimate of the
// shared Gram, the Gram by symmetric rank-k blocks, the trace-norm λ_max from the Gram backend. All seeded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MultiTaskData, symEig } from '../src/index.js';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { quadraticDatafit } from '../src/datafits/state.js';
import { taskNormalEquations } from '../src/datafits/normalEquations.js';
import { spectralLipschitz } from '../src/solvers/spectralTools.js';
import { traceNorm, traceNormLambdaMax } from '../src/models/traceNorm.js';
import { gaussian, mulberry32 } from './helpers/random.js';

function sharedData(n: number, d: number, T: number, seed: number): MultiTaskData {
  const g = gaussian(mulberry32(seed));
  const X = Float64Array.from({ length: n * d }, () => g() + 0.3);
  const Y = Float64Array.from({ length: n * T }, () => g());
  return MultiTaskData.fromShared({ rows: n, cols: d, data: X }, { rows: n, cols: T, data: Y });
}

describe('spectral solvers: shared-Gram helpers', () => {
  test('the Lanczos Lipschitz constant is 1.01 · 2 s_max λ_max(G) (symEig of the Gram)', () => {
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
