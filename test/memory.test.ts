// Memory of the wasm backend: a training loop written without dispose stays flat (garbage regions come
// back inside the synchronous loop), dispose() returns a region at once, and live tensors survive
// being moved out of wasm memory when the budget is short.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { soak, type SoakReport } from '../bench/soak.js';

const onWasm = torch.backends.current() === 'wasm';

test('a training loop without dispose keeps its memory bounded', () => {
  if (onWasm) torch.backends.wasm.setMemoryBudget(4 * 2 ** 20);
  const reports: SoakReport[] = [];
  soak(600, 100, (r) => reports.push(r), 256);
  const later = reports.slice(2);
  const heap0 = reports[1]!.heapMB;
  for (const r of later) assert.ok(r.heapMB < heap0 + 40, `heap grew from ${heap0.toFixed(1)} to ${r.heapMB.toFixed(1)} MB by step ${r.step}`);
  assert.ok(reports.at(-1)!.loss < reports[0]!.loss, 'the model trained');
  if (onWasm) {
    // 600 steps allocate far more than the 4 MiB budget: it was reached and regions were reused.
    assert.ok(reports.at(-1)!.collections + reports.at(-1)!.evictions > 0, 'the budget was never reached');
    for (const r of later) assert.equal(r.wasmMB, reports[1]!.wasmMB, `wasm memory grew by step ${r.step}`);
  }
});

test('dispose returns the region at once; live tensors keep their values through eviction', { skip: !onWasm && 'wasm backend only' }, () => {
  const stats = torch.backends.wasm.memoryStats;
  const big = torch.ones([1 << 18]);
  const before = stats().residentBuffers;
  big.dispose();
  assert.equal(stats().residentBuffers, before - 1);
  // A view keeps its storage alive through the base's dispose.
  const base = torch.arange(0, 1 << 18, 1, { dtype: 'float32' });
  const view = base.index('10:20');
  base.dispose();
  assert.deepEqual([...view.toArray()], [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  torch.backends.wasm.setMemoryBudget(2 ** 20);
  const live = Array.from({ length: 6 }, (_, i) => torch.full([1 << 17], i + 0.5));
  const evictionsBefore = stats().evictions;
  const sums = live.map((t) => t.mul(2).sum().item());
  assert.ok(stats().evictions > evictionsBefore, 'six live 512 KiB tensors under a 1 MiB budget must evict');
  sums.forEach((s, i) => assert.equal(s, (2 * i + 1) * (1 << 17)));
  live.forEach((t, i) => assert.equal(t.index(12345).item(), i + 0.5));
});
