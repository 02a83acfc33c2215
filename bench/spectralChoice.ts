/**
 * The spectral models' `solver: 'auto'` choice (#12, {@link chooseSpectralSolver}): ADMM when its
 * per-task eigendecompositions and W steps are affordable, whatever the loss backend. Cases: School at
 * its CV-fold size (half of each school's rows, ~7.7k rows < 2·d·T: the residual backend) at 0.01 and
 * 0.03·λ_max, where the earlier rule picked FISTA; the full School data (Gram backend, ADMM before and
 * after); the shared 1000×500×50 problem of bench/traceNormSpeed.ts (d³ over budget: FISTA before and
 * after); two small residual problems (per-task n_t < 2d: FISTA, its W step costs more than the
 * products; shared n < 2d: ADMM) and a wide shared one (d > n: FISTA before and after). Every fit at the
 * model's defaults (tol 1e-6) on a fresh data object; wall and CPU seconds. With `--base DIR` it
 * alternates with the build in DIR (same run, medians) and prints the ratios this ÷ base.
 *
 * Run: `npx tsc -p tsconfig.json && node build/bench/spectralChoice.js [--base /path/to/other/checkout] [--reps 3]`.
 */
import { pathToFileURL } from 'node:url';
import { median } from './util.js';
import { loadSchool } from './schoolData.js';
import { sharedProblem } from './traceNormSpeed.js';
import { mulberry32 } from '../src/util/random.js';

type Lib = typeof import('../src/index.js');
type TaskRows = { X: { rows: number; cols: number; data: Float64Array }; y: Float64Array }[];

/** Seeded per-task problem with n_t rows, d features, T tasks, a rank-2 W. */
function perTaskProblem(nt: number, d: number, T: number, seed: number): TaskRows {
  const u = mulberry32(seed);
  const g = (): number => Math.sqrt(-2 * Math.log(u() + 1e-300)) * Math.cos(2 * Math.PI * u());
  const a = Float64Array.from({ length: 2 * d }, g), b = Float64Array.from({ length: 2 * T }, g);
  const tasks: TaskRows = [];
  for (let t = 0; t < T; t++) {
    const X = Float64Array.from({ length: nt * d }, g), y = new Float64Array(nt);
    for (let i = 0; i < nt; i++) {
      // y_t = X_t w_t + noise, w_t = Σ_k a_k b_kt
      let s = 0;
      for (let j = 0; j < d; j++) s += X[i * d + j]! * (a[j]! * b[t]! + a[d + j]! * b[T + t]!);
      y[i] = s + 0.3 * g();
    }
    tasks.push({ X: { rows: nt, cols: d, data: X }, y });
  }
  return tasks;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const baseDir = args.includes('--base') ? args[args.indexOf('--base') + 1]! : null;
  const reps = args.includes('--reps') ? Number(args[args.indexOf('--reps') + 1]) : 3;
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1]! : null;
  const libs: [string, Lib][] = [['this', await import('../src/index.js')]];
  if (baseDir) libs.push(['base', await import(pathToFileURL(`${baseDir}/build/src/index.js`).href) as Lib]);
  const school = loadSchool();
  if (school === null) throw new Error('School data not found (../shared/data/school)');
  const full: TaskRows = [], half: TaskRows = [];
  for (let t = 0; t < school.T; t++) {
    const { X, y } = school.task(t);
    full.push({ X, y });
    const h = Math.ceil(y.length / 2); // the first half of the rows: a CV fold's size
    half.push({ X: { rows: h, cols: X.cols, data: X.data.slice(0, h * X.cols) }, y: y.slice(0, h) });
  }
  const shared = sharedProblem(1000, 500, 50, 5);
  const smallTasks = perTaskProblem(30, 40, 8, 3); // 240 rows < 2·d·T = 640: residual backend
  const smallShared = sharedProblem(120, 100, 10, 2); // n = 120 < 2d: residual backend
  const wideShared = sharedProblem(200, 250, 50, 3); // d > n: ADMM's W step costs more than FISTA's products
  const cases: { name: string; run: (m: Lib) => ReturnType<Lib['traceNorm']> }[] = [];
  const tasksCase = (name: string, rows: TaskRows, f: number): void => {
    cases.push({ name, run: (m) => { const D = m.MultiTaskData.fromTasks(rows); return m.traceNorm(D, { lambda: f * m.traceNormLambdaMax(D) }); } });
  };
  const sharedCase = (name: string, p: { X: Float64Array; Y: Float64Array }, n: number, d: number, T: number, f: number): void => {
    cases.push({ name, run: (m) => { const D = m.MultiTaskData.fromShared({ rows: n, cols: d, data: p.X }, { rows: n, cols: T, data: p.Y }); return m.traceNorm(D, { lambda: f * m.traceNormLambdaMax(D) }); } });
  };
  tasksCase('School half (CV fold), 0.01·λ_max', half, 0.01);
  tasksCase('School half (CV fold), 0.03·λ_max', half, 0.03);
  tasksCase('School full, 0.01·λ_max', full, 0.01);
  tasksCase('School full, 0.03·λ_max', full, 0.03);
  sharedCase('shared 1000×500×50, 0.05·λ_max', shared, 1000, 500, 50, 0.05);
  tasksCase('small per-task 8×(30×40), 0.1·λ_max', smallTasks, 0.1);
  tasksCase('small per-task 8×(30×40), 0.01·λ_max', smallTasks, 0.01);
  sharedCase('small shared 120×100×10, 0.1·λ_max', smallShared, 120, 100, 10, 0.1);
  sharedCase('wide shared 200×250×50, 0.1·λ_max', wideShared, 200, 250, 50, 0.1);
  for (const c of cases) {
    if (only !== null && !c.name.includes(only)) continue;
    const times: Record<string, number[]> = {};
    const cpu: Record<string, number[]> = {};
    const info: Record<string, string> = {};
    for (const [name, m] of libs) { times[name] = []; cpu[name] = []; if (reps > 1) c.run(m); } // warm-up
    for (let r = 0; r < reps; r++) {
      for (const [name, m] of r % 2 === 0 ? libs : [...libs].reverse()) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const f = c.run(m);
        times[name]!.push((performance.now() - t0) / 1000);
        const used = process.cpuUsage(c0);
        cpu[name]!.push((used.user + used.system) / 1e6);
        info[name] = `${f.status}, ${f.iterations} it, gap/F0 ${(f.certificate / f.objectiveAtZero).toExponential(2)}, obj ${f.objective.toPrecision(12)}`;
      }
    }
    for (const [name] of libs) console.log(`${c.name} [${name}]: median ${median(times[name]!).toFixed(3)} s, CPU ${median(cpu[name]!).toFixed(3)} s (${info[name]})`);
    if (baseDir) console.log(`  ratio this/base: wall ${(median(times['this']!) / median(times['base']!)).toFixed(3)}, CPU ${(median(cpu['this']!) / median(cpu['base']!)).toFixed(3)}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
