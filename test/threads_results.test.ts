// The wasm backend gives the same results on one thread and on two: GEMM and elementwise work is
// split over disjoint output rows/slices, so the arithmetic of every element is unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { startThreads, workerTasks } from '../src/backend/wasm/threads.js';

const onWasm = torch.backends.current() === 'wasm';

test('one thread and two threads agree exactly; the split really runs on a worker', { skip: !onWasm && 'wasm backend only' }, async () => {
  torch.setNumThreads(2);
  await startThreads();
  torch.manualSeed(3);
  const a = torch.randn([3, 200, 300]);
  const b = torch.randn([300, 160]);
  const x = torch.randn([1 << 20]);
  const wideA = torch.randn([64, 300]);
  const wideB = torch.randn([300, 500]);
  // Rows and columns that are no multiple of the 4×8 micro-tile: the last piece of a split must reach the end.
  const tallA = torch.randn([1001, 300]);
  const wideC = torch.randn([300, 1003]);
  // Batch, row and column splits (wide products: n >= m), and a large elementwise chain.
  const compute = () => [
    a.matmul(b).toArray(), a.transpose(1, 2).matmul(a).toArray(), wideA.matmul(wideB).toArray(),
    tallA.matmul(b).toArray(), wideA.matmul(wideC).toArray(), x.tanh().mul(x).add(1).toArray(),
  ];
  torch.setNumThreads(1);
  const one = compute();
  torch.setNumThreads(2);
  const before = workerTasks();
  let two = compute();
  for (let i = 0; i < 20 && workerTasks() === before; i++) two = compute();
  assert.ok(workerTasks() > before, 'no task ran on the worker thread');
  one.forEach((r, i) => assert.deepEqual(two[i], r, `result ${i} differs between 1 and 2 threads`));
  assert.equal(torch.getNumThreads(), 2);
  assert.throws(() => torch.setNumThreads(0), /setNumThreads\(\): expected a positive integer, got 0/);
});
