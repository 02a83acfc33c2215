import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvInputError, orderTaskLabels, readLongCsv, readSharedCsv } from '../src/cli/csv.js';
import { scanLongCsv, type LongCsvOptions } from '../src/io/csv.js';
import { bytesSource } from '../src/io/tokenizer.js';
import { parseFitFile, fitFileW } from '../src/cli/fitFile.js';
import { groupLasso, MultiTaskData } from '../src/index.js';
import { lcg, longCsv, relErr, runCli, type Out } from './helpers/cli.js';

const cli = (...argv: string[]): Promise<Out> => runCli(argv);
/** The long-CSV reader on text. */
const readText = (file: string, text: string, options: Omit<LongCsvOptions, 'file'> = {}) => scanLongCsv(bytesSource(new TextEncoder().encode(text)), file, options);
/** [task, row within the task, line] of each data row in file order. */
const rowIndex = (c: ReturnType<typeof readText>) => Array.from(c.rowTask, (t, i) => ({ task: t, row: c.rowInTask[i]!, line: c.rowLine[i]! }));

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mtlearn-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('csv readers', () => {
  test('long layout: tasks in numeric order when all labels are numbers, else first appearance', () => {
    const c = readText('a.csv', 'task,y,x1\n10,1,1\n2,2,2\n10,3,3\n1,4,4\n');
    assert.deepEqual(c.taskLabels, ['1', '2', '10']);
    assert.deepEqual(c.tasks.map((t) => Array.from(t.y)), [[4], [2], [1, 3]]);
    assert.deepEqual(rowIndex(c).map((r) => [r.task, r.row, r.line]), [[2, 0, 2], [1, 0, 3], [2, 1, 4], [0, 0, 5]]);
    const s = readText('b.csv', 'y,x1,school\n1,1,north\n2,2,east\n', { taskColumn: 'school' });
    assert.deepEqual(s.taskLabels, ['north', 'east']);
    assert.deepEqual(s.featureNames, ['x1']);
    assert.deepEqual(orderTaskLabels(['b', 'a', '1']), ['b', 'a', '1']);
  });

  test('malformed long CSVs name file, line, column and what was expected', () => {
    const cases: [string, string, RegExp][] = [
      ['task,y,x1,x2\n1,2,3,4\n1,2,3\n', 'ragged', /^r\.csv:3:4: ragged row with 3 fields; expected 4 fields/],
      ['task,y,x1\n1,2,3\n1,x,3\n', 'non-numeric', /^r\.csv:3:2 \(column "y"\): got "x"; expected a finite number$/],
      ['group,y,x1\n1,2,3\n', 'no task column', /^r\.csv:1:1: no task column "task" in the header \(group,y,x1\)/],
      ['', 'empty', /^r\.csv:1:1: the file is empty; expected a header line/],
      ['\n\n', 'blank', /^r\.csv:1:1: the file is empty/],
      ['task,y,x1\n', 'header only', /^r\.csv:2: no data rows after the header/],
      ['task,y,x1\n1,2,"3\n', 'open quote', /^r\.csv:2:3: Quote Not Closed.*; expected well-formed CSV/],
      ['task,y,x1\n,2,3\n', 'empty label', /^r\.csv:2:1 \(column "task"\): empty task label/],
    ];
    for (const [text, what, re] of cases) {
      assert.throws(() => readText('r.csv', text), (e: unknown) => {
        assert.ok(e instanceof CsvInputError, what);
        assert.match(e.message, re, what);
        return true;
      }, what);
    }
  });

  test('shared design: empty cell, NaN and NA are missing responses', () => {
    const X = join(dir, 'sx.csv'), Y = join(dir, 'sy.csv');
    writeFileSync(X, 'a,b\n1,0\n0,1\n1,1\n');
    writeFileSync(Y, 't1,t2\n1,\n2,NaN\n3,4\n');
    const s = readSharedCsv(X, Y);
    assert.equal(s.data.kind, 'shared');
    assert.deepEqual(Array.from(s.data.taskSizes), [3, 1]);
    assert.deepEqual(s.taskLabels, ['t1', 't2']);
    writeFileSync(Y, 't1,t2\n1,2\n2,3\n');
    assert.throws(() => readSharedCsv(X, Y), /sy\.csv:4: 2 data rows; expected 3 data rows/);
    writeFileSync(Y, 't1,t2\n1,x\n2,3\n3,3\n');
    assert.throws(() => readSharedCsv(X, Y), /sy\.csv:2:2 \(column "t2"\): got "x"; expected a finite number, or an empty cell/);
  });
});

