import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { perTask, type MultiTaskStatistics } from '../src/data/statistics.js';
import { statisticsOf } from '../src/data/statisticsOf.js';
import * as nodeEntry from '../src/io/node.js';
import { readLongCsvFile } from '../src/io/node.js';
import { streamStatistics } from '../src/io/statisticsStream.js';
import { csvTokenizer, scanCsv, bytesSource, cellText, CsvInputError } from '../src/io/tokenizer.js';
import { mulberry32 } from './helpers/random.js';

function assertSameStats(a: MultiTaskStatistics, b: MultiTaskStatistics, tol: number): void {
  const A = perTask(a), B = perTask(b);
  assert.deepEqual(A.taskLabels, B.taskLabels);
  assert.deepEqual(A.featureNames, B.featureNames);
  for (const f of ['G', 'C', 'yy', 'xSum', 'ySum', 'n'] as const) {
    let scale = 0;
    for (let i = 0; i < B[f].length; i++) scale = Math.max(scale, Math.abs(B[f][i]!));
    for (let i = 0; i < B[f].length; i++) assert.ok(Math.abs(A[f][i]! - B[f][i]!) <= tol * Math.max(1, scale), `${f}[${i}]: ${A[f][i]} vs ${B[f][i]}`);
  }
}

/** The bytes in pieces of 1..maxPiece bytes (seeded), as a stream. */
function piecewise(bytes: Uint8Array, maxPiece: number, seed: number): Readable {
  const rand = mulberry32(seed);
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < bytes.length;) {
    const k = 1 + Math.floor(rand() * maxPiece);
    pieces.push(bytes.slice(i, i + k));
    i += k;
  }
  return Readable.from(pieces);
}

/** A long CSV with quoting, CRLF, a BOM, spaces, exponents and a quoted label with a comma. */
function awkwardCsv(rows: number, seed: number): string {
  const rand = mulberry32(seed);
  const labels = ['"north, east"', 'south', '"we""st"'];
  const out = ['\ufefftask, "y" ,x1,"x 2",x3'];
  for (let i = 0; i < rows; i++) {
    const x = [rand() * 4 - 2, rand() * 1e-3, Math.round(rand() * 100)];
    const y = x[0]! - 2 * x[1]! + 0.1 * x[2]! + rand();
    out.push([labels[i % 3], ` ${y.toExponential(6)} `, `"${x[0]!.toFixed(5)}"`, x[1]!.toExponential(3), x[2]].join(','));
    if (i % 7 === 3) out.push('');
  }
  return out.join(seed % 2 === 0 ? '\r\n' : '\n') + '\r\n';
}

