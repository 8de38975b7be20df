// The activations, distances and pixel shuffles added for PyTorch's breadth, against closed forms in
// plain JavaScript (float64) and float64 finite differences; their modules against the same, and their
// reprs against PyTorch's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { nn } from '../src/index.js';

const f64 = (x: number[], shape?: number[]) => torch.tensor(Float64Array.from(x), { dtype: 'float64', shape });
const xs = [-3, -1.2, -0.4, -1e-3, 0, 1e-3, 0.3, 0.7, 2.5];
const close = (got: number[], want: number[], tol = 1e-12, what = '') =>
  want.forEach((w, i) => assert.ok(Math.abs(got[i]! - w) <= tol * Math.max(1, Math.abs(w)), `${what}[${i}]: ${got[i]} vs ${w}`));

// Closed forms from PyTorch's documentation, written independently of the library.
const A = 1.6732632423543772848170429916717, S = 1.0507009873554804934193349852946;
const refs: [string, (t: torch.Tensor) => torch.Tensor, (v: number) => number][] = [
  ['selu', torch.selu, (v) => S * (v > 0 ? v : A * (Math.exp(v) - 1))],
  ['celu(α=2)', (t) => torch.celu(t, 2), (v) => (v > 0 ? v : 2 * (Math.exp(v / 2) - 1))],
  ['softsign', torch.softsign, (v) => v / (1 + Math.abs(v))],
  ['tanhshrink', torch.tanhshrink, (v) => v - Math.tanh(v)],
  ['softshrink(0.5)', (t) => torch.softshrink(t, 0.5), (v) => (v > 0.5 ? v - 0.5 : v < -0.5 ? v + 0.5 : 0)],
  ['hardshrink(0.5)', (t) => torch.hardshrink(t, 0.5), (v) => (Math.abs(v) > 0.5 ? v : 0)],
  ['threshold(0.1, 20)', (t) => torch.threshold(t, 0.1, 20), (v) => (v > 0.1 ? v : 20)],
  ['prelu(0.25)', (t) => torch.prelu(t, f64([0.25])), (v) => (v > 0 ? v : 0.25 * v)],
];

test('activations equal their closed forms, and their gradients equal float64 finite differences', () => {
  for (const [name, f, ref] of refs) {
    close(f(f64(xs)).tolist() as number[], xs.map(ref), 1e-12, name);
    const g = torch.func.grad((t: torch.Tensor) => f(t).sum())(f64(xs)).tolist() as number[];
    // Central differences away from the kinks (|x| > 1e-2 from 0, ±0.5 and 0.1).
    xs.forEach((v, i) => {
      if ([0, 0.5, -0.5, 0.1].some((k) => Math.abs(v - k) < 1e-2)) return;
      const h = 1e-6;
      const fd = (ref(v + h) - ref(v - h)) / (2 * h);
      assert.ok(Math.abs(g[i]! - fd) < 1e-6, `${name}' at ${v}: ${g[i]} vs ${fd}`);
    });
  }
});

test('softmin, cosineSimilarity and pairwiseDistance against their formulas', () => {
  const a = [[1, 2, 3], [-1, 0.5, 4]];
  const b = [[0.5, -2, 1], [2, 2, 2]];
  const sm = torch.softmin(f64(a.flat(), [2, 3]), 1).tolist() as number[][];
  a.forEach((row, i) => {
    const e = row.map((v) => Math.exp(-v));
    const z = e.reduce((s, v) => s + v, 0);
    close(sm[i]!, e.map((v) => v / z), 1e-12, 'softmin');
  });
  const cos = torch.cosineSimilarity(f64(a.flat(), [2, 3]), f64(b.flat(), [2, 3])).tolist() as number[];
  const dot = (u: number[], v: number[]) => u.reduce((s, x, k) => s + x * v[k]!, 0);
  close(cos, a.map((u, i) => dot(u, b[i]!) / (Math.sqrt(dot(u, u)) * Math.sqrt(dot(b[i]!, b[i]!)))), 1e-12, 'cosine');
  // A zero vector: each norm is clamped to eps, so the similarity is 0, not NaN.
  assert.equal(torch.cosineSimilarity(f64([0, 0], [1, 2]), f64([1, 1], [1, 2])).item(), 0);
  const pd = torch.pairwiseDistance(f64(a.flat(), [2, 3]), f64(b.flat(), [2, 3])).tolist() as number[];
  close(pd, a.map((u, i) => Math.sqrt(u.reduce((s, x, k) => s + (x - b[i]![k]! + 1e-6) ** 2, 0))), 1e-12, 'pairwise p=2');
  const pd1 = torch.pairwiseDistance(f64(a.flat(), [2, 3]), f64(b.flat(), [2, 3]), { p: 1, keepdim: true });
  assert.deepEqual(pd1.shape, [2, 1]);
  close(pd1.reshape(-1).tolist() as number[], a.map((u, i) => u.reduce((s, x, k) => s + Math.abs(x - b[i]![k]! + 1e-6), 0)), 1e-12, 'pairwise p=1');
  assert.throws(() => torch.cosineSimilarity(f64([1]), f64([1]), { dimm: 0 } as never), /did you mean 'dim'/);
});

