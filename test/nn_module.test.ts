// nn.Module (registration, PyTorch's dotted names, stateDict/loadStateDict, modes, conversion, repr),
// the layers (parameter names and shapes, default initialization, behaviour), containers, losses,
// nn.init and nn.utils; and per-sample gradients through functionalCall against PyTorch
// (test/fixtures/golden/per_sample.json).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as torch from '../src/index.js';
import { Tensor, nn, func } from '../src/index.js';

const f64 = (data: number[] | number[][], requiresGrad = false) => torch.tensor(data, { dtype: 'float64', requiresGrad });

function allClose(a: Tensor, b: Tensor | number[], tol = 1e-10): void {
  const x = Array.from(a.toArray());
  const y = Array.isArray(b) ? b : Array.from(b.toArray());
  assert.equal(x.length, y.length, 'sizes differ');
  x.forEach((v, i) => assert.ok(Math.abs(v - y[i]!) <= tol * Math.max(1, Math.abs(y[i]!)), `element ${i}: ${v} vs ${y[i]}`));
}

class MLP extends nn.Module {
  declare fc1: nn.Linear;
  declare fc2: nn.Linear;
  declare scale: nn.Parameter;
  declare steps: Tensor;
  note = 'plain attribute';
  constructor() {
    super();
    this.fc1 = new nn.Linear(4, 8);
    this.fc2 = new nn.Linear(8, 2);
    this.scale = nn.Parameter(torch.ones([2]));
    this.registerBuffer('steps', torch.zeros([], { dtype: 'int32' }));
    this.registerBuffer('cache', torch.zeros([3]), { persistent: false });
  }
  override forward(x: Tensor): Tensor {
    return this.fc2.call(this.fc1.call(x).relu()).mul(this.scale);
  }
}

