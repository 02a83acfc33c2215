import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forecastPlot, forecastSpec } from '../src/plot/index.js';

test('forecastPlot: one line per series, shaded forecast window, deterministic SVG', async () => {
  const x = Array.from({ length: 30 }, (_, i) => i);
  const truth = x.map((i) => Math.sin(i / 4));
  const fit = x.map((i) => (i < 20 ? NaN : Math.sin(i / 4) + 0.1));
  const series = [{ name: 'truth', x, y: truth }, { name: 'joint fit', x, y: fit, dashed: true }];
  const spec = forecastSpec(series, { forecastStart: 20, title: 'Vendor B' }) as unknown as { layer: { data: { values: unknown[] } }[] };
  assert.equal(spec.layer.length, 2);
  assert.equal(spec.layer[1]!.data.values.length, 30 + 10); // NaN entries left out
  const svg = await forecastPlot(series, { forecastStart: 20, title: 'Vendor B', yTitle: 'sales' });
  assert.match(svg, /^<svg/);
  assert.ok(svg.includes('Vendor B') && svg.includes('joint fit') && svg.includes('sales'));
  assert.equal(await forecastPlot(series, { forecastStart: 20, title: 'Vendor B', yTitle: 'sales' }), svg);
  assert.throws(() => forecastSpec([]), /at least one series/);
  assert.throws(() => forecastSpec([{ name: 'a', x: [1], y: [1, 2] }]), /x has 1 entries and y 2/);
  assert.throws(() => forecastSpec([{ name: 'a', x: [1], y: [1] }, { name: 'a', x: [1], y: [1] }]), /names must be unique/);
});