describe('streamStatistics on the byte tokenizer (#15)', () => {
  test('equals statisticsOf on the data of the in-memory reader, file or stream cut at any byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtl-stream-'));
    try {
      for (const seed of [2, 3]) {
        const file = join(dir, `awkward${seed}.csv`);
        writeFileSync(file, awkwardCsv(200, seed));
        const mem = readLongCsvFile(file);
        assert.deepEqual(mem.taskLabels, ['north, east', 'south', 'we"st']);
        const ref = statisticsOf(mem.data, { taskLabels: mem.taskLabels, featureNames: mem.featureNames });
        let calls = 0;
        const fromFile = await streamStatistics(file, { chunkRows: 16, onProgress: () => { calls++; } });
        assertSameStats(fromFile, ref, 1e-13);
        assert.ok(calls >= 200 / 16, `progress called ${calls} times`);
        const bytes = new Uint8Array(readFileSync(file));
        for (const maxPiece of [1, 3, 64]) {
          const fromStream = await streamStatistics(piecewise(bytes, maxPiece, seed), { chunkRows: 7, name: 'pieces' });
          assertSameStats(fromStream, ref, 1e-13);
        }
        // a chosen subset of features, in a chosen order
        const sub = await streamStatistics(file, { features: ['x3', 'x1'] });
        assert.deepEqual(sub.featureNames, ['x3', 'x1']);
        const d = 3, dd = d * d;
        for (let t = 0; t < 3; t++) {
          assert.equal(sub.G[t * 4 + 0], ref.G[t * dd + 2 * d + 2]); // x3·x3
          assert.equal(sub.G[t * 4 + 1], ref.G[t * dd + 2 * d + 0]); // x3·x1
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('mtlearn/node exports the streaming reader', () => {
    assert.equal(nodeEntry.streamStatistics, streamStatistics);
    assert.equal(nodeEntry.StreamCsvError, CsvInputError);
  });

  test('numeric labels are ordered as the CLI orders them', async () => {
    const text = 'task,y,x1\n10,1,2\n2,3,4\n1,5,6\n10,7,8\n';
    const s = await streamStatistics(Readable.from([Buffer.from(text)]));
    assert.deepEqual(s.taskLabels, ['1', '2', '10']);
    assert.deepEqual(Array.from(s.n), [1, 1, 2]);
  });

  test('every malformed file gets the in-memory reader\'s message, word for word', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtl-stream-'));
    try {
      const cases = [
        'task,y,x1\na,1,2\nb,0x10,3\n', 'task,y,x1\na,1,2\nb,1e-400,3\n', 'task,y,x1\na,1,2\nb,,3\n', 'task,y,x1\na,1,2\nb,1e400,3\n',
        'task,y,x1\na,1,2\nb,3\n', 'task,y,x1\n,1,2\n', 'task,y,x1\n1,1,2\n1.0,2,3\n', 'task,y,x1\na,1,"2\n', 'task,y,x1\na,1,2"x"\n',
        'task,y,x1\na,1,"2"x\n', '', 'task,y,x1\n', 'task,x1\na,1\n', 'y,x1\n1,2\n', 'task,y\na,1\n', 'task,y,x1,x1\na,1,2,3\n', '1,2,3\n4,5,6\n',
        'task,y,x1\r\na,1,2\r\nb,2,abc\r\n',
      ];
      for (const [i, text] of cases.entries()) {
        const file = join(dir, `bad${i}.csv`);
        writeFileSync(file, text);
        let expected = '';
        try { readLongCsvFile(file); } catch (e) { expected = (e as Error).message; }
        assert.notEqual(expected, '', `case ${i} should be refused`);
        await assert.rejects(streamStatistics(file), (e: unknown) => e instanceof CsvInputError && e.message === expected, `case ${i}: ${expected}`);
        await assert.rejects(
          streamStatistics(piecewise(new TextEncoder().encode(text), 2, i), { name: file }),
          (e: unknown) => e instanceof CsvInputError && e.message === expected, `case ${i} (stream)`,
        );
      }
      await assert.rejects(streamStatistics(join(dir, 'absent.csv')), /absent.csv: no such file; expected a readable CSV file/);
      await assert.rejects(streamStatistics(dir), /is a directory/);
      await assert.rejects(streamStatistics(join(dir, 'bad0.csv'), { features: ['x9'] }), /no feature column "x9"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the push tokenizer gives scanCsv\'s records whatever the chunk boundaries', () => {
    const text = new TextEncoder().encode('\ufeffa,"b\r\nc",d\r\n\r\n"e""f" , g\rh,"",i\n"j"');
    const records = (feed: (onRecord: (r: Parameters<Parameters<typeof scanCsv>[2]>[0]) => void) => void): string[] => {
      const out: string[] = [];
      feed((r) => { const cells: string[] = []; for (let c = 0; c < r.count; c++) cells.push(cellText(r, c)); out.push(`${r.line}:${cells.join('|')}`); });
      return out;
    };
    const whole = records((on) => scanCsv(bytesSource(text), 't', on));
    assert.deepEqual(whole, ['1:a|b\r\nc|d', '4:e"f|g', '5:h||i', '6:j']);
    for (let cut = 1; cut < text.length; cut++) {
      const pieces = records((on) => { const tok = csvTokenizer('t', on); tok.push(text.subarray(0, cut)); tok.push(text.subarray(cut)); tok.end(); });
      assert.deepEqual(pieces, whole, `cut at ${cut}`);
    }
  });
});