describe('Module: registration and names', () => {
  test('assignment registers parameters, submodules and buffers with dotted names', () => {
    const m = new MLP();
    assert.deepEqual(m.namedParameters().map(([n]) => n), ['scale', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    assert.deepEqual(m.namedBuffers().map(([n]) => n), ['steps', 'cache']);
    assert.deepEqual(m.namedChildren().map(([n]) => n), ['fc1', 'fc2']);
    assert.deepEqual(m.namedModules().map(([n]) => n), ['', 'fc1', 'fc2']);
    assert.equal(m.children().length, 2);
    assert.equal(m.modules().length, 3);
    assert.deepEqual(Object.keys(m.stateDict()), ['scale', 'steps', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    const params = Object.fromEntries(m.namedParameters());
    assert.equal(params['fc1.weight'], m.fc1.weight);
    assert.equal(m.parameters().length, 5);
    assert.deepEqual(m.namedParameters({ recurse: false }).map(([n]) => n), ['scale']);
    assert.deepEqual(m.namedParameters({ prefix: 'model' }).map(([n]) => n)[1], 'model.fc1.weight');
    assert.equal(m.note, 'plain attribute');
    assert.equal(m.getSubmodule('fc1'), m.fc1);
    assert.equal(m.getParameter('fc2.bias'), m.fc2.bias);
    assert.equal(m.getBuffer('steps'), m.steps);
    assert.throws(() => m.getSubmodule('fc3'), /MLP has no attribute `fc3`/);
  });

  test('PyTorch __setattr__ rules: plain tensors stay attributes, wrong types are errors, null clears', () => {
    const m = new MLP();
    (m as any).extra = torch.ones([2]);
    assert.equal(m.namedParameters().length, 5);
    assert.equal(m.namedBuffers().length, 2);
    assert.throws(() => ((m as any).scale = torch.ones([2])), /cannot assign 'Tensor\(float32\)' as parameter 'scale' \(nn.Parameter or null expected\)/);
    assert.throws(() => ((m as any).fc1 = 3), /cannot assign 'number' as child module 'fc1'/);
    assert.throws(() => ((m as any).steps = 'x'), /cannot assign 'string' as buffer 'steps'/);
    m.steps = torch.ones([], { dtype: 'int32' });
    assert.equal(m.stateDict().steps!.item(), 1);
    (m as any).fc2 = null;
    assert.deepEqual(m.namedParameters().map(([n]) => n), ['scale', 'fc1.weight', 'fc1.bias']);
    // A parameter assigned over a buffer name moves it from buffers to parameters.
    (m as any).steps = nn.Parameter(torch.zeros([1]));
    assert.deepEqual(m.namedBuffers().map(([n]) => n), ['cache']);
    delete (m as any).scale;
    assert.deepEqual(m.namedParameters().map(([n]) => n), ['steps', 'fc1.weight', 'fc1.bias']);
    assert.equal((m as any).scale, undefined);
  });

  test('registerParameter / registerBuffer / registerModule check their arguments', () => {
    const m = new nn.Module();
    assert.throws(() => m.registerParameter('a.b', nn.Parameter(torch.ones([1]))), /parameter name can't contain "."/);
    assert.throws(() => m.registerParameter('', null), /can't be empty/);
    assert.throws(() => m.registerParameter('w', torch.ones([1])), /nn.Parameter or null required/);
    assert.throws(() => m.registerParameter('train', null), /attribute 'train' already exists/);
    assert.throws(() => m.registerBuffer('b', 3 as any), /Tensor or null required/);
    m.registerParameter('bias', null);
    assert.equal((m as any).bias, null);
    assert.deepEqual(m.namedParameters(), []);
    assert.throws(() => m.forward(), /Module \[Module\] is missing the required "forward" function/);
  });

  test('shared modules and parameters appear once (removeDuplicate) but in stateDict under every name', () => {
    const lin = new nn.Linear(2, 2);
    const seq = new nn.Sequential(lin, new nn.ReLU(), lin);
    assert.deepEqual(seq.namedParameters().map(([n]) => n), ['0.weight', '0.bias']);
    assert.deepEqual(seq.namedParameters({ removeDuplicate: false }).map(([n]) => n), ['0.weight', '0.bias', '2.weight', '2.bias']);
    assert.deepEqual(Object.keys(seq.stateDict()), ['0.weight', '0.bias', '2.weight', '2.bias']);
    assert.equal(seq.modules().length, 3);
  });

  test('_swapTensor substitutes a tensor without Parameter wrapping and returns the previous one', () => {
    const seq = new nn.Sequential(new nn.Linear(2, 1));
    const w = torch.ones([1, 2]);
    const prev = seq._swapTensor('0.weight', w);
    assert.equal((seq.get(0) as nn.Linear).weight, w);
    assert.equal(Object.fromEntries(seq.namedParameters())['0.weight'], w);
    assert.ok(nn.isParameter(prev));
    assert.equal(seq._swapTensor('0.weight', prev), w);
    assert.equal((seq.get(0) as nn.Linear).weight, prev);
  });
});

describe('Module: stateDict and loadStateDict', () => {
  test('stateDict values are detached and share storage; keepVars keeps the parameters', () => {
    const lin = new nn.Linear(3, 2);
    const sd = lin.stateDict();
    assert.equal(sd.weight!.requiresGrad, false);
    assert.deepEqual(sd.weight!.tolist(), lin.weight.tolist());
    assert.equal(lin.stateDict({ keepVars: true }).weight, lin.weight);
  });

  test('round trip into a fresh model', () => {
    const a = new MLP();
    const b = new MLP();
    assert.deepEqual(b.loadStateDict(a.stateDict()), { missingKeys: [], unexpectedKeys: [] });
    const x = torch.randn([3, 4]);
    allClose(b.call(x), a.call(x), 1e-6);
    assert.ok(nn.isParameter(b.fc1.weight));
    assert.equal(b.fc1.weight.requiresGrad, true);
  });

  test("errors in PyTorch's wording; nothing is modified when it throws", () => {
    const lin = new nn.Linear(3, 2);
    const before = lin.weight.tolist();
    assert.throws(
      () => lin.loadStateDict({ weight: torch.zeros([2, 3]) }),
      (e: Error) => e.message === 'Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: "bias". ',
    );
    assert.throws(
      () => lin.loadStateDict({ weight: torch.zeros([2, 3]), bias: torch.zeros([2]), foo: torch.zeros([1]), 'sub.x': torch.zeros([1]) }),
      (e: Error) => e.message === 'Error(s) in loading state_dict for Linear:\n\tUnexpected key(s) in state_dict: "foo", "sub.x". ',
    );
    assert.throws(
      () => lin.loadStateDict({ weight: torch.zeros([3, 3]), bias: torch.zeros([2]) }),
      (e: Error) =>
        e.message ===
        'Error(s) in loading state_dict for Linear:\n\tsize mismatch for weight: copying a param with shape torch.Size([3, 3]) from checkpoint, the shape in current model is torch.Size([2, 3]).',
    );
    assert.deepEqual(lin.weight.tolist(), before);
    // strict: false reports instead of throwing, but size mismatches still throw.
    const r = lin.loadStateDict({ weight: torch.zeros([2, 3]), extra: torch.ones([1]) }, { strict: false });
    assert.deepEqual(r, { missingKeys: ['bias'], unexpectedKeys: ['extra'] });
    assert.deepEqual(lin.weight.tolist(), [[0, 0, 0], [0, 0, 0]]);
    assert.throws(() => lin.loadStateDict({ weight: torch.zeros([1]) }, { strict: false }), /size mismatch for weight/);
  });

  test('nested keys and dtype casting on load; assign takes the given tensors', () => {
    const seq = new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.Linear(2, 1)));
    const sd = Object.fromEntries(Object.entries(seq.stateDict()).map(([k, v]) => [k, torch.onesLike(v).double()]));
    seq.loadStateDict(sd);
    assert.equal((seq.get(0) as nn.Linear).weight.dtype, 'float32');
    assert.deepEqual(seq.stateDict()['1.0.bias']!.tolist(), [1]);
    seq.loadStateDict(sd, { assign: true });
    const lin = seq.getSubmodule('1.0') as nn.Linear;
    assert.equal(lin.weight.dtype, 'float64');
    assert.ok(nn.isParameter(lin.weight) && lin.weight.requiresGrad);
  });

  test('BatchNorm state: buffers with PyTorch names; a checkpoint without num_batches_tracked loads', () => {
    const bn = new nn.BatchNorm2d(3);
    assert.deepEqual(Object.keys(bn.stateDict()), ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    const sd = bn.stateDict();
    delete sd.num_batches_tracked;
    assert.deepEqual(new nn.BatchNorm2d(3).loadStateDict(sd), { missingKeys: [], unexpectedKeys: [] });
  });
});

describe('Module: modes and bulk operations', () => {
  test('train / eval propagate; Dropout follows the mode', () => {
    const drop = new nn.Dropout(0.5);
    const m = new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(drop));
    assert.equal(m.eval(), m);
    assert.ok(m.modules().every((x) => !x.training));
    const x = torch.ones([100]);
    assert.equal(drop.call(x), x);
    m.train();
    assert.ok(drop.training);
    const y = drop.call(x).toArray();
    assert.ok(Array.from(y).every((v) => v === 0 || v === 2));
    assert.throws(() => m.train('yes' as any), /training mode is expected to be boolean/);
  });

  test('zeroGrad, requiresGrad_, apply', () => {
    const m = new MLP();
    m.call(torch.randn([2, 4])).sum().backward();
    assert.ok(m.parameters().every((p) => p.grad !== null));
    m.zeroGrad(false);
    assert.ok(m.parameters().every((p) => p.grad !== null && Array.from(p.grad.toArray()).every((v) => v === 0)));
    m.zeroGrad();
    assert.ok(m.parameters().every((p) => p.grad === null));
    m.fc1.requiresGrad_(false);
    assert.deepEqual(m.parameters().map((p) => p.requiresGrad), [true, false, false, true, true]);
    const seen: string[] = [];
    m.apply((x) => void seen.push(x._getName()));
    assert.deepEqual(seen, ['Linear', 'Linear', 'MLP']);
  });

  test('to(dtype) converts floating parameters and buffers, keeps int buffers', () => {
    const m = new MLP();
    m.call(torch.randn([1, 4])).sum().backward();
    m.to('float64');
    assert.ok(m.parameters().every((p) => p.dtype === 'float64' && nn.isParameter(p) && p.grad!.dtype === 'float64'));
    assert.equal(m.steps.dtype, 'int32');
    assert.equal(m.call(torch.randn([1, 4], { dtype: 'float64' })).dtype, 'float64');
    const bn = new nn.BatchNorm1d(2).double();
    assert.equal(bn.running_mean!.dtype, 'float64');
    assert.equal(bn.num_batches_tracked!.dtype, 'int32');
  });
});

describe('Module: repr', () => {
  test("PyTorch's module repr", () => {
    const model = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(144, 10));
    assert.equal(
      String(model),
      'Sequential(\n  (0): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1))\n  (1): ReLU()\n  (2): Flatten(start_dim=1, end_dim=-1)\n  (3): Linear(in_features=144, out_features=10, bias=True)\n)',
    );
    const reprs: [nn.Module, string][] = [
      [new nn.Conv2d(3, 8, [3, 5], { stride: 2, padding: 1, groups: 1, bias: false }), 'Conv2d(3, 8, kernel_size=(3, 5), stride=(2, 2), padding=(1, 1), bias=False)'],
      [new nn.Conv1d(2, 4, 3, { dilation: 2, paddingMode: 'reflect', padding: 2 }), "Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=(2,), dilation=(2,), padding_mode=reflect)"],
      [new nn.ConvTranspose2d(4, 2, 3, { stride: 2, outputPadding: 1 }), 'ConvTranspose2d(4, 2, kernel_size=(3, 3), stride=(2, 2), output_padding=(1, 1))'],
      [new nn.BatchNorm2d(4), 'BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)'],
      [new nn.BatchNorm1d(4, { momentum: null }), 'BatchNorm1d(4, eps=1e-05, momentum=None, affine=True, track_running_stats=True)'],
      [new nn.LayerNorm(8), 'LayerNorm((8,), eps=1e-05, elementwise_affine=True)'],
      [new nn.GroupNorm(2, 4), 'GroupNorm(2, 4, eps=1e-05, affine=True)'],
      [new nn.Embedding(10, 3, { paddingIdx: 0 }), 'Embedding(10, 3, padding_idx=0)'],
      [new nn.Dropout(0.2), 'Dropout(p=0.2, inplace=False)'],
      [new nn.LeakyReLU(), 'LeakyReLU(negative_slope=0.01)'],
      [new nn.GELU(), "GELU(approximate='none')"],
      [new nn.Softmax(1), 'Softmax(dim=1)'],
      [new nn.MaxPool2d(2), 'MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)'],
      [new nn.AvgPool2d(3, { stride: 2, padding: 1 }), 'AvgPool2d(kernel_size=3, stride=2, padding=1)'],
      [new nn.AdaptiveAvgPool2d([1, 1]), 'AdaptiveAvgPool2d(output_size=(1, 1))'],
      [new nn.Unflatten(1, [2, 5]), 'Unflatten(dim=1, unflattened_size=(2, 5))'],
      [new nn.Bilinear(2, 3, 4), 'Bilinear(in1_features=2, in2_features=3, out_features=4, bias=True)'],
      [new nn.MSELoss(), 'MSELoss()'],
      [new nn.MultiheadAttention(8, 2), 'MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)\n)'],
      [new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 2), new nn.Linear(2, 2), new nn.ReLU()]),
        'ModuleList(\n  (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)\n  (3): ReLU()\n)'],
    ];
    for (const [m, s] of reprs) assert.equal(m.toString(), s);
  });
});

