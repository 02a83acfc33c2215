import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// The published package must carry its own specification of the objectives (README links it), so an
// installed user has the spec without the repository around it.
test('the published files include docs/objectives.md, and README links it inside the package', () => {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  assert.ok(files.includes('docs/objectives.md'), `published files: ${files.filter((f) => !f.startsWith('dist/')).join(', ')}`);
  const readme = readFileSync('README.md', 'utf8');
  assert.ok(readme.includes('](docs/objectives.md)'), 'README links docs/objectives.md');
  assert.ok(!/\]\(\.\.\//.test(readme), 'README links nothing outside the package');
  const spec = readFileSync('docs/objectives.md', 'utf8');
  for (const section of ['## Loss and its scaling', '## Joint sparsity', '## Sufficient statistics']) assert.ok(spec.includes(section), section);
});
