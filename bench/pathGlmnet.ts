/**
 * Regularisation paths against glmnet (issue #11): the L1/L2 group lasso on the same 50-point grid from
 * λ_max down to 0.01·λ_max, no intercept, by mtlearn's `path` (warm starts, the solver's working sets
 * and gap-safe screening; every point certified at gap ≤ tol·F(0)) and by glmnet
 * (`family = "mgaussian", standardize = FALSE, intercept = FALSE`, Fortran coordinate descent with
 * strong rules) through Rscript at its default `thresh` (1e-7) and at `thresh = 1e-10`, same data, same
 * run. Both sides' solutions are scored by one evaluator (`groupLassoObjective`); the table gives the
 * times, the ratios and the worst per-point objective excess of each side over the other (in units of
 * F(0)). glmnet's objective with a user grid is ours with `lossScale: 'mean'`: (1/2n)‖Y − XB‖²_F + λΣ_j‖β_j‖₂.
 *
 * Usage: node build/bench/pathGlmnet.js [--quick] [--strong-rules] [--shapes 2000x500x5,200x2000x5,20000x500x50]
 *   [--tol-default 1e-6] [--tol-tight 1e-9]
 *   --strong-rules: mtlearn's path with `strongRules: true` (sequential strong rules + KKT check, as glmnet
 *   does) instead of the default (warm starts, the solver's working sets and gap-safe screening only).
 *   --quick: the two T = 5 shapes only. mtlearn runs at tol 1e-6 (against glmnet's default) and 1e-9
 *   (against thresh 1e-10), or the tolerances given (a looser one is fair only where mtlearn's objective
 *   stays no worse at every point: the column `no worse` checks that, allowing 1e-13·F(0) of rounding).
 *   Skips with a message when `Rscript -e 'library(glmnet)'` fails.
 * Writes bench/results/pathGlmnet.json (pathGlmnetStrongRules.json with --strong-rules; other tolerances add
 * `Tol<default>-<tight>` to the name).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MultiTaskData, groupLasso, groupLassoLambdaMax, groupLassoObjective } from '../src/index.js';
import { path } from '../src/selection/path.js';
import { sharedProblem } from '../test/helpers/random.js';
import { glmnetAvailable } from './peers.js';
import { isMain, printTable, writeJson } from './util.js';

const R_SCRIPT = `
suppressMessages(library(glmnet))
a <- commandArgs(trailingOnly = TRUE)
dir <- a[1]; n <- as.integer(a[2]); d <- as.integer(a[3]); T <- as.integer(a[4]); thresh <- as.numeric(a[5]); reps <- as.integer(a[6])
X <- matrix(readBin(file.path(dir, "X.bin"), "double", n * d), nrow = n, ncol = d, byrow = TRUE)
Y <- matrix(readBin(file.path(dir, "Y.bin"), "double", n * T), nrow = n, ncol = T, byrow = TRUE)
lam <- readBin(file.path(dir, "lambda.bin"), "double", 50)
times <- c()
for (r in 1:reps) {
  t0 <- proc.time()[["elapsed"]]
  fit <- glmnet(X, Y, family = "mgaussian", lambda = lam, standardize = FALSE, intercept = FALSE, thresh = thresh, maxit = 1e7)
  times <- c(times, proc.time()[["elapsed"]] - t0)
}
K <- length(fit$lambda)
out <- file(file.path(dir, "B.bin"), "wb")
for (k in 1:K) {
  B <- sapply(fit$beta, function(b) as.numeric(b[, k]))   # d x T
  writeBin(as.numeric(t(B)), out)                          # row-major d x T
}
close(out)
cat(sprintf("%.6f %d %d\\n", median(times), K, fit$npasses))
`;

interface GlmnetRun { seconds: number; W: Float64Array[]; passes: number }

function glmnetPath(dir: string, n: number, d: number, T: number, thresh: number, reps: number): GlmnetRun | null {
  const r = spawnSync('Rscript', ['-e', R_SCRIPT, dir, String(n), String(d), String(T), String(thresh), String(reps)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) { console.log(`glmnet failed: ${r.stderr.slice(0, 400)}`); return null; }
  const [sec, K, passes] = r.stdout.trim().split(/\s+/).map(Number) as [number, number, number];
  const buf = readFileSync(join(dir, 'B.bin'));
  const all = new Float64Array(buf.buffer, buf.byteOffset, K * d * T);
  const W: Float64Array[] = [];
  for (let k = 0; k < K; k++) W.push(Float64Array.from(all.subarray(k * d * T, (k + 1) * d * T)));
  return { seconds: sec, W, passes };
}

/**
 * Runs the comparison.
 * @param argv - command-line arguments (see the header)
 * @returns the JSON payload
 * @example
 * ```ts
 * main(['--quick']);
 * ```
 * @see {@link path}
 */
