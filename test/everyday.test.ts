// Everyday names: constants, diag / diagonal / diagEmbed (values, grad, vmap against loops),
// isclose / allclose / equal against PyTorch's formula, iteration over the first dim, and
// torch.save / torch.load round trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';

const { func } = torch;
const f64 = (x: torch.NestedList) => torch.tensor(x, { dtype: 'float64' });

test('constants', () => {
  assert.equal(torch.pi, Math.PI);
  assert.equal(torch.e, Math.E);
  assert.equal(torch.inf, Infinity);
  assert.ok(Number.isNaN(torch.nan));
});

test('diag, diagonal, diagEmbed against hand-computed values', () => {
  const m = torch.tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(torch.diag(m).tolist(), [1, 5]);
  assert.deepEqual(torch.diag(m, 1).tolist(), [2, 6]);
  assert.deepEqual(torch.diag(m, 2).tolist(), [3]);
  assert.deepEqual(torch.diag(m, -1).tolist(), [4]);
  assert.deepEqual(torch.diag(m, 3).shape, [0]);
  assert.deepEqual(m.diag(-1).tolist(), [4]);
  assert.deepEqual(torch.diag(torch.tensor([1, 2])).tolist(), [[1, 0], [0, 2]]);
  assert.deepEqual(torch.diag(torch.tensor([1, 2]), 1).tolist(), [[0, 1, 0], [0, 0, 2], [0, 0, 0]]);
  assert.deepEqual(torch.diag(torch.tensor([1, 2]), -1).tolist(), [[0, 0, 0], [1, 0, 0], [0, 2, 0]]);
  assert.throws(() => torch.diag(torch.zeros([2, 2, 2])), /Supports 1D or 2D tensors. Got 3D/);

  const x = torch.arange(24).reshape(2, 3, 4); // x[a, b, c] = 12a + 4b + c
  assert.deepEqual(torch.diagonal(x).tolist(), [[0, 16], [1, 17], [2, 18], [3, 19]]); // dims 0, 1
  assert.deepEqual(x.diagonal(1, 1, 2).tolist(), [[1, 6, 11], [13, 18, 23]]);
  assert.deepEqual(x.diagonal(-1, -1, -2).tolist(), [[1, 6, 11], [13, 18, 23]]); // swapped dims flip the offset
  assert.deepEqual(x.diagonal(0, 2, 0).tolist(), [[0, 13], [4, 17], [8, 21]]);
  assert.throws(() => x.diagonal(0, 1, 1), /cannot be identical/);

  const v = torch.tensor([[1, 2], [3, 4]]);
  assert.deepEqual(torch.diagEmbed(v).tolist(), [[[1, 0], [0, 2]], [[3, 0], [0, 4]]]);
  assert.deepEqual(torch.diagEmbed(v, 1).shape, [2, 3, 3]);
  assert.deepEqual(torch.diagEmbed(v, 0, 0, 2).tolist(), [[[1, 0], [3, 0]], [[0, 2], [0, 4]]]); // out[i, b, j] = v[b, i] if i == j
  // diagonal undoes diagEmbed, for any offset
  for (const k of [-2, 0, 1]) assert.deepEqual(torch.diagEmbed(v, k).diagonal(k, -2, -1).tolist(), v.tolist());
  // inf on the diagonal stays inf and the off-diagonal stays 0 (no 0 * inf)
  assert.deepEqual(torch.diagEmbed(torch.tensor([Infinity, 1])).tolist(), [[Infinity, 0], [0, 1]]);
});

