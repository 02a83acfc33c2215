import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MultiTaskData, groupLasso, crossValidate } from '../src/index.js';

describe('MultiTaskData.fromLong', () => {
  const rows = [
    { school: 'north', score: 3, hours: 2, age: 10 },
    { school: 'south', score: 1, hours: 0, age: 11 },
    { school: 'north', score: 4, hours: 3, age: 12 },
    { school: 'east', score: '2.5', hours: '1e0', age: 9 },
  ];

  test('rows of objects: tasks in order of first appearance, rows in input order, labels kept', () => {
    const data = MultiTaskData.fromLong(rows, { task: 'school', y: 'score', features: ['hours', 'age'] });
    assert.deepEqual(data.taskLabels, ['north', 'south', 'east']);
    assert.deepEqual(Array.from(data.taskSizes), [2, 1, 1]);
    assert.deepEqual(Array.from(data.tasks[0]!.X), [2, 10, 3, 12]);
    assert.deepEqual(Array.from(data.tasks[0]!.y), [3, 4]);
    assert.deepEqual(Array.from(data.tasks[2]!.X), [1, 9]);
    assert.deepEqual(Array.from(data.tasks[2]!.y), [2.5]);
    // default features: every other key of the first row, in order
    const all = MultiTaskData.fromLong(rows, { task: 'school', y: 'score' });
    assert.deepEqual(Array.from(all.tasks[1]!.X), [0, 11]);
  });

  test('rows of arrays with numeric labels: tasks in ascending numeric order; equals fromTasks', () => {
    const arr = [[3, 1.5, 1, 0], [1, 2, 0, 1], [3, 0.5, 1, 1], [2, 1, 2, 2], [1, 4, 1, 1]];
    const data = MultiTaskData.fromLong(arr, { task: 0, y: 1 });
    assert.deepEqual(data.taskLabels, ['1', '2', '3']);
    const ref = MultiTaskData.fromTasks([
      { X: [[0, 1], [1, 1]], y: [2, 4] }, { X: [[2, 2]], y: [1] }, { X: [[1, 0], [1, 1]], y: [1.5, 0.5] },
    ]);
    for (let t = 0; t < 3; t++) {
      assert.deepEqual(data.tasks[t]!.X, ref.tasks[t]!.X);
      assert.deepEqual(data.tasks[t]!.y, ref.tasks[t]!.y);
    }
    const a = groupLasso(data, { lambda: 0.01 }), b = groupLasso(ref, { lambda: 0.01 });
    assert.deepEqual(a.W.data, b.W.data);
  });

  test('errors name the row, the column and the task label; the input is not modified', () => {
    const copy = JSON.stringify(rows);
    assert.throws(() => MultiTaskData.fromLong([...rows, { school: 'south', score: 'n/a', hours: 1, age: 1 }], { task: 'school', y: 'score' }),
      /rows\[4\]\.score \(task "south"\): the response is "n\/a"; expected a finite number/);
    assert.throws(() => MultiTaskData.fromLong([...rows, { school: 'east', score: 1, hours: '0x10', age: 1 }], { task: 'school', y: 'score' }),
      /rows\[4\]\.hours \(task "east"\): the feature is "0x10"/);
    assert.throws(() => MultiTaskData.fromLong(rows, { task: 'school', y: 'score', feature: ['age'] } as never), /unknown option 'feature' \(did you mean features\?\)/);
    assert.throws(() => MultiTaskData.fromLong(rows, { task: 0, y: 'score' }), /task: expected a property name/);
    assert.throws(() => MultiTaskData.fromLong([], { task: 'a', y: 'b' }), /rows: expected at least one row/);
    assert.equal(JSON.stringify(rows), copy);
  });

  test('cross-validation errors name the user\'s task labels', async () => {
    const many = [...rows, ...rows.slice(0, 3)];
    const data = MultiTaskData.fromLong(many, { task: 'school', y: 'score' });
    await assert.rejects(crossValidate(data, groupLasso, { folds: 2, grid: [0.1] }), /folds: task "east" has 1 observed responses; expected at least folds = 2/);
  });
});
