// torch.func over nn.Module: functionalCall, per-sample gradients, ensembling with stackModuleState,
// the Laplacian of a scalar MLP, and Jacobians of an MLP, against PyTorch's numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { T, assertClose, caseOf, dictOf, loadGolden } from './support/golden.js';

const { func, nn } = torch;
type Tn = torch.Tensor;
type Params = Record<string, Tn>;

const perSample = loadGolden('per_sample.json');

function perSampleGrads(model: torch.nn.Module, params: Params, x: Tn, y: Tn): unknown {
  const loss = (p: Params, xi: Tn, yi: Tn) => torch.crossEntropy(func.functionalCall(model, p, xi.unsqueeze(0)) as Tn, yi.unsqueeze(0));
  return func.vmap(func.grad(loss), { inDims: [null, 0, 0] })(params, x, y);
}

test('per-sample gradients of an MLP (float64 and float32) match PyTorch', () => {
  for (const name of ['mlp_4_8_3_B5_float64', 'mlp_4_8_3_B5_float32']) {
    const c = caseOf(perSample, name);
    const model = new nn.Sequential(new nn.Linear(4, 8), new nn.Tanh(), new nn.Linear(8, 3));
    const params = dictOf(c.params);
    assert.deepEqual(Object.keys(Object.fromEntries(model.namedParameters())), Object.keys(params));
    assertClose(perSampleGrads(model, params, T(c.x), T(c.y)), c.expected);
  }
});

test('per-sample gradients of a CNN match PyTorch and a loop of grad', () => {
  const c = caseOf(perSample, 'cnn_c1_2_k3_p0_H6_B4');
  const model = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(32, 3));
  const params = dictOf(c.params);
  const x = T(c.x);
  const y = T(c.y);
  const g = perSampleGrads(model, params, x, y) as Params;
  assertClose(g, c.expected);
  const loss = (p: Params, xi: Tn, yi: Tn) => torch.crossEntropy(func.functionalCall(model, p, xi.unsqueeze(0)), yi.unsqueeze(0));
  for (let i = 0; i < 4; i++) {
    const gi = func.grad(loss)(params, x.index(i), y.index(i)) as Params;
    for (const k of Object.keys(gi)) {
      const a = g[k]!.index(i).toArray();
      gi[k]!.toArray().forEach((v, j) => assert.ok(Math.abs(v - a[j]!) < 1e-5));
    }
  }
  // One convolution (unfold + matmul) call for the whole batch, not one per example.
  const [, calls] = torch.countKernels(() => perSampleGrads(model, params, x, y));
  assert.equal(calls.get('unfold'), 1);
});

test('ensembling with stackModuleState matches PyTorch (same and different minibatches)', () => {
  const ens = loadGolden('ensemble.json');
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
  const fmodel = (p: Params, b: Params, x: Tn) => func.functionalCall(model, [p, b], x);
  let c = caseOf(ens, 'same_minibatch');
  assertClose(func.vmap(fmodel, { inDims: [0, 0, null] })(dictOf(c.params), {}, T(c.x)), c.expected);
  c = caseOf(ens, 'different_minibatches');
  assertClose(func.vmap(fmodel, { inDims: [0, 0, 0] })(dictOf(c.params), {}, T(c.x)), c.expected);
  const models = Array.from({ length: 4 }, () => new nn.Linear(2, 3));
  const [params, buffers] = func.stackModuleState(models);
  assert.deepEqual(params.weight!.shape, [4, 3, 2]);
  assert.deepEqual(params.bias!.shape, [4, 3]);
  assert.ok(params.weight!.isLeaf && params.weight!.requiresGrad);
  assert.deepEqual(buffers, {});
  assert.throws(() => func.stackModuleState([]), /stack_module_state: Expected at least one model, got 0./);
  assert.throws(() => func.stackModuleState([new nn.Linear(2, 3), new nn.Linear(2, 3).eval()]), /same training\/eval mode/);
  assert.throws(() => func.stackModuleState([new nn.Linear(2, 3), new nn.Tanh()]), /same class/);
});

