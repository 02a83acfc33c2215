/**
 * Reader of the task-graph CSV of `mtlearn fit --model graph-regularized --graph edges.csv`: a header
 * `a,b` or `a,b,weight`, one edge per row, a and b task labels of the training data (as in its task
 * column or the header of Y.csv, compared as text), weight a strict decimal number (default 1).
 *
 * @packageDocumentation
 */
import type { TaskGraph } from '../models/graphRegularized.js';
import { fileSource } from '../io/node.js';
import { bytesSource, cellText, CsvInputError, scanCsv, strictNumber, type ByteSource, type CsvRecord } from '../io/tokenizer.js';

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
 * @see {@link TaskGraph}
 */
export function readGraphCsv(file: string, taskLabels: readonly string[], text?: string): { edges: [number, number][]; weights: number[] } & TaskGraph {
  let src: ByteSource, close = (): void => {};
  if (text !== undefined) src = bytesSource(new TextEncoder().encode(text));
  else {
    const f = fileSource(file);
    src = f.source;
    close = f.close;
  }
  const index = new Map(taskLabels.map((l, t) => [l, t] as const));
  const edges: [number, number][] = [];
  const weights: number[] = [];
  let header: string[] | null = null, headerLine = 0, ai = -1, bi = -1, wi = -1;
  const cell = (r: CsvRecord, c: number): string => (c < r.count ? cellText(r, c) : '');
  try {
    scanCsv(src, file, (r) => {
      if (header === null) {
        header = [];
        for (let c = 0; c < r.count; c++) header.push(cellText(r, c));
        headerLine = r.line;
        ai = header.indexOf('a'); bi = header.indexOf('b'); wi = header.indexOf('weight');
        if (ai < 0 || bi < 0) throw new CsvInputError(file, r.line, 1, `header ${header.join(',')}`, 'a header with columns a,b and optionally weight');
        return;
      }
      const ends: number[] = [];
      for (const [col, name] of [[ai, 'a'], [bi, 'b']] as const) {
        const label = cell(r, col);
        const t = index.get(label);
        if (t === undefined) {
          throw new CsvInputError(file, r.line, col + 1, `unknown task "${label}"`, `one of the ${taskLabels.length} task labels of the data (${taskLabels.slice(0, 6).join(', ')}${taskLabels.length > 6 ? ', …' : ''})`, name);
        }
        ends.push(t);
      }
      if (ends[0] === ends[1]) throw new CsvInputError(file, r.line, bi + 1, `self-loop ${cell(r, ai)}–${cell(r, bi)}`, 'two different tasks', 'b');
      let w = 1;
      if (wi >= 0) {
        const s = cell(r, wi);
        const v = strictNumber(s);
        if (v === null) throw new CsvInputError(file, r.line, wi + 1, s === '' ? 'empty cell' : `got "${s}"`, 'a finite number', 'weight');
        w = v;
      }
      edges.push([ends[0]!, ends[1]!]);
      weights.push(w);
    });
  } finally {
    close();
  }
  if (header === null) throw new CsvInputError(file, 1, 1, 'the file is empty', 'a header a,b[,weight]');
  if (edges.length === 0) throw new CsvInputError(file, headerLine + 1, 0, 'no edges after the header', 'at least one edge a,b');
  return { edges, weights };
}
