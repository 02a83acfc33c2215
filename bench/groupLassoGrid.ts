/**
 * The group-lasso grid against scikit-learn (issue #11): L1/L2 group lasso, no intercept, time to a
 * duality gap ≤ 1e-6·F(0) on n ∈ {200, 2000, 20000} × d ∈ {50, 500, 2000} × T ∈ {5, 50} ×
 * λ ∈ {0.5, 0.1, 0.01}·λ_max, with d/10 true rows and Y = XW + N(0, 1) noise (seeded).
 *
 * Per cell: mtlearn's `groupLasso` (each timed fit on a fresh data object, so XᵀY and Gram columns
 * are paid for, disposed after the fit outside the timing so that the next one reuses its memory; JIT
 * warmed on copies) alternating with scikit-learn's
 * `MultiTaskLasso(alpha = λ, tol, fit_intercept=False)` in a persistent /usr/bin/python3 process;
 * medians. scikit-learn's stopping rule is gap ≤ tol·‖Y‖²_F in its own scaling, i.e. gap ≤ 2·tol·F(0)
 * in ours, so tol = 5e-7; its solution is then checked with our duality-gap evaluator and the fit is
 * repeated with tol/10 (up to twice) when that check fails. The ratio per cell is mtlearn / scikit-learn
 * seconds (< 1: mtlearn faster); the geometric mean over the cells is printed.
 *
 * Usage: node build/bench/groupLassoGrid.js [--quick] [--only 200x2000x5,...] [--reps 11]
 *   --reps: the most timed repetitions per cell (default 11; a cell gets 11 below 20 ms a fit, 5 below
 *   0.2 s, 3 below 3 s, else 1), alternating with scikit-learn; medians.
 *   --quick (or MTLEARN_GRID=quick): 12 cells (n ≤ 2000, d ≤ 500, T ∈ {5, 50}, λ ∈ {0.1, 0.01}·λ_max and
 *   three cells at 0.5·λ_max). The cells n = 20000, d = 2000 are skipped: X alone is 320 MB per copy
 *   and one scikit-learn fit takes minutes at 0.01·λ_max on this 2-core machine.
 * Writes bench/results/groupLassoGrid.json (or groupLassoGrid-quick.json).
 */
import { MultiTaskData, groupLasso, groupLassoLambdaMax, type GroupLassoOptions } from '../src/index.js';
import { sharedProblem } from '../test/helpers/random.js';
import { SklearnServer, sklearnAvailable } from './peers.js';
import { isMain, median, printTable, writeJson } from './util.js';

/** A copy of shared data: a new object, so no fit profits from another's cached XᵀY / Gram columns. */
function fresh(data: MultiTaskData): MultiTaskData {
  return MultiTaskData.fromShared({ rows: data.n, cols: data.d, data: data.X! }, { rows: data.n, cols: data.T, data: data.Y! });
}

/**
 * A fit on a fresh copy, which is then disposed (outside any timing): its kernel-memory blocks serve the
 * next copy, so a long run neither takes fresh pages per fit nor fills the memory (issue #11).
 */
function fitOnce(data: MultiTaskData, opts: GroupLassoOptions): ReturnType<typeof groupLasso> {
  const D = fresh(data);
  try { return groupLasso(D, opts); } finally { D.dispose(); }
}

interface Cell { n: number; d: number; T: number; ratio: number }

function cells(quick: boolean, only: string[] | null): Cell[] {
  const out: Cell[] = [];
  for (const n of [200, 2000, 20000]) {
    for (const d of [50, 500, 2000]) {
      if (n === 20000 && d === 2000) continue; // see the header: memory and time
      for (const T of [5, 50]) {
        for (const ratio of [0.5, 0.1, 0.01]) {
          if (only && !only.includes(`${n}x${d}x${T}`)) continue;
          if (quick && !only) {
            if (n > 2000 || d > 500) continue;
            if (ratio === 0.5 && !(n === 200 && d === 500)) continue;
          }
          out.push({ n, d, T, ratio });
        }
      }
    }
  }
  return out;
}

/** Our duality gap at a given W (no iterations): the evaluator both sides are checked with. */
function gapAt(data: MultiTaskData, W: Float64Array, lambda: number): { gap: number; objective: number } {
  const fit = groupLasso(data, {
    lambda, q: 2, fitIntercept: false, maxIter: 0, screening: false, warmStart: { rows: data.d, cols: data.T, data: W },
  });
  return { gap: fit.gap, objective: fit.objective };
}

/**
 * Runs the grid.
 * @param argv - command-line arguments (see the header)
 * @returns the JSON payload
 * @example
 * ```ts
 * await main(['--quick']);
 * ```
 * @see {@link SklearnServer}
 */