describe('layers', () => {
  test('Linear: shapes, names and the default U(-1/sqrt(in), 1/sqrt(in)) initialization', () => {
    torch.manualSeed(0);
    const lin = new nn.Linear(16, 32);
    assert.deepEqual(lin.weight.shape, [32, 16]);
    assert.deepEqual(lin.bias!.shape, [32]);
    const bound = 1 / Math.sqrt(16);
    for (const p of [lin.weight, lin.bias!]) {
      const v = Array.from(p.toArray());
      assert.ok(v.every((x) => Math.abs(x) <= bound));
      assert.ok(Math.max(...v.map(Math.abs)) > 0.8 * bound);
    }
    assert.deepEqual(lin.call(torch.randn([5, 16])).shape, [5, 32]);
    assert.equal(new nn.Linear(2, 3, { bias: false }).bias, null);
    assert.deepEqual(Object.keys(new nn.Linear(2, 3, { bias: false }).stateDict()), ['weight']);
  });

  test('Conv layers: PyTorch weight shapes, output shapes and padding modes', () => {
    const c2 = new nn.Conv2d(4, 6, 3, { groups: 2, padding: 1 });
    assert.deepEqual(c2.weight.shape, [6, 2, 3, 3]);
    assert.deepEqual(c2.call(torch.randn([2, 4, 5, 5])).shape, [2, 6, 5, 5]);
    const bound = 1 / Math.sqrt(2 * 9);
    assert.ok(Array.from(c2.weight.toArray()).every((x) => Math.abs(x) <= bound));
    const c1 = new nn.Conv1d(3, 5, 3, { padding: 'same' });
    assert.deepEqual(c1.call(torch.randn([2, 3, 7])).shape, [2, 5, 7]);
    const ct = new nn.ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1 });
    assert.deepEqual(ct.weight.shape, [4, 2, 3, 3]);
    assert.deepEqual(ct.call(torch.randn([1, 4, 5, 5])).shape, [1, 2, 10, 10]);
    assert.deepEqual(new nn.ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1 }).forward(torch.randn([1, 4, 5, 5]), [10, 10]).shape, [1, 2, 10, 10]);
    // Circular padding equals explicit padding followed by an unpadded convolution.
    const cc = new nn.Conv2d(1, 1, 3, { padding: 1, paddingMode: 'circular', bias: false });
    const x = torch.randn([1, 1, 4, 4]);
    const ref = torch.conv2d(torch.pad(x, [1, 1, 1, 1], 'circular'), cc.weight);
    allClose(cc.call(x), ref, 1e-6);
    assert.throws(() => new nn.Conv2d(3, 4, 3, { groups: 2 }), /in_channels must be divisible by groups/);
    assert.throws(() => new nn.Conv2d(3, 4, 3, { stride: 2, padding: 'same' }), /padding='same' is not supported for strided convolutions/);
  });

  test('pooling, flatten, unflatten, identity', () => {
    const x = torch.randn([2, 3, 8, 8]);
    assert.deepEqual(new nn.MaxPool2d(2).call(x).shape, [2, 3, 4, 4]);
    assert.deepEqual(new nn.AvgPool2d(3, { stride: 2, padding: 1 }).call(x).shape, [2, 3, 4, 4]);
    assert.deepEqual(new nn.AdaptiveAvgPool2d(1).call(x).shape, [2, 3, 1, 1]);
    assert.deepEqual(new nn.Flatten().call(x).shape, [2, 192]);
    assert.deepEqual(new nn.Unflatten(2, [8, 8]).call(x.flatten(2)).shape, [2, 3, 8, 8]);
    assert.equal(new nn.Identity().call(x), x);
  });

  test('BatchNorm: batch statistics in training, running statistics (unbiased var) and counter; eval mode', () => {
    const bn = new nn.BatchNorm1d(2, { dtype: 'float64' });
    const x = f64([[1, 2], [3, 6]]);
    const y = bn.call(x);
    allClose(y, [-1, -1, 1, 1], 1e-4);
    allClose(bn.running_mean!, [0.2, 0.4]);
    allClose(bn.running_var!, [0.9 + 0.1 * 2, 0.9 + 0.1 * 8]);
    assert.equal(bn.num_batches_tracked!.item(), 1);
    bn.eval();
    const z = bn.call(f64([[0.2, 0.4]]));
    allClose(z, [0, 0], 1e-12);
    assert.equal(bn.num_batches_tracked!.item(), 1);
    // momentum null: cumulative moving average
    const cum = new nn.BatchNorm1d(1, { momentum: null, dtype: 'float64' });
    cum.call(f64([[0], [2]]));
    cum.call(f64([[4], [6]]));
    allClose(cum.running_mean!, [3]);
    // without running stats, eval uses batch statistics
    const nos = new nn.BatchNorm2d(1, { trackRunningStats: false });
    assert.deepEqual(Object.keys(nos.stateDict()), ['weight', 'bias']);
    allClose(nos.eval().call(torch.tensor([1, 3], { dtype: 'float32' }).reshape(2, 1, 1, 1)).reshape(-1), [-1, 1], 1e-4);
    assert.throws(() => new nn.BatchNorm2d(1).call(torch.ones([2, 1])), /expected 4D input \(got 2D input/);
  });

  test('LayerNorm and GroupNorm', () => {
    const ln = new nn.LayerNorm([4]);
    const y = ln.call(torch.randn([3, 4]));
    allClose(y.mean(-1), [0, 0, 0], 1e-5);
    assert.deepEqual(Object.keys(ln.stateDict()), ['weight', 'bias']);
    assert.deepEqual(Object.keys(new nn.LayerNorm(4, { elementwiseAffine: false }).stateDict()), []);
    const gn = new nn.GroupNorm(2, 4);
    assert.deepEqual(gn.call(torch.randn([2, 4, 3, 3])).shape, [2, 4, 3, 3]);
    assert.throws(() => new nn.GroupNorm(3, 4), /num_channels must be divisible by num_groups/);
  });

  test('Embedding: lookup, padding row zero and without gradient, fromPretrained', () => {
    const emb = new nn.Embedding(5, 3, { paddingIdx: 0 });
    assert.deepEqual(emb.weight.select(0, 0).tolist(), [0, 0, 0]);
    const idx = torch.tensor([[0, 2], [4, 2]], { dtype: 'int32' });
    const out = emb.call(idx);
    assert.deepEqual(out.shape, [2, 2, 3]);
    out.sum().backward();
    assert.deepEqual(emb.weight.grad!.tolist(), [[0, 0, 0], [0, 0, 0], [2, 2, 2], [0, 0, 0], [1, 1, 1]]);
    const pre = nn.Embedding.fromPretrained(torch.eye(3));
    assert.equal(pre.weight.requiresGrad, false);
    assert.deepEqual(pre.call(torch.tensor([2], { dtype: 'int32' })).tolist(), [[0, 0, 1]]);
  });

  test('MultiheadAttention: PyTorch names, masks, batchFirst, equals the reference computation', () => {
    torch.manualSeed(1);
    const E = 4;
    const mha = new nn.MultiheadAttention(E, 2, { dtype: 'float64' });
    assert.deepEqual(Object.keys(mha.stateDict()), ['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']);
    assert.deepEqual(mha.in_proj_weight!.shape, [12, 4]);
    mha.loadStateDict({ in_proj_bias: torch.randn([12], { dtype: 'float64' }), 'out_proj.bias': torch.randn([4], { dtype: 'float64' }) }, { strict: false });
    const L = 3;
    const q = torch.randn([L, 1, E], { dtype: 'float64' });
    const [out, w] = mha.call(q, q, q);
    assert.deepEqual(out.shape, [L, 1, E]);
    assert.deepEqual(w!.shape, [1, L, L]);
    allClose(w!.sum(-1), [1, 1, 1], 1e-12);
    // reference: per head softmax(QK^T / sqrt(d)) V, concatenated, then out_proj
    const x = q.reshape(L, E);
    const W = mha.in_proj_weight!;
    const b = mha.in_proj_bias!;
    const proj = (i: number) => x.matmul(W.narrow(0, i * E, E).t()).add(b.narrow(0, i * E, E));
    const [Q, K, V] = [proj(0), proj(1), proj(2)];
    const heads = [0, 1].map((h) => {
      const s = Q.narrow(1, 2 * h, 2).matmul(K.narrow(1, 2 * h, 2).t()).div(Math.sqrt(2));
      return [torch.softmax(s, -1), torch.softmax(s, -1).matmul(V.narrow(1, 2 * h, 2))] as const;
    });
    const cat = torch.cat([heads[0]![1], heads[1]![1]], 1);
    const ref = cat.matmul(mha.out_proj.weight.t()).add(mha.out_proj.bias!);
    allClose(out.reshape(L, E), ref, 1e-10);
    allClose(w!.reshape(L, L), heads[0]![0].add(heads[1]![0]).div(2), 1e-10);
    // batchFirst and unbatched agree; a key padding mask zeroes the weight of masked keys
    const bf = new nn.MultiheadAttention(E, 2, { batchFirst: true, dtype: 'float64' });
    bf.loadStateDict(mha.stateDict());
    allClose(bf.call(q.transpose(0, 1), q.transpose(0, 1), q.transpose(0, 1))[0], out, 1e-12);
    allClose(mha.call(x, x, x)[0], out, 1e-12);
    const mask = torch.tensor([[false, false, true]]);
    const [, wm] = mha.call(q, q, q, { keyPaddingMask: mask, averageAttnWeights: false });
    assert.deepEqual(wm!.shape, [1, 2, L, L]);
    assert.ok(Array.from(wm!.index(0, ':', ':', 2).toArray()).every((v) => v === 0));
    const [, none] = mha.call(q, q, q, { needWeights: false, isCausal: true });
    assert.equal(none, null);
    const kv = new nn.MultiheadAttention(4, 1, { kdim: 3, vdim: 5, bias: false });
    assert.deepEqual(Object.keys(kv.stateDict()), ['q_proj_weight', 'k_proj_weight', 'v_proj_weight', 'out_proj.weight']);
    assert.deepEqual(kv.call(torch.randn([2, 1, 4]), torch.randn([6, 1, 3]), torch.randn([6, 1, 5]))[0].shape, [2, 1, 4]);
  });

  test('activations and losses as modules match the functional forms', () => {
    const x = torch.randn([3, 4]);
    const pairs: [nn.Module, Tensor][] = [
      [new nn.ReLU(), torch.relu(x)],
      [new nn.LeakyReLU(0.2), torch.leakyRelu(x, 0.2)],
      [new nn.GELU({ approximate: 'tanh' }), torch.gelu(x, { approximate: 'tanh' })],
      [new nn.SiLU(), torch.silu(x)],
      [new nn.Tanh(), torch.tanh(x)],
      [new nn.Sigmoid(), torch.sigmoid(x)],
      [new nn.Softmax(1), torch.softmax(x, 1)],
      [new nn.LogSoftmax(-1), torch.logSoftmax(x, -1)],
      [new nn.ReLU6(), torch.hardtanh(x, 0, 6)],
      [new nn.ELU(0.5), torch.elu(x, 0.5)],
      [new nn.Softplus({ beta: 2 }), torch.softplus(x, { beta: 2 })],
      [new nn.Hardtanh(-0.5, 0.5), torch.hardtanh(x, -0.5, 0.5)],
      [new nn.Mish(), torch.mish(x)],
      [new nn.LogSigmoid(), torch.logSigmoid(x)],
    ];
    const bil = new nn.Bilinear(4, 3, 2);
    assert.deepEqual(bil.weight.shape, [2, 4, 3]);
    allClose(bil.call(x, x.narrow(1, 0, 3)), torch.bilinear(x, x.narrow(1, 0, 3), bil.weight, bil.bias), 1e-6);
    for (const [m, ref] of pairs) allClose(m.call(x) as Tensor, ref, 1e-6);
    const target = torch.tensor([0, 3, 1], { dtype: 'int32' });
    allClose(new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).call(x, target), torch.crossEntropy(x, target, { labelSmoothing: 0.1 }), 1e-6);
    allClose(new nn.MSELoss({ reduction: 'sum' }).call(x, x.mul(2)), torch.mseLoss(x, x.mul(2), { reduction: 'sum' }), 1e-6);
    const w = torch.tensor([1, 2, 3, 4], { dtype: 'float32' });
    const nll = new nn.NLLLoss({ weight: w });
    assert.deepEqual(Object.keys(nll.stateDict()), ['weight']);
    allClose(nll.call(torch.logSoftmax(x, 1), target), torch.nllLoss(torch.logSoftmax(x, 1), target, { weight: w }), 1e-6);
    const bce = new nn.BCEWithLogitsLoss({ posWeight: torch.tensor([2], { dtype: 'float32' }) });
    assert.deepEqual(Object.keys(bce.stateDict()), ['pos_weight']);
    const y = torch.rand([3, 4]);
    allClose(bce.call(x, y), torch.binaryCrossEntropyWithLogits(x, y, { posWeight: torch.tensor([2], { dtype: 'float32' }) }), 1e-6);
    allClose(new nn.BCELoss().call(torch.sigmoid(x), y), torch.binaryCrossEntropy(torch.sigmoid(x), y), 1e-6);
    allClose(new nn.KLDivLoss({ reduction: 'batchmean' }).call(torch.logSoftmax(x, 1), torch.softmax(x, 1)), [0], 1e-6);
    allClose(new nn.SmoothL1Loss({ beta: 0.5 }).call(x, y), torch.smoothL1Loss(x, y, { beta: 0.5 }), 1e-6);
    allClose(new nn.HuberLoss({ delta: 0.5 }).call(x, y), torch.huberLoss(x, y, { delta: 0.5 }), 1e-6);
    allClose(new nn.L1Loss().call(x, y), torch.l1Loss(x, y), 1e-6);
    assert.equal(nn.functional.softmax, torch.softmax);
  });
});