export function main(argv: string[] = process.argv.slice(2)): unknown {
  if (!glmnetAvailable()) {
    console.log("glmnet not available (Rscript -e 'library(glmnet)' failed; apt-get install r-cran-glmnet): skipping the path comparison");
    return null;
  }
  const quick = argv.includes('--quick');
  const strongRules = argv.includes('--strong-rules');
  const flag = (name: string, dflt: number): number => {
    const i = argv.indexOf(name);
    const v = i >= 0 ? Number(argv[i + 1]) : dflt;
    if (!(v > 0)) throw new RangeError(`${name}: expected a tolerance > 0, got ${argv[i + 1]}`);
    return v;
  };
  const tolDefault = flag('--tol-default', 1e-6), tolTight = flag('--tol-tight', 1e-9);
  const si = argv.indexOf('--shapes');
  const shapes: [number, number, number][] = si >= 0 && argv[si + 1]
    ? argv[si + 1]!.split(',').map((s) => s.split('x').map(Number) as [number, number, number])
    : quick ? [[2000, 500, 5], [200, 2000, 5]] : [[2000, 500, 5], [200, 2000, 5], [20000, 500, 50]];
  // JIT warm-up
  const small = sharedProblem(300, 80, 5, 8, 3).data;
  for (let r = 0; r < 3; r++) path(small, groupLasso, { nLambdas: 20, lambdaMinRatio: 0.01, strongRules }, { q: 2, fitIntercept: false });
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, unknown>[] = [];
  for (const [n, d, T] of shapes) {
    const { data } = sharedProblem(n, d, T, Math.max(1, Math.round(d / 10)), 4242 + n + d + T, 1, 0);
    const fresh = (): MultiTaskData => MultiTaskData.fromShared({ rows: n, cols: d, data: data.X! }, { rows: n, cols: T, data: data.Y! });
    const lmax = groupLassoLambdaMax(data, { q: 2, fitIntercept: false });
    const lambdas = Array.from({ length: 50 }, (_, k) => lmax * Math.pow(0.01, k / 49));
    const dir = mkdtempSync(join(tmpdir(), 'mtlearn-glmnet-'));
    try {
      writeFileSync(join(dir, 'X.bin'), Buffer.from(data.X!.buffer, data.X!.byteOffset, data.X!.byteLength));
      writeFileSync(join(dir, 'Y.bin'), Buffer.from(data.Y!.buffer, data.Y!.byteOffset, data.Y!.byteLength));
      const lam = Float64Array.from(lambdas);
      writeFileSync(join(dir, 'lambda.bin'), Buffer.from(lam.buffer));
      const big = n * d * T > 1e8;
      const reps = big ? 1 : 3;
      const F0 = groupLassoObjective(data, { rows: d, cols: T, data: new Float64Array(d * T) }, { lambda: 0, q: 2 });
      const score = (Ws: readonly Float64Array[]): number[] =>
        Ws.map((W, k) => groupLassoObjective(data, { rows: d, cols: T, data: W }, { lambda: lambdas[k]!, q: 2 }));
      // alternate: mtlearn (tol 1e-6), glmnet default, mtlearn (tol 1e-9), glmnet 1e-10; medians over reps
      const ours = (tol: number) => {
        const times: number[] = [];
        let last: ReturnType<typeof path> | null = null;
        for (let r = 0; r < reps; r++) {
          const D = fresh();
          const t0 = performance.now();
          last = path(D, groupLasso, { lambdas, strongRules }, { q: 2, fitIntercept: false, tol, maxIter: 100000 });
          times.push((performance.now() - t0) / 1000);
          D.dispose(); // outside the timing: the next fresh object reuses its kernel-memory blocks
        }
        times.sort((a, b) => a - b);
        return {
          seconds: times[times.length >> 1]!, W: last!.points.map((p) => p.W.data), converged: last!.points.every((p) => p.converged),
          epochs: last!.points.reduce((s, p) => s + p.iterations, 0),
        };
      };
      const m6 = ours(tolDefault);
      const g7 = glmnetPath(dir, n, d, T, 1e-7, reps);
      const m9 = ours(tolTight);
      const g10 = glmnetPath(dir, n, d, T, 1e-10, reps);
      if (!g7 || !g10) continue;
      const Fm6 = score(m6.W), Fm9 = score(m9.W), Fg7 = score(g7.W), Fg10 = score(g10.W);
      const excess = (a: number[], b: number[]): number => {
        let worst = -Infinity;
        for (let k = 0; k < Math.min(a.length, b.length); k++) worst = Math.max(worst, (a[k]! - b[k]!) / F0);
        return worst;
      };
      // points where mtlearn's objective is above glmnet's by more than rounding (1e-13·F(0))
      const worse = (a: number[], b: number[]): number => a.filter((x, k) => x - b[k]! > 1e-13 * F0).length;
      const shape = `${n}×${d}×${T}`;
      rows.push({
        shape, setting: `tol ${tolDefault} / thresh 1e-7`, 'mtlearn s': m6.seconds, 'glmnet s': g7.seconds, 'ratio m/g': m6.seconds / g7.seconds,
        'glmnet excess/F0': excess(Fg7, Fm6), 'mtlearn excess/F0': excess(Fm6, Fg7), 'no worse': worse(Fm6, Fg7) === 0 ? 'yes' : `no (${worse(Fm6, Fg7)} pts)`,
        'epochs/passes': `${m6.epochs}/${g7.passes}`, points: `${Fm6.length}/${Fg7.length}`,
      });
      rows.push({
        shape, setting: `tol ${tolTight} / thresh 1e-10`, 'mtlearn s': m9.seconds, 'glmnet s': g10.seconds, 'ratio m/g': m9.seconds / g10.seconds,
        'glmnet excess/F0': excess(Fg10, Fm9), 'mtlearn excess/F0': excess(Fm9, Fg10), 'no worse': worse(Fm9, Fg10) === 0 ? 'yes' : `no (${worse(Fm9, Fg10)} pts)`,
        'epochs/passes': `${m9.epochs}/${g10.passes}`, points: `${Fm9.length}/${Fg10.length}`,
      });
      results.push({
        shape: { n, d, T, k: Math.round(d / 10) }, lambdaMax: lmax, reps,
        tolDefault, tolTight,
        mtlearnTol6: { seconds: m6.seconds, converged: m6.converged, epochs: m6.epochs }, glmnetThresh7: { seconds: g7.seconds, points: Fg7.length, passes: g7.passes },
        mtlearnTol9: { seconds: m9.seconds, converged: m9.converged, epochs: m9.epochs }, glmnetThresh10: { seconds: g10.seconds, points: Fg10.length, passes: g10.passes },
        objectives: { F0, mtlearnTol6: Fm6, glmnetThresh7: Fg7, mtlearnTol9: Fm9, glmnetThresh10: Fg10 },
      });
      console.log(JSON.stringify(rows[rows.length - 2]), '\n', JSON.stringify(rows[rows.length - 1]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  printTable(`50-point L1/L2 paths (λ_max → 0.01·λ_max, no intercept${strongRules ? ', mtlearn with strong rules' : ''}), same run; excess = worst per-point (F_side − F_other)/F(0)`, rows);
  const payload = { date: new Date().toISOString(), node: process.version, strongRules, rows, results };
  const tols = tolDefault === 1e-6 && tolTight === 1e-9 ? '' : `Tol${tolDefault}-${tolTight}`;
  console.log(`wrote ${writeJson(`${strongRules ? 'pathGlmnetStrongRules' : 'pathGlmnet'}${tols}`, payload)}`);
  return payload;
}

if (isMain(import.meta.url)) main();
