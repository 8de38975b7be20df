// Memory of the wasm backend: a training loop written without dispose stays flat (garbage regions come
// back inside the synchronous loop), dispose() returns a region at once, and live tensors survive
// being moved out of wasm memory when the budget is short.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { soak, type SoakReport } from '../bench/soak.js';
import { runScript } from './support/child.js';

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

test('backward frees the gradients it makes as it goes, and nothing a hook or the caller sees', { skip: !onWasm && 'wasm backend only' }, () => {
  const stats = torch.backends.wasm.memoryStats;
  torch.backends.wasm.setMemoryBudget(512 * 2 ** 20); // no collection or eviction during the count
  torch.manualSeed(0);
  const model = new torch.nn.Sequential(new torch.nn.Linear(512, 512), new torch.nn.Tanh(), new torch.nn.Linear(512, 512), new torch.nn.Tanh(), new torch.nn.Linear(512, 10));
  const x = torch.randn([256, 512]);
  const leftBy = (createGraph: boolean) => {
    model.zeroGrad();
    const loss = model.call(x).pow(2).mean();
    const before = stats().residentBuffers;
    loss.backward(null, { createGraph });
    return [stats().residentBuffers - before, model.parameters().map((p) => p.grad!.toArray())] as const;
  };
  const [kept, grads] = leftBy(false);
  const [keptWithGraph, gradsWithGraph] = leftBy(true);
  // Only the parameters' gradients (and the root's) outlive the pass; with createGraph the
  // intermediate ones (at least one [256, 512] per layer and activation) stay too.
  assert.ok(kept <= model.parameters().length + 1, `${kept} buffers outlived the pass`);
  assert.ok(keptWithGraph >= kept + 4, `createGraph keeps its gradients (${keptWithGraph} vs ${kept})`);
  grads.forEach((g, i) => assert.deepEqual(g, gradsWithGraph[i]));

  // A gradient a tensor hook saw (and one kept by retainGrad) stays readable after the pass.
  const h = model.call(x) as torch.Tensor;
  const seen: torch.Tensor[] = [];
  h.registerHook((g: torch.Tensor) => void seen.push(g));
  const t = h.tanh();
  t.retainGrad();
  t.pow(2).sum().backward();
  assert.equal(seen[0]!.shape.join(), '256,10');
  assert.ok(Number.isFinite(seen[0]!.sum().item()));
  assert.ok(Number.isFinite(t.grad!.sum().item()));
});

test('tensors that die in a collection during exit let the process end cleanly', { skip: !onWasm && 'wasm backend only' }, () => {
  // Node tears down after 'exit': a collection then finds the tensors dead, and the cleanup task it
  // posts may not run JavaScript. This once aborted the process (exit signal SIGABRT, "illegal access").
  const script = `
    import * as torch from ${JSON.stringify(new URL('../src/index.ts', import.meta.url).href)};
    let keep = Array.from({ length: 8 }, (_, i) => torch.full([1 << 12], i).exp());
    console.log(keep.reduce((s, t) => s + t.sum().item(), 0) > 0 ? 'done' : 'wrong');
    process.on('exit', () => { keep = []; globalThis.gc(); });
  `;
  const r = runScript(script, { nodeFlags: ['--expose-gc'], env: { TORCHFN_BACKEND: 'wasm' }, timeoutMs: 60_000 });
  assert.equal(r.stdout.trim(), 'done', r.stderr);
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.status, 0, r.stderr);
});
