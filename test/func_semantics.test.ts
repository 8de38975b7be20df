// torch.func semantics item by item (../shared/PYTORCH_SEMANTICS.md sections 1-4, 6): examples,
// error texts, composition, and the proof that vmap adds no per-example loops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { T, assertClose, caseOf, loadGolden } from './support/golden.js';
import { throwsExactly } from './support/throws.js';

const { func } = torch;
type Tn = torch.Tensor;
const f64 = (x: torch.NestedArray) => torch.tensor(x, { dtype: 'float64' });
const close = (a: Tn, b: unknown, tol = 1e-9) => {
  const x = a.toArray();
  const y = (b instanceof torch.Tensor ? b.toArray() : Float64Array.from((b as number[]).flat(4) as number[]));
  assert.equal(x.length, y.length, 'length');
  x.forEach((v, i) => assert.ok(Math.abs(v - y[i]!) <= tol * Math.max(1, Math.abs(y[i]!)), `[${i}] ${v} vs ${y[i]}`));
};

test('vmap examples (item 15) and negative dims, out_dims', () => {
  close(func.vmap(torch.dot)(f64([[1, 2], [3, 4]]), f64([[5, 6], [7, 8]])), [17, 53]);
  close(func.vmap(torch.mul, { inDims: [0, null] })(f64([[1, 2], [3, 4]]), f64([10, 20])), [[10, 40], [30, 80]]);
  close(func.vmap((d: { x: Tn; y: Tn }) => d.x.mul(d.y), { inDims: [{ x: 0, y: null }] })({ x: f64([1, 2, 3]), y: f64(10) }), [10, 20, 30]);
  close(func.vmap((x: Tn) => x.sum(), { inDims: -1 })(f64([[1, 2, 3], [4, 5, 6]])), [5, 7, 9]);
  close(func.vmap((x: Tn) => x.mul(2), { outDims: 1 })(torch.arange(6).reshape(2, 3).double()), [[0, 6], [2, 8], [4, 10]]);
  // Unbatched outputs are expanded along the batch dim.
  close(func.vmap((_x: Tn) => f64(3.14))(torch.ones([3])), [3.14, 3.14, 3.14]);
  // Nested: outer [1,2] by inner [1,10,100].
  const r = func.vmap((x: Tn) => func.vmap((y: Tn) => x.mul(y))(f64([1, 10, 100])))(f64([1, 2]));
  close(r, [[1, 10, 100], [2, 20, 200]]);
});

test('vmap errors carry PyTorch wording', () => {
  const g = (x: Tn, y: Tn) => x.add(y);
  assert.throws(() => func.vmap(g)(torch.ones([2]), torch.ones([3])), /Expected all tensors to have the same size in the mapped dimension, got sizes \[2, 3\] for the mapped dimension/);
  assert.throws(() => func.vmap((x: Tn) => x, { inDims: 2 })(torch.ones([2, 2])), /Got in_dim=2 for some input, but that input is a Tensor of dimensionality 2 so expected in_dim to satisfy -2 <= in_dim < 2/);
  assert.throws(() => func.vmap(g, { inDims: [0] })(torch.ones([2]), torch.ones([2])), /in_dims is not compatible with the structure of `inputs`/);
  assert.throws(() => func.vmap((x: number) => x)(1 as never), /Got in_dim=0 for an input but the input is of type number. We cannot vmap over non-Tensor arguments/);
  assert.throws(() => func.vmap((x: Tn) => x, { inDims: null })(torch.ones([2])), /Expected at least one Tensor to vmap over/);
  assert.throws(() => func.vmap(() => torch.ones([1]))(), /got no inputs/);
  assert.throws(() => func.vmap((_x: Tn) => 1.5)(torch.ones([2])), /must only return Tensors, got type number/);
  assert.throws(() => func.vmap((x: Tn) => x, { chunkSize: 0 }), /vmap: chunk_size should be None or greater than 0. \(got 0\)/);
  assert.throws(() => func.vmap((x: Tn) => x, { randomness: 'foo' as never }), /Only allowed values for randomness are 'error', 'different', or 'same'. Got foo/);
  assert.throws(() => func.vmap((x: Tn) => x, { outDims: null })(torch.ones([2])), /can not return a BatchedTensor when out_dim is None/);
  assert.throws(() => func.vmap((x: Tn) => x, { outDims: 3 })(torch.ones([2])), /Dimension out of range/);
});

