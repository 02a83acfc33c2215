// The residual BCD state that holds only the working set's columns (issue #13 item 8, goal B): its
// gradients and updates against an explicit centred copy of the design, for held and not-held
// columns, on a design and on a row subset of one; its fits against the full-copy state.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { ColumnPanel, SharedResidualRows, useColumnPanel } from '../src/solvers/sharedResidualRows.js';
import { createBcdDatafit } from '../src/solvers/bcdDatafit.js';
import { bcd } from '../src/solvers/bcd.js';
import { groupNormRowPenalty } from '../src/models/groupLassoCore.js';
import { groupLassoLambdaMax } from '../src/models/groupLasso.js';
import { rowNorm } from '../src/penalties/rowNorm.js';
import { sharedProblem, randn } from './helpers/random.js';
import { kernelBackend, setKernelBackend, wasmKernelsInfo } from '../src/linalg/blas.js';
import type { MultiTaskData } from '../src/data/MultiTaskData.js';

const initial = kernelBackend();

/** −∇f(W) = 2 s_t X̃ᵀ(Ỹ − X̃W) column t, from the materialised centred design. */
function explicitNegGradient(loss: QuadraticLoss, W: Float64Array): Float64Array {
  const { d, T, n } = loss, X = loss.design!.materialise(), Y = loss.Y!;
  const V = new Float64Array(d * T);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < T; t++) {
      let r = Y[i * T + t]!;
      for (let j = 0; j < d; j++) r -= X[i * d + j]! * W[j * T + t]!;
      for (let j = 0; j < d; j++) V[j * T + t]! += 2 * loss.scales[t]! * X[i * d + j]! * r;
    }
  }
  return V;
}

function close(a: number, b: number, scale: number, what: string): void {
  assert.ok(Math.abs(a - b) <= 1e-10 * (scale + Math.abs(b)), `${what}: ${a} vs ${b}`);
}

const full = sharedProblem(90, 140, 3, 5, 31, 1, 3).data; // d > 32T: the residual backend
const view = full.selectRows(Int32Array.from({ length: 60 }, (_, a) => (a * 7) % 90));
// n·d ≥ 2^18: X lives in the kernels' memory, so X̃ᵀR runs in the WebAssembly kernel `xtr_rows`
const big = sharedProblem(700, 401, 2, 5, 32, 1, 3).data;
const bigView = big.selectRows(Int32Array.from({ length: 690 }, (_, a) => (a * 11) % 700));

describe('SharedResidualRows', () => {
  const cases = [['design', full, 'js'], ['row subset', view, 'js'], ['resident design', big, 'wasm'], ['resident row subset', bigView, 'wasm'], ['resident design', big, 'js']] as const;
  for (const [name, data, backend] of cases) {
    it(`row gradients and updates match the explicit centred design, held or not (${name}, ${backend} kernels)`, { skip: backend === 'wasm' && !wasmKernelsInfo().available }, () => {
      setKernelBackend(backend);
      try { checkAgainstExplicit(data); } finally { setKernelBackend(initial); }
    });
  }

  function checkAgainstExplicit(data: MultiTaskData): void {
    {
      const loss = new QuadraticLoss(data);
      const { d, T } = loss;
      const f = new SharedResidualRows(loss);
      const W = new Float64Array(d * T);
      W.set(randn(4 * T, 2), 10 * T); // rows 10–13 nonzero: the warm-start residual
      f.reset(W);
      const ws = Int32Array.from([3, 10, 11, 77]);
      f.prepare(ws, 4);
      let V = explicitNegGradient(loss, W);
      const scale = Math.max(...V.map(Math.abs));
      const v = new Float64Array(T);
      for (const j of [3, 11, 77, 120, 0]) { // 120 and 0 are not held: gathered on request
        f.rowNegGradient(j, v);
        for (let t = 0; t < T; t++) close(v[t]!, V[j * T + t]!, scale, `row ${j}`);
      }
      // an update of a held row and of a row outside the working set (as screening does)
      for (const j of [77, 130]) {
        const delta = randn(T, j);
        f.updateRow(j, delta);
        for (let t = 0; t < T; t++) W[j * T + t]! += delta[t]!;
      }
      V = explicitNegGradient(loss, W);
      const G = new Float64Array(d * T);
      f.fullNegGradient(W, G);
      for (let k = 0; k < d * T; k++) close(G[k]!, V[k]!, scale, `full gradient entry ${k}`);
      const some = Int32Array.from([3, 77, 130]);
      G.fill(0);
      f.fullNegGradient(W, G, some, 3);
      for (const j of some) for (let t = 0; t < T; t++) close(G[j * T + t]!, V[j * T + t]!, scale, `listed row ${j}`);
      // X̃ᵀỸ (λ_max, the gradient at W = 0) against the loss's own blocked product
      const xty = f.xty(), ref = loss.xty();
      for (let k = 0; k < d * T; k++) close(xty[k]!, ref[k]!, Math.max(...ref.map(Math.abs)), `X̃ᵀỸ entry ${k}`);
    }
  }

  it('the panel keeps held columns in place, drops the others, and holds exactly X̃\'s columns', () => {
    const loss = new QuadraticLoss(view);
    const { n, d } = loss, X = loss.design!.materialise();
    const P = new ColumnPanel(loss.design!, false);
    P.hold(Int32Array.from([5, 9, 40]), 3);
    const o9 = P.at(9);
    P.hold(Int32Array.from([9, 41, 42, 43, 44, 45]), 6);
    assert.equal(P.at(9), o9, 'a column held by both working sets stays where it was');
    assert.ok(!P.holds(5) && !P.holds(40) && P.holds(45));
    assert.ok(P.capacity < d, `capacity ${P.capacity} of d = ${d}`);
    for (const j of [9, 45, 100]) {
      const o = P.at(j);
      for (let i = 0; i < n; i++) assert.equal(P.src[o + i], X[i * d + j], `column ${j}, row ${i}`);
    }
  });

  for (const [name, data] of [['heap design', full], ['resident design', big]] as const) {
    it(`a group-lasso BCD fit equals the full-copy residual state's fit to the tolerance (${name})`, () => {
      const full = data;
      const loss = new QuadraticLoss(full);
      const { d, T } = loss;
      const lambda = 0.05 * groupLassoLambdaMax(full);
      const opts = { tolAbs: 1e-10 * loss.valueAtZero(), maxIter: 20000 };
      const h = groupNormRowPenalty(rowNorm(2, T), lambda, T);
      const a = bcd(new SharedResidualRows(loss), h, new Float64Array(d * T), opts);
      const b = bcd(createBcdDatafit(new QuadraticLoss(full), 'residual'), h, new Float64Array(d * T), opts);
      assert.equal(useColumnPanel(loss), false, 'small designs keep the full copy');
      assert.ok(a.converged && b.converged);
      close(a.primal, b.primal, 0, 'objective');
      let diff = 0;
      for (let k = 0; k < d * T; k++) diff = Math.max(diff, Math.abs(a.W[k]! - b.W[k]!));
      assert.ok(diff <= 1e-4 * Math.max(...b.W.map(Math.abs)), `W differs by ${diff}`);
      assert.ok(a.workingSetSize < d);
    });
  }
});