describe('containers', () => {
  test('Sequential: indexing, named construction, append / insert / pop renumber', () => {
    const seq = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
    assert.equal(seq.length, 2);
    assert.equal(seq.get(-1), seq[1]);
    seq.append(new nn.Linear(3, 1));
    assert.deepEqual(Object.keys(seq.stateDict()), ['0.weight', '0.bias', '2.weight', '2.bias']);
    seq.insert(0, new nn.Flatten());
    assert.deepEqual(Object.keys(seq.stateDict()), ['1.weight', '1.bias', '3.weight', '3.bias']);
    assert.ok(seq.pop(0) instanceof nn.Flatten);
    assert.deepEqual(seq.call(torch.randn([4, 2])).shape, [4, 1]);
    assert.deepEqual([...seq].map((m) => m._getName()), ['Linear', 'ReLU', 'Linear']);
    assert.deepEqual(Object.keys(seq.slice(0, 2).stateDict()), ['0.weight', '0.bias']);
    const named = new nn.Sequential(new Map<string, nn.Module>([['enc', new nn.Linear(2, 2)], ['act', new nn.Tanh()]]));
    assert.deepEqual(Object.keys(named.stateDict()), ['enc.weight', 'enc.bias']);
    assert.throws(() => seq.get(5), /index 5 is out of range/);
  });

  test('ModuleList and ModuleDict', () => {
    const list = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 2)]);
    list.append(new nn.ReLU());
    assert.equal(list.length, 3);
    assert.deepEqual(Object.keys(list.stateDict()), ['0.weight', '0.bias', '1.weight', '1.bias']);
    assert.throws(() => list.call(torch.ones([1])), /ModuleList has no forward/);
    let x = torch.ones([1, 2]);
    for (const m of list) x = m.call(x) as Tensor;
    assert.deepEqual(x.shape, [1, 2]);
    const dict = new nn.ModuleDict({ cls: new nn.Linear(8, 10), box: new nn.Linear(8, 4) });
    assert.deepEqual([...dict], ['cls', 'box']);
    assert.deepEqual(Object.keys(dict.stateDict()), ['cls.weight', 'cls.bias', 'box.weight', 'box.bias']);
    dict.pop('cls');
    assert.deepEqual(dict.keys(), ['box']);
  });
});

