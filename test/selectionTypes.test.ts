import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  path, crossValidate, fitWithUncertainty, groupLasso, traceNorm, graphRegularized, lowRank, MODEL_TABLE,
} from '../src/index.js';
import { findModel } from '../src/models/table.js';
import { sharedProblem } from './helpers/random.js';

// The checks marked @ts-expect-error are compile-time tests: `npm run compile` fails if one compiles.

test('path: model options are typed by the model and unknown keys are rejected at run time', () => {
  const { data } = sharedProblem(30, 6, 3, 2, 1);
  const p = path(data, groupLasso, { nLambdas: 3 }, { q: 2 });
  assert.equal(p.points.length, 3);
  // @ts-expect-error qq is not an option of groupLasso
  assert.throws(() => path(data, groupLasso, { nLambdas: 3 }, { qq: 2 }), /modelOptions: unknown option 'qq' for groupLasso \(did you mean q\?\)/);
  // @ts-expect-error lamda is not a path option
  assert.throws(() => path(data, groupLasso, { nLambda: 3 }), /unknown path option 'nLambda' \(did you mean nLambdas\?\)/);
  // @ts-expect-error traceNorm has no q
  assert.throws(() => path(data, traceNorm, { nLambdas: 2 }, { q: 2 }), /unknown option 'q' for traceNorm/);
  assert.throws(() => path(data, lowRank, { lambdas: [2, 1] }), /lowRank has no path parameter/);
});

test('crossValidate: numeric grids give a number best, object grids their own type; typos are rejected', async () => {
  const { data } = sharedProblem(40, 6, 3, 2, 2);
  const cv = await crossValidate(data, groupLasso, { folds: 3 });
  const best: number = cv.best;
  const oneSe: number = cv.oneStandardErrorChoice;
  assert.equal(best, cv.grid[cv.bestIndex]);
  assert.ok(oneSe >= best);
  assert.equal(cv.paramName, 'lambda');
  const cvFit = cv.fit!;
  assert.equal(cvFit.options.lambda, best, 'the refit has the group-lasso fit type');
  const graph = { edges: [[0, 1], [1, 2]] as [number, number][] };
  const cv2 = await crossValidate(data, graphRegularized, { folds: 3, grid: [{ rho1: 1, rho2: 0.1 }, { rho1: 0.1, rho2: 0.01 }] }, { graph });
  const b2: { rho1: number; rho2: number } = cv2.best;
  assert.ok(b2.rho1 === 1 || b2.rho1 === 0.1);
  assert.equal(cv2.paramName, null);
  // @ts-expect-error fold is not an option
  await assert.rejects(crossValidate(data, groupLasso, { fold: 3 }), /unknown crossValidate option 'fold' \(did you mean folds\?\)/);
  // @ts-expect-error maxiter is not an option of groupLasso
  await assert.rejects(crossValidate(data, groupLasso, {}, { maxiter: 3 }), /unknown option 'maxiter' for groupLasso \(did you mean maxIter\?\)/);
  await assert.rejects(
    crossValidate(data, graphRegularized, { folds: 3, grid: [{ rho1: 1, rho3: 2 } as never] }, { graph }),
    /grid\[0\]: unknown option 'rho3' for graphRegularized \(did you mean rho1\?\)/,
  );
});

test('fitWithUncertainty: options typed by the model', () => {
  const { data } = sharedProblem(30, 6, 3, 2, 3);
  // @ts-expect-error lambda is required by groupLasso
  assert.throws(() => fitWithUncertainty(data, groupLasso, { q: 2 }), /lambda/);
  // @ts-expect-error lamda is not an option
  assert.throws(() => fitWithUncertainty(data, groupLasso, { lambda: 0.1, lamda: 1 }), /unknown option 'lamda' for groupLasso \(did you mean lambda\?\)/);
});

test('the model table: one row per exported model, names unique, λ_max rows give W = 0 at λ_max', () => {
  const names = new Set(MODEL_TABLE.map((r) => r.name));
  assert.equal(names.size, MODEL_TABLE.length);
  const cli = MODEL_TABLE.filter((r) => r.cliName !== null).map((r) => r.cliName!);
  assert.equal(new Set(cli).size, cli.length);
  for (const r of MODEL_TABLE) {
    assert.equal(findModel(r.name), r);
    if (r.pathParam !== null) assert.ok(r.optionKeys.includes(r.pathParam), `${r.name}: pathParam ${r.pathParam} is an option`);
    assert.equal(r.optionKeys.includes('warmStart'), r.warmStart, `${r.name}: warmStart flag matches its options`);
    assert.equal(r.optionKeys.includes('taskWeights'), r.taskWeights, `${r.name}: taskWeights flag matches its options`);
  }
  const { data } = sharedProblem(40, 8, 3, 2, 4);
  const graph = { edges: [[0, 1], [1, 2]] as [number, number][] };
  const extra: Record<string, Record<string, unknown>> = { graphRegularized: { rho1: 0.5, graph }, cappedL1: { theta: 1 }, multiLevelLasso: { lambda1: 0.1 } };
  for (const r of MODEL_TABLE) {
    if (!r.lambdaMax || r.pathParam === null) continue;
    const o = extra[r.name] ?? {};
    const lmax = r.lambdaMax(data, o);
    const at = r.fit(data, { ...o, [r.pathParam]: lmax * (1 + 1e-9), tol: 1e-10 });
    const below = r.fit(data, { ...o, [r.pathParam]: lmax * 0.9, tol: 1e-10 });
    assert.ok(at.W.data.every((v) => v === 0 || Math.abs(v) < 1e-12), `${r.name}: W = 0 at λ_max`);
    assert.ok(below.W.data.some((v) => Math.abs(v) > 1e-10), `${r.name}: W ≠ 0 below λ_max`);
  }
});
