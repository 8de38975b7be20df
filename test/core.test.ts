// Core tensor behaviour: creation, dtypes and promotion, views and in-place ops, eager autograd
// (accumulation, double backward, hooks, retainGrad), printing and bad-input errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { T, assertClose, caseOf, loadGolden } from './support/golden.js';

type Tn = torch.Tensor;
const f64 = (x: torch.NestedArray) => torch.tensor(x, { dtype: 'float64' });
const ints = (x: torch.NestedArray) => torch.tensor(x, { dtype: 'int32' });

test('creation and dtypes', () => {
  // Numbers are float32 (JavaScript cannot tell 1.0 from 1); integers come from a dtype or an integer typed array.
  assert.equal(torch.tensor([1, 2]).dtype, 'float32');
  assert.equal(torch.tensor([1.5, 2]).dtype, 'float32');
  assert.equal(torch.tensor(new Int32Array([1, 2])).dtype, 'int32');
  assert.deepEqual(torch.tensor(new Uint8Array([0, 128, 255])).tolist(), [0, 128, 255]);
  assert.equal(torch.tensor(new Uint8Array([0, 128, 255])).dtype, 'int32');
  assert.equal(torch.tensor(new Float64Array([0.1])).dtype, 'float64');
  assert.deepEqual(ints([1.9, -1.9]).tolist(), [1, -1]);
  assert.deepEqual(torch.tensor([0, 2, 0], { dtype: 'bool' }).tolist(), [false, true, false]);
  assert.throws(() => torch.tensor([1700000000000], { dtype: 'int32' }), (e: Error) => e instanceof torch.ValueError && /1700000000000 cannot be converted to type int32 without overflow/.test(e.message));
  assert.equal(torch.tensor([1700000000000], { dtype: 'float64' }).item(), 1700000000000);
  assert.throws(() => torch.tensor([[1, 2], [3, 'x']] as never), /tensor\(\): expected a number or boolean at \[1, 1\], got string "x"/);
  // eslint-disable-next-line no-sparse-arrays
  assert.throws(() => torch.tensor([1, , 3] as never), /at \[1\], got an empty slot/);
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);
  assert.throws(() => torch.tensor(cyclic as never), (e: Error) => e instanceof torch.ValueError && /deeper than 64/.test(e.message));
  assert.equal(torch.tensor([true, false]).dtype, 'bool');
  assert.equal(torch.float64, 'float64');
  assert.deepEqual(torch.zeros([2, 3]).shape, [2, 3]);
  assert.deepEqual(torch.arange(5).tolist(), [0, 1, 2, 3, 4]);
  assert.deepEqual(torch.arange(0, 1, 0.25).tolist(), [0, 0.25, 0.5, 0.75]);
  assert.deepEqual(torch.linspace(0, 1, 5).tolist(), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(torch.eye(2).tolist(), [[1, 0], [0, 1]]);
  assert.deepEqual(torch.full([2], 7).tolist(), [7, 7]);
  torch.manualSeed(1);
  const a = torch.randn([3]).tolist();
  torch.manualSeed(1);
  assert.deepEqual(torch.randn([3]).tolist(), a);
  const r = torch.randint(0, 5, [200]).toArray();
  assert.ok(r.every((v) => v >= 0 && v < 5));
  const u = torch.rand([1000]);
  assert.ok(Math.abs(u.mean().item() - 0.5) < 0.05);
  assert.equal(ints([1, 2]).double().dtype, 'float64');
  assert.equal(torch.tensor([1.7, -1.7]).to('int32').toArray().toString(), '1,-1');
});

test('type promotion follows PyTorch', () => {
  assert.equal(ints([1, 2]).add(1.5).dtype, 'float32');
  assert.equal(ints([1, 2]).add(1).dtype, 'int32');
  assert.equal(ints([1, 2]).div(2).dtype, 'float32');
  assert.deepEqual(ints([1, 2]).div(2).tolist(), [0.5, 1]);
  assert.equal(f64([1]).add(torch.tensor([1.5])).dtype, 'float64');
  assert.equal(torch.tensor([1.5]).mul(2).dtype, 'float32');
  assert.equal(torch.tensor([true]).add(1).dtype, 'int32');
  assert.equal(ints([1, 2]).gt(1).dtype, 'bool');
});

