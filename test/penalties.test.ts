// Property tests of the row-wise group norms (src/penalties): one table of norms, the same properties
// checked on every row, plus the ball projections they are built on. Every random draw is seeded.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  rowNorm,
  L1Norm,
  L2Norm,
  LinfNorm,
  LqNorm,
  lpNorm,
  l1BallThreshold,
  projectL1Ball,
  projectLpBall,
  projectLpBallComplement,
  type RowNorm,
} from '../src/penalties/index.js';
import { mulberry32 } from './helpers/random.js';

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32) and helpers
// ---------------------------------------------------------------------------------------------


/** Standard normal draw (Box–Muller). */
function gauss(rnd: () => number): number {
  const u = 1 - rnd();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

/** A test vector of length n: Gaussian entries, sometimes with zeros and tied magnitudes. */
function randomVector(rnd: () => number, n: number): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = gauss(rnd);
  if (n > 1 && rnd() < 0.25) v[Math.floor(rnd() * n)] = 0;
  if (n > 1 && rnd() < 0.2) {
    const i = Math.floor(rnd() * n), j = Math.floor(rnd() * n);
    v[j] = rnd() < 0.5 ? v[i]! : -v[i]!;
  }
  return v;
}

/** The ℓq norm by its definition, M (Σ (|x_i|/M)^q)^{1/q} with M = max|x_i| (tiny u in test 1 would underflow). */
function refNorm(x: Float64Array, q: number): number {
  let m = 0;
  for (const t of x) m = Math.max(m, Math.abs(t));
  if (q === Infinity || m === 0) return m;
  let s = 0;
  for (const t of x) s += Math.pow(Math.abs(t) / m, q);
  return m * Math.pow(s, 1 / q);
}

