/**
 * The strict CSV reader (#13 item 9, #13 item 8): numbers are decimals read exactly as `Number`
 * would (correct rounding) but `0x10`, `Infinity`, `1e-400`, `1e400` and empty cells are errors
 * naming file:line:column; task labels are text, and one number written two ways is an error;
 * the library loader (`parseLongCsv`, `mtlearn/node`'s `readLongCsvFile`) gives the data the CLI fits.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CsvInputError, parseLongCsv, scanLongCsv, scanMatrixCsv, type LongCsvOptions } from '../src/io/csv.js';
import { bytesSource, parseDecimal, strictNumber } from '../src/io/tokenizer.js';
import { readLongCsvFile } from '../src/io/node.js';
import { groupLasso, MultiTaskData } from '../src/index.js';
import { lcg, longCsv, runCli } from './helpers/cli.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const long = (text: string, options: Omit<LongCsvOptions, 'file'> = {}) => scanLongCsv(bytesSource(enc(text)), 'r.csv', options);
const fails = (text: string, re: RegExp, options: Omit<LongCsvOptions, 'file'> = {}): void => {
  assert.throws(() => long(text, options), (e: unknown) => {
    assert.ok(e instanceof CsvInputError, String(e));
    assert.match(e.message, re);
    return true;
  }, `${JSON.stringify(text)} should fail with ${re}`);
};

let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'mtlearn-parse-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

describe('strict numbers', () => {
  test('hexadecimal, Infinity, NaN, empty, underflow and overflow are errors naming file:line:column and the column', () => {
    fails('task,y,x1\na,1,0x10\n', /^r\.csv:2:3 \(column "x1"\): got "0x10"; expected a finite number written in decimal/);
    fails('task,y,x1\na,1,1e-400\n', /^r\.csv:2:3 \(column "x1"\): got "1e-400", which underflows to 0 in double precision/);
    fails('task,y,x1\na,-1e400,1\n', /^r\.csv:2:2 \(column "y"\): got "-1e400", which overflows to Infinity/);
    fails('task,y,x1\na,1,Infinity\n', /^r\.csv:2:3 \(column "x1"\): got "Infinity"; expected a finite number$/);
    fails('task,y,x1\na,1,-Infinity\n', /got "-Infinity"/);
    fails('task,y,x1\na,1,NaN\n', /^r\.csv:2:3 \(column "x1"\): got "NaN"/);
    fails('task,y,x1\na,1,\n', /^r\.csv:2:3 \(column "x1"\): empty cell/);
    fails('task,y,x1\na,,1\n', /^r\.csv:2:2 \(column "y"\): empty cell/);
    for (const bad of ['1.2.3', '1e', '1e+', '.', '-', '+', '1 2', '1_000', '0b1', '1,5"', 'e5', '٣']) {
      assert.equal(strictNumber(bad), null, bad);
    }
    // missing responses only where allowed (prediction input)
    const p = long('task,y,x1\na,,1\na,NaN,2\na,NA,3\na,4,4\n', { requireResponse: false });
    assert.deepEqual(Array.from(p.tasks[0]!.y).map((v) => (Number.isNaN(v) ? 'NaN' : v)), ['NaN', 'NaN', 'NaN', 4]);
    assert.throws(() => scanMatrixCsv(bytesSource(enc('a,b\n1,0x1\n')), 'X.csv', false), /^CsvInputError: X\.csv:2:2 \(column "b"\): got "0x1"/);
  });

  test('accepted forms equal Number() exactly: signs, leading dot, exponents, spaces around cells, subnormals, 17 digits', () => {
    const out = new Float64Array(1);
    const check = (s: string): void => {
      const b = enc(s);
      assert.equal(parseDecimal(b, 0, b.length, out), 0, s);
      assert.ok(Object.is(out[0], Number(s)), `${s}: ${out[0]} vs ${Number(s)}`);
    };
    for (const s of ['0', '-0', '+1', '.5', '-.5', '5.', '1e3', '1E-3', '1.5e+10', '007', '0.30000000000000004', '123456789012345678901234567890',
      '4.9e-324', '2.2250738585072014e-308', '1.7976931348623157e308', '9007199254740993', '0.1', '1e22', '1e23', '123.456e-30']) check(s);
    // seeded random doubles written as String() (up to 17 digits) and as toExponential/toFixed
    const r = lcg(42);
    for (let i = 0; i < 20000; i++) {
      const mag = 10 ** Math.floor(r() * 40 - 20);
      const x = (r() - 0.5) * mag;
      check(String(x));
      check(x.toExponential(Math.floor(r() * 16)));
      if (Math.abs(x) < 1e15) check(x.toFixed(Math.floor(r() * 12)));
    }
    // spaces and tabs around a cell are trimmed; quoted cells are read as their contents
    const c = long('task , y ,x1\n a ,\t1.5 ,"2"\n');
    assert.deepEqual(c.featureNames, ['x1']);
    assert.equal(c.tasks[0]!.y[0], 1.5);
    assert.equal(c.tasks[0]!.X.data[0], 2);
  });
});

describe('task labels', () => {
  test('labels are text as written: the same number written two ways is an error naming both lines', () => {
    fails('task,y,x1\n1,1,1\n1.0,2,2\n', /^r\.csv:3:1 \(column "task"\): task label "1\.0" is the number 1, as is task "1" \(line 2\); expected each task labelled one way/);
    fails('task,y,x1\n01,1,1\n2,1,1\n1,2,2\n', /task label "1" is the number 1, as is task "01" \(line 2\)/);
    fails('task,y,x1\nnorth,1,1\n1e0,1,1\n1,2,2\n', /task label "1" is the number 1, as is task "1e0"/);
    // distinct text is distinct tasks; numeric labels in numeric order, others by first appearance
    assert.deepEqual(long('task,y,x1\nb,1,1\nB,1,1\na,1,1\n').taskLabels, ['b', 'B', 'a']);
    assert.deepEqual(long('task,y,x1\n10,1,1\n9,1,1\n-1,1,1\n').taskLabels, ['-1', '9', '10']);
    assert.deepEqual(long('task,y,x1\n0x10,1,1\n2,1,1\n').taskLabels, ['0x10', '2'], 'a non-decimal label is text');
  });

  test('the CLI: malformed numbers and ambiguous labels exit 2 with one line naming file:line:column; no output file', async () => {
    const cases: [string, string, RegExp][] = [
      ['hex.csv', 'task,y,x1\na,1,2\na,2,0x10\n', /hex\.csv:3:3 \(column "x1"\): got "0x10"/],
      ['under.csv', 'task,y,x1\na,1e-400,2\na,2,1\n', /under\.csv:2:2 \(column "y"\): got "1e-400", which underflows to 0/],
      ['labels.csv', 'task,y,x1\n1,1,2\n1.0,2,1\n', /labels\.csv:3:1 \(column "task"\): task label "1\.0" is the number 1/],
    ];
    for (const [name, text, re] of cases) {
      const file = join(dir, name), out = join(dir, `${name}.json`);
      writeFileSync(file, text);
      const r = await runCli(['fit', '--model', 'group-lasso', '--data', file, '--lambda', '0.1', '--out', out]);
      assert.equal(r.code, 2, name);
      assert.match(r.stderr, re, name);
      assert.equal(r.stderr.split('\n').length, 2, 'one line');
      assert.throws(() => readFileSync(out), /ENOENT/);
    }
  });
});

describe('the library loader', () => {
  test('parseLongCsv (text) and readLongCsvFile (mtlearn/node) give the data of a hand-written group-by, and the same fit', () => {
    const file = join(dir, 'train.csv');
    longCsv(file, 4, 3, 9, 17);
    const text = readFileSync(file, 'utf8');
    const a = parseLongCsv(text, { file });
    const b = readLongCsvFile(file);
    // hand-written group-by
    const rows = text.trim().split('\n').slice(1).map((l) => l.split(','));
    const labels = [...new Set(rows.map((r) => r[0]!))].sort((x, y) => Number(x) - Number(y));
    const manual = MultiTaskData.fromTasks(labels.map((l) => {
      const mine = rows.filter((r) => r[0] === l);
      return { X: mine.map((r) => r.slice(2).map(Number)), y: mine.map((r) => Number(r[1])) };
    }));
    for (const got of [a, b]) {
      assert.deepEqual(got.taskLabels, labels);
      assert.deepEqual(got.featureNames, ['x1', 'x2', 'x3']);
      assert.deepEqual(Array.from(got.data.taskSizes), Array.from(manual.taskSizes));
      for (let t = 0; t < labels.length; t++) {
        assert.deepEqual(Array.from(got.data.tasks[t]!.X), Array.from(manual.tasks[t]!.X));
        assert.deepEqual(Array.from(got.data.tasks[t]!.y), Array.from(manual.tasks[t]!.y));
      }
    }
    const f1 = groupLasso(a.data, { lambda: 0.05 }), f2 = groupLasso(manual, { lambda: 0.05 });
    assert.deepEqual(Array.from(f1.W.data), Array.from(f2.W.data));
    assert.throws(() => readLongCsvFile(join(dir, 'missing.csv')), /missing\.csv: no such file; expected a readable CSV file/);
  });

  test('package.json exports mtlearn/node (Node-only loader) apart from the browser-safe root', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { exports: Record<string, { import: string }> };
    assert.equal(pkg.exports['./node']?.import, './dist/io/node.js');
    const src = readFileSync(fileURLToPath(new URL('../../src/io/csv.ts', import.meta.url)), 'utf8')
      + readFileSync(fileURLToPath(new URL('../../src/io/tokenizer.ts', import.meta.url)), 'utf8');
    assert.doesNotMatch(src, /from 'node:/, 'the text parser has no Node import');
  });
});