test('broadcasting and elementwise values', () => {
  const x = torch.arange(3).reshape(3, 1).float();
  const y = torch.arange(4).float();
  assert.deepEqual(x.add(y).shape, [3, 4]);
  assert.deepEqual(torch.tensor([-1.5, 0, 2.5]).relu().tolist(), [0, 0, 2.5]);
  assert.deepEqual(torch.tensor([0.5, 1.5, 2.5, -0.5]).round().tolist(), [0, 2, 2, -0]);
  assert.deepEqual(torch.clamp(torch.tensor([-2, 0.5, 3]), { min: 0, max: 1 }).tolist(), [0, 0.5, 1]);
  assert.deepEqual(torch.where(torch.tensor([true, false]), torch.tensor([1, 2]), 0).tolist(), [1, 0]);
  const g = torch.gelu(f64([1])).item();
  assert.ok(Math.abs(g - 0.8413447460685429) < 1e-12);
  assert.ok(Math.abs(torch.softplus(f64([0])).item() - Math.LN2) < 1e-12);
});

test('reductions', () => {
  const x = f64([[1, 5, 3], [4, 2, 6]]);
  assert.deepEqual(x.sum().item(), 21);
  assert.deepEqual(x.sum(1).tolist(), [9, 12]);
  assert.deepEqual(x.sum({ dim: 0, keepdim: true }).shape, [1, 3]);
  assert.deepEqual(x.mean(0).tolist(), [2.5, 3.5, 4.5]);
  const { values, indices } = x.max(1);
  assert.deepEqual(values.tolist(), [5, 6]);
  assert.deepEqual(indices.tolist(), [1, 2]);
  assert.deepEqual(x.argmin().item(), 0);
  assert.ok(Math.abs(x.var().item() - 3.5) < 1e-12);
  assert.ok(Math.abs(x.std({ dim: null, correction: 0 }).item() - Math.sqrt(35 / 12)) < 1e-12);
  assert.ok(Math.abs(x.logsumexp().item() - Math.log([1, 5, 3, 4, 2, 6].reduce((a, v) => a + Math.exp(v), 0))) < 1e-12);
  assert.ok(Math.abs(f64([3, 4]).norm().item() - 5) < 1e-12);
  assert.deepEqual(f64([1, 2, 3]).cumsum(0).tolist(), [1, 3, 6]);
  assert.deepEqual(f64([1, 2, 3]).prod().item(), 6);
  assert.throws(() => ints([1, 2]).mean(), /mean\(\): could not infer output dtype/);
});

test('matmul rules (1-D, 2-D, batched broadcast), einsum forms', () => {
  const a = torch.randn([2, 3, 4], { dtype: 'float64' });
  const b = torch.randn([4, 5], { dtype: 'float64' });
  assert.deepEqual(torch.matmul(a, b).shape, [2, 3, 5]);
  assert.deepEqual(torch.matmul(torch.ones([4]), torch.ones([4, 5])).shape, [5]);
  assert.deepEqual(torch.matmul(torch.ones([3, 4]), torch.ones([4])).shape, [3]);
  assert.deepEqual(torch.matmul(torch.ones([4]), torch.ones([4])).shape, []);
  assert.deepEqual(torch.matmul(torch.ones([5, 1, 3, 4]), torch.ones([2, 4, 6])).shape, [5, 2, 3, 6]);
  const close = (x: Tn, y: Tn) => x.toArray().forEach((v, i) => assert.ok(Math.abs(v - y.toArray()[i]!) < 1e-10));
  close(torch.einsum('bij,jk->bik', a, b), torch.matmul(a, b));
  const m = torch.randn([3, 3], { dtype: 'float64' });
  assert.ok(Math.abs(torch.einsum('ii->', m).item() - (m.index(0, 0).item() + m.index(1, 1).item() + m.index(2, 2).item())) < 1e-12);
  close(torch.einsum('ij->ji', m), m.T);
  close(torch.einsum('i,j->ij', f64([1, 2]), f64([3, 4])), torch.outer(f64([1, 2]), f64([3, 4])));
  assert.throws(() => torch.matmul(torch.ones([2, 3]), torch.ones([4, 5])), /\[2, 3\].*\[4, 5\]/);
});

