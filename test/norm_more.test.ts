// InstanceNorm and LocalResponseNorm against PyTorch's outputs, gradients and running statistics
// (test/fixtures/golden/norm_more.json, written by test/fixtures/gen_norm_more.py with PyTorch 1.13).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as torch from '../src/index.js';

interface Case { name: string; x: number[]; shape: number[]; w: number[]; y: number[]; grad: number[]; [k: string]: unknown }
const golden = JSON.parse(readFileSync(new URL('./fixtures/golden/norm_more.json', import.meta.url), 'utf8')) as { cases: Case[]; reprs: string[] };
const byName = (n: string) => golden.cases.find((c) => c.name === n)!;
const t64 = (v: number[], shape?: number[]) => torch.tensor(Float64Array.from(v), { dtype: 'float64', shape });
// PyTorch 1.13's CPU instance norm (float64) differs from the textbook formula by up to ~2e-8 relative;
// the output is checked against the formula itself at 1e-12 below, and against PyTorch's numbers at 1e-7.
const close = (got: torch.Tensor, want: number[], what: string, tol = 1e-7) =>
  (got.reshape(-1).tolist() as number[]).forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < tol * Math.max(1, Math.abs(want[i]!)), `${what}[${i}]: ${v} vs ${want[i]}`));

test('InstanceNorm2d (affine, running statistics) matches PyTorch: output, gradients, running stats, eval', () => {
  const c = byName('instance_norm_2d');
  const m = new torch.nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true, dtype: 'float64' });
  torch.noGrad(() => {
    m.weight!.copy_(t64([1.5, -0.5, 2.0]));
    m.bias!.copy_(t64([0.1, 0.2, -0.3]));
  });
  const x = t64(c.x, c.shape).requiresGrad_();
  const y = m.call(x);
  close(y, c.y, 'y');
  // The textbook formula, per instance and channel: (x − mean) / sqrt(biased var + eps) · w + b.
  const [n, ch, hw] = [2, 3, 20];
  const want: number[] = [];
  for (let i = 0; i < n * ch; i++) {
    const seg = c.x.slice(i * hw, (i + 1) * hw);
    const mu = seg.reduce((a, v) => a + v, 0) / hw;
    const vr = seg.reduce((a, v) => a + (v - mu) ** 2, 0) / hw;
    const [wc, bc] = [[1.5, -0.5, 2.0][i % ch]!, [0.1, 0.2, -0.3][i % ch]!];
    for (const v of seg) want.push(((v - mu) / Math.sqrt(vr + 1e-5)) * wc + bc);
  }
  close(y, want, 'y (formula)', 1e-12);
  y.mul(t64(c.w, c.shape)).sum().backward();
  close(x.grad!, c.grad, 'grad x');
  close(m.weight!.grad!, c.weight_grad as number[], 'grad weight');
  close(m.bias!.grad!, c.bias_grad as number[], 'grad bias');
  close(m.running_mean!, c.running_mean as number[], 'running_mean');
  close(m.running_var!, c.running_var as number[], 'running_var');
  m.eval();
  close(m.call(t64(c.x, c.shape)), c.y_eval as number[], 'eval');
  assert.equal(String(m), golden.reprs[0]);
  assert.equal(String(new torch.nn.InstanceNorm1d(4)), golden.reprs[2]);
  assert.deepEqual(Object.keys(m.stateDict()).sort(), ['bias', 'num_batches_tracked', 'running_mean', 'running_var', 'weight']);
});

test('LocalResponseNorm matches PyTorch: output and gradient', () => {
  const c = byName('lrn');
  const m = new torch.nn.LocalResponseNorm(4, { alpha: 0.1, beta: 0.6, k: 2 });
  const x = t64(c.x, c.shape).requiresGrad_();
  const y = m.call(x);
  close(y, c.y, 'y');
  y.mul(t64(c.w, c.shape)).sum().backward();
  close(x.grad!, c.grad, 'grad');
  assert.equal(String(m), golden.reprs[1]);
});

test('instanceNorm batches under vmap like a loop, and checks its arguments', () => {
  const xs = torch.randn([3, 2, 4, 4], { dtype: 'float64' });
  const f = (t: torch.Tensor) => torch.instanceNorm(t.unsqueeze(0)).squeeze(0);
  const v = torch.func.vmap(f)(xs);
  const loop = torch.stack([0, 1, 2].map((i) => f(xs.index(i))));
  assert.ok(v.sub(loop).abs().max().item() < 1e-12);
  assert.throws(() => torch.instanceNorm(torch.ones(2, 3)), /at least one spatial dim/);
  assert.throws(() => torch.instanceNorm(xs, { useInputStats: false }), /Expected running_mean and running_var to be defined/);
});
