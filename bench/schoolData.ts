/**
 * Loader for the School data set (../shared/data/school/school.csv, long format `task,y,x1..x28`),
 * shared by benchmarks and tests. Returns null when the file is absent so callers can skip.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import type { Mat } from '../src/types.js';

/** Default location: ../shared/data/school/school.csv relative to the repository root. */
export function defaultSchoolPath(): string {
  // this file is build/bench/schoolData.js or bench/schoolData.ts: the repo root is two or one levels up
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../../../shared/data/school/school.csv'), resolve(here, '../../shared/data/school/school.csv')];
  for (const c of candidates) if (existsSync(c)) return c;
  return candidates[0]!;
}

/**
 * Reads the School CSV into per-task data (139 tasks, 28 features including a constant bias column).
 * @param path - CSV path (default {@link defaultSchoolPath})
 * @returns the data, or null when the file does not exist
 */
export function loadSchool(path = defaultSchoolPath()): MultiTaskData | null {
  if (!existsSync(path)) return null;
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0]!.split(',');
  const d = header.length - 2;
  const rows = new Map<number, { x: number[]; y: number[] }>();
  for (let i = 1; i < lines.length; i++) {
    const parts = lines[i]!.split(',').map(Number);
    const t = parts[0]!;
    let e = rows.get(t);
    if (!e) rows.set(t, (e = { x: [], y: [] }));
    e.y.push(parts[1]!);
    for (let j = 0; j < d; j++) e.x.push(parts[2 + j]!);
  }
  const tasks = [...rows.keys()].sort((a, b) => a - b).map((t) => {
    const e = rows.get(t)!;
    const X: Mat = { rows: e.y.length, cols: d, data: Float64Array.from(e.x) };
    return { X, y: Float64Array.from(e.y) };
  });
  return MultiTaskData.fromTasks(tasks);
}
