import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { accumulateStatistics, createStatistics, mergeStatistics, perTask, type MultiTaskStatistics } from '../src/data/statistics.js';
import { checkStatistics, statisticsOf } from '../src/data/statisticsOf.js';
import { StatisticsBuilder, orderLabels } from '../src/data/statisticsBuilder.js';
import { serializeStatistics, deserializeStatistics } from '../src/data/statisticsFile.js';
import { statisticsColumnNames, statisticsFromRows, statisticsSql } from '../src/data/statisticsSql.js';
import { streamStatistics, StreamCsvError } from '../src/io/statisticsStream.js';
import { perTaskProblem, sharedProblem, mulberry32 } from './helpers/random.js';

/** Textbook statistics of one task, from its rows with plain loops (the reference). */
function naive(X: Float64Array, y: Float64Array, n: number, d: number) {
  const G = new Float64Array(d * d), c = new Float64Array(d), xs = new Float64Array(d);
  let yy = 0, ys = 0;
  for (let i = 0; i < n; i++) {
    yy += y[i]! * y[i]!; ys += y[i]!;
    for (let a = 0; a < d; a++) {
      xs[a] += X[i * d + a]!; c[a] += X[i * d + a]! * y[i]!;
      for (let b = 0; b < d; b++) G[a * d + b] += X[i * d + a]! * X[i * d + b]!;
    }
  }
  return { G, c, xs, yy, ys };
}

function assertStatsClose(a: MultiTaskStatistics, b: MultiTaskStatistics, tol = 1e-12): void {
  const A = perTask(a), B = perTask(b);
  assert.equal(A.d, B.d); assert.equal(A.T, B.T);
  for (const f of ['G', 'C', 'yy', 'xSum', 'ySum', 'n'] as const) {
    const x = A[f], z = B[f];
    assert.equal(x.length, z.length, f);
    let scale = 0;
    for (let i = 0; i < z.length; i++) scale = Math.max(scale, Math.abs(z[i]!));
    for (let i = 0; i < z.length; i++) assert.ok(Math.abs(x[i]! - z[i]!) <= tol * Math.max(1, scale), `${f}[${i}]: ${x[i]} vs ${z[i]}`);
  }
  assert.deepEqual(A.taskLabels, B.taskLabels);
}