test('pixelShuffle moves channel blocks into space (the index formula), and pixelUnshuffle inverts it', () => {
  const [n, c, r, h, w] = [2, 2, 2, 3, 2];
  const x = torch.arange(n * c * r * r * h * w, { dtype: 'float64' }).reshape(n, c * r * r, h, w);
  const y = torch.pixelShuffle(x, r);
  assert.deepEqual(y.shape, [n, c, h * r, w * r]);
  const yv = y.tolist() as number[][][][];
  // out[b, k, i·r + u, j·r + v] = in[b, k·r² + u·r + v, i, j]
  for (let b = 0; b < n; b++) for (let k = 0; k < c; k++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) for (let u = 0; u < r; u++) for (let v = 0; v < r; v++) {
    const flat = ((b * c * r * r + k * r * r + u * r + v) * h + i) * w + j;
    assert.equal(yv[b]![k]![i * r + u]![j * r + v], flat);
  }
  assert.deepEqual(torch.pixelUnshuffle(y, r).tolist(), x.tolist());
  assert.throws(() => torch.pixelShuffle(torch.ones(3, 2, 2), 2), /divisible by the square of the upscale factor/);
});

test('the modules compute the same and print as PyTorch', () => {
  const x = f64(xs);
  close(new nn.SELU().call(x).tolist() as number[], xs.map(refs[0]![2]), 1e-12, 'SELU');
  const prelu = new nn.PReLU({ dtype: 'float64' });
  assert.deepEqual(prelu.weight.tolist(), [0.25]);
  prelu.call(x).sum().backward();
  // d/da sum(max(0,x) + a·min(0,x)) = Σ min(0, x)
  close([prelu.weight.grad!.item()], [xs.reduce((s, v) => s + Math.min(0, v), 0)], 1e-12, 'PReLU weight grad');
  const img = torch.randn([1, 3, 4, 4], { dtype: 'float64' });
  const pc = new nn.PReLU({ numParameters: 3, init: 0.1, dtype: 'float64' });
  close(pc.call(img).reshape(-1).tolist() as number[], (img.reshape(-1).tolist() as number[]).map((v) => (v > 0 ? v : 0.1 * v)), 1e-12, 'PReLU per channel');
  assert.deepEqual(Object.keys(pc.stateDict()), ['weight']);
  const reprs: [nn.Module, string][] = [
    [new nn.SELU(), 'SELU()'], [new nn.CELU(), 'CELU(alpha=1.0)'], [new nn.Softmin(1), 'Softmin(dim=1)'],
    [new nn.Softshrink(), 'Softshrink(0.5)'], [new nn.Hardshrink(0.3), 'Hardshrink(0.3)'],
    [new nn.Threshold(0.1, 20), 'Threshold(threshold=0.1, value=20)'], [new nn.PReLU(), 'PReLU(num_parameters=1)'],
    [new nn.GLU(), 'GLU(dim=-1)'], [new nn.PixelShuffle(2), 'PixelShuffle(upscale_factor=2)'],
    [new nn.PixelUnshuffle(3), 'PixelUnshuffle(downscale_factor=3)'], [new nn.Hardswish(), 'Hardswish()'], [new nn.CosineSimilarity(), 'CosineSimilarity()'],
  ];
  for (const [m, want] of reprs) assert.equal(String(m), want);
});

test('they batch under vmap like a loop, per-sample gradients included', () => {
  const x = torch.randn([4, 5], { dtype: 'float64' });
  for (const [name, f] of refs) {
    const batched = torch.func.vmap(torch.func.grad((t: torch.Tensor) => f(t).mul(t).sum()))(x);
    const loop = torch.stack([0, 1, 2, 3].map((i) => torch.func.grad((t: torch.Tensor) => f(t).mul(t).sum())(x.index(i))));
    assert.ok(batched.sub(loop).abs().max().item() < 1e-12, name);
  }
});

test('oneHot: int32 one-hot rows, max + 1 classes by default, PyTorch errors, batched under vmap', () => {
  const ids = torch.tensor([0, 2, 1, 2], { dtype: 'int32' });
  assert.deepEqual(torch.oneHot(ids).tolist(), [[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]]);
  assert.equal(torch.oneHot(ids, 5).dtype, 'int32');
  assert.deepEqual(torch.oneHot(ids, 5).shape, [4, 5]);
  assert.throws(() => torch.oneHot(ids, 2), /Class values must be smaller than num_classes/);
  assert.throws(() => torch.oneHot(torch.tensor([-1], { dtype: 'int32' }), 3), /Class values must be non-negative/);
  assert.throws(() => torch.oneHot(torch.tensor([1, 2])), /only applicable to index tensor/);
  const batched = torch.func.vmap((t: torch.Tensor) => torch.oneHot(t, 4))(torch.tensor([[0, 3], [1, 1]], { dtype: 'int32' }));
  assert.deepEqual(batched.tolist(), [[[1, 0, 0, 0], [0, 0, 0, 1]], [[0, 1, 0, 0], [0, 1, 0, 0]]]);
  assert.throws(() => torch.func.vmap((t: torch.Tensor) => torch.oneHot(t))(torch.tensor([[0, 3]], { dtype: 'int32' })), /pass numClasses/);
});
