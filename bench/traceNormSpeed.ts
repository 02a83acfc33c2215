/**
 * Trace-norm speed targets of #12: a shared design n = 1000, d = 500, T = 50 fitted to a relative
 * certificate of 1e-6, and School at 0.01·λ_max. Times each fit on a fresh data object (wall clock, and the
 * process's CPU time, the steadier figure on a loaded machine); with `--base DIR` it alternates with the
 * build in DIR (same run, medians) and prints the ratios.
 *
 * Run: `npx tsc -p tsconfig.json && node build/bench/traceNormSpeed.js [--base /path/to/other/checkout] [--reps 5]`.
 */
import { pathToFileURL } from 'node:url';
import { median } from './util.js';
import { loadSchool } from './schoolData.js';

type Lib = typeof import('../src/index.js');

function randn(seed: number): () => number {
  let a = seed >>> 0;
  const u = (): number => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296; };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

export function sharedProblem(n: number, d: number, T: number, r: number): { X: Float64Array; Y: Float64Array } {
  const g = randn(12);
  const X = Float64Array.from({ length: n * d }, g);
  const U = Float64Array.from({ length: d * r }, g), V = Float64Array.from({ length: r * T }, g);
  const Y = new Float64Array(n * T);
  const W = new Float64Array(d * T);
  for (let i = 0; i < d; i++) for (let k = 0; k < r; k++) for (let t = 0; t < T; t++) W[i * T + t]! += U[i * r + k]! * V[k * T + t]! / Math.sqrt(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += X[i * d + j]! * W[j * T + t]!;
    Y[i * T + t] = s + 0.5 * g();
  }
  return { X, Y };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const baseDir = args.includes('--base') ? args[args.indexOf('--base') + 1]! : null;
  const reps = args.includes('--reps') ? Number(args[args.indexOf('--reps') + 1]) : 5;
  const libs: [string, Lib][] = [['this', await import('../src/index.js')]];
  if (baseDir) libs.push(['base', await import(pathToFileURL(`${baseDir}/build/src/index.js`).href) as Lib]);
  const { X, Y } = sharedProblem(1000, 500, 50, 5);
  const school = loadSchool();
  if (school === null) throw new Error('School data not found (../shared/data/school)');
  const schoolTasks = school.tasks.map((v) => ({ X: { rows: v.n, cols: school.d, data: v.X }, y: v.y }));
  const cases = [
    {
      name: 'shared 1000×500×50, tol 1e-6',
      run: (m: Lib) => {
        const data = m.MultiTaskData.fromShared({ rows: 1000, cols: 500, data: X }, { rows: 1000, cols: 50, data: Y });
        const lmax = m.traceNormLambdaMax(data);
        return m.traceNorm(data, { lambda: 0.05 * lmax, tol: 1e-6 });
      },
    },
    {
      name: 'School, 0.01·λ_max, tol 1e-6',
      run: (m: Lib) => {
        const data = m.MultiTaskData.fromTasks(schoolTasks);
        const lmax = m.traceNormLambdaMax(data);
        return m.traceNorm(data, { lambda: 0.01 * lmax, tol: 1e-6 });
      },
    },
  ];
  for (const c of cases) {
    const times: Record<string, number[]> = {};
    const cpu: Record<string, number[]> = {};
    const info: Record<string, string> = {};
    for (const [name, m] of libs) { c.run(m); times[name] = []; cpu[name] = []; }
    for (let r = 0; r < reps; r++) {
      for (const [name, m] of libs) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const f = c.run(m);
        times[name]!.push((performance.now() - t0) / 1000);
        const used = process.cpuUsage(c0);
        cpu[name]!.push((used.user + used.system) / 1e6); // all threads of the process (kernel workers, JIT, GC)
        info[name] = `${f.status}, ${f.iterations} it, cert ${f.certificate.toExponential(2)}, obj ${f.objective.toPrecision(12)}, solver ${(f.options as { solver?: string }).solver}`;
      }
    }
    for (const [name] of libs) console.log(`${c.name} [${name}]: median ${median(times[name]!).toFixed(3)} s, CPU ${median(cpu[name]!).toFixed(3)} s (${info[name]})`);
    if (baseDir) console.log(`  ratio this/base: wall ${(median(times['this']!) / median(times['base']!)).toFixed(3)}, CPU ${(median(cpu['this']!) / median(cpu['base']!)).toFixed(3)}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
