/**
 * Reader of the task-graph CSV of `mtlearn fit --model graph-regularized --graph edges.csv`: a header
 * `a,b` or `a,b,weight`, one edge per row, a and b task labels of the training data (as in its task
 * column or the header of Y.csv), weight a finite number (default 1).
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CsvInputError } from './csv.js';
import type { TaskGraph } from '../models/graphRegularized.js';

/**
 * Reads an edge list into a {@link TaskGraph} with task indices in the order of `taskLabels`.
 * @param file - the CSV path (used in messages)
 * @param taskLabels - the task labels of the data, in column order of W
 * @param text - the CSV text (default: read `file`)
 * @returns `{ edges, weights }`
 * @throws {@link CsvInputError} naming file, line and column on a missing header column, an unknown
 *   task label, a self-loop, a non-finite weight or an empty file
 * @example
 * ```ts
 * readGraphCsv('g.csv', ['north', 'south'], 'a,b,weight\nnorth,south,2\n'); // { edges: [[0, 1]], weights: [2] }
 * ```
 * @see {@link taskGraphMatrix}
 */
export function readGraphCsv(file: string, taskLabels: readonly string[], text?: string): { edges: [number, number][]; weights: number[] } & TaskGraph {
  let src = text;
  if (src === undefined) {
    try {
      src = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new CsvInputError(file, 0, 0, code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(e)})`, 'a CSV file of edges a,b[,weight]');
    }
  }
  let recs: { record: string[]; info: { lines: number } }[];
  try {
    recs = parse(src, { info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof recs;
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new CsvInputError(file, err.lines ?? 0, 0, err.message, 'well-formed CSV');
  }
  if (recs.length === 0) throw new CsvInputError(file, 1, 1, 'the file is empty', 'a header a,b[,weight]');
  const header = recs[0]!.record;
  const ai = header.indexOf('a'), bi = header.indexOf('b'), wi = header.indexOf('weight');
  if (ai < 0 || bi < 0) throw new CsvInputError(file, recs[0]!.info.lines, 1, `header ${header.join(',')}`, 'a header with columns a,b and optionally weight');
  const index = new Map(taskLabels.map((l, t) => [l, t] as const));
  const edges: [number, number][] = [];
  const weights: number[] = [];
  for (let r = 1; r < recs.length; r++) {
    const { record, info } = recs[r]!;
    const line = info.lines;
    const ends: number[] = [];
    for (const [col, name] of [[ai, 'a'], [bi, 'b']] as const) {
      const label = record[col] ?? '';
      const t = index.get(label);
      if (t === undefined) {
        throw new CsvInputError(file, line, col + 1, `unknown task "${label}"`, `one of the ${taskLabels.length} task labels of the data (${taskLabels.slice(0, 6).join(', ')}${taskLabels.length > 6 ? ', …' : ''})`, name);
      }
      ends.push(t);
    }
    if (ends[0] === ends[1]) throw new CsvInputError(file, line, bi + 1, `self-loop ${record[ai]}–${record[bi]}`, 'two different tasks', 'b');
    let w = 1;
    if (wi >= 0) {
      const cell = record[wi] ?? '';
      w = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(w)) throw new CsvInputError(file, line, wi + 1, `got "${cell}"`, 'a finite number', 'weight');
    }
    edges.push([ends[0]!, ends[1]!]);
    weights.push(w);
  }
  if (edges.length === 0) throw new CsvInputError(file, recs[0]!.info.lines + 1, 0, 'no edges after the header', 'at least one edge a,b');
  return { edges, weights };
}
