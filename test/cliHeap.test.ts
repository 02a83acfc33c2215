/**
 * The executable refuses, with one clean line and exit status 2, a heap too small for the command line
 * and the files it reads (issue #13: `node --max-old-space-size=16` ended in V8's abort, exit 134):
 * the estimate of `io/heapNeed.ts` from the files' sizes, checked before anything is loaded or read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { heapNeed, CLI_OLD_SPACE_BYTES, OLD_SPACE_PER_INPUT_BYTE, YOUNG_GENERATION_BYTES } from '../src/io/heapNeed.js';

const BIN = fileURLToPath(new URL('../src/cli/bin.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mtlearn-heap-'));
const small = join(dir, 'small.csv');
{
  const lines = ['task,y,x1,x2'];
  for (let i = 0; i < 40; i++) lines.push(`${i % 2 === 0 ? 'a' : 'b'},${(i % 7) - 3 + 0.5 * (i % 3)},${i % 5},${(i * 3) % 7}`);
  writeFileSync(small, lines.join('\n') + '\n');
}

function cli(heapMiB: number, data: string, out: string) {
  return spawnSync(process.execPath, [`--max-old-space-size=${heapMiB}`, BIN, 'fit', '--model', 'group-lasso', '--data', data, '--lambda-ratio', '0.5', '--out', out], { encoding: 'utf8' });
}

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('a 16 MiB old space is refused before loading: exit 2, one line with the numbers, no abort, no output', () => {
  const out = join(dir, 'fit16.json');
  const r = cli(16, small, out);
  assert.equal(r.status, 2, `exit ${r.status}, stderr: ${r.stderr.slice(0, 300)}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^mtlearn: error: this process's JavaScript heap limit is 64\.0 MiB; the command line needs about \d+\.\d MiB .*small\.csv.*--max-old-space-size=\d+/);
  assert.ok(!/FATAL|Abort/i.test(r.stderr));
  assert.ok(!existsSync(out));
});

test('the need grows with the input: a 64 MiB old space fits a small file and refuses a 600 MB one', () => {
  const ok = cli(64, small, join(dir, 'fit64.json'));
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok(existsSync(join(dir, 'fit64.json')));
  const big = join(dir, 'big.csv'), fd = openSync(big, 'w');
  ftruncateSync(fd, 600e6); // sparse: the size is what the check reads, nothing is parsed
  closeSync(fd);
  const r = cli(64, big, join(dir, 'big.json'));
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /more to read .*big\.csv of 572\.2 MiB/);
  assert.ok(!existsSync(join(dir, 'big.json')));
});

test('heapNeed: the young generation, the command line and a share of the input, against the limit', () => {
  const h = heapNeed(30e6, 64 * 2 ** 20);
  assert.equal(h.need, YOUNG_GENERATION_BYTES + CLI_OLD_SPACE_BYTES + OLD_SPACE_PER_INPUT_BYTE * 30e6);
  assert.equal(h.fits, false);
  assert.ok(heapNeed(30e6, h.need).fits);
  // the suggested --max-old-space-size covers the old-space part of the estimate
  assert.ok(h.suggestedOldSpaceMiB * 2 ** 20 >= h.need - YOUNG_GENERATION_BYTES);
});
