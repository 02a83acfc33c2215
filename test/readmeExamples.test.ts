// README.md's ```ts code blocks run as written: each block is one ES module, `from 'mtlearn'` and
// `from 'mtlearn/plot'` point at the compiled package (build/src), esbuild strips the types, and a
// statement that ends in `// true` must evaluate to true. Markers on the line before a block:
//   <!-- readme-test: skip: <reason> -->  the block is skipped, with the reason (e.g. data not in the repository)
//   <!-- readme-test: fragment -->        the block may use `data`, `testData`, `fit`, `Xnew` and `graph` without
//                                         defining them (seeded, from test/helpers/readmeFixtures.ts)
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url)); // build/test
const root = resolve(here, '../..');
const built = resolve(root, 'build');
const FIXTURE_NAMES = ['data', 'testData', 'fit', 'Xnew', 'graph'];

interface Block { line: number; code: string; marker: string | null }

/** The ```ts blocks of a Markdown text, with the readme-test marker on the line before each. */
export function tsBlocks(md: string): Block[] {
  const lines = md.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    let j = start;
    while (j < lines.length && !/^```\s*$/.test(lines[j]!)) j++;
    const prev = (lines[i - 1] ?? '').trim();
    const m = /^<!--\s*readme-test:\s*(.*?)\s*-->$/.exec(prev);
    out.push({ line: start, code: lines.slice(start, j).join('\n'), marker: m ? m[1]! : null });
    i = j;
  }
  return out;
}

/** The block as a runnable module: package imports resolved, `// true` claims checked, fixtures imported. */
function prepare(b: Block): string {
  const pkg = (spec: string): string => pathToFileURL(resolve(built, spec === 'mtlearn' ? 'src/index.js' : 'src/plot/index.js')).href;
  let code = b.code.replace(/from\s+'(mtlearn(?:\/plot)?)'/g, (_m, spec: string) => `from '${pkg(spec)}'`);
  code = code.split('\n').map((l, k) => {
    const m = /^(\s*)(.*?);\s*\/\/\s*true\s*$/.exec(l);
    return m ? `${m[1]}if (!(${m[2]})) throw new Error(${JSON.stringify(`README.md line ${b.line + k + 1} claims true: ${m[2]}`)});` : l;
  }).join('\n');
  if (b.marker === 'fragment') {
    const declared = (name: string): boolean => new RegExp(`\\b(const|let|var)\\s+${name}\\b|import\\s*\\{[^}]*\\b${name}\\b`).test(code);
    const names = FIXTURE_NAMES.filter((n) => new RegExp(`\\b${n}\\b`).test(code) && !declared(n));
    if (names.length > 0) code = `import { ${names.join(', ')} } from '${pathToFileURL(resolve(built, 'test/helpers/readmeFixtures.js')).href}';\n${code}`;
  }
  return transformSync(code, { loader: 'ts', format: 'esm', target: 'node20' }).code;
}

const blocks = tsBlocks(readFileSync(resolve(root, 'README.md'), 'utf8'));

describe('README.md examples run as written', () => {
  test('the README has TypeScript examples, and every marker is known', () => {
    assert.ok(blocks.length >= 2);
    for (const b of blocks) assert.ok(b.marker === null || b.marker === 'fragment' || /^skip:\s*\S/.test(b.marker), `README.md line ${b.line}: unknown marker "${b.marker}"`);
  });
  for (const b of blocks) {
    const name = `README.md block at line ${b.line}${b.marker ? ` (${b.marker})` : ''}`;
    if (b.marker?.startsWith('skip:')) {
      test(name, { skip: b.marker.slice(5).trim() }, () => {});
      continue;
    }
    test(name, async () => {
      const dir = resolve(built, 'readme');
      mkdirSync(dir, { recursive: true });
      const file = resolve(dir, `block-${b.line}.mjs`);
      writeFileSync(file, prepare(b));
      await import(pathToFileURL(file).href);
    });
  }

  test('the extractor finds blocks and markers (a block that fails is reported, not hidden)', async () => {
    const md = 'x\n<!-- readme-test: skip: needs school.csv -->\n```ts\nconst a = 1;\n```\n```ts\n1 + 1 === 3; // true\n```\n';
    const bs = tsBlocks(md);
    assert.deepEqual(bs.map((x) => [x.line, x.marker]), [[3, 'skip: needs school.csv'], [6, null]]);
    const dir = resolve(built, 'readme');
    mkdirSync(dir, { recursive: true });
    const file = resolve(dir, 'claim-false.mjs');
    writeFileSync(file, prepare(bs[1]!));
    await assert.rejects(import(pathToFileURL(file).href), /line 7 claims true: 1 \+ 1 === 3/);
  });
});