describe('sufficient statistics', () => {
  test('statisticsOf equals the textbook sums for per-task and shared data (with and without missing)', () => {
    const p = perTaskProblem([7, 12, 5], 4, 2, 1).data;
    const s = statisticsOf(p);
    assert.equal(s.kind, 'tasks');
    for (let t = 0; t < p.T; t++) {
      const v = p.tasks[t]!;
      const r = naive(v.X, v.y, v.n, p.d);
      for (let i = 0; i < 16; i++) assert.ok(Math.abs(s.G[t * 16 + i]! - r.G[i]!) < 1e-12);
      for (let j = 0; j < 4; j++) {
        assert.ok(Math.abs(s.C[j * p.T + t]! - r.c[j]!) < 1e-12);
        assert.ok(Math.abs(s.xSum[t * 4 + j]! - r.xs[j]!) < 1e-12);
      }
      assert.ok(Math.abs(s.yy[t]! - r.yy) < 1e-12 && Math.abs(s.ySum[t]! - r.ys) < 1e-12);
      assert.equal(s.n[t], v.n);
    }
    const sh = sharedProblem(30, 5, 3, 2, 2).data;
    const ss = statisticsOf(sh);
    assert.equal(ss.kind, 'shared');
    assertStatsClose(ss, statisticsOf(sh.toTasks()));
    // a missing response: task 1 loses row 0
    const Y = Array.from({ length: 6 }, (_, i) => [i, i === 0 ? NaN : 2 * i]);
    const X = Array.from({ length: 6 }, (_, i) => [1, i * i, Math.sin(i)]);
    const m = MultiTaskData.fromShared(X, Y);
    const sm = statisticsOf(m);
    assert.equal(sm.kind, 'tasks');
    assert.deepEqual(Array.from(sm.n), [6, 5]);
    assertStatsClose(sm, statisticsOf(m.toTasks()));
  });

  test('K shards merged in any order equal the one-pass statistics', () => {
    const data = perTaskProblem([40, 25, 33, 18], 6, 3, 3).data;
    const whole = statisticsOf(data);
    const rand = mulberry32(11);
    // split every task's rows into 5 shards at random
    const shards = Array.from({ length: 5 }, () => createStatistics(6, 4, 'tasks'));
    for (let t = 0; t < 4; t++) {
      const v = data.tasks[t]!;
      for (let i = 0; i < v.n; i++) {
        const k = Math.floor(rand() * 5);
        accumulateStatistics(shards[k]!, { X: v.X.subarray(i * 6, i * 6 + 6), y: v.y.subarray(i, i + 1), task: new Int32Array([t]) });
      }
    }
    for (const order of [[0, 1, 2, 3, 4], [4, 2, 0, 3, 1], [3, 4, 1, 0, 2]]) {
      let acc = shards[order[0]!]!;
      for (const k of order.slice(1)) acc = mergeStatistics(acc, shards[k]!);
      assertStatsClose(acc, whole, 1e-12);
    }
    // shared shards merge to shared
    const sh = sharedProblem(50, 4, 3, 2, 4).data;
    const a = createStatistics(4, 3, 'shared'), b = createStatistics(4, 3, 'shared');
    accumulateStatistics(a, { X: sh.X!.subarray(0, 20 * 4), Y: sh.Y!.subarray(0, 20 * 3) });
    accumulateStatistics(b, { X: sh.X!.subarray(20 * 4), Y: sh.Y!.subarray(20 * 3) });
    const ab = mergeStatistics(b, a);
    assert.equal(ab.kind, 'shared');
    assertStatsClose(ab, statisticsOf(sh));
  });

  test('the builder discovers tasks, orders labels like the CLI, and equals statisticsOf', () => {
    assert.deepEqual(orderLabels(['10', '2', '1']), ['1', '2', '10']);
    assert.deepEqual(orderLabels(['north', 'south', 'east']), ['north', 'south', 'east']);
    const data = perTaskProblem([9, 4, 6], 3, 2, 5).data;
    const b = new StatisticsBuilder(3);
    // interleave the rows of the three tasks, labelled "10", "2", "1" (numeric order → 1, 2, 10)
    const labels = ['1', '2', '10'];
    for (let i = 0; i < 9; i++) {
      for (let t = 2; t >= 0; t--) {
        const v = data.tasks[t]!;
        if (i < v.n) b.add(v.X.subarray(i * 3, i * 3 + 3), v.y.subarray(i, i + 1), [labels[t]!]);
      }
    }
    const s = b.finish();
    assert.deepEqual(s.taskLabels, ['1', '2', '10']);
    assertStatsClose(s, statisticsOf(data, { taskLabels: labels }));
  });

  test('checkStatistics refuses what no set of rows can produce, naming the task', () => {
    const good = statisticsOf(perTaskProblem([8, 6], 3, 2, 6).data, { taskLabels: ['north', 'south'] });
    assert.equal(checkStatistics(good), good);
    const bad = (patch: (s: { -readonly [K in keyof MultiTaskStatistics]: MultiTaskStatistics[K] }) => void, re: RegExp) => {
      const s = { ...good, G: good.G.slice(), C: good.C.slice(), yy: good.yy.slice(), n: good.n.slice(), xSum: good.xSum.slice(), ySum: good.ySum.slice() };
      patch(s);
      assert.throws(() => checkStatistics(s), re);
    };
    bad((s) => { s.n[1] = 0; }, /task 1 \("south"\) has n_t = 0/);
    bad((s) => { s.n[0] = 2.5; }, /expected an integer ≥ 1/);
    bad((s) => { s.G[1] += 1; }, /not symmetric/);
    bad((s) => { s.yy[0] = 1e-6; }, /task 0 \("north"\)/);
    bad((s) => { s.G = s.G.subarray(1); }, /statistics.G: expected 18 entries/);
    bad((s) => { s.C[0] = NaN; }, /statistics.C: entry 0 is NaN/);
    bad((s) => { s.G[0] = -1; }, /feature 1/);
  });

  test('the binary file round-trips exactly and is refused when it does not match', () => {
    const s = statisticsOf(sharedProblem(20, 3, 2, 1, 7).data, { featureNames: ['a', 'b', 'c'] });
    const bytes = serializeStatistics(s);
    const r = deserializeStatistics(bytes, { d: 3, featureNames: ['a', 'b', 'c'] }, 'stats.bin');
    assert.equal(r.kind, 'shared');
    for (const f of ['G', 'C', 'yy', 'xSum', 'ySum', 'n'] as const) assert.deepEqual(Array.from(r[f]), Array.from(s[f]));
    assert.throws(() => deserializeStatistics(bytes, { d: 4 }, 'stats.bin'), /stats.bin: has d = 3 features, expected 4/);
    assert.throws(() => deserializeStatistics(bytes, { featureNames: ['a', 'x', 'c'] }, 'stats.bin'), /feature names differ.*position 2/);
    assert.throws(() => deserializeStatistics(bytes.subarray(0, bytes.length - 8), {}, 'stats.bin'), /truncated/);
    assert.throws(() => deserializeStatistics(new TextEncoder().encode('task,y,x1\n'), {}, 'x.csv'), /not an mtlearn statistics file/);
  });

  test('statisticsFromRows reads the SQL result layout; statisticsSql names every alias once', () => {
    const data = perTaskProblem([6, 9], 2, 1, 8).data;
    const s = statisticsOf(data, { taskLabels: ['b', 'a'], featureNames: ['x1', 'x2'] });
    // build the rows an engine would return (as bigints and strings, as drivers do)
    const rows = [1, 0].map((t) => {
      const r: Record<string, unknown> = { task: s.taskLabels[t], n: BigInt(s.n[t]!), sy: s.ySum[t], syy: String(s.yy[t]), nulls: 0n };
      for (let j = 0; j < 2; j++) { r[`sx_${j + 1}`] = s.xSum[t * 2 + j]; r[`sxy_${j + 1}`] = s.C[j * 2 + t]; }
      for (let i = 0; i < 2; i++) for (let j = i; j < 2; j++) r[`sxx_${i + 1}_${j + 1}`] = s.G[t * 4 + i * 2 + j];
      return r;
    });
    const back = statisticsFromRows(rows, ['x1', 'x2'], ['b', 'a']);
    assertStatsClose(back, s, 0);
    const sql = statisticsSql({ task: 'school', y: 'score', features: ['x1', 'we"ird'] }, { table: 'exams' });
    for (const alias of statisticsColumnNames(2)) assert.equal(sql.split(new RegExp(`AS ${alias}\\b`)).length - 1, 1, alias);
    assert.match(sql, /"we""ird"/);
    assert.match(sql, /WHERE "score" IS NOT NULL\nGROUP BY "school"$/);
    assert.throws(() => statisticsFromRows([{ ...rows[0], nulls: 2 }], ['x1', 'x2']), /NULL feature/);
  });

  test('streamStatistics reads a long CSV in chunks and equals the in-memory statistics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtl-stats-'));
    try {
      const data = perTaskProblem([13, 7, 10], 3, 2, 9).data;
      const lines = ['y,task,f1,f2,f3'];
      for (let i = 0; i < 13; i++) {
        for (let t = 0; t < 3; t++) {
          const v = data.tasks[t]!;
          if (i < v.n) lines.push([v.y[i], ['s2', 's10', 's1'][t], ...v.X.subarray(i * 3, i * 3 + 3)].join(','));
        }
      }
      const file = join(dir, 'long.csv');
      writeFileSync(file, lines.join('\n') + '\n');
      let calls = 0;
      const s = await streamStatistics(file, { chunkRows: 4, onProgress: () => { calls++; } });
      assert.deepEqual(s.taskLabels, ['s2', 's10', 's1']); // not all numeric: first appearance
      assert.deepEqual(s.featureNames, ['f1', 'f2', 'f3']);
      assert.ok(calls >= 7);
      assertStatsClose(s, statisticsOf(data, { taskLabels: ['s2', 's10', 's1'] }));
      for (const [cellText, re] of [['0x10', /got "0x10"/], ['1e-400', /got "1e-400"/], ['', /empty cell/]] as const) {
        writeFileSync(file, `task,y,x1\na,1,2\nb,${cellText},3\n`);
        await assert.rejects(streamStatistics(file), (e: unknown) => e instanceof StreamCsvError && re.test(e.message) && /long.csv:3:2 \(column "y"\)/.test(e.message));
      }
      writeFileSync(file, 'task,y,x1\na,1,2\nb,3\n');
      await assert.rejects(streamStatistics(file), /long.csv:3:3: ragged row with 2 fields/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