test('Laplacian of a scalar MLP: vmap(grad(grad(model)))', () => {
  const c = caseOf(loadGolden('vmap.json'), 'laplacian_simple_nn');
  class SimpleNN extends nn.Module {
    seq = new nn.Sequential(new nn.Linear(1, 5), new nn.Linear(5, 5), new nn.Tanh(), new nn.Linear(5, 1));
    override forward(x: Tn): Tn {
      return this.seq.call(x.reshape(-1, 1)).squeeze();
    }
  }
  const model = new SimpleNN();
  const params = Object.fromEntries(Object.entries(dictOf(c.params)).map(([k, v]) => [`seq.${k}`, v]));
  const f = (x: Tn) => func.functionalCall(model, params, x) as Tn;
  assertClose(func.vmap(func.grad(func.grad(f)))(T(c.x)), c.expected);
  assertClose(func.vmap(func.grad(f))(T(c.x)), c.expected_grad);
});

test('Jacobians and Hessian of an MLP w.r.t. its input', () => {
  const jacs = loadGolden('jacobians.json');
  const model = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 2));
  let c = caseOf(jacs, 'jacrev_mlp_input');
  const f = (x: Tn) => func.functionalCall(model, dictOf(c.params), x) as Tn;
  assertClose(func.jacrev(f)(T(c.x)), c.expected);
  c = caseOf(jacs, 'jacfwd_mlp_input');
  assertClose(func.jacfwd(f)(T(c.x)), c.expected);
  c = caseOf(jacs, 'hessian_mlp_sum');
  assertClose(func.hessian((x: Tn) => f(x).sum())(T(c.x)), c.expected);
});

test('functionalCall semantics (items 35-38)', () => {
  const lin = new nn.Linear(2, 1);
  const w = lin.weight;
  const out = func.functionalCall(lin, { weight: torch.tensor([[1, 2]], { dtype: 'float32' }), bias: torch.tensor([3], { dtype: 'float32' }) }, torch.tensor([[1, 1]], { dtype: 'float32' }));
  assert.deepEqual(out.tolist(), [[6]]);
  assert.equal(lin.weight, w, 'the module keeps its own tensors afterwards');
  const out2 = func.functionalCall(lin, [{ weight: torch.ones([1, 2]) }, { bias: torch.zeros([1]) }], torch.tensor([[2, 3]], { dtype: 'float32' }));
  assert.deepEqual(out2.tolist(), [[5]]);
  const m = new Map([['weight', torch.ones([1, 2])], ['bias', torch.zeros([1])]]);
  assert.deepEqual(func.functionalCall(lin, m, [torch.tensor([[2, 3]], { dtype: 'float32' })]).tolist(), [[5]]);
  assert.throws(() => func.functionalCall(lin, [{ weight: torch.ones([1, 2]) }, { weight: torch.ones([1, 2]) }], torch.ones([1, 2])), /\['weight'\] appeared in multiple dictionaries; behavior of functional call is ambiguous/);
  assert.throws(() => func.functionalCall(lin, 3 as never, torch.ones([1, 2])), /Expected parameter_and_buffer_dicts to be a dict, or a list\/tuple of dicts/);
  assert.throws(() => func.functionalCall(lin, { weight: torch.ones([1, 2]), foo: torch.ones([1]) }, torch.ones([1, 2]), { strict: true }), /Error\(s\) in reparametrizing for Linear:\n\tUnexpected key\(s\): 'foo'.\n\tMissing key\(s\): 'bias'./);
  // Tied weights.
  class Tied extends nn.Module {
    foo = new nn.Parameter(torch.ones([1]));
    foo_tied: Tn;
    constructor() {
      super();
      this.foo_tied = this.foo;
    }
    override forward(x: Tn): Tn {
      return x.add(this.foo).add(this.foo_tied);
    }
  }
  const t = new Tied();
  const x = torch.zeros([1]);
  assert.deepEqual(t.call(x).tolist(), [2]);
  assert.deepEqual(func.functionalCall(t, { foo: torch.zeros([1]) }, x).tolist(), [0]);
  assert.deepEqual(func.functionalCall(t, { foo: torch.zeros([1]) }, x, { tieWeights: false }).tolist(), [1]);
  assert.throws(() => func.functionalCall(t, { foo: torch.zeros([1]), foo_tied: torch.ones([1]) }, x), /functional_call got multiple values for keys \['foo', 'foo_tied'\], which are tied/);
});

test('module hooks fire inside vmap(grad(functionalCall))', () => {
  const model = new nn.Sequential(new nn.Linear(3, 2));
  let fired = 0;
  const h = model.registerForwardHook(() => {
    fired++;
  });
  const params = Object.fromEntries(model.namedParameters());
  func.vmap(func.grad((p: Params, x: Tn) => (func.functionalCall(model, p, x) as Tn).sum()), { inDims: [null, 0] })(params, torch.randn([4, 3]));
  assert.equal(fired, 1);
  h.remove();
});
