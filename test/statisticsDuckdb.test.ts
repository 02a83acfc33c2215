import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { loadSchool, defaultSchoolPath } from '../bench/schoolData.js';
import { statisticsOf } from '../src/data/statisticsOf.js';
import { statisticsFromRows, statisticsSql } from '../src/data/statisticsSql.js';
import { streamStatistics } from '../src/io/statisticsStream.js';
import { perTask, type MultiTaskStatistics } from '../src/data/statistics.js';

type DuckModule = typeof import('@duckdb/node-api');
let duck: DuckModule | null = null;
try {
  duck = await import('@duckdb/node-api');
} catch {
  duck = null;
}
const school = loadSchool();

function maxRelDiff(a: MultiTaskStatistics, b: MultiTaskStatistics): number {
  const A = perTask(a), B = perTask(b);
  let worst = 0;
  for (const f of ['G', 'C', 'yy', 'xSum', 'ySum', 'n'] as const) {
    let scale = 0;
    for (let i = 0; i < B[f].length; i++) scale = Math.max(scale, Math.abs(B[f][i]!));
    for (let i = 0; i < B[f].length; i++) worst = Math.max(worst, Math.abs(A[f][i]! - B[f][i]!) / Math.max(1, scale));
  }
  return worst;
}

describe('statistics of School from SQL (DuckDB) and from the stream', () => {
  test('DuckDB runs statisticsSql over the CSV and gives the in-memory statistics', { skip: duck === null ? '@duckdb/node-api is not installed (optional dependency)' : school === null ? `School data absent (${defaultSchoolPath()})` : false }, async () => {
    const features = Array.from({ length: 28 }, (_, j) => `x${j + 1}`);
    const inst = await duck!.DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    const path = defaultSchoolPath().replace(/'/g, "''");
    const sql = statisticsSql({ task: 'task', y: 'y', features }, { table: `read_csv('${path}', header = true)` });
    const reader = await con.runAndReadAll(sql);
    const rows = reader.getRowObjects() as Record<string, unknown>[];
    assert.equal(rows.length, 139);
    const fromSql = statisticsFromRows(rows, features);
    const inMemory = statisticsOf(school!, { taskLabels: fromSql.taskLabels, featureNames: features });
    assert.deepEqual(fromSql.taskLabels.slice(0, 3), ['1', '2', '3']);
    assert.ok(maxRelDiff(fromSql, inMemory) < 1e-12, `max relative difference ${maxRelDiff(fromSql, inMemory)}`);
    con.closeSync?.();
  });

  test('the streamed School CSV gives the in-memory statistics', { skip: school === null ? `School data absent (${defaultSchoolPath()})` : false }, async () => {
    const s = await streamStatistics(defaultSchoolPath(), { chunkRows: 1000 });
    assert.equal(s.T, 139);
    const inMemory = statisticsOf(school!, { taskLabels: s.taskLabels, featureNames: s.featureNames });
    assert.ok(maxRelDiff(s, inMemory) < 1e-12);
  });
});