describe('mtlearn fit / predict / objective', () => {
  test('group-lasso end to end: fit → JSON → predict → CSV, objective recomputed', async () => {
    const data = join(dir, 'train.csv'), fit = join(dir, 'fit.json'), pred = join(dir, 'pred.csv');
    longCsv(data, 3, 5, 15, 1);
    const r = await cli('fit', '--model', 'group-lasso', '--data', data, '--lambda', '0.05', '--q', '2', '--out', fit);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /group-lasso: d=5 T=3 n=45 objective=.* converged=true/);
    const f = JSON.parse(readFileSync(fit, 'utf8'));
    assert.equal(f.model, 'group-lasso');
    assert.equal(f.W.length, 5);
    assert.ok(f.W.every((row: number[]) => row.length === 3));
    assert.equal(f.intercepts.length, 3);
    assert.deepEqual(f.data.taskLabels, ['1', '2', '3']);
    assert.deepEqual(f.data.taskSizes, [15, 15, 15]);
    assert.equal(f.options.lambda, 0.05);
    assert.equal(f.options.q, 2);
    assert.equal(f.converged, true);
    assert.ok(typeof f.certificate === 'number' && f.certificate >= 0);
    assert.ok(f.iterations > 0 && f.history.length > 0);
    assert.ok(f.timings.fit >= 0 && f.timings.total >= f.timings.fit);

    // same W as the library on the same data
    const csv = readLongCsv(data);
    const lib = groupLasso(MultiTaskData.fromTasks(csv.tasks), { lambda: 0.05, q: 2 });
    assert.deepEqual(Array.from(fitFileW(parseFitFile(fit)).data), Array.from(lib.W.data));

    const o = await cli('objective', '--fit', fit, '--data', data);
    assert.equal(o.code, 0, o.stderr);
    assert.ok(relErr(Number(o.stdout.trim()), f.objective) <= 1e-12, `${o.stdout} vs ${f.objective}`);

    const p = await cli('predict', '--fit', fit, '--data', data, '--out', pred);
    assert.equal(p.code, 0, p.stderr);
    const lines = readFileSync(pred, 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'task,y,prediction');
    assert.equal(lines.length, 46);
    // row order = file order; values = x·w_t + b_t
    const rows = rowIndex(csv);
    for (const r0 of rows.slice(0, 6)) {
      const line = lines[rows.indexOf(r0) + 1]!.split(',');
      const task = csv.tasks[r0.task]!;
      const expected = lib.predict({ rows: 1, cols: 5, data: task.X.data.subarray(r0.row * 5, r0.row * 5 + 5) }, r0.task)[0]!;
      assert.equal(line[0], csv.taskLabels[r0.task]);
      assert.ok(relErr(Number(line[2]), expected) <= 1e-12);
    }
    // predict without a response column and with the features in another order
    const lines2 = ['x5,x4,x3,x2,x1,task', '1,0,0,0,2,3'];
    const nd = join(dir, 'new.csv');
    writeFileSync(nd, `${lines2.join('\n')}\n`);
    const p2 = await cli('predict', '--fit', fit, '--data', nd);
    assert.equal(p2.code, 0, p2.stderr);
    const W = lib.W.data;
    const want = lib.intercepts[2]! + 2 * W[0 * 3 + 2]! + 1 * W[4 * 3 + 2]!;
    const got = p2.stdout.trimEnd().split('\n');
    assert.equal(got[0], 'task,prediction');
    assert.ok(relErr(Number(got[1]!.split(',')[1]), want) <= 1e-12);
  });

  test('--no-timings output is byte-identical across runs', async () => {
    const data = join(dir, 'det.csv'), a = join(dir, 'a.json'), b = join(dir, 'b.json');
    longCsv(data, 2, 3, 10, 7);
    assert.equal((await cli('fit', '--model', 'group-lasso', '--data', data, '--lambda', '0.1', '--no-timings', '--out', a)).code, 0);
    assert.equal((await cli('fit', '--model', 'group-lasso', '--data', data, '--lambda', '0.1', '--no-timings', '--out', b)).code, 0);
    assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
    assert.ok(!('timings' in JSON.parse(readFileSync(a, 'utf8'))));
  });

  test('group-lasso q = inf round-trips through the JSON', async () => {
    const data = join(dir, 'qinf.csv'), fit = join(dir, 'qinf.json');
    longCsv(data, 3, 4, 10, 3);
    assert.equal((await cli('fit', '--model', 'group-lasso', '--data', data, '--lambda', '0.05', '--q', 'inf', '--out', fit)).code, 0);
    const f = JSON.parse(readFileSync(fit, 'utf8'));
    assert.equal(f.options.q, 'Infinity');
    const o = await cli('objective', '--fit', fit, '--data', data);
    assert.ok(relErr(Number(o.stdout), f.objective) <= 1e-12);
  });

  test('trace-norm with --lambda-ratio, low-rank, mean-regularized: objective recomputed from the JSON', async () => {
    const data = join(dir, 'tn.csv');
    longCsv(data, 4, 5, 12, 11);
    const tn = join(dir, 'tn.json');
    const r = await cli('fit', '--model', 'trace-norm', '--data', data, '--lambda-ratio', '0.2', '--out', tn);
    assert.equal(r.code, 0, r.stderr);
    const f = JSON.parse(readFileSync(tn, 'utf8'));
    assert.ok(relErr(f.options.lambda, 0.2 * f.extras.lambdaMax) <= 1e-15);
    assert.equal(f.extras.lambdaRatio, 0.2);
    let o = await cli('objective', '--fit', tn, '--data', data);
    assert.ok(relErr(Number(o.stdout), f.objective) <= 1e-12);

    const lr = join(dir, 'lr.json');
    assert.equal((await cli('fit', '--model', 'low-rank', '--data', data, '--rank', '1', '--out', lr)).code, 0);
    const g = JSON.parse(readFileSync(lr, 'utf8'));
    assert.equal(g.model, 'low-rank');
    o = await cli('objective', '--fit', lr, '--data', data);
    assert.ok(relErr(Number(o.stdout), g.objective) <= 1e-12);

    const mr = join(dir, 'mr.json');
    const rm = await cli('fit', '--model', 'mean-regularized', '--data', data, '--rho', '0.5', '--lambda', '4', '--out', mr);
    assert.equal(rm.code, 0, rm.stderr);
    const h = JSON.parse(readFileSync(mr, 'utf8'));
    assert.equal(h.options.form, 'A');
    o = await cli('objective', '--fit', mr, '--data', data);
    assert.ok(relErr(Number(o.stdout), h.objective) <= 1e-12, `${o.stdout} vs ${h.objective}`);
  });

  test('shared design --X/--Y with a missing response: fit, predict per task, objective', async () => {
    const X = join(dir, 'X.csv'), Y = join(dir, 'Y.csv'), fit = join(dir, 'sh.json');
    const r = lcg(5);
    const xs: string[] = ['a,b,c'], ys: string[] = ['u,v'];
    for (let i = 0; i < 20; i++) {
      const x = [r(), r(), r()].map((v) => Math.round(v * 1000) / 1000);
      xs.push(x.join(','));
      ys.push(`${(x[0]! + x[1]!).toFixed(3)},${i === 3 ? '' : (x[0]! - x[2]!).toFixed(3)}`);
    }
    writeFileSync(X, `${xs.join('\n')}\n`);
    writeFileSync(Y, `${ys.join('\n')}\n`);
    const res = await cli('fit', '--model', 'group-lasso', '--X', X, '--Y', Y, '--lambda', '0.001', '--out', fit);
    assert.equal(res.code, 0, res.stderr);
    const f = JSON.parse(readFileSync(fit, 'utf8'));
    assert.deepEqual(f.data.taskSizes, [20, 19]);
    assert.deepEqual(f.data.taskLabels, ['u', 'v']);
    assert.equal(f.data.layout, 'shared');
    const o = await cli('objective', '--fit', fit, '--X', X, '--Y', Y);
    assert.ok(relErr(Number(o.stdout), f.objective) <= 1e-12);
    const p = await cli('predict', '--fit', fit, '--X', X);
    assert.equal(p.code, 0, p.stderr);
    const lines = p.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'u,v');
    assert.equal(lines.length, 21);
  });

  test('malformed input: one line on stderr naming file:line:column, exit 2, no output file', async () => {
    const cases: [string, string, RegExp][] = [
      ['ragged.csv', 'task,y,x1,x2\n1,1,2,3\n1,1,2\n', /^mtlearn: error: .*ragged\.csv:3:4: ragged row with 3 fields; expected 4 fields, as in the header \(line 1\)\n$/],
      ['nonnum.csv', 'task,y,x1,x2\n1,1,2,3\n2,1,2,abc\n', /^mtlearn: error: .*nonnum\.csv:3:4 \(column "x2"\): got "abc"; expected a finite number\n$/],
      ['notask.csv', 'school,y,x1\n1,1,2\n', /^mtlearn: error: .*notask\.csv:1:1: no task column "task" in the header \(school,y,x1\); expected a header "task,y,x1,…,xd"/],
      ['empty.csv', '', /^mtlearn: error: .*empty\.csv:1:1: the file is empty; expected a header line followed by data rows\n$/],
    ];
    for (const [name, text, re] of cases) {
      const sub = mkdtempSync(join(dir, 'bad-'));
      const file = join(sub, name), out = join(sub, 'out.json');
      writeFileSync(file, text);
      const r = await cli('fit', '--model', 'group-lasso', '--data', file, '--lambda', '0.1', '--out', out);
      assert.equal(r.code, 2, name);
      assert.match(r.stderr, re, name);
      assert.equal(r.stderr.split('\n').length, 2, `${name}: one line`);
      assert.equal(r.stdout, '');
      assert.deepEqual(readdirSync(sub), [name], `${name}: no output or temporary file left`);
    }
    // unknown task column given explicitly
    const sub = mkdtempSync(join(dir, 'bad-'));
    const file = join(sub, 'ok.csv'), out = join(sub, 'out.json');
    longCsv(file, 2, 2, 3, 1);
    const r = await cli('fit', '--model', 'group-lasso', '--data', file, '--task-column', 'grp', '--lambda', '0.1', '--out', out);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ok\.csv:1:1: no task column "grp"/);
    assert.ok(!existsSync(out));
  });

  test('predict: unknown task and missing feature give exit 2 with file:line:column, no output', async () => {
    const data = join(dir, 'p.csv'), fit = join(dir, 'p.json'), out = join(dir, 'p-out.csv');
    longCsv(data, 2, 2, 5, 2);
    assert.equal((await cli('fit', '--model', 'group-lasso', '--data', data, '--lambda', '0.1', '--out', fit)).code, 0);
    const nd = join(dir, 'p-new.csv');
    writeFileSync(nd, 'task,x1,x2\n1,0,0\n9,1,1\n');
    let r = await cli('predict', '--fit', fit, '--data', nd, '--out', out);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /p-new\.csv:3:1: unknown task "9"; expected one of the fitted tasks \(1, 2\)/);
    assert.ok(!existsSync(out));
    writeFileSync(nd, 'task,x1\n1,0\n');
    r = await cli('predict', '--fit', fit, '--data', nd, '--out', out);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /p-new\.csv:1: no column "x2"; expected the fitted feature columns x1,x2/);
    const badFit = join(dir, 'bad.json');
    writeFileSync(badFit, '{"format": "something-else"}');
    r = await cli('predict', '--fit', badFit, '--data', data);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.json: no "format": "mtlearn-fit" field/);
    assert.ok(!existsSync(out));
  });

  test('--help on every command exits 0; usage errors exit 1', async () => {
    for (const cmd of [[], ['fit'], ['predict'], ['objective'], ['plot']]) {
      const r = await cli(...cmd, '--help');
      assert.equal(r.code, 0, cmd.join(' '));
      assert.match(r.stdout, /Usage: mtlearn/);
    }
    assert.match((await cli('fit', '--help')).stdout, /group-lasso[\s\S]*trace-norm[\s\S]*low-rank[\s\S]*mean-regularized/);
    const data = join(dir, 'u.csv');
    longCsv(data, 2, 2, 3, 1);
    let r = await cli('fit', '--model', 'nope', '--data', data, '--lambda', '1', '--out', join(dir, 'u.json'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Allowed choices are group-lasso, trace-norm, low-rank, mean-regularized/);
    r = await cli('fit', '--model', 'trace-norm', '--data', data, '--q', '2', '--lambda', '1', '--out', join(dir, 'u.json'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /option --q does not apply to model trace-norm/);
    r = await cli('fit', '--model', 'group-lasso', '--data', data, '--out', join(dir, 'u.json'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /needs --lambda \(or --lambda-ratio\)/);
    r = await cli('fit', '--model', 'group-lasso', '--data', data, '--lambda', 'abc', '--out', join(dir, 'u.json'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /expected a number, got "abc"/);
    assert.ok(!existsSync(join(dir, 'u.json')));
  });
});
