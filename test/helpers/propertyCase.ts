/**
 * One case of the model-table property test (test/selectionProperty.test.ts), run in a worker thread
 * so that a model that hangs (a solver loop that never ends) is a failed case, not a hung suite.
 */
import assert from 'node:assert/strict';
import { parentPort, workerData } from 'node:worker_threads';
import { MODEL_TABLE, type ModelRow, type ModelFitLike } from '../../src/models/table.js';
import { MultiTaskData } from '../../src/data/MultiTaskData.js';
import { sharedProblem, perTaskProblem } from './random.js';

const T = 4, d = 6;
export const problems: [string, MultiTaskData][] = [
  ['shared', sharedProblem(30, d, T, 3, 101).data],
  ['per-task', perTaskProblem([20, 25, 18, 30], d, 3, 102).data],
];
const chain = { edges: [[0, 1], [1, 2], [2, 3]] as [number, number][] };

/** Options that make each model's problem well posed on these data (parameters chosen, not tuned). */
export function baseOptions(row: ModelRow, data: MultiTaskData): Record<string, unknown> {
  const lm = row.lambdaMax ? row.lambdaMax(data, row.name === 'graphRegularized' ? { graph: chain } : {}) : NaN;
  switch (row.name) {
    case 'groupLasso': case 'traceNorm': return { lambda: 0.1 * lm };
    case 'lowRank': return { rank: 2 };
    case 'meanRegularized': return { form: 'A', rho: 1, lambda: 1 };
    case 'aso': return { lambda: 0.1, h: 2 };
    case 'asoConvex': return { rho1: 0.1, rho2: 0.1, h: 2 };
    case 'graphRegularized': return { rho1: 0.1, rho2: 0.1 * lm, graph: chain };
    case 'clusteredConvex': return { rho1: 0.1, rho2: 0.1, k: 2 };
    case 'clusteredMeanRegularized': return { k: 2, lambda: 0.1, restarts: 2 };
    case 'featureLearning': return { gamma: 0.1 };
    case 'featureProjection': case 'featureProjectionLowRank': return { h: 2, lambda: 0.1 };
    case 'dirty': case 'robustMtfl': case 'robustMtl': case 'sparseLowRank': return { lambda1: 0.1, lambda2: 0.1 };
    case 'temporalGroupLasso': return { lambda1: 0.01, lambda2: 0.1, lambda3: 0.1 * lm };
    case 'blockMcp': case 'blockScad': return { lambda: 0.1 * lm };
    case 'cappedL1': return { lambda: 0.1 * lm, theta: 1 };
    case 'multiLevelLasso': return { lambda1: 0.1 * lm, lambda2: 0.1 * lm };
    case 'fusedGroupLasso': return { lambda1: 0.01, lambda2: 0.05, lambda3: 0.1 * lm };
    default: throw new Error(`no example options for model ${row.name}: add a case here when adding a row to MODEL_TABLE`);
  }
}

type Variant = {
  name: string; applies: (row: ModelRow) => boolean; options: (o: Record<string, unknown>) => Record<string, unknown>; badInput: boolean;
  /** Transforms the data (and the options that scale with them) when given. */
  scale?: number;
};
const fill = (v: number): { rows: number; cols: number; data: Float64Array } => ({ rows: d, cols: T, data: new Float64Array(d * T).fill(v) });
export const variants: Variant[] = [
  { name: 'defaults', applies: () => true, options: (o) => o, badInput: false },
  { name: 'maxIter: 1', applies: () => true, options: (o) => ({ ...o, maxIter: 1 }), badInput: false },
  { name: 'warm start of NaN', applies: (r) => r.warmStart, options: (o) => ({ ...o, warmStart: fill(NaN) }), badInput: true },
  { name: 'warm start of Infinity', applies: (r) => r.warmStart, options: (o) => ({ ...o, warmStart: fill(Infinity) }), badInput: true },
  { name: 'warm start of 1e300, maxIter: 3', applies: (r) => r.warmStart, options: (o) => ({ ...o, warmStart: fill(1e300), maxIter: 3 }), badInput: false },
  // X and Y scaled by 1e78 (sums of squares ~1e158, accepted by the data checks); λ_max-based options scale along
  { name: 'data × 1e78', applies: () => true, options: (o) => o, badInput: false, scale: 1e78 },
];

function scaled(data: MultiTaskData, c: number): MultiTaskData {
  if (data.kind === 'shared') {
    return MultiTaskData.fromShared(
      { rows: data.n, cols: data.d, data: Float64Array.from(data.X!, (v) => v * c) }, { rows: data.n, cols: data.T, data: Float64Array.from(data.Y!, (v) => v * c) },
    );
  }
  return MultiTaskData.fromTasks(data.tasks.map((v) => ({ X: { rows: v.n, cols: data.d, data: Float64Array.from(v.X, (x) => x * c) }, y: Float64Array.from(v.y, (x) => x * c) })));
}

function check(row: ModelRow, data: MultiTaskData, o: Record<string, unknown>, badInput: boolean, where: string): void {
  let fit: ModelFitLike & { status?: unknown; objectiveAtZero?: number; gradientScale?: number; options?: { tol?: number } };
  try {
    fit = row.fit(data, o);
  } catch (e) {
    if (badInput && (e instanceof TypeError || e instanceof RangeError) && /warmStart/.test(e.message)) return; // rejected, named
    throw e;
  }
  const tol = typeof o['tol'] === 'number' ? o['tol'] : (fit.options?.tol ?? 1e-6);
  if ('status' in fit && fit.status !== undefined) {
    assert.equal(fit.status === 'converged', fit.converged, `${where}: status ${String(fit.status)} but converged ${fit.converged}`);
  }
  if (!fit.converged) return;
  assert.ok(Number.isFinite(fit.certificate) && fit.certificate >= 0, `${where}: converged with certificate ${fit.certificate}`);
  assert.ok(Number.isFinite(fit.objective), `${where}: converged with objective ${fit.objective}`);
  assert.ok(fit.W.data.every(Number.isFinite), `${where}: converged with a non-finite W`);
  const scale = fit.objectiveAtZero ?? fit.gradientScale;
  if (scale !== undefined) {
    assert.ok(fit.certificate <= tol * scale * (1 + 1e-9), `${where}: converged with certificate ${fit.certificate} > tol·scale = ${tol * scale}`);
  }
}


/**
 * Runs the case `${model} / ${variant}` on every problem.
 * @returns null when the property holds, else the failure message
 */
export function runCase(model: string, variant: string): string | null {
  const row = MODEL_TABLE.find((r) => r.name === model)!;
  const v = variants.find((x) => x.name === variant)!;
  try {
    for (const [pname, raw] of problems) {
      const data = v.scale === undefined ? raw : scaled(raw, v.scale);
      check(row, data, v.options(baseOptions(row, data)), v.badInput, `${model} / ${variant} (${pname})`);
    }
    return null;
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}

if (parentPort && workerData && typeof (workerData as { model?: unknown }).model === 'string') {
  const w = workerData as { model: string; variant: string };
  parentPort.postMessage(runCase(w.model, w.variant));
}