function dotv(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

function maxAbsDiff(x: Float64Array, y: Float64Array): number {
  assert.equal(x.length, y.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

function prox(nrm: RowNorm, v: Float64Array, tau: number): Float64Array {
  const z = new Float64Array(v.length);
  nrm.prox(v, 0, v.length, tau, z, 0);
  return z;
}

function proj(nrm: RowNorm, v: Float64Array, r: number): Float64Array {
  const x = new Float64Array(v.length);
  nrm.projectDualBall(v, 0, v.length, r, x, 0);
  return x;
}

/** sign(v) · max(|v| − τ, 0) */
function softScalar(v: number, tau: number): number {
  return v > tau ? v - tau : v < -tau ? v + tau : 0;
}

/** Reference prox of τ‖·‖_∞ via a sort-based ℓ1-ball projection written independently here. */
function refProxLinf(v: Float64Array, tau: number): Float64Array {
  const a = Array.from(v, Math.abs).sort((x, y) => y - x);
  const total = a.reduce((s, t) => s + t, 0);
  if (total <= tau) return new Float64Array(v.length);
  let cum = 0;
  let theta = 0;
  for (let k = 0; k < a.length; k++) {
    cum += a[k]!;
    const th = (cum - tau) / (k + 1);
    if (k === a.length - 1 || a[k + 1]! <= th) {
      theta = th;
      break;
    }
  }
  return Float64Array.from(v, (t) => Math.sign(t) * Math.min(Math.abs(t), theta));
}

/**
 * Reference prox of τ‖·‖_q for 1 < q < ∞ by plain nested bisection (slow, independent of the library):
 * v − Proj_{τB_p}(v), p = q*, with Proj_i = sign(v_i) z_i, z_i + μ p z_i^{p−1} = |v_i| (bisection on
 * z_i ∈ [0, |v_i|]) and Σ z_i^p = τ^p (bisection on log μ ∈ [−700, 700]).
 */
function refProxBisection(v: Float64Array, tau: number, q: number): Float64Array {
  const p = q / (q - 1);
  if (refNorm(v, p) <= tau) return new Float64Array(v.length);
  const zOf = (mu: number, a: number): number => {
    let lo = 0, hi = a;
    for (let k = 0; k < 100; k++) {
      const m = 0.5 * (lo + hi);
      if (m + mu * p * Math.pow(m, p - 1) > a) hi = m;
      else lo = m;
    }
    return 0.5 * (lo + hi);
  };
  const z = new Float64Array(v.length);
  let lo = -700, hi = 700;
  for (let k = 0; k < 80; k++) {
    const mid = 0.5 * (lo + hi);
    for (let i = 0; i < v.length; i++) z[i] = zOf(Math.exp(mid), Math.abs(v[i]!));
    if (refNorm(z, p) > tau) lo = mid;
    else hi = mid;
  }
  return Float64Array.from(v, (t, i) => t - Math.sign(t) * z[i]!);
}

// ---------------------------------------------------------------------------------------------
// The shared table of norms
// ---------------------------------------------------------------------------------------------

const MAXN = 8;

interface Case {
  name: string;
  q: number;
  qStar: number;
  make: () => RowNorm;
  /** An independent reference for the prox: a closed form where one exists, else nested bisection. */
  reference: (v: Float64Array, tau: number) => Float64Array;
}

const blockSoft = (v: Float64Array, tau: number): Float64Array => {
  const nv = refNorm(v, 2);
  const c = nv > tau ? 1 - tau / nv : 0;
  return Float64Array.from(v, (t) => c * t);
};

const soft = (v: Float64Array, tau: number): Float64Array => Float64Array.from(v, (t) => softScalar(t, tau));
const bisect = (q: number) => (v: Float64Array, tau: number): Float64Array => refProxBisection(v, tau, q);

const CASES: Case[] = [
  { name: 'q = 1', q: 1, qStar: Infinity, make: () => rowNorm(1, MAXN), reference: soft },
  { name: 'q = 1.5', q: 1.5, qStar: 3, make: () => rowNorm(1.5, MAXN), reference: bisect(1.5) },
  { name: 'q = 2', q: 2, qStar: 2, make: () => rowNorm(2, MAXN), reference: blockSoft },
  { name: 'q = 3', q: 3, qStar: 1.5, make: () => rowNorm(3, MAXN), reference: bisect(3) },
  { name: 'q = 50', q: 50, qStar: 50 / 49, make: () => rowNorm(50, MAXN), reference: bisect(50) },
  { name: 'q = ∞', q: Infinity, qStar: 1, make: () => rowNorm(Infinity, MAXN), reference: refProxLinf },
  { name: 'general-q class forced at q = 2', q: 2, qStar: 2, make: () => new LqNorm(2, MAXN), reference: blockSoft },
];

for (const [ci, c] of CASES.entries()) {
  describe(`row norm ${c.name}`, () => {
    const nrm = c.make();
    const seed = 1000 + 17 * ci;
    const objective = (z: Float64Array, v: Float64Array, tau: number): number => {
      let s = 0;
      for (let i = 0; i < z.length; i++) s += 0.5 * (z[i]! - v[i]!) ** 2;
      return s + tau * refNorm(z, c.q);
    };

    it('reports q and q*', () => {
      assert.equal(nrm.q, c.q);
      assert.ok(Math.abs(nrm.qStar - c.qStar) <= 1e-15 * c.qStar || nrm.qStar === c.qStar);
    });

    it('1. prox satisfies the prox inequality ⟨v − z, u − z⟩ ≤ τ(‖u‖ − ‖z‖)', () => {
      const rnd = mulberry32(seed + 1);
      let worst = -Infinity;
      for (let trial = 0; trial < 200; trial++) {
        const n = 1 + Math.floor(rnd() * MAXN);
        const v = randomVector(rnd, n);
        const tau = rnd() * 1.5 * refNorm(v, c.qStar);
        const z = prox(nrm, v, tau);
        const vz = Float64Array.from(v, (t, i) => t - z[i]!);
        const nz = refNorm(z, c.q);
        for (let k = 0; k < 24; k++) {
          const u = new Float64Array(n);
          const kind = k % 4;
          const eps = [1, 1e-1, 1e-3, 1e-6][k % 4]!;
          for (let i = 0; i < n; i++) u[i] = kind === 0 ? 2 * gauss(rnd) : z[i]! + eps * gauss(rnd);
          if (k === 22) u.fill(0);
          if (k === 23) for (let i = 0; i < n; i++) u[i] = 2 * z[i]!;
          const lhs = dotv(vz, Float64Array.from(u, (t, i) => t - z[i]!));
          const rhs = tau * (refNorm(u, c.q) - nz);
          worst = Math.max(worst, lhs - rhs);
          assert.ok(lhs <= rhs + 1e-10, `trial ${trial}: ${lhs} > ${rhs} (v=${v}, τ=${tau})`);
        }
      }
      assert.ok(worst <= 1e-10);
    });

    it('2. Moreau identity prox_τ(v) + Proj_{τB*}(v) = v, projection in the dual ball', () => {
      const rnd = mulberry32(seed + 2);
      for (let trial = 0; trial < 300; trial++) {
        const n = 1 + Math.floor(rnd() * MAXN);
        const v = randomVector(rnd, n);
        const tau = rnd() < 0.1 ? 0 : rnd() * 1.5 * refNorm(v, c.qStar);
        const z = prox(nrm, v, tau);
        const x = proj(nrm, v, tau);
        const sum = Float64Array.from(z, (t, i) => t + x[i]!);
        assert.ok(maxAbsDiff(sum, v) <= 1e-12, `trial ${trial}: |z + P(v) − v| = ${maxAbsDiff(sum, v)}`);
        const dn = refNorm(x, c.qStar);
        assert.ok(dn <= tau * (1 + 1e-12) + 1e-300, `trial ${trial}: ‖P(v)‖_q* = ${dn} > τ = ${tau}`);
        assert.ok(Math.abs(nrm.dualNorm(x, 0, n) - dn) <= 1e-12 * Math.max(1, dn));
      }
    });

    it('3. prox attains the brute-force minimum of ½‖z − v‖² + τ‖z‖_q (n = 2, 3)', () => {
      const rnd = mulberry32(seed + 3);
      for (let trial = 0; trial < 10; trial++) {
        const n = trial < 5 ? 2 : 3;
        const v = randomVector(rnd, n);
        if (trial === 0) v.set([1.2, -1.2]); // tied magnitudes (kinks of ‖·‖_∞)
        if (trial === 5) v.set([0.9, 0.9, -0.4]);
        const tau = (0.1 + 0.8 * rnd()) * refNorm(v, c.qStar);
        const f = (z: Float64Array): number => objective(z, v, tau);
        const z = prox(nrm, v, tau);
        const fz = f(z);
        // grid search over the box [−B, B]^n that contains the minimiser (|z_i| ≤ |v_i|)
        const B = refNorm(v, Infinity) + 0.05;
        const steps = n === 2 ? 160 : 36;
        const h = (2 * B) / steps;
        let best = new Float64Array(n);
        let fb = f(best);
        const u = new Float64Array(n);
        const idx = new Array<number>(n).fill(0);
        for (;;) {
          for (let i = 0; i < n; i++) u[i] = -B + h * idx[i]!;
          const fu = f(u);
          if (fu < fb) {
            fb = fu;
            best = Float64Array.from(u);
          }
          let i = 0;
          while (i < n && idx[i] === steps) idx[i++] = 0;
          if (i === n) break;
          idx[i]!++;
        }
        // local refinement: pattern search over the directions {−1, 0, 1}^n \ {0} (they contain the
        // kinks of every ℓq norm: coordinate hyperplanes, and |z_i| = |z_j| for q = ∞) plus random
        // directions, with a radius halved whenever no direction improves
        const dirs: Float64Array[] = [];
        for (let code = 1; code < 3 ** n; code++) {
          const d = new Float64Array(n);
          for (let i = 0, k = code; i < n; i++, k = Math.floor(k / 3)) d[i] = (k % 3) - 1;
          dirs.push(d);
        }
        let radius = h;
        while (radius > 1e-12) {
          let improved = false;
          for (let k = 0; k < dirs.length + 8; k++) {
            const d = dirs[k];
            for (let i = 0; i < n; i++) u[i] = best[i]! + radius * (d ? d[i]! : gauss(rnd));
            const fu = f(u);
            if (fu < fb) {
              fb = fu;
              best = Float64Array.from(u);
              improved = true;
            }
          }
          if (!improved) radius *= 0.5;
        }
        assert.ok(fz <= fb + 1e-9, `trial ${trial}: f(prox) = ${fz} > brute-force ${fb}`);
        // strong convexity: ½‖best − z*‖² ≤ f(best) − f(z*), so the search must land next to the prox
        assert.ok(maxAbsDiff(best, z) <= 1e-4, `trial ${trial}: search found ${best}, prox ${z}`);
      }
    });

    it('4. n = 1 (one task): prox is scalar soft-thresholding', () => {
      const rnd = mulberry32(seed + 4);
      const vals = [0, 1, -1, 0.5, -2.5, 1e-3, 3];
      for (let k = 0; k < 60; k++) vals.push(3 * gauss(rnd));
      for (const val of vals) {
        for (const tau of [0, 0.25, 0.999, 1, 2, 10 * rnd()]) {
          const z = prox(nrm, new Float64Array([val]), tau);
          const e = softScalar(val, tau);
          assert.ok(Math.abs(z[0]! - e) <= 1e-14, `v=${val}, τ=${tau}: ${z[0]} vs ${e}`);
        }
      }
    });

    it('5a. constant vector c·1: prox is (|c| − τ n^{1/q−1})₊ · sign(c) · 1', () => {
      for (let n = 1; n <= MAXN; n++) {
        for (const cc of [0.3, -0.3, 1, -1, 2.5, -2.5]) {
          for (const tau of [0, 0.1, 0.5, 1, 3]) {
            const v = new Float64Array(n).fill(cc);
            const z = prox(nrm, v, tau);
            const t = Math.sign(cc) * Math.max(Math.abs(cc) - tau * Math.pow(n, 1 / c.q - 1), 0);
            for (let i = 0; i < n; i++) {
              assert.ok(Math.abs(z[i]! - t) <= 1e-10, `n=${n}, c=${cc}, τ=${tau}: z_${i} = ${z[i]} vs ${t}`);
            }
          }
        }
      }
    });

    it('5b. prox equals an independent reference (closed form where one exists, else nested bisection)', () => {
      const rnd = mulberry32(seed + 5);
      for (let trial = 0; trial < 60; trial++) {
        const n = 1 + Math.floor(rnd() * MAXN);
        const v = randomVector(rnd, n);
        const tau = (0.05 + 1.45 * rnd()) * refNorm(v, c.qStar);
        const d = maxAbsDiff(prox(nrm, v, tau), c.reference(v, tau));
        assert.ok(d <= 1e-10, `trial ${trial}: differs by ${d}`);
      }
    });

    it('5c. norm, dual norm: definitions, Hölder ⟨x,y⟩ ≤ ‖x‖_q‖y‖_q* (equality attained), scaling', () => {
      const rnd = mulberry32(seed + 6);
      for (let trial = 0; trial < 200; trial++) {
        const n = 1 + Math.floor(rnd() * MAXN);
        const x = randomVector(rnd, n);
        const y = randomVector(rnd, n);
        const nx = nrm.norm(x, 0, n);
        const ny = nrm.dualNorm(y, 0, n);
        assert.ok(Math.abs(nx - refNorm(x, c.q)) <= 1e-12 * Math.max(1, nx));
        assert.ok(Math.abs(ny - refNorm(y, c.qStar)) <= 1e-12 * Math.max(1, ny));
        assert.ok(dotv(x, y) <= nx * ny * (1 + 1e-12) + 1e-300);
        // the supremum sup_{‖x‖_q ≤ 1} ⟨x, y⟩ = ‖y‖_q* is attained at x*_i ∝ sign(y_i)|y_i|^{q*−1}
        // (q* = ∞: x* = e_argmax · sign; q* = 1: x* = sign(y))
        const xs = new Float64Array(n);
        if (c.qStar === Infinity) {
          let k = 0;
          for (let i = 1; i < n; i++) if (Math.abs(y[i]!) > Math.abs(y[k]!)) k = i;
          xs[k] = Math.sign(y[k]!);
        } else {
          for (let i = 0; i < n; i++) xs[i] = Math.sign(y[i]!) * Math.pow(Math.abs(y[i]!), c.qStar - 1);
        }
        const nxs = nrm.norm(xs, 0, n);
        if (nxs > 0) {
          const sup = dotv(xs, y) / nxs;
          assert.ok(Math.abs(sup - ny) <= 1e-10 * Math.max(1, ny), `trial ${trial}: sup ${sup} vs dual ${ny}`);
        }
        // scaled computation: no overflow or underflow at extreme magnitudes
        for (const s of [1e200, 1e-200]) {
          const xsc = Float64Array.from(x, (t) => t * s);
          assert.ok(Math.abs(nrm.norm(xsc, 0, n) / s - nx) <= 1e-12 * nx);
          assert.ok(Math.abs(nrm.dualNorm(Float64Array.from(y, (t) => t * s), 0, n) / s - ny) <= 1e-12 * ny);
        }
      }
    });

    it('7. edge cases: zero input, τ = 0, large τ, in place, input untouched, offsets', () => {
      const rnd = mulberry32(seed + 7);
      for (let trial = 0; trial < 100; trial++) {
        const n = 1 + Math.floor(rnd() * MAXN);
        const v = randomVector(rnd, n);
        const tau = rnd() * 1.5 * refNorm(v, c.qStar);
        // prox(0) = 0
        const z0 = prox(nrm, new Float64Array(n), tau);
        assert.deepEqual(z0, new Float64Array(n));
        // τ = 0: identity; projection onto the radius-0 ball: 0
        assert.deepEqual(prox(nrm, v, 0), v);
        assert.ok(maxAbsDiff(proj(nrm, v, 0), new Float64Array(n)) === 0);
        // large τ (‖v‖_q* ≤ τ): prox = 0 and projection = v; at τ = ‖v‖_q* exactly, prox ≈ 0
        const dn = refNorm(v, c.qStar);
        for (const big of [dn * (1 + 1e-9), 2 * dn, 1e6 * dn + 1]) {
          assert.deepEqual(prox(nrm, v, big), new Float64Array(n), `τ = ${big}`);
          assert.deepEqual(proj(nrm, v, big), v);
        }
        assert.ok(maxAbsDiff(prox(nrm, v, dn), new Float64Array(n)) <= 1e-12);
        // out-of-place with offsets: the input is untouched, nothing outside [oo, oo+n) is written
        const vin = new Float64Array(n + 5).fill(7);
        vin.set(v, 2);
        const vcopy = Float64Array.from(vin);
        const out = new Float64Array(n + 6).fill(-7);
        nrm.prox(vin, 2, n, tau, out, 3);
        assert.deepEqual(vin, vcopy);
        const expected = prox(nrm, v, tau);
        assert.deepEqual(out.subarray(3, 3 + n), expected);
        assert.ok(out.subarray(0, 3).every((t) => t === -7) && out.subarray(3 + n).every((t) => t === -7));
        // in place (same buffer, same offset) equals out of place, for prox and for the projection
        const inplace = Float64Array.from(vin);
        nrm.prox(inplace, 2, n, tau, inplace, 2);
        assert.deepEqual(inplace.subarray(2, 2 + n), expected);
        assert.ok(inplace.subarray(0, 2).every((t) => t === 7) && inplace.subarray(2 + n).every((t) => t === 7));
        const pin = Float64Array.from(vin);
        nrm.projectDualBall(pin, 2, n, tau, pin, 2);
        assert.deepEqual(pin.subarray(2, 2 + n), proj(nrm, v, tau));
        const pout = new Float64Array(n);
        nrm.projectDualBall(vin, 2, n, tau, pout, 0);
        assert.deepEqual(vin, vcopy);
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Factory
// ---------------------------------------------------------------------------------------------

describe('rowNorm factory', () => {
  it('picks the specialised classes for q = 1, 2, ∞ and the general one otherwise', () => {
    assert.ok(rowNorm(1, 4) instanceof L1Norm);
    assert.ok(rowNorm(2, 4) instanceof L2Norm);
    assert.ok(rowNorm(Infinity, 4) instanceof LinfNorm);
    assert.ok(rowNorm(1.5, 4) instanceof LqNorm);
    assert.ok(rowNorm(1 + 1e-9, 4) instanceof LqNorm);
    assert.ok(rowNorm(1e6, 4) instanceof LqNorm);
    assert.equal(rowNorm(3, 4).qStar, 1.5);
  });

  it('8. throws a RangeError naming q for q outside [1, ∞] or NaN', () => {
    for (const q of [0.5, Number.NaN, 0, -1, 0.999999, -Infinity]) {
      assert.throws(
        () => rowNorm(q, 4),
        (e: unknown) => e instanceof RangeError && /^q: expected a number in \[1, ∞\], got/.test(e.message),
        `q = ${q}`,
      );
    }
    assert.throws(() => new LqNorm(1, 4), RangeError);
    assert.throws(() => new LqNorm(Infinity, 4), RangeError);
    assert.throws(() => rowNorm(2, -1), /maxLength/);
  });
});

// ---------------------------------------------------------------------------------------------
// Projections
// ---------------------------------------------------------------------------------------------

describe('projectL1Ball (Duchi et al. 2008)', () => {
  it('6a. matches a brute-force QP solution (enumeration of supports) and its KKT conditions', () => {
    const rnd = mulberry32(42);
    const work = new Float64Array(MAXN);
    for (let trial = 0; trial < 500; trial++) {
      const n = 1 + Math.floor(rnd() * 6);
      const v = randomVector(rnd, n);
      const l1 = refNorm(v, 1);
      const r = trial % 10 === 0 ? 0 : trial % 10 === 1 ? 1.5 * l1 : rnd() * l1;
      const x = new Float64Array(n);
      const theta = projectL1Ball(v, 0, n, r, x, 0, work);
      // brute force: for every support S, θ_S = (Σ_S |v_i| − r)/|S|; the projection's support is the
      // S with θ_S ≥ 0, |v_i| > θ_S on S and |v_i| ≤ θ_S off S (or x = v when ‖v‖₁ ≤ r)
      let ref: Float64Array | undefined;
      if (l1 <= r) ref = Float64Array.from(v);
      else if (r === 0) ref = new Float64Array(n);
      else {
        for (let mask = 1; mask < 1 << n; mask++) {
          let s = 0, k = 0;
          for (let i = 0; i < n; i++) if (mask & (1 << i)) { s += Math.abs(v[i]!); k++; }
          const th = (s - r) / k;
          let ok = th >= 0;
          for (let i = 0; i < n && ok; i++) {
            const a = Math.abs(v[i]!);
            ok = mask & (1 << i) ? a > th : a <= th + 1e-15;
          }
          if (ok) {
            ref = Float64Array.from(v, (t) => softScalar(t, th));
            break;
          }
        }
      }
      assert.ok(ref !== undefined, `trial ${trial}: no valid support`);
      assert.ok(maxAbsDiff(x, ref) <= 1e-12, `trial ${trial}: ${x} vs ${ref}`);
      // KKT: x_i = sign(v_i)(|v_i| − θ)₊ with θ ≥ 0, and θ = 0 with ‖v‖₁ ≤ r, or ‖x‖₁ = r
      assert.ok(theta >= 0);
      assert.ok(maxAbsDiff(x, Float64Array.from(v, (t) => softScalar(t, theta))) <= 1e-15);
      if (theta === 0) assert.ok(l1 <= r);
      else assert.ok(Math.abs(refNorm(x, 1) - r) <= 1e-12 * Math.max(1, r));
      // no feasible random point is closer to v
      const sqDist = (u: Float64Array): number => u.reduce((acc, t, i) => acc + (t - v[i]!) ** 2, 0);
      const d0 = sqDist(x);
      for (let k = 0; k < 20; k++) {
        const u = Float64Array.from(x, (t) => t + 0.3 * gauss(rnd));
        const nu = refNorm(u, 1);
        if (nu > r) for (let i = 0; i < n; i++) u[i] = nu > 0 ? (u[i]! * r) / nu : 0;
        assert.ok(d0 <= sqDist(u) + 1e-12);
      }
    }
  });

  it('the threshold is exact on hand-checked inputs; work buffer optional; in place', () => {
    assert.equal(l1BallThreshold(new Float64Array([3, -1, 0.5]), 0, 3, 2), 1);
    assert.equal(l1BallThreshold(new Float64Array([1, 1, 1, 1]), 0, 4, 2), 0.5);
    assert.equal(l1BallThreshold(new Float64Array([1, -2]), 0, 2, 5), 0);
    assert.equal(l1BallThreshold(new Float64Array([1, -2]), 0, 2, 0), 2);
    const v = new Float64Array([0, 3, -1, 0.5, 9]);
    projectL1Ball(v, 1, 3, 2, v, 1);
    assert.deepEqual(v, new Float64Array([0, 2, 0, 0, 9]));
  });
});

describe('projectLpBall (Liu & Ye 2010)', () => {
  const PS = [50 / 49, 1.02, 1.5, 2, 3, 7, 50];

  it('6b. satisfies the KKT conditions z_i + μ p z_i^{p−1} = |v_i|, ‖x‖_p = r, signs', () => {
    const rnd = mulberry32(7);
    for (const p of PS) {
      for (let trial = 0; trial < 150; trial++) {
        const n = 1 + Math.floor(rnd() * MAXN);
        const v = randomVector(rnd, n);
        const np = refNorm(v, p);
        // radii from deep inside to just outside the ball (μ stays representable for these)
        const r = np * [0.05, 0.3, 0.7, 0.99, 0.999999, 1.2][trial % 6]! * (0.9 + 0.1 * rnd());
        const x = new Float64Array(n);
        const mu = projectLpBall(v, 0, n, p, r, x, 0);
        if (np <= r) {
          assert.equal(mu, 0);
          assert.deepEqual(x, v);
          continue;
        }
        assert.ok(mu > 0 && Number.isFinite(mu), `p=${p}: μ = ${mu}`);
        assert.ok(Math.abs(refNorm(x, p) - r) <= 1e-10 * r, `p=${p}: ‖x‖_p = ${refNorm(x, p)} vs r = ${r}`);
        const m = refNorm(v, Infinity);
        for (let i = 0; i < n; i++) {
          const z = Math.abs(x[i]!);
          const a = Math.abs(v[i]!);
          assert.ok(x[i] === 0 || Math.sign(x[i]!) === Math.sign(v[i]!));
          assert.ok(z <= a, `p=${p}, trial ${trial}: z = ${z} > a = ${a}`);
          const res = z + mu * p * Math.pow(z, p - 1) - a;
          assert.ok(Math.abs(res) <= 1e-10 * m, `p=${p}, trial ${trial}, i=${i}: KKT residual ${res}`);
        }
      }
    }
  });

  it('is scale-equivariant at extreme magnitudes, handles r = 0, zeros, v inside, in place', () => {
    const rnd = mulberry32(8);
    for (const p of PS) {
      for (let trial = 0; trial < 40; trial++) {
        const n = 1 + Math.floor(rnd() * MAXN);
        const v = randomVector(rnd, n);
        const r = refNorm(v, p) * (0.01 + 0.9 * rnd());
        const x = new Float64Array(n);
        projectLpBall(v, 0, n, p, r, x, 0);
        for (const s of [1e150, 1e-150]) {
          const xs = new Float64Array(n);
          projectLpBall(Float64Array.from(v, (t) => t * s), 0, n, p, r * s, xs, 0);
          for (let i = 0; i < n; i++) {
            assert.ok(Math.abs(xs[i]! / s - x[i]!) <= 1e-12 * refNorm(v, Infinity), `p=${p}, s=${s}`);
          }
        }
        // zeros of v stay zero
        for (let i = 0; i < n; i++) if (v[i] === 0) assert.equal(x[i], 0);
        // r = 0 → 0, and the complement is v
        const x0 = new Float64Array(n).fill(5);
        projectLpBall(v, 0, n, p, 0, x0, 0);
        assert.deepEqual(x0, new Float64Array(n));
        const c0 = new Float64Array(n);
        projectLpBallComplement(v, 0, n, p, 0, c0, 0);
        assert.deepEqual(c0, v);
        // complement = v − projection, in place
        const w = Float64Array.from(v);
        projectLpBallComplement(w, 0, n, p, r, w, 0);
        for (let i = 0; i < n; i++) assert.equal(w[i], v[i]! - x[i]!);
        const y = Float64Array.from(v);
        projectLpBall(y, 0, n, p, r, y, 0);
        assert.deepEqual(y, x);
      }
      // zero vector, tiny radius
      const z = new Float64Array(3).fill(1);
      assert.equal(projectLpBall(new Float64Array(3), 0, 3, p, 1, z, 0), 0);
      assert.deepEqual(z, new Float64Array(3));
      const tiny = new Float64Array(3);
      projectLpBall(new Float64Array([1, -0.5, 0.25]), 0, 3, p, 1e-9, tiny, 0);
      assert.ok(Math.abs(lpNorm(tiny, 0, 3, p) - 1e-9) <= 1e-20);
    }
    assert.throws(() => projectLpBall(new Float64Array(1), 0, 1, 1, 1, new Float64Array(1), 0), RangeError);
  });

  it('p = 2 reduces to radial scaling', () => {
    const x = new Float64Array(2);
    const mu = projectLpBall(new Float64Array([3, 4]), 0, 2, 2, 1, x, 0);
    assert.ok(maxAbsDiff(x, new Float64Array([0.6, 0.8])) <= 1e-15);
    // z + 2μ z = a ⇒ 1 + 2μ = 5
    assert.ok(Math.abs(mu - 2) <= 1e-12);
  });

  it('lpNorm agrees with the definition and does not overflow', () => {
    const x = new Float64Array([3, -4, 0, 1]);
    for (const p of [1, 1.5, 2, 3, 50, Infinity]) {
      assert.ok(Math.abs(lpNorm(x, 0, 4, p) - refNorm(x, p)) <= 1e-14 * refNorm(x, p));
      const big = Float64Array.from(x, (t) => t * 1e300);
      assert.ok(Math.abs(lpNorm(big, 0, 4, p) / 1e300 - refNorm(x, p)) <= 1e-13 * refNorm(x, p));
    }
    assert.equal(lpNorm(new Float64Array(0), 0, 0, 3), 0);
  });
});