test('views share storage; in-place ops on views update the base', () => {
  const base = torch.zeros([2, 3]);
  const row = base.select(0, 1);
  row.add_(5);
  assert.deepEqual(base.tolist(), [[0, 0, 0], [5, 5, 5]]);
  const col = base.transpose(0, 1).index(0);
  col.fill_(7);
  assert.deepEqual(base.tolist(), [[7, 0, 0], [7, 5, 5]]);
  const v = base.view(6);
  v.index('::2').zero_();
  assert.deepEqual(base.tolist(), [[0, 0, 0], [7, 0, 5]]);
  base.indexPut_([0, '1:'], 9);
  assert.deepEqual(base.tolist(), [[0, 9, 9], [7, 0, 5]]);
  assert.throws(() => base.transpose(0, 1).view(6), /view size is not compatible/);
});

test('indexing: ints, slices, null, ellipsis, index tensors and masks', () => {
  const x = torch.arange(24).reshape(2, 3, 4);
  assert.deepEqual(x.index(1, 2).tolist(), [20, 21, 22, 23]);
  assert.deepEqual(x.index('...', -1).shape, [2, 3]);
  assert.deepEqual(x.index(null, 0).shape, [1, 3, 4]);
  assert.deepEqual(x.index(0, ints([2, 0])).tolist(), [[8, 9, 10, 11], [0, 1, 2, 3]]);
  assert.deepEqual(x.index(0, '...', [1, 3]).tolist(), [[1, 3], [5, 7], [9, 11]]);
  const m = torch.tensor([1, -2, 3]);
  assert.deepEqual(m.index(m.gt(0)).tolist(), [1, 3]);
  // Several index tensors pick elementwise (broadcast together); separated by a slice, their dim goes first.
  assert.deepEqual(x.index(ints([0, 1]), ints([1, 2])).tolist(), [[4, 5, 6, 7], [20, 21, 22, 23]]);
  assert.deepEqual(x.index(ints([[0], [1]]), ints([0, 2])).tolist(), [[[0, 1, 2, 3], [8, 9, 10, 11]], [[12, 13, 14, 15], [20, 21, 22, 23]]]);
  assert.deepEqual(x.index(ints([0, 1]), ':', ints([3, 0])).tolist(), [[3, 7, 11], [12, 16, 20]]);
  assert.deepEqual(x.index(':', ints([0, 2]), ints([1, 3])).tolist(), [[1, 11], [13, 23]]);
});

test('join, split, gather/scatter, flip, roll, pad', () => {
  const a = torch.arange(6).reshape(2, 3);
  assert.deepEqual(torch.cat([a, a], 1).shape, [2, 6]);
  assert.deepEqual(torch.stack([a, a], 0).shape, [2, 2, 3]);
  assert.deepEqual(a.split(2, 1).map((t) => t.shape), [[2, 2], [2, 1]]);
  assert.deepEqual(a.chunk(2, 0).length, 2);
  assert.deepEqual(a.gather(1, ints([[2], [0]])).tolist(), [[2], [3]]);
  assert.deepEqual(torch.zeros([3]).scatterAdd(0, ints([0, 0, 2]), torch.tensor([1, 2, 3])).tolist(), [3, 0, 3]);
  assert.deepEqual(a.flip(1).tolist(), [[2, 1, 0], [5, 4, 3]]);
  assert.deepEqual(torch.arange(5).roll(2).tolist(), [3, 4, 0, 1, 2]);
  assert.deepEqual(torch.pad(torch.ones([1, 2]), [1, 0]).tolist(), [[0, 1, 1]]);
  assert.deepEqual(torch.pad(torch.arange(3).float().reshape(1, 3), [2, 1], 'reflect').tolist(), [[2, 1, 0, 1, 2, 1]]);
  assert.throws(() => torch.cat([torch.ones([2, 2]), torch.ones([3, 3])], 0), /Sizes of tensors must match except in dimension 0/);
});

