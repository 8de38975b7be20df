// interpolate against PyTorch's own outputs (test/fixtures/golden/interpolate.json, written by
// test/fixtures/gen_interpolate.py with PyTorch 1.13), its gradient against finite differences, and vmap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as torch from '../src/index.js';

interface Case {
  name: string;
  input: number[];
  shape: number[];
  opts: torch.InterpolateOptions;
  output: number[];
  outShape: number[];
}
const { cases } = JSON.parse(readFileSync(new URL('./fixtures/golden/interpolate.json', import.meta.url), 'utf8')) as { cases: Case[] };

test("interpolate matches PyTorch's outputs (nearest, linear, bilinear; sizes, scale factors, alignCorners)", () => {
  assert.equal(cases.length, 11);
  for (const c of cases) {
    const x = torch.tensor(Float64Array.from(c.input), { dtype: 'float64', shape: c.shape });
    const y = torch.interpolate(x, c.opts);
    assert.deepEqual(y.shape, c.outShape, c.name);
    const got = y.reshape(-1).tolist() as number[];
    got.forEach((v, i) => assert.ok(Math.abs(v - c.output[i]!) < 1e-12, `${c.name}[${i}]: ${v} vs ${c.output[i]}`));
  }
});

test('interpolate: gradient against finite differences, vmap against a loop, argument errors', () => {
  const x = torch.randn([1, 1, 3, 3], { dtype: 'float64' });
  const w = torch.randn([1, 1, 5, 4], { dtype: 'float64' });
  const f = (t: torch.Tensor) => torch.interpolate(t, { size: [5, 4], mode: 'bilinear' }).mul(w).sum();
  const g = torch.func.grad(f)(x).reshape(-1).tolist() as number[];
  const xv = x.reshape(-1).tolist() as number[];
  xv.forEach((_, i) => {
    const bump = (d: number) => f(torch.tensor(Float64Array.from(xv.map((v, j) => (j === i ? v + d : v))), { dtype: 'float64', shape: [1, 1, 3, 3] })).item();
    assert.ok(Math.abs(g[i]! - (bump(1e-6) - bump(-1e-6)) / 2e-6) < 1e-6);
  });
  const batch = torch.randn([4, 2, 3, 3], { dtype: 'float64' });
  const up = (t: torch.Tensor) => torch.interpolate(t.unsqueeze(0), { scaleFactor: 2, mode: 'nearest' }).squeeze(0);
  const viaVmap = torch.func.vmap(up)(batch);
  const loop = torch.stack([0, 1, 2, 3].map((i) => up(batch.index(i))));
  assert.equal(viaVmap.sub(loop).abs().max().item(), 0);
  assert.throws(() => torch.interpolate(x, { size: 4, scaleFactor: 2 }), /either size or scaleFactor should be defined/);
  assert.throws(() => torch.interpolate(x, { size: 4, mode: 'nearest', alignCorners: true }), /align_corners option can only be set/);
  assert.throws(() => torch.interpolate(x, { size: 4, mode: 'linear' }), /mode 'linear' needs a 3-D input/);
  assert.throws(() => torch.interpolate(x, { sizes: 4 } as never), /did you mean 'size'/);
});

test('nn.Upsample runs interpolate and prints as PyTorch', () => {
  const x = torch.randn([1, 2, 3, 3], { dtype: 'float64' });
  const m = new torch.nn.Upsample({ scaleFactor: 2, mode: 'bilinear' });
  assert.equal(m.call(x).sub(torch.interpolate(x, { scaleFactor: 2, mode: 'bilinear' })).abs().max().item(), 0);
  assert.equal(String(m), "Upsample(scale_factor=2.0, mode='bilinear')");
  assert.equal(String(new torch.nn.Upsample({ size: [5, 7] })), "Upsample(size=(5, 7), mode='nearest')");
});
