// The package in a browser: esbuild bundles the root entry and `mtlearn/plot` for the browser platform
// (Node built-ins left out; only lazy `import()`s of them may remain, and they never run here), headless
// Chromium (Debian's /usr/bin/chromium, driven by playwright-core; skipped when absent) loads the bundle,
// fits a group lasso and a trace norm on a seeded problem, and draws the heatmap. The weights must equal
// the Node fit's to 1e-12 and the SVG must have one cell per entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { groupLasso, groupLassoLambdaMax, traceNorm, traceNormLambdaMax, MultiTaskData } from '../src/index.js';
import type { heatmapW } from '../src/plot/index.js';
import { marksOf } from './helpers/cli.js';

/** What the page sees (the bundle's exports) and the few DOM pieces used. */
interface PageGlobals {
  mtlearn: { groupLasso: typeof groupLasso; traceNorm: typeof traceNorm; MultiTaskData: typeof MultiTaskData; plot: { heatmapW: typeof heatmapW } };
  document: { body: { innerHTML: string }; querySelectorAll(selector: string): { length: number } };
  navigator: { userAgent: string };
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env['MTLEARN_CHROMIUM'] ?? '/usr/bin/chromium';

/** A seeded shared-design problem as plain arrays (the same numbers on both sides). */
function problem(n: number, d: number, T: number, seed: number): { X: number[][]; Y: number[][] } {
  let s = seed >>> 0;
  const u = (): number => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32 - 0.5; };
  const X = Array.from({ length: n }, () => Array.from({ length: d }, u));
  const B = Array.from({ length: d }, (_, j) => Array.from({ length: T }, () => (j < 3 ? 2 * u() : 0)));
  // Y = X B + noise
  const Y = X.map((x) => Array.from({ length: T }, (_, t) => x.reduce((a, v, j) => a + v * B[j]![t]!, 0) + 0.1 * u()));
  return { X, Y };
}

const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (set MTLEARN_CHROMIUM)`;

test('the package runs in headless Chromium: group lasso and trace norm equal the Node fits, heatmap drawn in the page', { skip, timeout: 50_000 }, async () => {
  const { chromium } = await import('playwright-core');
  const result = await build({
    stdin: {
      contents: "import * as mt from './build/src/index.js';\nimport * as plot from './build/src/plot/index.js';\nglobalThis.mtlearn = { ...mt, plot };\n",
      resolveDir: root, sourcefile: 'browser-entry.js',
    },
    bundle: true, platform: 'browser', format: 'esm', target: 'es2022', write: false, metafile: true, logLevel: 'silent',
    external: ['node:*'],
  });
  // no static import of a Node built-in survives in the bundle (a lazy import() may)
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports);
  const staticNode = imports.filter((i) => i.path.startsWith('node:') && i.kind !== 'dynamic-import');
  assert.deepEqual(staticNode, [], `static Node imports in the browser bundle: ${staticNode.map((i) => i.path).join(', ')}`);
  const code = result.outputFiles[0]!.text;

  const { X, Y } = problem(40, 8, 3, 7);
  const data = MultiTaskData.fromShared(X, Y);
  const glLambda = 0.1 * groupLassoLambdaMax(data, { q: 2 });
  const tnLambda = 0.2 * traceNormLambdaMax(data);
  const gl = groupLasso(MultiTaskData.fromShared(X, Y), { lambda: glLambda, tol: 1e-10 });
  const tn = traceNorm(MultiTaskData.fromShared(X, Y), { lambda: tnLambda, tol: 1e-10 });

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: code, type: 'module' });
    await page.waitForFunction(() => 'mtlearn' in globalThis, undefined, { timeout: 20_000 });
    assert.deepEqual(errors, []);
    const out = await page.evaluate(async ({ X, Y, glLambda, tnLambda }) => {
      const { mtlearn: mt, document, navigator } = globalThis as unknown as PageGlobals;
      const gl = mt.groupLasso(mt.MultiTaskData.fromShared(X, Y), { lambda: glLambda, tol: 1e-10 });
      const tn = mt.traceNorm(mt.MultiTaskData.fromShared(X, Y), { lambda: tnLambda, tol: 1e-10 });
      const svg = await mt.plot.heatmapW(gl);
      document.body.innerHTML = svg;
      return {
        gl: Array.from(gl.W.data), tn: Array.from(tn.W.data),
        converged: [gl.converged, tn.converged], svg, inDom: document.querySelectorAll('svg path').length,
        userAgent: navigator.userAgent,
      };
    }, { X, Y, glLambda, tnLambda });
    assert.match(out.userAgent, /Chrome/);
    assert.deepEqual(out.converged, [true, true]);
    const close = (a: readonly number[], b: Float64Array, what: string): void => {
      assert.equal(a.length, b.length);
      let scale = 0;
      for (const v of b) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= 1e-12 * Math.max(1, scale), `${what}[${i}]: ${a[i]} in the browser, ${b[i]} in Node`);
    };
    close(out.gl, gl.W.data, 'group lasso W');
    close(out.tn, tn.W.data, 'trace norm W');
    assert.ok(out.gl.some((v) => v !== 0) && out.gl.some((v) => v === 0), 'a sparse, non-trivial group-lasso solution');
    assert.equal(marksOf(out.svg, 'rect', '').length, 8 * 3, 'one heatmap cell per entry of W');
    assert.ok(out.inDom > 24, 'the SVG is in the page');
  } finally {
    await browser.close();
  }
});
