// conv3d and nn.Conv3d against PyTorch's outputs and gradients (test/fixtures/golden/conv3d.json,
// written by test/fixtures/gen_conv3d.py with PyTorch 1.13), and vmap against a loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as torch from '../src/index.js';

interface Case { name: string; x: number[]; xShape: number[]; w: number[]; wShape: number[]; b: number[]; opts: torch.Conv3dOptions; y: number[]; yShape: number[]; r: number[]; gx: number[]; gw: number[]; gb: number[] }
const golden = JSON.parse(readFileSync(new URL('./fixtures/golden/conv3d.json', import.meta.url), 'utf8')) as { cases: Case[]; repr: string };
const t64 = (v: number[], shape: number[]) => torch.tensor(Float64Array.from(v), { dtype: 'float64', shape });
const close = (got: torch.Tensor, want: number[], what: string) =>
  (got.reshape(-1).tolist() as number[]).forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-10, `${what}[${i}]: ${v} vs ${want[i]}`));

test("conv3d matches PyTorch's outputs and gradients (stride, padding, dilation, groups, bias)", () => {
  assert.equal(golden.cases.length, 4);
  for (const c of golden.cases) {
    const x = t64(c.x, c.xShape).requiresGrad_();
    const w = t64(c.w, c.wShape).requiresGrad_();
    const b = t64(c.b, [c.b.length]).requiresGrad_();
    const y = torch.conv3d(x, w, b, c.opts);
    assert.deepEqual(y.shape, c.yShape, c.name);
    close(y, c.y, `${c.name} y`);
    y.mul(t64(c.r, c.yShape)).sum().backward();
    close(x.grad!, c.gx, `${c.name} grad x`);
    close(w.grad!, c.gw, `${c.name} grad w`);
    close(b.grad!, c.gb, `${c.name} grad b`);
  }
});

test('nn.Conv3d: shapes, repr, init bounds, unbatched input, vmap against a loop', () => {
  const m = new torch.nn.Conv3d(2, 4, 3, { stride: [1, 2, 1], padding: 1, dtype: 'float64' });
  assert.equal(String(m), golden.repr);
  assert.deepEqual(m.weight.shape, [4, 2, 3, 3, 3]);
  const bound = 1 / Math.sqrt(2 * 27);
  assert.ok((m.bias!.tolist() as number[]).every((v) => Math.abs(v) <= bound));
  const x = torch.randn([3, 2, 4, 5, 5], { dtype: 'float64' });
  const batched = m.call(x);
  assert.deepEqual(batched.shape, [3, 4, 4, 3, 5]);
  const loop = torch.stack([0, 1, 2].map((i) => m.call(x.index(i))));
  assert.ok(batched.sub(loop).abs().max().item() < 1e-12);
  const viaVmap = torch.func.vmap((t: torch.Tensor) => m.call(t))(x);
  assert.ok(viaVmap.sub(loop).abs().max().item() < 1e-12);
  assert.throws(() => torch.conv3d(torch.ones(1, 2, 3), torch.ones(1, 2, 1, 1, 1)), /Expected 4D \(unbatched\) or 5D \(batched\) input/);
});