describe('nn.init and nn.utils', () => {
  test('calculateGain and fans', () => {
    assert.equal(nn.init.calculateGain('linear'), 1);
    assert.equal(nn.init.calculateGain('tanh'), 5 / 3);
    assert.equal(nn.init.calculateGain('relu'), Math.SQRT2);
    assert.equal(nn.init.calculateGain('leaky_relu'), Math.sqrt(2 / (1 + 0.01 ** 2)));
    assert.equal(nn.init.calculateGain('selu'), 0.75);
    assert.deepEqual(nn.init.calculateFanInAndFanOut(torch.empty([4, 3, 5, 5])), [75, 100]);
    assert.throws(() => nn.init.calculateFanInAndFanOut(torch.empty([3])), /fewer than 2 dimensions/);
    assert.throws(() => nn.init.calculateGain('foo' as any), /Unsupported nonlinearity foo/);
  });

  test('initializers fill in place within their bounds / with their moments', () => {
    const w = nn.Parameter(torch.empty([200, 100]));
    nn.init.xavierUniform_(w);
    const a = Math.sqrt(6 / 300);
    assert.ok(Array.from(w.toArray()).every((v) => Math.abs(v) <= a));
    nn.init.kaimingNormal_(w, { mode: 'fan_out', nonlinearity: 'relu' });
    assert.ok(Math.abs(w.std().item() - Math.sqrt(2 / 200)) < 0.01);
    nn.init.kaimingUniform_(w, { a: Math.sqrt(5) });
    assert.ok(Array.from(w.toArray()).every((v) => Math.abs(v) <= 1 / Math.sqrt(100)));
    nn.init.xavierNormal_(w);
    assert.ok(Math.abs(w.std().item() - Math.sqrt(2 / 300)) < 0.01);
    nn.init.constant_(w, 0.5);
    assert.ok(Array.from(w.toArray()).every((v) => v === 0.5));
    nn.init.zeros_(w);
    nn.init.ones_(w);
    assert.equal(w.sum().item(), 20000);
    nn.init.truncNormal_(w, 0, 1, -0.5, 0.5);
    assert.ok(Array.from(w.toArray()).every((v) => Math.abs(v) <= 0.5));
    nn.init.eye_(w);
    assert.equal(w.sum().item(), 100);
    assert.equal(w.requiresGrad, true);
    assert.equal(w.grad, null);
  });

  test('clipGradNorm_ / clipGradValue_ / parametersToVector / vectorToParameters', () => {
    const a = nn.Parameter(torch.zeros([1]));
    const b = nn.Parameter(torch.zeros([1]));
    a.grad = torch.tensor([3], { dtype: 'float32' });
    b.grad = torch.tensor([4], { dtype: 'float32' });
    const total = nn.utils.clipGradNorm_([a, b], 1);
    allClose(total, [5], 1e-6);
    allClose(a.grad!, [0.6], 1e-5);
    allClose(b.grad!, [0.8], 1e-5);
    nn.utils.clipGradNorm_([a, b], 10);
    allClose(a.grad!, [0.6], 1e-5);
    b.grad = torch.tensor([4], { dtype: 'float32' });
    nn.utils.clipGradValue_([a, b], 0.7);
    allClose(b.grad!, [0.7], 1e-6);
    allClose(nn.utils.clipGradNorm_([a, b], 1, { normType: Infinity }), [0.7], 1e-6);
    b.grad = torch.tensor([NaN], { dtype: 'float32' });
    assert.throws(() => nn.utils.clipGradNorm_([a, b], 1, { errorIfNonfinite: true }), /non-finite/);
    const lin = new nn.Linear(2, 2);
    const v = nn.utils.parametersToVector(lin.parameters());
    assert.deepEqual(v.shape, [6]);
    nn.utils.vectorToParameters(torch.arange(6, { dtype: 'float32' }), lin.parameters());
    assert.deepEqual(lin.weight.tolist(), [[0, 1], [2, 3]]);
    assert.deepEqual(lin.bias!.tolist(), [4, 5]);
    assert.throws(() => nn.utils.vectorToParameters(torch.zeros([5]), lin.parameters()), /'vec' has 5 elements but the parameters hold 6/);
  });

  test('Parameter is a leaf tensor sharing storage; instanceof works with or without new', () => {
    const t = torch.ones([2]);
    const p = nn.Parameter(t);
    const q = new nn.Parameter(t, false);
    assert.ok(p instanceof nn.Parameter && q instanceof nn.Parameter && p instanceof Tensor);
    assert.ok(!(t instanceof nn.Parameter));
    assert.equal(p.requiresGrad, true);
    assert.equal(q.requiresGrad, false);
    assert.ok(p.isLeaf);
    torch.noGrad(() => p.mul_(3));
    assert.deepEqual(t.tolist(), [3, 3]);
    assert.throws(() => nn.Parameter(torch.tensor([1, 2], { dtype: 'int32' })), /Only Tensors of floating point dtype can require gradients/);
  });
});

