/**
 * The main job (`npm run demo`): single-task vs multi-task on a seeded synthetic problem with a shared
 * support. d = 200 features, T = 20 tasks, n = 50 training rows per task, 10 true features shared by
 * every task. Fits the independent lasso (q = 1) and the L1/L2 group lasso (q = 2) over a λ grid and
 * prints support recovery (true/false positive rows), test MSE and time per fit.
 */
import { MultiTaskData, groupLasso, groupLassoLambdaMax, type Mat } from '../src/index.js';
import { gaussian, mulberry32 } from '../test/helpers/random.js';

const d = 200, T = 20, n = 50, nTest = 200, k = 10, noise = 1, seed = 2026;
const g = gaussian(mulberry32(seed));
// true W: rows 0..k−1 non-zero for every task (shared support), entries N(0, 1)
const B = new Float64Array(d * T);
const support = new Set<number>();
while (support.size < k) support.add(Math.floor(mulberry32(seed + support.size)() * d));
for (const j of support) for (let t = 0; t < T; t++) B[j * T + t] = g();

function sample(rows: number): { X: Mat; y: Float64Array }[] {
  return Array.from({ length: T }, (_, t) => {
    const X = new Float64Array(rows * d);
    for (let i = 0; i < X.length; i++) X[i] = g();
    const y = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = 0; // y = x·w_t + noise
      for (const j of support) s += X[i * d + j]! * B[j * T + t]!;
      y[i] = s + noise * g();
    }
    return { X: { rows, cols: d, data: X }, y };
  });
}

const train = MultiTaskData.fromTasks(sample(n));
const test = sample(nTest);

function testMse(fit: ReturnType<typeof groupLasso>): number {
  let sse = 0, count = 0;
  for (let t = 0; t < T; t++) {
    const p = fit.predict(test[t]!.X, t);
    for (let i = 0; i < nTest; i++) { sse += (p[i]! - test[t]!.y[i]!) ** 2; count++; }
  }
  return sse / count;
}

interface Row { method: string; 'λ/λmax': number; TP: number; FP: number; 'test MSE': number; gap: string; 'ms': number }
const rows: Row[] = [];
const best: Record<string, Row> = {};
for (const [method, q] of [['lasso per task (q=1)', 1], ['group lasso L1/L2 (q=2)', 2]] as const) {
  const lmax = groupLassoLambdaMax(train, { q });
  let warm: Mat | null = null;
  for (const ratio of [0.5, 0.3, 0.2, 0.1, 0.05, 0.02]) {
    const t0 = performance.now();
    const fit = groupLasso(train, { lambda: ratio * lmax, q, tol: 1e-6, warmStart: warm });
    const ms = performance.now() - t0;
    warm = fit.W;
    // a feature row is "selected" when any task uses it
    let tp = 0, fp = 0;
    for (let j = 0; j < d; j++) {
      let used = false;
      for (let t = 0; t < T; t++) if (fit.W.data[j * T + t] !== 0) used = true;
      if (used && support.has(j)) tp++;
      else if (used) fp++;
    }
    const row: Row = { method, 'λ/λmax': ratio, TP: tp, FP: fp, 'test MSE': testMse(fit), gap: fit.gap.toExponential(1), ms: Math.round(ms * 10) / 10 };
    rows.push(row);
    if (!best[method] || row['test MSE'] < best[method]!['test MSE']) best[method] = row;
  }
}

const cols = Object.keys(rows[0]!) as (keyof Row)[];
const fmt = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : String(v));
const width = cols.map((c) => Math.max(String(c).length, ...rows.map((r) => fmt(r[c]).length)));
console.log(`mtlearn demo: d = ${d} features, T = ${T} tasks, n = ${n} rows per task, ${k} shared true features, noise sd ${noise}, seed ${seed}`);
console.log(`(TP/FP: true/false positive feature rows out of ${k} true; test MSE on ${nTest} new rows per task; noise floor ${noise * noise})\n`);
console.log(cols.map((c, i) => String(c).padStart(width[i]!)).join('  '));
for (const r of rows) console.log(cols.map((c, i) => fmt(r[c]).padStart(width[i]!)).join('  '));
console.log('\nBest test MSE per method:');
for (const [m, r] of Object.entries(best)) console.log(`  ${m.padEnd(26)} λ/λmax = ${r['λ/λmax']}  test MSE ${r['test MSE'].toFixed(3)}  TP ${r.TP}/${k}  FP ${r.FP}`);