test('autograd: gradient accumulation and retainGraph', () => {
  const x = f64([1, 2]).requiresGrad_();
  const y = x.pow(2).sum();
  y.backward(undefined, { retainGraph: true });
  y.backward();
  assert.deepEqual(x.grad!.tolist(), [4, 8]);
  assert.throws(() => y.backward(), /Trying to backward through the graph a second time.*retainGraph/s);
  assert.throws(() => x.mul(2).backward(), /grad can be implicitly created only for scalar outputs/);
  assert.throws(() => f64([1]).sum().backward(), /does not require grad/);
  assert.ok(x.isLeaf);
  assert.ok(!y.isLeaf);
  assert.equal(torch.noGrad(() => x.mul(2)).requiresGrad, false);
  assert.equal(x.detach().requiresGrad, false);
});

test('autograd: double backward with createGraph, autograd.grad', () => {
  const x = f64([0.5, -1.5]).requiresGrad_();
  const [g] = torch.autograd.grad(x.tanh().sum(), x, { createGraph: true });
  const [gg] = torch.autograd.grad(g!.sum(), x);
  const t = [0.5, -1.5].map(Math.tanh);
  gg!.toArray().forEach((v, i) => assert.ok(Math.abs(v - -2 * t[i]! * (1 - t[i]! ** 2)) < 1e-12));
  const z = f64([3]).requiresGrad_();
  assert.throws(() => torch.autograd.grad(z.mul(2).sum(), [z, f64([1]).requiresGrad_()]), /appears to not have been used in the graph/);
  const [, none] = torch.autograd.grad(z.mul(2).sum(), [z, f64([1]).requiresGrad_()], { allowUnused: true });
  assert.equal(none, null);
});

test('autograd through in-place ops on views (CopySlices)', () => {
  const a = f64([1, 2, 3]).requiresGrad_();
  const b = a.mul(1);
  b.index(0).mul_(3);
  b.pow(2).sum().backward();
  assert.deepEqual(a.grad!.tolist(), [18, 4, 6]);
  assert.throws(() => f64([1]).requiresGrad_().add_(1), /a leaf Variable that requires grad is being used in an in-place operation/);
});

test('tensor hooks and retainGrad (golden)', () => {
  const hooks = loadGolden('hooks.json');
  let c = caseOf(hooks, 'tensor_hook_doubles');
  const x = T(c.x).requiresGrad_();
  x.registerHook((g) => g.mul(2));
  x.mul(2).mean().backward();
  assertClose(x.grad, c.expected);
  c = caseOf(hooks, 'non_leaf_hook_retain_grad');
  const x2 = T(c.x).requiresGrad_();
  const y = x2.mul(2);
  y.registerHook((g) => g.mul(3));
  y.retainGrad();
  y.sum().backward();
  assertClose(y.grad, c.expected_y_grad);
  assertClose(x2.grad, c.expected_x_grad);
});

