/**
 * The fused group-L2 sweep over the Gram state (issue #11) against bcd's generic row step: the same
 * epochs and objectives, with and without a ridge term and intercepts, from zero and from a warm start;
 * the state stays C = X̃ᵀỸ − X̃ᵀX̃W over the working set; the kernels' sweep (`gl2_sweep_gram`) and its
 * JavaScript twin give the same iterates.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { createBcdDatafit } from '../src/solvers/bcdDatafit.js';
import { bcd, type BcdPenalty } from '../src/solvers/bcd.js';
import { groupNormRowPenalty } from '../src/models/groupLassoCore.js';
import { wasmGramGroupL2Sweep, type GramSweepOperands } from '../src/solvers/groupL2SweepGram.js';
import { gramGroupL2Sweep } from './helpers/gramSweepTwin.js';
import { allocF64 } from '../src/linalg/wasm/matrix.js';
import { wasm } from '../src/linalg/wasm/runtime.js';
import { kernelBackend, setKernelBackend } from '../src/linalg/blas.js';
import { rowNorm, groupLassoLambdaMax } from '../src/index.js';
import { sharedProblem } from './helpers/random.js';

/** `h` with the fused-sweep flag off, so bcd takes its generic row step. */
const generic = (h: BcdPenalty): BcdPenalty => Object.assign(Object.create(h) as BcdPenalty, { plainGroupL2: false });

/** max_i |a_i − b_i| relative to max_i |b_i|. */
const maxRel = (a: Float64Array, b: Float64Array): number =>
  a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0) / Math.max(b.reduce((m, x) => Math.max(m, Math.abs(x)), 0), 1e-300);

/** X̃ᵀỸ and X̃ᵀX̃ (row-major) from the row-major design, centred when the loss fits intercepts. */
function normalEquations(loss: QuadraticLoss, X: Float64Array, Y: Float64Array, n: number, d: number, T: number) {
  const mx = new Float64Array(d), my = new Float64Array(T);
  if (loss.fitIntercept) {
    for (let i = 0; i < n; i++) { for (let j = 0; j < d; j++) mx[j]! += X[i * d + j]! / n; for (let t = 0; t < T; t++) my[t]! += Y[i * T + t]! / n; }
  }
  const xty = new Float64Array(d * T), G = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const x = X[i * d + j]! - mx[j]!;
      for (let t = 0; t < T; t++) xty[j * T + t]! += x * (Y[i * T + t]! - my[t]!);
      for (let k = 0; k < d; k++) G[j * d + k]! += x * (X[i * d + k]! - mx[k]!);
    }
  }
  return { xty, G };
}

