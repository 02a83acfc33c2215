/**
 * The Gram state's columns computed only where they are read (issue #11, src/solvers/gramColumnStore.ts):
 * `SharedDesign.gramBlock` against a direct X̃_Fᵀ X̃_A, the store's invariant (every column valid at the
 * rows of every covered feature, full columns at all rows) through a sequence of working sets and checks,
 * and Gram-form fits against the residual form: the same objective, each certified.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernelBackend, setKernelBackend, wasmKernelsInfo } from '../src/linalg/blas.js';
import { allocF64, freeF64 } from '../src/linalg/wasm/matrix.js';
import { SharedDesign } from '../src/datafits/sharedDesign.js';
import { GramColumnStore, gramPartialThreshold } from '../src/solvers/gramColumnStore.js';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { createBcdDatafit } from '../src/solvers/bcdDatafit.js';
import { bcd } from '../src/solvers/bcd.js';
import { groupNormRowPenalty } from '../src/models/groupLassoCore.js';
import { rowNorm, groupLassoLambdaMax } from '../src/index.js';
import { randn, sharedProblem } from './helpers/random.js';

const initial = kernelBackend();
const backends = wasmKernelsInfo().available ? (['js', 'wasm'] as const) : (['js'] as const);

/** G_jk = Σ_i (x_ij − μ_j)(x_ik − μ_k) and Σ_i |…| (the scale of its rounding error). */
function entry(X: Float64Array, n: number, d: number, mu: Float64Array | null, j: number, k: number): [number, number] {
  let s = 0, a = 0;
  for (let i = 0; i < n; i++) {
    const p = (X[i * d + j]! - (mu ? mu[j]! : 0)) * (X[i * d + k]! - (mu ? mu[k]! : 0));
    s += p; a += Math.abs(p);
  }
  return [s, a];
}

test('gramBlock equals X̃_Fᵀ X̃_A (listed rows and columns, all of either, or the same list: syrk) on both backends, plain, resident and centred', () => {
  for (const [n, d] of [[37, 9], [2500, 30], [1100, 61]] as const) {
    const raw = randn(n * d, n + 3 * d);
    for (const [res, centred] of [[false, false], [true, false], [true, true]] as const) {
      const X = res ? allocF64(n * d) : raw;
      if (res) X.set(raw);
      const mu = centred ? randn(d, d + 1) : null;
      const F = Int32Array.from([d - 1, 2, 0, Math.floor(d / 2), 5]), A = Int32Array.from([4, d - 1, 1, 2, 7, 0, 3]);
      for (const [cols, m, rows, na] of [[F, 5, A, 7], [F, 3, A, 1], [null, d, A, 6], [F, 4, null, d], [A, 7, A, 7]] as const) {
        for (const kb of backends) {
          setKernelBackend(kb);
          try {
            const out = new Float64Array(m * na);
            new SharedDesign(n, d, X, mu).gramBlock(cols, m, rows, na, out);
            for (let b = 0; b < m; b++) for (let c = 0; c < na; c++) {
              const [s, a] = entry(raw, n, d, mu, cols ? cols[b]! : b, rows ? rows[c]! : c);
              assert.ok(Math.abs(out[b * na + c]! - s) <= 1e-13 * a, `${n}×${d} resident ${res} centred ${centred} ${kb} m ${m} na ${na} (${b}, ${c})`);
            }
          } finally {
            setKernelBackend(initial);
          }
        }
      }
      if (res) freeF64(X);
    }
  }
});