describe('per-sample gradients through functionalCall (PyTorch golden)', () => {
  const golden = JSON.parse(readFileSync(new URL('./fixtures/golden/per_sample.json', import.meta.url), 'utf8')) as { cases: any[] };
  const mk = (g: { shape: number[]; dtype: string; data: number[] }) =>
    g.dtype === 'int64' || g.dtype === 'int32'
      ? torch.tensor(Int32Array.from(g.data), { shape: g.shape })
      : torch.tensor(g.dtype === 'float64' ? Float64Array.from(g.data) : Float32Array.from(g.data), { shape: g.shape });

  for (const c of golden.cases) {
    test(c.name, () => {
      const dtype = c.x.dtype as 'float32' | 'float64';
      const model = c.name.startsWith('mlp')
        ? new nn.Sequential(new nn.Linear(4, 8, { dtype }), new nn.Tanh(), new nn.Linear(8, 3, { dtype }))
        : new nn.Sequential(new nn.Conv2d(1, 2, 3, { dtype }), new nn.ReLU(), new nn.Flatten(), new nn.Linear(32, 3, { dtype }));
      const params: Record<string, Tensor> = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, mk(v as any)]));
      assert.deepEqual(Object.keys(params), model.namedParameters().map(([n]) => n));
      const loss = (p: Record<string, Tensor>, x: Tensor, y: Tensor) =>
        torch.crossEntropy(func.functionalCall(model, p, [x.unsqueeze(0)]) as Tensor, y.unsqueeze(0));
      const grads = func.vmap(func.grad(loss), { inDims: [null, 0, 0] })(params, mk(c.x), mk(c.y)) as Record<string, Tensor>;
      const tol = dtype === 'float64' ? 1e-10 : 1e-5;
      for (const [k, v] of Object.entries(c.expected)) allClose(grads[k]!, (v as any).data, tol);
    });
  }
});