test('tensor hooks: chaining, removal, errors (item 49)', () => {
  const v = f64([0, 0, 0]).requiresGrad_();
  const h = v.registerHook((g) => g.mul(2));
  v.backward(f64([1, 2, 3]));
  assert.deepEqual(v.grad!.tolist(), [2, 4, 6]);
  h.remove();
  h.remove();
  v.grad = null;
  v.backward(f64([1, 1, 1]));
  assert.deepEqual(v.grad!.tolist(), [1, 1, 1]);
  const w = f64([1]).requiresGrad_();
  w.registerHook((g) => g.add(1));
  w.registerHook((g) => g.mul(10));
  w.registerHook(() => undefined);
  w.sum().backward();
  assert.deepEqual(w.grad!.tolist(), [20]);
  assert.throws(() => f64([1]).registerHook((g) => g), /cannot register a hook on a tensor that doesn't require gradient/);
  assert.throws(() => f64([1]).retainGrad(), /can't retain_grad on Tensor that has requires_grad=False/);
  {
    using h2 = w.registerHook((g) => g.mul(0));
    void h2;
  }
  w.grad = null;
  w.sum().backward();
  assert.deepEqual(w.grad!.tolist(), [20]);
});

test('printing is PyTorch-like', () => {
  assert.equal(String(torch.tensor([[1, 2], [3, 4]], { dtype: 'float32', requiresGrad: true })), 'tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)');
  assert.equal(String(torch.tensor([1.5, 2.25])), 'tensor([1.5000, 2.2500])');
  assert.equal(String(ints([1, 2])), 'tensor([1, 2], dtype=torch.int32)');
  assert.equal(String(torch.tensor([1, 2])), 'tensor([1., 2.])');
  assert.equal(String(f64([1, 2]).requiresGrad_().mul(2)), 'tensor([2., 4.], dtype=torch.float64, grad_fn=<MulBackward0>)');
  assert.equal(String(torch.tensor(3.5)), 'tensor(3.5000)');
});

test('reading data: item, tolist, toArray, data()', async () => {
  const x = f64([[1, 2], [3, 4]]);
  assert.equal(x.index(1, 0).item(), 3);
  assert.deepEqual(x.T.tolist(), [[1, 3], [2, 4]]);
  assert.deepEqual([...(await x.data())], [1, 2, 3, 4]);
  assert.throws(() => x.item(), /a Tensor with 4 elements cannot be converted to Scalar/);
});

test('bad input names the function, argument and shapes', () => {
  assert.throws(() => torch.ones([2, 3]).add(torch.ones([4])), (e: Error) => e instanceof torch.ShapeError && /add\(\).*\[2, 3\].*\[4\]/.test(e.message));
  assert.throws(() => torch.ones([2, 3]).reshape(4), /shape '\[4\]' is invalid for input of size 6/);
  assert.throws(() => torch.tensor([1], { dtype: 'float16' as never }), (e: Error) => e instanceof torch.DTypeError && /'float32', 'float64', 'int32', 'bool'/.test(e.message));
  assert.throws(() => ints([1, 2]).requiresGrad_(), /only Tensors of floating point dtype can require gradients/);
  assert.throws(() => torch.ones([2]).sum(3), /Dimension out of range/);
  assert.throws(() => torch.ones([2]).indexSelect(0, torch.ones([1])), /Expected dtype int32 for index/);
  assert.throws(() => torch.ones([3]).add_(torch.ones([2, 3])), /output with shape \[3\] doesn't match the broadcast shape \[2, 3\]/);
});

test('grad(grad(tanh)) through eager createGraph matches PyTorch (golden)', () => {
  const c = caseOf(loadGolden('grad.json'), 'grad_grad_tanh');
  const x = T(c.x).requiresGrad_();
  const [g] = torch.autograd.grad(x.tanh().sum(), x, { createGraph: true });
  const [gg] = torch.autograd.grad(g!.sum(), x);
  assertClose(gg, c.expected);
});

test('max(dim) and maxPool2d send the gradient to the one selected element, as PyTorch', () => {
  const x = torch.zeros([1, 1, 2, 2], { requiresGrad: true });
  torch.maxPool2d(x, 2).sum().backward();
  assert.deepEqual(x.grad!.tolist(), [[[[1, 0], [0, 0]]]]);
  const v = torch.tensor([[1, 3, 3]], { dtype: 'float32', requiresGrad: true });
  v.max(1)[0].sum().backward();
  assert.deepEqual(v.grad!.tolist(), [[0, 1, 0]]);
  const w = torch.tensor([1, 3, 3], { dtype: 'float32', requiresGrad: true });
  w.amax().backward();
  assert.deepEqual(w.grad!.tolist(), [0, 0.5, 0.5]);
});

test('sort, argsort, topk, randperm', () => {
  const x = f64([[3, 1, 2], [0, 5, 4]]);
  const { values, indices } = x.sort(1);
  assert.deepEqual(values.tolist(), [[1, 2, 3], [0, 4, 5]]);
  assert.deepEqual(indices.tolist(), [[1, 2, 0], [0, 2, 1]]);
  assert.deepEqual(x.sort({ dim: 0, descending: true }).values.tolist(), [[3, 5, 4], [0, 1, 2]]);
  assert.deepEqual(torch.argsort(f64([2, NaN, 1])).tolist(), [2, 0, 1]);
  // NaN sorts as the largest value, and equal keys (NaNs included) keep their order; descending puts NaN first.
  assert.deepEqual(torch.argsort(f64([NaN, 1, NaN])).tolist(), [1, 0, 2]);
  assert.deepEqual(torch.argsort(f64([[NaN, 1, NaN], [3, NaN, NaN]]), { dim: 1 }).tolist(), [[1, 0, 2], [0, 1, 2]]);
  assert.deepEqual(torch.argsort(f64([1, NaN, 2]), { descending: true }).tolist(), [1, 2, 0]);
  assert.deepEqual(torch.argsort(f64([NaN, 1, NaN, 2]), { descending: true }).tolist(), [0, 2, 3, 1]);
  assert.deepEqual(torch.argsort(f64([1, 2, 1, 2]), { descending: true }).tolist(), [1, 3, 0, 2]);
  const t = x.topk(2);
  assert.deepEqual(t.values.tolist(), [[3, 2], [5, 4]]);
  assert.deepEqual(t.indices.tolist(), [[0, 2], [1, 2]]);
  assert.deepEqual(x.topk(1, { largest: false, dim: 0 }).values.tolist(), [[0, 1, 2]]);
  assert.throws(() => x.topk(4), /topk\(\): selected index k=4 is out of range/);
  // The gradient of sorted values goes back to where each value came from.
  const w = f64([3, 1, 2]).requiresGrad_();
  w.sort().values.mul(f64([1, 10, 100])).sum().backward();
  assert.deepEqual(w.grad!.tolist(), [100, 1, 10]);
  torch.manualSeed(3);
  const p = torch.randperm(10).tolist() as number[];
  assert.deepEqual([...p].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.notDeepEqual(p, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('a saved tensor overwritten in place is caught at backward, as PyTorch', () => {
  const x = f64([1, 2, 3]).requiresGrad_();
  const y = x.mul(1).exp();
  const z = y.sum();
  y.add_(1);
  assert.throws(() => z.backward(), /one of the variables needed for gradient computation has been modified by an inplace operation: .*is at version 1; expected version 0 instead/);
  // Only what the backward reads is checked: b is not saved for b * 2.
  const a = f64([1, 2]).requiresGrad_();
  const b = a.add(1);
  const c = b.mul(2);
  b.add_(5);
  c.sum().backward();
  assert.deepEqual(a.grad!.tolist(), [2, 2]);
});

test('where with two scalars, maskedFill', () => {
  const c = torch.tensor([true, false]);
  assert.equal(torch.where(c, 1.5, 0).dtype, 'float32');
  assert.deepEqual(torch.where(c, 1.5, 0).tolist(), [1.5, 0]);
  assert.equal(torch.where(c, 1, 0).dtype, 'int32');
  const x = f64([1, 2, 3]);
  assert.deepEqual(x.maskedFill(x.gt(1), -Infinity).tolist(), [1, -Infinity, -Infinity]);
  x.maskedFill_(x.lt(2), 0);
  assert.deepEqual(x.tolist(), [0, 2, 3]);
});

test('a disposed tensor gives a clear error', () => {
  const x = torch.ones([2]);
  {
    using y = x.mul(2);
    assert.deepEqual(y.tolist(), [2, 2]);
  }
  const z = x.add(1);
  z.dispose();
  assert.throws(() => z.add(1), /this tensor was disposed/);
  assert.throws(() => z.tolist(), /disposed/);
});

test('a view made stale by a write through another view takes its history anew', () => {
  const a = f64([1, 2, 3]).requiresGrad_();
  const b = a.mul(1);
  const v2 = b.index(':2');
  b.index(0).mul_(3);
  v2.sum().backward();
  assert.deepEqual(a.grad!.tolist(), [3, 1, 0]);
});