test('vmap: data-dependent code and item() are errors', () => {
  assert.throws(() => func.vmap((x: Tn) => f64(x.item()))(torch.ones([2])), /vmap: It looks like you're calling .item\(\) on a Tensor/);
  assert.throws(() => func.vmap((x: Tn) => ((x.sum() as unknown as number) > 0 ? x : x.neg()))(torch.ones([2, 2])), /data-dependent control flow/);
  // Outside vmap a one-element tensor compares like a number.
  assert.ok((torch.tensor(2) as unknown as number) > 1);
});

test('vmap randomness modes', () => {
  assert.throws(() => func.vmap((x: Tn) => x.add(torch.randn([2])))(torch.ones([3, 2])), /vmap: called random operation while in randomness error mode/);
  torch.manualSeed(0);
  const same = func.vmap((x: Tn) => x.add(torch.randn([2])), { randomness: 'same' })(torch.zeros([3, 2]));
  const rows = same.tolist() as number[][];
  assert.deepEqual(rows[0], rows[1]);
  assert.deepEqual(rows[1], rows[2]);
  const diff = func.vmap((x: Tn) => x.add(torch.randn([2])), { randomness: 'different' })(torch.zeros([3, 2]));
  const d = diff.tolist() as number[][];
  assert.notDeepEqual(d[0], d[1]);
});

test('vmap: an in-place write of an unbatched value into an input batched along dim 1 writes every column', () => {
  const xs = torch.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
  const out = func.vmap((x: Tn) => x.add_(f64([10, 20])), { inDims: 1 })(xs);
  close(xs, [[11, 12, 13], [24, 25, 26]]);
  close(out, [[11, 24], [12, 25], [13, 26]]);
  // copy_ of an unbatched value: the written value itself is not batched.
  const ys = torch.zeros([2, 3], { dtype: 'float64' });
  func.vmap((y: Tn) => y.copy_(f64([10, 20])), { inDims: 1 })(ys);
  close(ys, [[10, 10, 10], [20, 20, 20]]);
});

test('vmap: in-place on batched self works; unbatched self with batched other fails', () => {
  const x = torch.zeros([3, 1]);
  func.vmap((r: Tn) => r.add_(1))(x);
  close(x, [[1], [1], [1]]);
  const z = torch.zeros([3]);
  assert.throws(() => func.vmap((y: Tn) => z.copy_(y))(torch.ones([2, 3])), /vmap: inplace arithmetic|is not possible because there exists a Tensor `other`/);
});

test('vmap chunkSize joins each output along its own out dim: 1, -1, a list with None, an object', () => {
  const x = f64([[1, 2], [3, 4], [5, 6]]); // three samples of shape [2]
  const doubledT = [[2, 6, 10], [4, 8, 12]]; // the batch dim last
  for (const chunkSize of [1, 2]) {
    close(func.vmap((r: Tn) => r.mul(2), { outDims: 1, chunkSize })(x), doubledT);
    close(func.vmap((r: Tn) => r.mul(2), { outDims: -1, chunkSize })(x), doubledT);
    const [a, b, c] = func.vmap((r: Tn) => [r.mul(2), r.sum(), f64([7])], { outDims: [1, 0, null], chunkSize })(x) as Tn[];
    close(a!, doubledT);
    close(b!, [3, 7, 11]);
    close(c!, [7]);
    const o = func.vmap((r: Tn) => ({ t: r.mul(2), s: r.sum() }), { outDims: { t: -1, s: 0 }, chunkSize } as never)(x) as { t: Tn; s: Tn };
    close(o.t, doubledT);
    close(o.s, [3, 7, 11]);
  }
});

test('vmap chunkSize equals unchunked, also with oversized chunks', () => {
  const x = torch.randn([5, 3], { dtype: 'float64' });
  const f = (v: Tn) => v.exp().sum(0);
  const a = func.vmap(f)(x);
  close(func.vmap(f, { chunkSize: 2 })(x), a);
  close(func.vmap(f, { chunkSize: 10 })(x), a);
});

test('no hidden loops: vmap over matmul, conv-like unfold, elementwise, reductions is one kernel call each', () => {
  const A = torch.randn([64, 8, 8]);
  const B = torch.randn([64, 8, 8]);
  const [, calls] = torch.countKernels(() => func.vmap((a: Tn, b: Tn) => a.matmul(b).tanh().sum(-1))(A, B));
  assert.equal(calls.get('matmul'), 1);
  assert.equal(calls.get('tanh'), 1);
  assert.equal(calls.get('sum'), 1);
  const [, c2] = torch.countKernels(() => func.vmap((a: Tn) => a.exp().mean())(torch.randn([100, 4])));
  assert.equal(c2.get('exp'), 1);
});

test('grad semantics (items 17-25)', () => {
  assert.throws(() => func.grad((x: Tn) => x.sum().reshape(1))(f64([1, 2])), /grad_and_value\(f\)\(\*args\): Expected f\(\*args\) to return a scalar Tensor, got tensor with 1 dims/);
  // @ts-expect-error: the types already reject an f that returns no Tensor
  assert.throws(() => func.grad((_x: Tn) => 1.5)(f64([1])), /Expected f\(\*args\) to return a Tensor, got number/);
  assert.throws(() => func.grad((x: Tn, _y: Tn) => x.sum(), { argnums: 2 })(f64([1]), f64([1])), /Got argnum=2, but only 2 positional inputs/);
  assert.throws(() => func.grad((x: Tn) => x.sum(), { argnums: [0, 0] })(f64([1])), /argnums elements must be unique, got \(0, 0\)/);
  assert.throws(() => func.grad((x: Tn) => x.sum(), { argnums: [] })(f64([1])), /argnums must be non-empty/);
  // @ts-expect-error: the types already reject an f that returns no [output, aux] pair
  assert.throws(() => func.grad((x: Tn) => [x.sum(), x, x], { hasAux: true })(f64([1])), /output of function f should be a tuple: \(output, aux\) if has_aux is True/);
  assert.throws(() => func.grad((x: Tn) => [x.sum(), 1], { hasAux: true })(f64([1])), /Expected tensors, got unsupported type number/);
  assert.throws(() => func.grad((x: Tn) => x)(1.5 as never), /Thing passed to transform API must be Tensor, got number/);
  // x³ at 2: 12, and its second derivative 6x = 12.
  close(func.grad((x: Tn) => x.pow(3))(f64(2)), [12]);
  close(func.grad(func.grad((x: Tn) => x.pow(3)))(f64(2)), [12]);
  const [ga, gb] = func.grad((a: Tn, b: Tn) => a.mul(b), { argnums: [0, 1] })(f64(3), f64(4));
  close(ga, [4]);
  close(gb, [3]);
  // no_grad inside f is respected; outside grad it is ignored.
  const h = (x: Tn) => x.pow(2).sub(torch.noGrad(() => x.pow(2)));
  close(func.grad(h)(f64(3)), [6]);
  close(torch.noGrad(() => func.grad(h)(f64(3))), [6]);
  // Unused inputs get zeros.
  close(func.grad((x: Tn, _y: Tn) => x.sum(), { argnums: 1 })(f64([1]), f64([1, 2])), [0, 0]);
});

test('vjp / jvp errors and examples (items 26-30)', () => {
  const [out, vjpFn] = func.vjp((x: Tn) => x.sin(), f64([0, Math.PI / 2]));
  close(out, [0, 1]);
  close(vjpFn(torch.ones([2], { dtype: 'float64' }))[0]!, [1, Math.cos(Math.PI / 2)]);
  const [, fn2] = func.vjp((x: Tn, y: Tn) => [x.mul(y), x.add(y)], f64([1, 2]), f64([3, 4]));
  const [gx, gy] = fn2([torch.ones([2], { dtype: 'float64' }), torch.ones([2], { dtype: 'float64' })]);
  close(gx!, [4, 5]);
  close(gy!, [2, 3]);
  // @ts-expect-error: the types already reject a cotangent not shaped like the output
  assert.throws(() => fn2(torch.ones([2], { dtype: 'float64' })), /Expected pytree structure of cotangents to be the same as pytree structure of outputs/);
  assert.throws(() => func.vjp((x: Tn) => x.int(), f64([1])), /All outputs of f must be floating-point or complex Tensors/);
  assert.throws(() => func.vjp((_x: Tn) => [], f64([1])), /Expected f to be a function that has non-empty output/);
  const [p, t] = func.jvp((x: Tn) => x.pow(2), [f64([1, 2, 3])], [torch.ones([3], { dtype: 'float64' })]);
  close(p, [1, 4, 9]);
  close(t, [2, 4, 6]);
  const [p2, t2, aux] = func.jvp((x: Tn) => [x.mul(3), x.add(1)], [f64([1, 2])], [f64([1, 0])], { hasAux: true });
  close(p2, [3, 6]);
  close(t2, [3, 0]);
  close(aux, [2, 3]);
  assert.throws(() => func.jvp((x: Tn) => x, f64([1]) as never, [f64([1])]), /Expected primals to be a tuple/);
  assert.throws(() => func.jvp((_x: Tn) => f64([1]), [f64([1])], [f64([1])], { strict: true }), /The output of f is independent of the inputs/);
  close(func.jvp((_x: Tn) => f64([1]), [f64([1])], [f64([1])])[1], [0]);
  const [, lin] = func.linearize((x: Tn) => x.sin(), torch.zeros([3], { dtype: 'float64' }));
  close(lin(torch.full([3], 2, { dtype: 'float64' })) as Tn, [2, 2, 2]);
  assert.throws(() => lin(torch.ones([4], { dtype: 'float64' })), /tangent:0 with shape \[4\] in flattened pytree doesn't match the shape \[3\]/);
  assert.throws(() => (lin as (...t: Tn[]) => Tn)(f64([1, 1, 1]), f64([1, 1, 1])), /^ValueError: linearize: Expected tangents to have the same structure as primals$/);
});

test('vmap: each malformed call names the function and writes in_dims / out_dims and structures as given', () => {
  const x = f64([1, 2, 3]);
  const y = f64([[1, 2], [3, 4]]);
  const id = (a: unknown) => a;
  const incompatible = (f: string, dims: string, dimsTree: string, inputsTree: string) =>
    `vmap(${f}, in_dims=${dims}, ...)(<inputs>): in_dims is not compatible with the structure of \`inputs\`. in_dims has structure ${dimsTree} but inputs has structure ${inputsTree}.`;
  function named(a: Tn) {
    return a;
  }
  throwsExactly(() => func.vmap(named, { inDims: [0, 1] })(x), 'ValueError', incompatible('named', '[0, 1]', '[number, number]', '[Tensor]'));
  throwsExactly(() => func.vmap(id, { inDims: [{ a: 0, b: null }] } as never)({ a: x, c: y }), 'ValueError', incompatible('id', '[{a: 0, b: null}]', '[{a: number, b: null}]', '[{a: Tensor, c: Tensor}]'));
  throwsExactly(() => func.vmap(id, { inDims: [new Map([['k', 0]])] } as never)(new Map([['k', x], ['j', y]])), 'ValueError', incompatible('id', '[Map{k: 0}]', '[Map{k: number}]', '[Map{k: Tensor, j: Tensor}]'));
  throwsExactly(() => func.vmap(id, { inDims: [new Map([['k', 0], ['j', 1]])] } as never)(new Map([['k', x]])), 'ValueError', incompatible('id', '[Map{k: 0, j: 1}]', '[Map{k: number, j: number}]', '[Map{k: Tensor}]'));
  throwsExactly(() => func.vmap((a: Tn, _b: Tn, _c: Tn) => a, { inDims: [undefined, 0] } as never)(x, x, x), 'ValueError', incompatible('f', '[null, 0]', '[null, number]', '[Tensor, Tensor, Tensor]'));
  throwsExactly(() => func.vmap(id, { inDims: ['a'] } as never)(x), 'ValueError', 'vmap(id, in_dims=["a"], ...)(<inputs>): in_dims must be int or None, got a');
  throwsExactly(() => func.vmap(id, { inDims: [true] } as never)(x), 'ValueError', 'vmap(id, in_dims=[true], ...)(<inputs>): in_dims must be int or None, got true');
  throwsExactly(() => func.vmap(id, { inDims: { a: 0 } } as never)(x), 'ValueError', 'vmap(id, in_dims={a: 0}, ...)(<inputs>): expected `in_dims` to be int or a (potentially nested) tuple matching the structure of inputs, got: {a: 0}.');
  // out_dims: structure, non-tensor outputs, non-integer and out-of-range dims, None for a batched output.
  throwsExactly(() => func.vmap((a: Tn) => [a, a], { outDims: [0, 0, 0] })(x), 'ValueError', 'vmap(f, ..., out_dims=[0, 0, 0])(<inputs>): out_dims is not compatible with the structure of `outputs`. out_dims has structure [number, number, number] but outputs has structure [Tensor, Tensor].');
  for (const [v, t] of [[3, 'number'], [null, 'null']] as const) {
    throwsExactly(() => func.vmap((a: Tn) => [a, v])(x), 'ValueError', `vmap(f, ...): \`f\` must only return Tensors, got type ${t}. Did you mean to set out_dims= to None for output?`);
  }
  for (const d of [1.5, Infinity]) {
    throwsExactly(() => func.vmap(id, { outDims: d })(x), 'ValueError', `vmap(id, ..., out_dims=${d}): \`out_dims\` must be an int, None or a python collection of ints representing where in the outputs the vmapped dimension should appear.`);
  }
  for (const d of [2, -3]) {
    throwsExactly(() => func.vmap(id, { outDims: d })(y), 'IndexError', `vmap(id, ...): Dimension out of range (expected to be in range of [-2, 1], but got ${d})`);
  }
  throwsExactly(() => func.vmap((a: Tn) => a.mul(2), { outDims: null })(x), 'ValueError', 'vmap(f, ...): `f` can not return a BatchedTensor when out_dim is None');
  // out_dims None returns an unbatched output as it is; -2 puts the batch dim first of [B, 2].
  const [doubled, same] = func.vmap((a: Tn) => [a.mul(2), f64([5, 6])], { outDims: [-2, null] })(y) as [Tn, Tn];
  close(doubled, [[2, 4], [6, 8]]);
  assert.deepEqual(same.shape, [2]);
  close(same, [5, 6]);
});

test('a tensor that escaped a finished transform detaches to a plain tensor with its values', () => {
  let leaked: Tn | undefined;
  func.grad((x: Tn) => (leaked = x.mul(2)).sum())(f64([1, 2]));
  const d = leaked!.detach();
  close(d, [2, 4]);
  assert.equal(d.requiresGrad, false);
  // It enters a new transform as a constant: d(y·d)/dy = d.
  close(func.grad((y: Tn) => y.mul(d).sum())(f64([0, 0])), [2, 4]);
  close(func.vmap((y: Tn) => y.mul(d))(f64([[1, 1], [3, 3]])), [[2, 4], [6, 12]]);
});

test('jvp: each malformed call names itself and what was wrong', () => {
  const x = f64([1, 2]);
  const id = (a: Tn) => a;
  const fn = '^ValueError: jvp\\(f, primals, tangents\\): ';
  const msg = (m: string) => new RegExp(fn + m);
  assert.throws(() => func.jvp(id, [x], [x], { bogus: 1 } as never), /^ValueError: jvp\(\): unknown option 'bogus'/);
  assert.throws(() => func.jvp(id, [1] as never, [1] as never), msg('Expected primals to be a tuple of tensors, got number$'));
  assert.throws(() => func.jvp(id, [null] as never, [null] as never), msg('Expected primals to be a tuple of tensors, got null$'));
  assert.throws(() => func.jvp(id, [x], ['t'] as never), msg('Expected tangents to be a tuple of tensors, got string$'));
  assert.throws(() => func.jvp(id, [x], x as never), msg('Expected tangents to be a tuple\\. E\\.g\\. it should be valid to call f\\(\\*tangents\\)\\.$'));
  assert.throws(() => func.jvp(torch.add, [x, x], [x] as never), msg('Expected primals and tangents to have the same python structure\\..* Got primals with structure 2 leaves and tangents with 1$'));
  assert.throws(() => func.jvp(id, [x], [f64([1, 2, 3])]), msg('Expected primals and tangents to have the same shape: primal 0 has shape \\[2\\] and tangent 0 has shape \\[3\\]$'));
  assert.throws(() => func.jvp((() => 1) as never, [x], [x]), msg('Expected f\\(\\*primals\\) to return only tensors, got unsupported type number$'));
});

test('jacobian examples (items 32-34) and chunk sizes', () => {
  close(func.jacrev((x: Tn) => x.sin())(f64([1, 2, 3])), [[Math.cos(1), 0, 0], [0, Math.cos(2), 0], [0, 0, Math.cos(3)]]);
  const j = func.jacrev((x: Tn) => torch.stack([x.sum(), x.pow(2).sum()]))(f64([1, 2, 3]));
  close(j, [[1, 1, 1], [2, 4, 6]]);
  const [ja, jb] = func.jacrev((a: Tn, b: Tn) => a.mul(b), { argnums: [0, 1] })(f64([1, 2]), f64([3, 4]));
  close(ja, [[3, 0], [0, 4]]);
  close(jb, [[1, 0], [0, 2]]);
  close(func.hessian((x: Tn) => x.pow(3).sum())(f64([1, 2])), [[6, 0], [0, 12]]);
  assert.deepEqual(func.hessian((x: Tn) => x.sin())(f64([1, 2, 3])).shape, [3, 3, 3]);
  assert.deepEqual(func.jacrev((x: Tn) => x.mul(2))(torch.ones([2, 3])).shape, [2, 3, 2, 3]);
  const x = torch.randn([4], { dtype: 'float64' });
  const f = (v: Tn) => v.sin().mul(v.sum());
  const full = func.jacrev(f)(x);
  for (const chunkSize of [1, 3, 4, 10]) close(func.jacrev(f, { chunkSize })(x), full);
  assert.throws(() => func.jacrev(f, { chunkSize: 0 }), /jacrev: `chunk_size` should be greater than 0./);
  close(func.jacfwd(f)(x), full);
  // ((0, I), (I, 0)) for sum(x*y).
  const H = func.hessian((a: Tn, b: Tn) => a.mul(b).sum(), { argnums: [0, 1] })(f64([1, 2]), f64([3, 4])) as Tn[][];
  close(H[0]![0]!, [[0, 0], [0, 0]]);
  close(H[0]![1]!, [[1, 0], [0, 1]]);
});

test('composition: vmap(jacrev), jacrev(jacfwd), vmap(vmap), grad(vmap)', () => {
  const x = torch.randn([3, 4], { dtype: 'float64' });
  const f = (v: Tn) => v.tanh().mul(v.sum());
  const batched = func.vmap(func.jacrev(f))(x);
  x.unbind(0).forEach((row, i) => close(batched.select(0, i), func.jacrev(f)(row)));
  close(func.jacrev(func.jacfwd(f))(x.select(0, 0)), func.hessian(f)(x.select(0, 0)));
  const g = func.grad((w: Tn) => func.vmap((r: Tn) => r.mul(w).sum())(x).pow(2).sum())(torch.ones([4], { dtype: 'float64' }));
  // d/dw sum_i (x_i . w)^2 = 2 sum_i (x_i . w) x_i
  const s = x.sum(1);
  close(g, x.mul(s.unsqueeze(1)).sum(0).mul(2));
});

test('eager autograd mixes with transforms: backward through a vmap output', () => {
  const w = torch.randn([4], { dtype: 'float64', requiresGrad: true });
  const xs = torch.randn([5, 4], { dtype: 'float64' });
  const out = func.vmap((x: Tn) => x.mul(w).sum().tanh())(xs);
  out.sum().backward();
  const w2 = w.detach().requiresGrad_();
  xs.mul(w2).sum(1).tanh().sum().backward();
  close(w.grad!, w2.grad!);
});

test('functionalize golden case and remove modes', () => {
  const c = caseOf(loadGolden('functionalize.json'), 'inplace_and_view');
  const x = T(c.x);
  const f = (v: Tn) => {
    v.add_(1);
    const y = v.view(-1);
    y.mul_(2);
    return y.mul(1);
  };
  assertClose(func.functionalize(f)(x), c.expected);
  assertClose(x, c.expected_x_after);
  const z = torch.zeros([2, 2]);
  const r = func.functionalize((a: Tn) => (a.view(-1).add_(1), a), { remove: 'mutationsAndViews' })(z);
  close(r, [[1, 1], [1, 1]]);
  close(z, [[1, 1], [1, 1]]);
  assert.throws(() => func.functionalize((a: Tn) => a, { remove: 'x' as never }), /received invalid argument for remove=x/);
  assert.throws(() => func.functionalize((a: Tn) => a, { bogus: 1 } as never), /^ValueError: functionalize\(\): unknown option 'bogus'/);
  // grad through functionalize with a write into a view of an intermediate.
  const g = func.grad(func.functionalize((a: Tn) => {
    const b = a.mul(1);
    b.index(0).mul_(3);
    return b.pow(2).sum();
  }))(f64([1, 2, 3]));
  close(g, [18, 4, 6]);
});

test('dynamic shapes, retainGrad and in-place randomness under transforms (items 12, 14, 24)', () => {
  assert.deepEqual(torch.nonzero(torch.tensor([0, 3, 0, 5])).tolist(), [[1], [3]]);
  assert.throws(() => func.vmap((x: Tn) => x.index(x.gt(0)))(torch.randn([3, 4])), /vmap: We do not support batching operators that can output dynamic shape/);
  assert.throws(() => func.grad((x: Tn) => (x.retainGrad(), x.sum()))(f64([1])), /retainGrad\(\) inside of a function being transformed/);
  assert.throws(() => func.grad((x: Tn) => x.requiresGrad_().sum())(f64([1])), /inside a torch.func transform/);
  const z = torch.zeros([3]);
  assert.throws(() => func.vmap((x: Tn) => x.add(z.normal_()), { randomness: 'different' })(torch.ones([2, 3])), /Cannot ask for different inplace randomness on an unbatched tensor/);
  const b = func.vmap((x: Tn) => x.clone().normal_(), { randomness: 'different' })(torch.zeros([2, 3]));
  assert.notDeepEqual((b.tolist() as number[][])[0], (b.tolist() as number[][])[1]);
});

test('replaceAllBatchNormModules_ lets a batch-norm model run under vmap (item 39)', () => {
  const m = new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.BatchNorm1d(4));
  assert.equal(func.replaceAllBatchNormModules_(m), m);
  assert.deepEqual(Object.keys(m.stateDict()), ['0.weight', '0.bias', '1.weight', '1.bias']);
  const out = func.vmap((x: Tn) => m.call(x) as Tn)(torch.randn([2, 5, 3]));
  assert.deepEqual(out.shape, [2, 5, 4]);
});

test('in-place writes through views are differentiated right in every mode', () => {
  // b = a², then b[1:] *= a[1:]: b = [a0², a1³, a2³].
  const f = (a: Tn) => {
    const b = a.mul(a);
    b.index('1:').mul_(a.index('1:'));
    return b;
  };
  const a = f64([1, 2, 3]);
  const J = [[2, 0, 0], [0, 12, 0], [0, 0, 27]];
  close(func.jacrev(f)(a), J);
  close(func.jacfwd(f)(a), J);
  close(func.hessian((x: Tn) => f(x).sum())(a), [[2, 0, 0], [0, 12, 0], [0, 0, 18]]);
  close(func.vmap(func.grad((x: Tn) => f(x).sum()))(torch.stack([a, a.mul(2)])), [[2, 12, 27], [4, 48, 108]]);
  const leaf = a.clone().requiresGrad_();
  f(leaf).sum().backward();
  close(leaf.grad!, [2, 12, 27]);
  // A write into a result that is not a view leaves its input alone: c = a² + 1, then c *= a; the sum
  // a² + a³ + a has derivative 2a + 3a² + 1.
  const g = (x: Tn) => {
    const b = x.mul(x);
    const c = b.add(1);
    c.mul_(x);
    return b.add(c).sum();
  };
  close(func.grad(g)(a), [6, 17, 34]);
  close(func.jacrev(g)(a), [6, 17, 34]);
  close(func.jacfwd(g)(a), [6, 17, 34]);
  close(func.vmap(func.grad(g))(torch.stack([a, a.mul(-1)])), [[6, 17, 34], [2, 9, 22]]);
  // A write through a permuted view: y.permute([1, 2, 0])[0] is y[:, 0, :]; functionalize rebuilds y
  // through the inverse permutation [2, 0, 1] (a cycle, so a wrong inverse shows).
  const h = (x: Tn) => {
    const y = x.clone();
    y.permute([1, 2, 0]).narrow(0, 0, 1).mul_(10);
    return y;
  };
  const m = torch.arange(24, { dtype: 'float64' }).reshape(2, 3, 4);
  const want = (scale: number) => [0, 1].map((i) => [0, 1, 2].map((j) => [0, 1, 2, 3].map((k) => scale * (12 * i + 4 * j + k) * (j === 0 ? 10 : 1))));
  close(func.functionalize(h)(m), want(1));
  close(func.grad((x: Tn) => func.functionalize(h)(x).sum())(m), [0, 1].map(() => [0, 1, 2].map((j) => [0, 1, 2, 3].map(() => (j === 0 ? 10 : 1)))));
  close(func.vmap(func.functionalize(h))(torch.stack([m, m.mul(2)])), [want(1), want(2)]);
  // Eager autograd: an in-place write into a non-leaf keeps the history flowing to the leaf.
  const leaf2 = a.clone().requiresGrad_();
  const b2 = leaf2.mul(2);
  b2.add_(1);
  b2.mul_(leaf2);
  b2.sum().backward();
  close(leaf2.grad!, [5, 9, 13]);
});