test('the column store keeps every column valid at the covered rows (full ones at all rows) through working sets and checks; full columns equal gramColumns bit for bit', () => {
  const n = 700, d = 40;
  const raw = randn(n * d, 91);
  for (const kb of backends) {
    setKernelBackend(kb);
    const before = gramPartialThreshold(0);
    try {
      const X = allocF64(n * d);
      X.set(raw);
      const D = new SharedDesign(n, d, X, null);
      const g = new GramColumnStore(D);
      const covered = new Set<number>(), full = new Set<number>();
      const check = (what: string, bits = true): void => {
        for (const j of covered) {
          const rows = full.has(j) ? Array.from({ length: d }, (_, i) => i) : [...covered];
          for (const i of rows) {
            const [s, a] = entry(raw, n, d, null, i, j);
            assert.ok(Math.abs(g.cols[g.slot[j]! * d + i]! - s) <= 1e-13 * a, `${kb} ${what}: G[${i}, ${j}]`);
          }
        }
        for (const j of bits ? full : []) {
          const ref = new Float64Array(d);
          D.gramColumns(Int32Array.of(j), 1, ref);
          assert.deepEqual(Array.from(g.cols.subarray(g.slot[j]! * d, g.slot[j]! * d + d)), Array.from(ref), `${kb} ${what}: full column ${j}`);
        }
      };
      // working sets and checks as bcd makes them: the nonzero rows full, then wider working sets (the second:
      // 4 new features of 7 covered, by the symmetric block)
      // (before any full column the store makes full ones: the first working set's rows mostly turn nonzero)
      const steps: [('cover' | 'full'), number[]][] = [
        ['full', [3, 7, 11]], ['full', [7]], ['cover', [7, 3, 11, 20, 21, 1, 2]], ['full', [7, 20, 2]], ['cover', [2, 7, 20, 30, 31, 32]], ['full', [31, 11]],
      ];
      for (const [kind, list] of steps) {
        const L = Int32Array.from(list);
        if (kind === 'cover') g.ensureCovering(L, L.length); else g.ensureFull(L, L.length);
        for (const j of list) { covered.add(j); if (kind === 'full') full.add(j); }
        check(`${kind} ${list.join(',')}`);
      }
      // half of the features: the whole Gram, every column full
      const many = Int32Array.from({ length: 12 }, (_, b) => b + 8);
      g.ensureCovering(many, many.length);
      assert.equal(g.nSlots, d);
      for (let j = 0; j < d; j++) { covered.add(j); full.add(j); }
      check('whole Gram (syrk: not the bits of gramColumns)', false);
      freeF64(X);
    } finally {
      setKernelBackend(initial);
      gramPartialThreshold(before);
    }
  }
});

test('Gram-form fits with partial columns reach the residual form\'s objective, both certified (gap ≤ tol·F(0)), from zero and warm', (t) => {
  const before = gramPartialThreshold(0);
  t.after(() => gramPartialThreshold(before));
  for (const [n, d, T, k] of [[3000, 120, 10, 12], [800, 60, 4, 20], [2000, 50, 5, 5]] as const) {
    const data = sharedProblem(n, d, T, k, n + d + T).data;
    const loss = new QuadraticLoss(data, { fitIntercept: false });
    const F0 = loss.valueAtZero(), tolAbs = 1e-9 * F0;
    for (const ratio of [0.5, 0.1, 0.01]) {
      const lambda = ratio * groupLassoLambdaMax(data, { q: 2, fitIntercept: false });
      const h = groupNormRowPenalty(rowNorm(2, T), lambda, T);
      const gram = bcd(createBcdDatafit(loss, 'gram'), h, new Float64Array(d * T), { tolAbs, maxIter: 10000 });
      const res = bcd(createBcdDatafit(loss, 'residual'), h, new Float64Array(d * T), { tolAbs, maxIter: 10000 });
      for (const r of [gram, res]) {
        assert.equal(r.status, 'converged', `${n}×${d}×${T} at ${ratio}`);
        assert.ok(r.gap <= tolAbs, `${n}×${d}×${T} at ${ratio}: gap ${r.gap}`);
      }
      assert.equal(gram.backend, 'gram');
      assert.ok(Math.abs(gram.primal - res.primal) <= 2 * tolAbs, `${n}×${d}×${T} at ${ratio}: ${gram.primal} vs ${res.primal}`);
      // warm from a perturbed solution on a fresh state
      const W0 = Float64Array.from(gram.W, (x, i) => (x === 0 ? 0 : x * (1 + 0.2 * Math.sin(i))));
      const warm = bcd(createBcdDatafit(loss, 'gram'), h, W0, { tolAbs, maxIter: 10000 });
      assert.equal(warm.status, 'converged');
      assert.ok(Math.abs(warm.primal - res.primal) <= 2 * tolAbs, `warm ${n}×${d}×${T} at ${ratio}`);
    }
  }
});