export async function main(argv: string[] = process.argv.slice(2)): Promise<unknown> {
  const quick = argv.includes('--quick') || process.env.MTLEARN_GRID === 'quick';
  const oi = argv.indexOf('--only');
  const only = oi >= 0 && argv[oi + 1] ? argv[oi + 1]!.split(',') : null;
  const ri = argv.indexOf('--reps');
  const repsMax = ri >= 0 ? Number(argv[ri + 1]) : 11;
  const tol = 1e-6;
  const withSk = sklearnAvailable();
  if (!withSk) console.log('scikit-learn not found at /usr/bin/python3 (apt-get install -y python3-sklearn): mtlearn times only');
  const sk = withSk ? new SklearnServer() : null;
  // JIT warm-up on small problems of both backends
  for (const [n, d, T] of [[300, 60, 5], [60, 300, 5], [300, 60, 50]] as const) {
    const w = sharedProblem(n, d, T, 6, 7).data;
    const lm = groupLassoLambdaMax(w, { q: 2, fitIntercept: false });
    for (let r = 0; r < 5; r++) for (const ratio of [0.5, 0.1, 0.01]) fitOnce(w, { lambda: ratio * lm, q: 2, fitIntercept: false, tol });
  }
  const rows: Record<string, string | number>[] = [];
  const list = cells(quick, only);
  let lastShape = '';
  let prob: ReturnType<typeof sharedProblem> | null = null;
  let lmax = 0;
  for (const c of list) {
    const shape = `${c.n}x${c.d}x${c.T}`;
    if (shape !== lastShape) {
      prob = sharedProblem(c.n, c.d, c.T, Math.max(1, Math.round(c.d / 10)), 1000 + c.n + c.d + c.T, 1, 0);
      lmax = groupLassoLambdaMax(prob.data, { q: 2, fitIntercept: false });
      if (sk) await sk.load(c.n, c.d, c.T, prob.data.X!, prob.data.Y!);
      lastShape = shape;
    }
    const data = prob!.data;
    const lambda = c.ratio * lmax;
    const opts = { lambda, q: 2, fitIntercept: false, tol, maxIter: 100000 };
    // warm-up fit (also sizes the number of repetitions)
    const w0 = performance.now();
    let fit = fitOnce(data, opts);
    const once = (performance.now() - w0) / 1000;
    // millisecond fits run too briefly for V8 to optimise them in a few calls: 20 warm-up fits (~0.1 s)
    // bring them to their steady state (measured: 2000×50×5 at 0.1·λmax 3.2 ms after 4 fits, 1.4 ms after 20)
    if (once < 0.05) for (let r = 0; r < 20; r++) fitOnce(data, opts);
    const reps = Math.max(1, Math.min(repsMax, once < 0.02 ? 11 : once < 0.2 ? 5 : once < 3 ? 3 : 1));
    // scikit-learn: calibrate its tolerance so that our evaluator certifies its solution
    let skTol = 5e-7, skCheck = { gap: NaN, objective: NaN }, skIters = NaN;
    if (sk) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const s = await sk.fit(lambda, skTol);
        skCheck = gapAt(data, s.W, lambda);
        skIters = s.iters;
        if (skCheck.gap <= tol * fit.objectiveAtZero) break;
        skTol /= 10;
      }
    }
    const ours: number[] = [], theirs: number[] = [];
    for (let r = 0; r < reps; r++) {
      const D = fresh(data);
      const t0 = performance.now();
      fit = groupLasso(D, opts);
      ours.push((performance.now() - t0) / 1000);
      D.dispose(); // outside the timing: the next copy reuses its blocks
      if (sk) theirs.push((await sk.fit(lambda, skTol)).seconds);
    }
    const mt = median(ours), st = sk ? median(theirs) : NaN;
    const row: Record<string, string | number> = {
      n: c.n, d: c.d, T: c.T, 'λ/λmax': c.ratio, mtlearn: mt, sklearn: st, ratio: mt / st,
      gapRel: fit.gap / fit.objectiveAtZero, skGapRel: skCheck.gap / fit.objectiveAtZero, skTol,
      epochs: fit.iterations, skIters, nnzRows: fit.nonzeroRows, converged: String(fit.converged),
      'objΔ(sk−mt)/F0': (skCheck.objective - fit.objective) / fit.objectiveAtZero, reps,
    };
    rows.push(row);
    console.log(Object.entries(row).map(([k, v]) => `${k}=${typeof v === 'number' ? v.toPrecision(3) : v}`).join(' '));
  }
  sk?.close();
  printTable('Group lasso L1/L2 grid, seconds to gap ≤ 1e-6·F(0) (medians, alternating runs), ratio = mtlearn / scikit-learn', rows);
  const ratios = rows.map((r) => r.ratio as number).filter((x) => Number.isFinite(x));
  const geo = ratios.length ? Math.exp(ratios.reduce((a, x) => a + Math.log(x), 0) / ratios.length) : NaN;
  const slower = ratios.filter((x) => x >= 1).length;
  console.log(`\ngeometric-mean ratio ${geo.toPrecision(3)} over ${ratios.length} cells; mtlearn slower in ${slower}; worst ${Math.max(...ratios).toPrecision(3)}`);
  const payload = { date: new Date().toISOString(), node: process.version, quick, tol, geometricMeanRatio: geo, slowerCells: slower, rows };
  const file = writeJson(quick ? 'groupLassoGrid-quick' : only ? 'groupLassoGrid-only' : 'groupLassoGrid', payload);
  console.log(`wrote ${file}`);
  return payload;
}

if (isMain(import.meta.url)) await main();