describe('fused group-L2 sweep, Gram state', () => {
  const cases = [
    [200, 30, 5, 0.1, 0, false], [300, 50, 3, 0.01, 0, false], [120, 40, 7, 0.05, 0.3, false],
    [100, 20, 1, 0.2, 0, true], [150, 60, 12, 0.02, 0.1, true],
  ] as const;
  for (const [n, d, T, ratio, ridge, intercept] of cases) {
    test(`${n}×${d}×${T} at ${ratio}·λmax, ρ = ${ridge}, intercepts ${intercept}: fused and generic steps agree`, () => {
      const data = sharedProblem(n, d, T, 6, n + d + T).data;
      const lambda = ratio * groupLassoLambdaMax(data, { q: 2, fitIntercept: intercept });
      const loss = new QuadraticLoss(data, { fitIntercept: intercept });
      const F0 = loss.valueAtZero(), tolAbs = 1e-10 * F0;
      const run = (h: BcdPenalty, W0: Float64Array) => {
        const f = createBcdDatafit(loss, 'gram');
        assert.equal(f.kind, 'gram');
        return bcd(f, h, W0, { tolAbs, maxIter: 5000, ridge });
      };
      const h = groupNormRowPenalty(rowNorm(2, T), lambda, T);
      /** Fused and generic runs from W0: both converge, in the same epochs (±2), to the same objective. */
      const agree = (W0: Float64Array, what: string): Float64Array => {
        const [fused, plain] = [run(h, W0), run(generic(h), W0)];
        for (const r of [fused, plain]) assert.equal(r.status, 'converged', what);
        assert.ok(Math.abs(fused.iterations - plain.iterations) <= 2, `${what}: epochs ${fused.iterations} vs ${plain.iterations}`);
        assert.ok(Math.abs(fused.primal - plain.primal) <= 1e-12 * F0, `${what}: objectives ${fused.primal} vs ${plain.primal}`);
        assert.ok(maxRel(fused.W, plain.W) < 1e-7, `${what}: W differ by ${maxRel(fused.W, plain.W)}`);
        return fused.W;
      };
      const Wcold = agree(new Float64Array(d * T), 'from zero');
      // a warm start from a perturbed solution
      agree(Float64Array.from(Wcold, (x, i) => (x === 0 ? 0 : x * (1 + 0.1 * Math.sin(i)))), 'warm start');
    });
  }

  test('the state stays C = X̃ᵀỸ − X̃ᵀX̃W over the working set, and the objective never increases', { skip: wasm === null || !wasm.shared }, (t) => {
    const n = 80, d = 24, T = 6, ridge = 0.05;
    const data = sharedProblem(n, d, T, 5, 17, 1, 0.5).data;
    const loss = new QuadraticLoss(data);
    const lambda = 0.05 * groupLassoLambdaMax(data, { q: 2, fitIntercept: true });
    const { xty, G } = normalEquations(loss, data.X!, data.Y!, n, d, T);
    // the kernels' sweep also in the pass that forces the JavaScript kernels (restored after the test)
    const backend = kernelBackend();
    setKernelBackend('wasm');
    t.after(() => setKernelBackend(backend));
    const f = createBcdDatafit(loss, 'gram');
    // from a warm start on rows 0 … 4, working set every third row and those rows
    const W = new Float64Array(d * T);
    for (let j = 0; j < 5; j++) for (let t = 0; t < T; t++) W[j * T + t] = 0.1 * Math.cos(j + 3 * t);
    f.reset(W);
    const ws = Int32Array.from(Array.from({ length: d }, (_, j) => j).filter((j) => j < 5 || j % 3 === 0));
    const p = ws.length;
    f.prepare(ws, p);
    const s = f.groupL2Sweep?.() ?? null;
    assert.ok(s !== null, 'the Gram state has a fused sweep on the WebAssembly kernels');
    const Lc = f.coordinateLipschitz(), Lrow = new Float64Array(d);
    for (let j = 0; j < d; j++) Lrow[j] = Lc[j * T]! + 2 * ridge;
    const F = (): number => {
      // f(W) + ρ‖W‖² + λΣ‖w^j‖ with f = Σ_t s_t (‖ỹ_t‖² − 2 w_tᵀ(X̃ᵀỹ)_t + w_tᵀ G w_t) up to the constant
      let v = 0;
      for (let t = 0; t < T; t++) {
        let q = 0;
        for (let j = 0; j < d; j++) {
          const w = W[j * T + t]!;
          if (w === 0) continue;
          let gw = 0;
          for (let k = 0; k < d; k++) gw += G[j * d + k]! * W[k * T + t]!;
          q += w * gw - 2 * w * xty[j * T + t]!;
        }
        v += loss.scales[t]! * q;
      }
      for (let j = 0; j < d; j++) {
        let r = 0;
        for (let t = 0; t < T; t++) r += W[j * T + t]! ** 2;
        v += ridge * r + lambda * Math.sqrt(r);
      }
      return v;
    };
    let prev = F();
    const out = new Float64Array(T);
    for (let e = 0; e < 25; e++) {
      const worst = s(ws, p, W, Lrow, lambda, ridge);
      assert.ok(Number.isFinite(worst) && worst >= 0);
      for (const j of ws) {
        f.rowNegGradient(j, out);
        for (let t = 0; t < T; t++) {
          // v_jt = 2 s_t (X̃ᵀỹ_t − X̃ᵀX̃ w_t)_j
          let c = xty[j * T + t]!;
          for (let k = 0; k < d; k++) c -= G[j * d + k]! * W[k * T + t]!;
          assert.ok(Math.abs(out[t]! - 2 * loss.scales[t]! * c) <= 1e-10 * (1 + Math.abs(out[t]!)), `row ${j} task ${t} epoch ${e}`);
        }
      }
      const now = F();
      assert.ok(now <= prev + 1e-12 * Math.abs(prev), `objective rose at epoch ${e}: ${prev} → ${now}`);
      prev = now;
    }
    // rows outside the working set were not touched
    for (let j = 0; j < d; j++) if (!ws.includes(j)) for (let t = 0; t < T; t++) assert.equal(W[j * T + t], 0);
  });

  test('the kernels\' sweep and the JavaScript sweep give the same iterates, also at magnitudes outside the plain norms\' range', { skip: wasm === null || !wasm.shared }, () => {
    const d = 9, T = 3, p = 6;
    for (const scale of [1, 1e-160, 1e150]) {
      // a positive definite G (Gram columns, slot j = j), C = b − G W at W = 0, then a warm row
      const G = new Float64Array(d * d), C0 = new Float64Array(d * T);
      for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) G[i * d + k] = (i === k ? 3 : 0) + 0.3 * Math.cos(i * k + 1);
      for (let i = 0; i < d * T; i++) C0[i] = scale * Math.sin(1.7 * i + 0.4);
      const ws = Int32Array.from([0, 2, 3, 5, 7, 8]);
      const Lrow = new Float64Array(d).fill(3.5);
      const lambda = 0.2 * scale, ridge = 0.1;
      const slot = Int32Array.from({ length: d }, (_, j) => j);
      const scales = new Float64Array(T).fill(0.5);
      let stamp = 0;
      const make = (C: Float64Array, cols: Float64Array): GramSweepOperands =>
        ({ d, T, C, cols: () => cols, slot, scales, wsStamp: () => stamp, wStamp: () => stamp });
      const Cj = Float64Array.from(C0), Gj = Float64Array.from(G);
      const Cw = allocF64(d * T), Gw = allocF64(d * d);
      Cw.set(C0); Gw.set(G);
      const js = gramGroupL2Sweep(make(Cj, Gj)), wk = wasmGramGroupL2Sweep(wasm!.k, make(Cw, Gw)).sweep;
      const Wj = new Float64Array(d * T), Ww = new Float64Array(d * T);
      Wj[2 * T] = Ww[2 * T] = 0.01 * scale;
      for (let e = 0; e < 8; e++) {
        const a = js(ws, p, Wj, Lrow, lambda, ridge), b = wk(ws, p, Ww, Lrow, lambda, ridge);
        assert.ok(Number.isFinite(b) && b >= 0, `scale ${scale}: kernel violation ${b}`);
        if (scale === 1) assert.ok(Math.abs(a - b) <= 1e-15 * Math.max(a, 1e-300), `violations ${a} vs ${b}`);
        assert.ok(maxRel(Ww, Wj) <= 1e-14, `scale ${scale} epoch ${e}: W differ by ${maxRel(Ww, Wj)}`);
        assert.ok(maxRel(Cw, Cj) <= 1e-14, `scale ${scale} epoch ${e}: C differ by ${maxRel(Cw, Cj)}`);
      }
      assert.ok(Ww.some((x) => x !== 0), `scale ${scale}: some row moved`);
      // NaN in the state is reported, not swallowed
      Cw[ws[1]! * T] = NaN; stamp++;
      assert.ok(Number.isNaN(wk(ws, p, Ww, Lrow, lambda, ridge)));
    }
  });
});