test('diagonal / diagEmbed / diag under grad and vmap agree with loops', () => {
  torch.manualSeed(0);
  const a = torch.randn([3, 4], { dtype: 'float64' });
  const w3 = torch.randn([3], { dtype: 'float64' });
  const g3 = func.grad((t: Tensor) => torch.diagonal(t, 1).mul(w3).sum())(a);
  assert.ok(torch.allclose(g3, torch.diagEmbed(w3, 1).index(':3')));
  // eager backward gives the same
  const ae = a.clone().requiresGrad_();
  torch.diagonal(ae, 1).mul(w3).sum().backward();
  assert.ok(torch.allclose(ae.grad!, g3));
  // grad through diagEmbed: d/dx sum(M * diagEmbed(x)) = diagonal(M)
  const M = torch.randn([4, 4], { dtype: 'float64' });
  const x = torch.randn([4], { dtype: 'float64' });
  assert.ok(torch.allclose(func.grad((t: Tensor) => torch.diagEmbed(t).mul(M).sum())(x), torch.diagonal(M)));
  // jvp of diag is diag of the tangent (linear)
  const [, tan] = func.jvp((t: Tensor) => torch.diag(t, -1), [x], [w3.index(':1').expand(4).clone()]);
  assert.ok(torch.allclose(tan, torch.diag(w3.index(':1').expand(4).clone(), -1)));
  // vmap against a loop, for each op, over a non-leading batch dim too
  const B = torch.randn([5, 3, 4], { dtype: 'float64' });
  const loop = (f: (t: Tensor) => Tensor, xs: Tensor) => torch.stack([...xs].map(f));
  const cases: [string, (t: Tensor) => Tensor][] = [
    ['diag', (t) => torch.diag(t, 1)],
    ['diagonal', (t) => torch.diagonal(t, -1)],
    ['diagEmbed', (t) => torch.diagEmbed(t, 1, 0, 2)],
  ];
  for (const [name, f] of cases) {
    assert.ok(torch.allclose(func.vmap(f)(B), loop(f, B)), name);
    assert.ok(torch.allclose(func.vmap(f, { inDims: 1 })(B.movedim(0, 1)), loop(f, B)), `${name} in_dims=1`);
  }
  const vecs = torch.randn([5, 3], { dtype: 'float64' });
  assert.ok(torch.allclose(func.vmap((t: Tensor) => torch.diag(t))(vecs), loop((t) => torch.diag(t), vecs)));
  // per-example gradients through diagonal
  const pe = func.vmap(func.grad((t: Tensor) => torch.diagonal(t).pow(2).sum()))(B);
  assert.ok(torch.allclose(pe, loop((t) => func.grad((u: Tensor) => torch.diagonal(u).pow(2).sum())(t), B)));
});

test('isclose / allclose follow |a - b| <= atol + rtol * |b|, with NaN and inf rules', () => {
  const a = [1, 1 + 1e-6, 1 + 1e-4, 0, 1e-9, NaN, NaN, Infinity, Infinity, -Infinity, 1, 100];
  const b = [1, 1, 1, 1e-9, 0, NaN, 1, Infinity, -Infinity, -Infinity, Infinity, 100.001];
  const formula = (rtol: number, atol: number, equalNan: boolean) =>
    a.map((x, i) => {
      const y = b[i]!;
      if (x === y) return true;
      if (Number.isNaN(x) && Number.isNaN(y)) return equalNan;
      if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
      return Math.abs(x - y) <= atol + rtol * Math.abs(y);
    });
  for (const [rtol, atol, equalNan] of [[1e-5, 1e-8, false], [1e-5, 1e-8, true], [0, 0, false], [1e-3, 0, false], [0, 1e-3, true]] as const) {
    const got = torch.isclose(f64(a), f64(b), { rtol, atol, equalNan }).tolist();
    assert.deepEqual(got, formula(rtol, atol, equalNan), `rtol=${rtol} atol=${atol} equalNan=${equalNan}`);
  }
  assert.equal(torch.isclose(f64(a), f64(b)).dtype, 'bool');
  // asymmetric: b is the reference
  assert.deepEqual(torch.isclose(f64([0]), f64([1e-8 * 1.5]), { rtol: 0.5, atol: 0 }).tolist(), [false]);
  assert.equal(torch.allclose(f64([1, 2]), f64([1, 2 + 1e-7])), true);
  assert.equal(torch.allclose(f64([1, NaN]), f64([1, NaN])), false);
  assert.equal(torch.allclose(f64([1, NaN]), f64([1, NaN]), { equalNan: true }), true);
  assert.equal(f64([1, 2]).allclose(f64([1, 3])), false);
  assert.deepEqual(f64([1, 2]).isclose(f64([1, 3])).tolist(), [true, false]);
  // broadcasting, integer tensors
  assert.deepEqual(torch.isclose(f64([[1], [2]]), f64([1, 2])).tolist(), [[true, false], [false, true]]);
  const i = torch.tensor([1, 2, 3], { dtype: 'int32' });
  assert.deepEqual(torch.isclose(i, torch.tensor([1, 3, 3], { dtype: 'int32' }), { atol: 1 }).tolist(), [true, true, true]);
  assert.throws(() => torch.isclose(f64([1]), torch.tensor([1])), /float64 did not match float32/);
  assert.throws(() => torch.isclose(f64([1]), f64([1]), { rtol: -1 }), /rtol/);
  // equal
  assert.equal(torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2])), true);
  assert.equal(torch.tensor([1, 2]).equal(torch.tensor([1, 3])), false);
  assert.equal(torch.equal(torch.tensor([1, 2]), torch.tensor([[1, 2]])), false);
  assert.equal(torch.equal(f64([NaN]), f64([NaN])), false);
});