test('ParameterList and ParameterDict register parameters with PyTorch names', () => {
  class M extends torch.nn.Module {
    ws = new torch.nn.ParameterList([torch.ones([2, 2]), torch.zeros([2])]);
    pd = new torch.nn.ParameterDict({ scale: torch.ones([1]) });
    override forward(x: torch.Tensor): torch.Tensor {
      return x.matmul(this.ws.get(0)).add(this.ws.get(1)).mul(this.pd.get('scale'));
    }
  }
  const m = new M();
  assert.deepEqual(Object.keys(m.stateDict()), ['ws.0', 'ws.1', 'pd.scale']);
  assert.equal(m.parameters().length, 3);
  assert.ok(m.ws.get(0).requiresGrad);
  m.ws.append(torch.ones([3]));
  assert.equal(m.ws.length, 3);
  m.call(torch.ones([1, 2])).sum().backward();
  assert.deepEqual(m.pd.get('scale').grad!.tolist(), [4]);
  assert.throws(() => m.pd.get('nope'), /no parameter named 'nope'/);
  const g = torch.func.grad((p: Record<string, torch.Tensor>) => (torch.func.functionalCall(m, p, torch.ones([1, 2])) as torch.Tensor).sum())(Object.fromEntries(m.namedParameters()));
  assert.deepEqual(Object.keys(g), ['ws.0', 'ws.1', 'ws.2', 'pd.scale']);
});
