// torch.func transforms against PyTorch's numbers (test/fixtures/golden).
import { test } from 'node:test';
import * as torch from '../src/index.js';
import { T, assertClose, caseOf, loadGolden } from './support/golden.js';

const { func } = torch;
type Tn = torch.Tensor;

const grads = loadGolden('grad.json');
const vmaps = loadGolden('vmap.json');
const jacs = loadGolden('jacobians.json');
const vj = loadGolden('vjp_jvp.json');

test('grad: argnums tuple', () => {
  const c = caseOf(grads, 'argnums_tuple');
  const g = func.grad((x: Tn, y: Tn) => x.mul(y).sum().add(x.pow(2).sum()), { argnums: [0, 1] })(T(c.x), T(c.y));
  assertClose(g, c.expected);
});

test('grad: hasAux', () => {
  const c = caseOf(grads, 'has_aux');
  const [g, aux] = func.grad((x: Tn) => [x.pow(3).sum(), x.mean()], { hasAux: true })(T(c.x));
  assertClose(g, c.expected);
  assertClose(aux, c.expected_aux);
});

test('gradAndValue', () => {
  const c = caseOf(grads, 'grad_and_value');
  const [g, v] = func.gradAndValue((x: Tn) => x.sin().pow(2).sum())(T(c.x));
  assertClose(g, c.expected);
  assertClose(v, c.expected_value);
});

test('vmap(grad(grad(tanh)))', () => {
  const c = caseOf(grads, 'grad_grad_tanh');
  const g = func.vmap(func.grad(func.grad((x: Tn) => x.tanh())))(T(c.x));
  assertClose(g, c.expected);
});

test('grad of dict params', () => {
  const c = caseOf(grads, 'dict_params');
  const g = func.grad((p: Record<string, Tn>) => p.w!.mul(3).add(p.b!.pow(2)).sum())({ w: T(c.w), b: T(c.b) });
  assertClose(g, c.expected);
});

test('perturbation confusion', () => {
  const c = caseOf(grads, 'perturbation_confusion');
  const one = torch.tensor(1.0, { dtype: 'float64' });
  const g = func.grad((x: Tn) => x.mul(func.grad((y: Tn) => x.mul(y))(one)))(T(c.x));
  assertClose(g, c.expected);
});

test('vmap golden cases', () => {
  let c = caseOf(vmaps, 'in_dims_none_0');
  assertClose(func.vmap((w: Tn, x: Tn) => w.matmul(x), { inDims: [null, 0] })(T(c.w), T(c.x)), c.expected);
  c = caseOf(vmaps, 'in_dims_1_none');
  assertClose(func.vmap((x: Tn, y: Tn) => x.mul(y), { inDims: [1, null] })(T(c.x), T(c.y)), c.expected);
  c = caseOf(vmaps, 'out_dims_1');
  assertClose(func.vmap((x: Tn) => x.sin().mul(2), { outDims: 1 })(T(c.x)), c.expected);
  c = caseOf(vmaps, 'nested_dot');
  assertClose(func.vmap(func.vmap(torch.dot))(T(c.x), T(c.y)), c.expected);
  c = caseOf(vmaps, 'tuple_out');
  assertClose(func.vmap((x: Tn) => [x.sum(), x.mul(2)])(T(c.x)), c.expected);
  c = caseOf(vmaps, 'chunk_size_2');
  assertClose(func.vmap((x: Tn) => x.exp().sum(0), { chunkSize: 2 })(T(c.x)), c.expected);
  c = caseOf(vmaps, 'dict_in_dims');
  assertClose(func.vmap((d: Record<string, Tn>) => d.a!.mul(d.b!.sum()), { inDims: [{ a: 0, b: null }] })({ a: T(c.a), b: T(c.b) }), c.expected);
  c = caseOf(vmaps, 'negative_in_dim');
  assertClose(func.vmap((x: Tn) => x.sum(), { inDims: -1 })(T(c.x)), c.expected);
});

test('jacobians golden cases', () => {
  const f = (x: Tn) => x.sin().mul(x.pow(2));
  let c = caseOf(jacs, 'jacrev_sin_x2');
  assertClose(func.jacrev(f)(T(c.x)), c.expected);
  c = caseOf(jacs, 'jacfwd_sin_x2');
  assertClose(func.jacfwd(f)(T(c.x)), c.expected);
  const g = (x: Tn, y: Tn) => x.sin().mul(y).add(x.pow(2));
  c = caseOf(jacs, 'jacrev_two_args');
  assertClose(func.jacrev(g, { argnums: [0, 1] })(T(c.x), T(c.y)), c.expected);
  c = caseOf(jacs, 'jacfwd_two_args');
  assertClose(func.jacfwd(g, { argnums: [0, 1] })(T(c.x), T(c.y)), c.expected);
  c = caseOf(jacs, 'hessian_quartic');
  assertClose(func.hessian((x: Tn) => x.pow(4).sum().add(x.index(0).mul(x.index(1))))(T(c.x)), c.expected);
  c = caseOf(jacs, 'jacrev_matrix');
  assertClose(func.jacrev((x: Tn) => x.matmul(x.T))(T(c.x)), c.expected);
});

test('vjp / jvp / linearize golden cases', () => {
  const f = (x: Tn, y: Tn) => x.matmul(y).add(x.sin());
  let c = caseOf(vj, 'vjp_matmul_sin');
  const [out, vjpFn] = func.vjp(f, T(c.x), T(c.y));
  assertClose(out, c.expected_out);
  assertClose(vjpFn(T(c.ct)), c.expected);
  c = caseOf(vj, 'jvp_matmul_sin');
  const [o2, t2] = func.jvp(f, [T(c.x), T(c.y)], [T(c.tx), T(c.ty)]);
  assertClose(o2, c.expected_out);
  assertClose(t2, c.expected);
  c = caseOf(vj, 'linearize_sin');
  const [o3, jvpFn] = func.linearize((x: Tn) => x.sin(), T(c.x));
  assertClose(o3, c.expected_out);
  assertClose([jvpFn(T(c.t1)), jvpFn(T(c.t2))], c.expected);
});