test('iterating a tensor walks its first dim; a 0-d tensor is a TypeError', () => {
  const m = torch.tensor([[1, 2], [3, 4], [5, 6]]);
  const rows = [...m];
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((r) => r.tolist()), [[1, 2], [3, 4], [5, 6]]);
  const items: number[] = [];
  for (const v of torch.tensor([7, 8])) items.push(v.item());
  assert.deepEqual(items, [7, 8]);
  assert.deepEqual([...torch.zeros([0, 2])], []);
  assert.throws(() => [...torch.tensor(1)], (e: Error) => e instanceof torch.TorchTypeError && e.name === 'TypeError' && e.message === 'iteration over a 0-d tensor');
  // rows keep autograd
  const w = torch.ones([2, 2]).requiresGrad_();
  let s = torch.tensor(0);
  for (const [i, r] of [...w].entries()) s = s.add(r.sum().mul(i + 1));
  s.backward();
  assert.deepEqual(w.grad!.tolist(), [[1, 1], [2, 2]]);
});

test('torch.save / torch.load round trip (file and bytes), safetensors underneath', () => {
  torch.manualSeed(1);
  const model = new torch.nn.Linear(3, 2);
  const sd = model.stateDict();
  const extra = { ...sd, steps: torch.tensor([5], { dtype: 'int32' }), mask: torch.tensor([true, false]), d: f64([1.5]) };
  const dir = mkdtempSync(join(tmpdir(), 'torchfn-save-'));
  try {
    const path = join(dir, 'model.safetensors');
    torch.save(extra, path);
    const back = torch.load(path);
    assert.deepEqual(Object.keys(back).sort(), Object.keys(extra).sort());
    for (const [k, v] of Object.entries(extra)) {
      assert.equal(back[k]!.dtype, v.dtype, k);
      assert.ok(torch.equal(back[k]!, v), k);
    }
    const model2 = new torch.nn.Linear(3, 2);
    torch.save(sd, path);
    model2.loadStateDict(torch.load(path));
    const x = torch.randn([4, 3]);
    assert.ok(torch.equal(model2.call(x), model.call(x)));
    const bytes = torch.save(sd);
    assert.ok(bytes instanceof Uint8Array);
    assert.deepEqual(torch.safetensors.load(bytes).weight!.tolist(), sd.weight!.tolist());
    assert.ok(torch.equal(torch.load(bytes).bias!, sd.bias!));
    assert.ok(torch.equal(torch.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).bias!, sd.bias!));
    assert.ok(torch.equal(torch.load(torch.save(new Map([['a', f64([1, 2])]]))).a!, f64([1, 2])));
    assert.throws(() => torch.save({ a: 1 } as never), /only tensors/);
    assert.throws(() => torch.save(torch.ones([1]) as never), /Tensor/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('vmap errors print the in_dims value', () => {
  const x = torch.ones([2, 3]);
  assert.throws(() => func.vmap((t: Tensor) => t, { inDims: 3 })(x), (e: Error) => e.message.includes('in_dims=3,') && !e.message.includes('in_dims=number'));
  assert.throws(() => func.vmap((a: Tensor, b: Tensor) => a.add(b), { inDims: [0, 5] })(x, x), /in_dims=\[0, 5\]/);
});
