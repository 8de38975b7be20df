// Trailing options objects are checked (a misspelt key is an error naming the camelCase spelling, never
// silently ignored), PyTorch's positional forms work, and reprs follow PyTorch's layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { nn, optim, func } from '../src/index.js';

const unknownOption = (fn: string, key: string, hint: string) => (e: Error) =>
  e instanceof torch.ValueError && e.message.startsWith(fn) && e.message.includes(`unknown option '${key}' (did you mean '${hint}'?)`);

test('unknown option keys are a ValueError naming the function and the camelCase spelling', () => {
  const x = torch.randn(2, 3);
  const cases: [string, () => unknown, string, string][] = [
    ['sum()', () => x.sum({ dim: 1, keepDim: true } as never), 'keepDim', 'keepdim'],
    ['mean()', () => torch.mean(x, { dims: 1 } as never), 'dims', 'dim'],
    ['var()', () => x.var({ dim: 0, unbias: false } as never), 'unbias', 'unbiased'],
    ['crossEntropy()', () => torch.crossEntropy(x, torch.tensor([0, 2], { dtype: 'int32' }), { label_smoothing: 0.1 } as never), 'label_smoothing', 'labelSmoothing'],
    ['mseLoss()', () => torch.mseLoss(x, x, { Reduction: 'sum' } as never), 'Reduction', 'reduction'],
    ['tensor()', () => torch.tensor([1], { requires_grad: true } as never), 'requires_grad', 'requiresGrad'],
    ['zeros()', () => torch.zeros([2], { dType: 'float64' } as never), 'dType', 'dtype'],
    ['nn.Linear', () => new nn.Linear(2, 2, { Bias: false } as never), 'Bias', 'bias'],
    ['nn.CrossEntropyLoss', () => new nn.CrossEntropyLoss({ ignore_index: 1 } as never), 'ignore_index', 'ignoreIndex'],
    ['nn.Conv2d', () => new nn.Conv2d(1, 1, 3, { padding_mode: 'zeros' } as never), 'padding_mode', 'paddingMode'],
    ['Adam', () => new optim.Adam([nn.Parameter(torch.zeros([1]))], { weight_decay: 0.1 } as never), 'weight_decay', 'weightDecay'],
    ['conv2d()', () => torch.conv2d(torch.randn(1, 1, 3, 3), torch.randn(1, 1, 2, 2), null, { strides: 1 } as never), 'strides', 'stride'],
    ['backward()', () => x.sum().backward(null, { retain_graph: true } as never), 'retain_graph', 'retainGraph'],
    ['stateDict()', () => new nn.Linear(1, 1).stateDict({ keep_vars: true } as never), 'keep_vars', 'keepVars'],
    ['vmap()', () => func.vmap((t: torch.Tensor) => t.sum(), { in_dims: 1 } as never), 'in_dims', 'inDims'],
    ['grad()', () => func.grad((t: torch.Tensor) => t.sum(), { has_aux: true } as never), 'has_aux', 'hasAux'],
    ['jacrev()', () => func.jacrev((t: torch.Tensor) => t, { argnum: 0 } as never), 'argnum', 'argnums'],
    ['functionalCall()', () => func.functionalCall(new nn.Linear(1, 1), {}, [torch.ones(1, 1)], { tie_weights: false } as never), 'tie_weights', 'tieWeights'],
  ];
  for (const [fn, call, key, hint] of cases) assert.throws(call, unknownOption(fn, key, hint), `${fn} with ${key}`);
  // A key with no near spelling is still refused, listing the known ones.
  assert.throws(() => x.sum({ axis: 1 } as never), /sum\(\): unknown option 'axis'; known: dim, keepdim, dtype/);
  // Nothing was changed by a refused call.
  const lin = new nn.Linear(2, 2);
  const before = lin.weight.clone();
  assert.throws(() => lin.loadStateDict({ weight: torch.zeros([2, 2]), bias: torch.zeros([2]) }, { stric: false } as never), /did you mean 'strict'/);
  assert.deepEqual(lin.weight.tolist(), before.tolist());
});

test('keepdim and the other options take effect with their right names', () => {
  const x = torch.tensor([[1, 5, 3], [4, 2, 6]]);
  assert.deepEqual(x.sum({ dim: 1, keepdim: true }).tolist(), [[9], [12]]);
  assert.deepEqual(x.var({ dim: 0, correction: 0 }).tolist(), [2.25, 2.25, 2.25]);
  assert.deepEqual(x.var(0).tolist(), [4.5, 4.5, 4.5]);
});

test("PyTorch's positional forms: sizes as numbers, lr as a number, arange/eye with options", () => {
  assert.deepEqual(torch.zeros(2, 3).shape, [2, 3]);
  assert.deepEqual(torch.ones(2, 3, { dtype: 'float64' }).dtype, 'float64');
  torch.manualSeed(7);
  const a = torch.randn(3, 4);
  torch.manualSeed(7);
  const b = torch.randn([3, 4]);
  assert.deepEqual(a.tolist(), b.tolist());
  const r = torch.arange(6, { dtype: 'float32' });
  assert.equal(r.dtype, 'float32');
  assert.deepEqual(r.tolist(), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(torch.arange(1, 4, { dtype: 'float64' }).tolist(), [1, 2, 3]);
  assert.deepEqual(torch.arange(1, 2, 0.25).tolist(), [1, 1.25, 1.5, 1.75]);
  assert.deepEqual(torch.eye(2, { dtype: 'float64' }).tolist(), [[1, 0], [0, 1]]);
  assert.equal(torch.eye(2, { dtype: 'float64' }).dtype, 'float64');
  assert.deepEqual(torch.eye(2, 3).shape, [2, 3]);
  const ri = torch.randint(3, [200]);
  assert.equal(ri.dtype, 'int32');
  assert.deepEqual([...new Set(ri.tolist() as number[])].sort(), [0, 1, 2]);
  // new SGD(params, 0.5) is lr 0.5: one step on loss = sum(p) moves p by -0.5.
  const p = nn.Parameter(torch.tensor([1, 2]));
  const opt = new optim.SGD([p], 0.5);
  p.sum().backward();
  opt.step();
  assert.deepEqual(p.tolist(), [0.5, 1.5]);
  assert.equal(new optim.Adam([nn.Parameter(torch.zeros([1]))], 0.01).paramGroups[0]!.lr, 0.01);
});

test('invalid sizes and ranges are refused instead of giving NaN shapes or wrapped values', () => {
  assert.throws(() => torch.eye(-1), /eye\(\): negative or non-integer dimension -1/);
  assert.throws(() => torch.arange(0, 10, NaN), /arange\(\): step must be a finite number, got NaN/);
  assert.throws(() => torch.arange(0, 10, -1), /arange\(\): upper bound and larger bound inconsistent with step sign/);
  assert.throws(() => torch.zeros(2.5), /non-integer dimension 2.5/);
  assert.throws(() => torch.randint(0, 2 ** 40, [2]), /cannot be converted to type int32 without overflow/);
  assert.throws(() => torch.full([2], 2 ** 31, { dtype: 'int32' }), /2147483648 cannot be converted to type int32/);
  assert.deepEqual(torch.full([2], 2 ** 31, { dtype: 'float64' }).tolist(), [2 ** 31, 2 ** 31]);
});

test("printing follows PyTorch's layout: wrapping at 80 columns, summaries above 1000 elements", () => {
  assert.equal(
    String(torch.arange(40, { dtype: 'int32' })),
    'tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n' +
      '        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,\n' +
      '        36, 37, 38, 39], dtype=torch.int32)',
  );
  assert.equal(
    String(torch.arange(2000, { dtype: 'float32' }).reshape(2, 1000)),
    // Integers whose largest shown is more than 1000 times the smallest: PyTorch switches to e-notation.
    'tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 9.9700e+02, 9.9800e+02,\n' +
      '         9.9900e+02],\n' +
      '        [1.0000e+03, 1.0010e+03, 1.0020e+03,  ..., 1.9970e+03, 1.9980e+03,\n' +
      '         1.9990e+03]])',
  );
  assert.equal(String(torch.arange(1001, { dtype: 'int32' })), 'tensor([   0,    1,    2,  ...,  998,  999, 1000], dtype=torch.int32)');
  const long = String(torch.ones(3000, { dtype: 'float64' }).requiresGrad_().mul(2));
  // The last suffix would pass 80 columns, so it goes on its own line, indented under the values.
  assert.equal(long, 'tensor([2., 2., 2.,  ..., 2., 2., 2.], dtype=torch.float64,\n       grad_fn=<MulBackward0>)');
  assert.equal(String(torch.zeros(0, 3)), 'tensor([], size=(0, 3))');
  assert.equal(String(nn.Parameter(torch.ones([2]))), 'Parameter containing:\ntensor([1., 1.], requires_grad=True)');
  for (const line of String(torch.linspace(0, 1, 100)).split('\n')) assert.ok(line.length <= 80, line);
});

test('optimizers print as torch.optim does; modules print their declared class names', () => {
  const lin = new nn.Linear(2, 1);
  assert.equal(
    String(new optim.SGD(lin.parameters(), 0.1)),
    'SGD (\nParameter Group 0\n    dampening: 0\n    lr: 0.1\n    maximize: False\n    momentum: 0\n    nesterov: False\n    weightDecay: 0\n)',
  );
  assert.match(String(new optim.Adam(lin.parameters())), /^Adam \(\nParameter Group 0\n {4}amsgrad: False\n {4}betas: \(0\.9, 0\.999\)\n {4}eps: 1e-08\n/);
  // The name comes from the declaration, not from the (possibly renamed) constructor.
  const Renamed = class extends nn.ReLU {};
  assert.equal(String(new Renamed()), 'Renamed()');
  const seq = new nn.Sequential(new nn.Linear(4, 2), new nn.ReLU());
  Object.defineProperty(nn.Linear, 'name', { value: 'minified' });
  try {
    assert.equal(String(seq), 'Sequential(\n  (0): Linear(in_features=4, out_features=2, bias=True)\n  (1): ReLU()\n)');
  } finally {
    Object.defineProperty(nn.Linear, 'name', { value: 'Linear' });
  }
});

test('manualSeed takes integers only, and seeds that differ in their high bits give different streams', () => {
  for (const bad of [NaN, 1.5, Infinity, 2 ** 60]) assert.throws(() => torch.manualSeed(bad), /manualSeed\(\): seed must be an integer/);
  const draw = (s: number) => {
    torch.manualSeed(s);
    return torch.rand(4).tolist();
  };
  assert.deepEqual(draw(5), draw(5));
  assert.notDeepEqual(draw(0), draw(2 ** 32));
  assert.notDeepEqual(draw(-1), draw(2 ** 32 - 1));
});

test('noGrad and enableGrad refuse async functions instead of leaving the mode wrong after an await', () => {
  const w = torch.ones([2]).requiresGrad_();
  assert.throws(() => torch.noGrad(async () => w.mul(2)), (e: Error) => e instanceof torch.AutogradError && /noGrad\(\): got an async function; grad mode cannot follow an await/.test(e.message));
  assert.throws(() => torch.enableGrad(() => Promise.resolve(1)), /enableGrad\(\): got an async function/);
  assert.equal(torch.isGradEnabled(), true);
  assert.equal(torch.noGrad(() => w.mul(2)).requiresGrad, false);
});

test("options after a positional dim, as PyTorch's keyword arguments: x.var(0, { correction: 0 })", () => {
  const x = torch.tensor([[1, 5, 3], [4, 2, 6]], { dtype: 'float64' });
  assert.deepEqual(x.var(0, { correction: 0 }).tolist(), [2.25, 2.25, 2.25]);
  assert.deepEqual(x.var(1, { keepdim: true, correction: 0 }).shape, [2, 1]);
  assert.deepEqual(x.sum(1, { keepdim: true }).tolist(), [[9], [12]]);
  assert.throws(() => x.var(0, { correction: 0, dim: 1 } as never), /var\(\): unknown option 'dim'/);
  assert.throws(() => x.sum(0, { keepDim: true } as never), /did you mean 'keepdim'/);
  assert.throws(() => x.sum({ dim: 0 }, true as never), /pass keepdim inside the options object/);
});

test('rarely taken option branches give the values PyTorch gives', () => {
  // argmax/argmin over all dims with keepdim: a [1, 1] tensor holding the flat index.
  const x = torch.tensor([[3, 9, 1], [7, 0, 5]]);
  const am = torch.argmax(x, null, true);
  assert.deepEqual(am.shape, [1, 1]);
  assert.deepEqual(am.tolist(), [[1]]);
  assert.deepEqual(torch.argmin(x, null, true).tolist(), [[4]]);
  // embeddingBag's negative paddingIdx counts from the end: -1 is the last row, left out of each bag.
  const w = torch.tensor([[1, 2], [3, 4], [5, 6]]);
  const bags = torch.tensor([[0, 2], [2, 2], [1, 0]], { dtype: 'int32' });
  assert.deepEqual(nn.functional.embeddingBag(bags, w, { mode: 'sum', paddingIdx: -1 }).tolist(), [[1, 2], [0, 0], [4, 6]]);
  assert.deepEqual(nn.functional.embeddingBag(bags, w, { mode: 'mean', paddingIdx: -3 }).tolist(), [[5, 6], [5, 6], [3, 4]]);
  // Alpha dropout with p = 1 in training drops everything to zero (PyTorch: input * 0).
  const y = torch.tensor([[0.5, -1], [2, 3]]);
  // (x * 0 keeps the sign of a negative x, as in PyTorch; + 0 makes -0 into 0 for the comparison.)
  assert.deepEqual(nn.functional.alphaDropout(y, 1, true).add(0).tolist(), [[0, 0], [0, 0]]);
  assert.deepEqual(nn.functional.featureAlphaDropout(y.reshape(1, 2, 2), 1, true).add(0).tolist(), [[[0, 0], [0, 0]]]);
  assert.deepEqual(nn.functional.alphaDropout(y, 0.5, false).tolist(), y.tolist());
  // A batch of zero images pools to a batch of zero results.
  assert.deepEqual(nn.functional.maxPool3d(torch.zeros([0, 1, 4, 4, 4]), 2).shape, [0, 1, 2, 2, 2]);
  // indexPut_ with a 0-d value writes it everywhere the index points; a 1-D value element by element.
  const z = torch.zeros([4]);
  z.indexPut_([torch.tensor([0, 2], { dtype: 'int32' })], torch.tensor(7));
  assert.deepEqual(z.tolist(), [7, 0, 7, 0]);
  z.indexPut_([torch.tensor([1, 3], { dtype: 'int32' })], torch.tensor([5, 6]));
  assert.deepEqual(z.tolist(), [7, 5, 7, 6]);
});

test('more branches with their values: einsum\'s implicit output, a bool mask beside an ellipsis, pdist with p = 0, multiDot ending in a vector, solveEx without checkErrors, an integer cast', () => {
  const A = torch.tensor([[1, 2], [3, 4]], { dtype: 'float64' });
  const B = torch.tensor([[5, 6], [7, 8]], { dtype: 'float64' });
  // Implicit output: the letters seen once, sorted; repeated ones are summed.
  assert.deepEqual(torch.einsum('ij,jk', A, B).tolist(), [[19, 22], [43, 50]]);
  assert.deepEqual(torch.einsum('ba,bc', A, B).tolist(), [[26, 30], [38, 44]]);
  assert.equal(torch.einsum('ii', A).item(), 5);
  // A 2-D mask takes two dims, so the ellipsis stands for none of [2, 3, 4]'s first two.
  const x = torch.arange(24).reshape(2, 3, 4);
  const mask = torch.tensor([[true, false, false], [false, false, true]]);
  assert.deepEqual(x.index(mask, '...').tolist(), [[0, 1, 2, 3], [20, 21, 22, 23]]);
  const last = torch.tensor([[true, false, false, false], [false, false, false, false], [false, false, false, true]]);
  assert.deepEqual(x.index('...', last).tolist(), [[0, 11], [12, 23]]);
  // pdist with p = 0 counts the coordinates that differ.
  const pts = torch.tensor([[0, 1, 2], [0, 5, 2], [1, 5, 3]]);
  assert.deepEqual(nn.functional.pdist(pts, 0).tolist(), [1, 3, 2]);
  // multiDot with a vector last: a vector result.
  assert.deepEqual(torch.linalg.multiDot([A, B, torch.tensor([1, -1], { dtype: 'float64' })]).tolist(), [-3, -7]);
  // solveEx reports a singular matrix in info and does not raise unless asked.
  const { info } = torch.linalg.solveEx(torch.zeros([2, 2], { dtype: 'float64' }), B);
  assert.notEqual(info.item(), 0);
  // An integer result carries no gradient, as in PyTorch.
  const w = torch.tensor([1.5, 2.5], { requiresGrad: true });
  assert.equal(w.to('int32').requiresGrad, false);
  assert.equal(w.mul(2).requiresGrad, true);
  assert.throws(() => w.to('int32').sum().backward(), /element 0 of tensors does not require grad and does not have a grad_fn/);
});

test('options whose value changes the result: lstsq drivers, vector norms at +-inf, instanceNorm eps, repeat by 0, avgPool3d divisorOverride null, einsum of mixed dtypes', () => {
  const A = torch.tensor([[1, 0], [0, 1], [1, 1]], { dtype: 'float64' });
  const b = torch.tensor([[1], [2], [4]], { dtype: 'float64' });
  // x = (AᵀA)⁻¹Aᵀb = [4/3, 7/3]; the residual b - Ax = [-1/3, -1/3, 1/3] has squared norm 1/3.
  const gelsd = torch.linalg.lstsq(A, b, { driver: 'gelsd' });
  assert.ok(Math.abs((gelsd.residuals.tolist() as number[])[0]! - 1 / 3) < 1e-12);
  assert.deepEqual(torch.linalg.lstsq(A, b, { driver: 'gelsy' }).residuals.shape, [0], 'gelsy computes no residuals, as in PyTorch');
  const v = torch.tensor([3, -4, 1]);
  assert.equal(torch.linalg.vectorNorm(v, Infinity).item(), 4);
  assert.equal(torch.linalg.vectorNorm(v, -Infinity).item(), 1);
  // The inf-norm's gradient is the sign at the largest magnitude (PyTorch: tensor([0., -1., 0.]); + 0 drops -0).
  assert.deepEqual(torch.func.grad((u: torch.Tensor) => torch.linalg.vectorNorm(u, Infinity))(v).add(0).tolist(), [0, -1, 0]);
  assert.deepEqual(torch.func.grad((u: torch.Tensor) => torch.linalg.vectorNorm(u, -Infinity))(v).add(0).tolist(), [0, 0, 1]);
  // instanceNorm of [0, 2] per channel: mean 1, variance 1, so (x - 1) / sqrt(1 + eps).
  const y = nn.functional.instanceNorm(torch.tensor([[[0, 2]]], { dtype: 'float64' }), { eps: 3 });
  assert.deepEqual(y.tolist(), [[[-0.5, 0.5]]]);
  assert.deepEqual(torch.ones([2]).repeat(0, 2).shape, [0, 4]);
  assert.deepEqual(torch.ones([1, 3]).expand([0, 3]).shape, [0, 3], 'a size-1 dim expands to 0, as in PyTorch');
  assert.equal(torch.outer(torch.ones([2]), torch.ones([2], { dtype: 'bool' })).dtype, 'float32');
  // linear of a vector with a 0-d bias: a scalar, 1 + 2 + 3 + 0.5.
  assert.equal(nn.functional.linear(torch.tensor([1, 2, 3]), torch.tensor([1, 1, 1]), torch.tensor(0.5)).item(), 6.5);
  // einsum with a letter repeated inside one operand takes that operand's diagonal.
  assert.deepEqual(torch.einsum('ii->i', torch.tensor([[1, 2], [3, 4]])).tolist(), [1, 4]);
  assert.deepEqual(torch.einsum('iij->j', torch.arange(8, { dtype: 'float32' }).reshape(2, 2, 2)).tolist(), [6, 8]);
  // multilabelSoftMarginLoss's per-class weight: each class costs log 2 at x = 0, weighted 2 and 3, averaged.
  const ml = nn.functional.multilabelSoftMarginLoss(torch.zeros([1, 2], { dtype: 'float64' }), torch.tensor([[1, 0]], { dtype: 'float64' }), { weight: torch.tensor([2, 3], { dtype: 'float64' }) });
  assert.ok(Math.abs(ml.item() - 2.5 * Math.log(2)) < 1e-12);
  assert.deepEqual(nn.functional.avgPool3d(torch.arange(8, { dtype: 'float32' }).reshape(1, 1, 2, 2, 2), 2, { divisorOverride: null }).tolist(), [[[[[3.5]]]]]);
  const e = torch.einsum('i,i', torch.tensor([1.5, 2]), torch.tensor([2, 3], { dtype: 'int32' }));
  assert.equal(e.dtype, 'float32');
  assert.equal(e.item(), 9);
});

test('options whose value changes the result: lstsq rcond, fold padding, windowed padding below zero', () => {
  // lstsq with rcond cuts singular values below rcond * the largest: diag(1, 1e-3) at rcond 1e-2 keeps
  // only the first, so the second unknown is 0 instead of 2 / 1e-3.
  const A = torch.tensor([[1, 0], [0, 1e-3]], { dtype: 'float64' });
  const b = torch.tensor([[3], [2]], { dtype: 'float64' });
  assert.deepEqual(torch.linalg.lstsq(A, b, { rcond: 1e-2, driver: 'gelsd' }).solution.tolist(), [[3], [0]]);
  const full = torch.linalg.lstsq(A, b, { driver: 'gelsd' }).solution.tolist() as number[][];
  assert.ok(Math.abs(full[1]![0]! - 2000) < 1e-6, `without rcond: ${full}`);
  // fold(unfold(x)) multiplies each pixel by the number of windows that cover it. 2x2 windows over a
  // 3x3 image padded by 1 row on each side (none on the columns): every row lies in 2 windows
  // vertically; columns 0 and 2 lie in 1 window horizontally, column 1 in 2.
  const x = torch.arange(1, 10, { dtype: 'float64' }).reshape(1, 1, 3, 3);
  const opts = { padding: [1, 0] as [number, number] };
  const y = nn.functional.fold(nn.functional.unfold(x, 2, opts), [3, 3], 2, opts);
  assert.deepEqual(y.tolist(), [[[[2, 8, 6], [8, 20, 12], [14, 32, 18]]]]);
  const z = nn.functional.fold(nn.functional.unfold(x, 2, { padding: [0, 1] }), [3, 3], 2, { padding: [0, 1] });
  assert.deepEqual(z.tolist(), [[[[2, 4, 6], [16, 20, 24], [14, 16, 18]]]]); // rows 1, 2, 1 windows; columns 2 each
  // A window function's padding below zero names the tuple of 3 non-negative integers it needs.
  assert.throws(() => nn.functional.maxPool3d(torch.rand([1, 1, 2, 2, 2]), 2, { padding: -1 }), (e: Error) => e.message ===
    "maxPool3d(): expected 'padding' to be a non-negative integer or a tuple of 3 non-negative integers, got -1");
});

test('options no test had set: var unbiased, linalg.diagonal dims, ctcLoss zeroInfinity, functionalCall kwargs, static keys and values', () => {
  // var of [1, 2, 3, 4]: sum of squared deviations 5, over n - 1 = 3, or over n = 4 when unbiased is false;
  // correction, when given, wins.
  const v = torch.tensor([[1, 2, 3, 4]], { dtype: 'float64' });
  assert.equal(torch.var(v, { unbiased: false }).item(), 1.25);
  assert.equal(torch.var(v).item(), 5 / 3);
  assert.deepEqual(v.var(1, { unbiased: false }).tolist(), [1.25]);
  assert.equal(torch.var(v, { correction: 1, unbiased: false }).item(), 5 / 3);
  // linalg.diagonal over dims 0 and 2 of an arange [2, 3, 4]: A[i, j, i] = 12i + 4j + i, as [3, 2].
  const A = torch.arange(24, { dtype: 'float32' }).reshape(2, 3, 4);
  assert.deepEqual(torch.linalg.diagonal(A, { dim1: 0, dim2: 2 }).tolist(), [[0, 13], [4, 17], [8, 21]]);
  assert.deepEqual(torch.linalg.diagonal(A, { dim1: 2, dim2: 0, offset: 1 }).tolist(), [[12], [16], [20]]);
  // A target longer than the input has no alignment: an infinite loss, or 0 (and a 0 gradient) with zeroInfinity.
  const logp = torch.randn([1, 1, 3], { dtype: 'float64' }).logSoftmax(2).requiresGrad_();
  const targets = torch.tensor([[1, 2]], { dtype: 'int32' });
  assert.equal(nn.functional.ctcLoss(logp, targets, [1], [2], { reduction: 'sum' }).item(), Infinity);
  const zero = nn.functional.ctcLoss(logp, targets, [1], [2], { reduction: 'sum', zeroInfinity: true });
  assert.equal(zero.item(), 0);
  zero.backward();
  assert.deepEqual(logp.grad!.tolist(), [[[0, 0, 0]]]);
  // functionalCall passes kwargs as the forward's last argument.
  class Scale extends nn.Module {
    w = new nn.Parameter(torch.tensor([2]));
    override forward(x: torch.Tensor, o: { by: number }) {
      return x.mul(this.w).mul(o.by);
    }
  }
  const m = new Scale();
  const out = func.functionalCall(m, { w: torch.tensor([5]) }, [torch.tensor([1, 2])] as never, { kwargs: { by: 10 } });
  assert.deepEqual(out.tolist(), [50, 100]);
  // Static keys and values stand for the projected ones: given exactly those, the result is the same.
  torch.manualSeed(3);
  const [L, N, E, H] = [3, 2, 4, 2];
  const q = torch.randn([L, N, E], { dtype: 'float64' });
  const kv = torch.randn([5, N, E], { dtype: 'float64' });
  const W = torch.randn([3 * E, E], { dtype: 'float64' });
  const Wo = torch.randn([E, E], { dtype: 'float64' });
  const plain = nn.functional.multiHeadAttentionForward(q, kv, kv, E, H, W, null, null, null, false, 0, Wo, null)[0];
  const heads = (w: torch.Tensor) => kv.matmul(w.t()).reshape(5, N * H, E / H).transpose(0, 1);
  const [, Wk, Wv] = W.chunk(3, 0);
  const staticOut = nn.functional.multiHeadAttentionForward(q, kv, kv, E, H, W, null, null, null, false, 0, Wo, null, { staticK: heads(Wk!), staticV: heads(Wv!) })[0];
  assert.ok(staticOut.sub(plain).abs().max().item() < 1e-12);
  // A different static V changes the result (it is read, not recomputed).
  const other = nn.functional.multiHeadAttentionForward(q, kv, kv, E, H, W, null, null, null, false, 0, Wo, null, { staticK: heads(Wk!), staticV: heads(Wv!).mul(2) })[0];
  assert.ok(other.sub(plain.mul(2)).abs().max().item() < 1e-12, 'attention is linear in V, and the output projection has no bias');
});

test('branches with their values: split of an empty dim, a 0-d index, an even LRN size, solve with matrix and batched-vector B, vander of bools, vjp of an output independent of the input', () => {
  // split along an empty dim gives one empty chunk, as PyTorch.
  const parts = torch.split(torch.zeros([0, 2]), 2);
  assert.deepEqual(parts.map((t) => t.shape), [[0, 2]]);
  // indexSelect with a 0-d index keeps the dim, with size 1.
  const x = torch.tensor([[1, 2], [3, 4], [5, 6]]);
  const picked = torch.indexSelect(x, 0, torch.tensor(1, { dtype: 'int32' }));
  assert.deepEqual([picked.shape, picked.tolist()], [[1, 2], [[3, 4]]]);
  // localResponseNorm against PyTorch's formula: a window of channels c - floor(n/2) .. c + floor((n-1)/2)
  // (zero outside), averaged over n, for an even and an odd n.
  const a = [1, 2, 3, 4];
  const [alpha, beta, k] = [0.5, 0.75, 1];
  for (const n of [2, 3]) {
    const want = a.map((v, c) => {
      let s = 0;
      for (let j = c - Math.floor(n / 2); j <= c + Math.floor((n - 1) / 2); j++) s += j >= 0 && j < a.length ? a[j]! ** 2 : 0;
      return v / (k + (alpha * s) / n) ** beta;
    });
    const got = nn.functional.localResponseNorm(torch.tensor(a, { dtype: 'float64' }).reshape(1, 4, 1), n, { alpha, beta, k }).reshape(4).tolist() as number[];
    got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-12, `size ${n}, channel ${i}: ${g} vs ${want[i]}`));
  }
  // solve with a matrix B: A⁻¹B for A = [[2, 1], [1, 3]] (det 5, A⁻¹ = [[3, -1], [-1, 2]] / 5).
  const A = torch.tensor([[2, 1], [1, 3]], { dtype: 'float64' });
  const X = torch.linalg.solve(A, torch.tensor([[5, 10, 0], [5, 0, 10]], { dtype: 'float64' })).tolist() as number[][];
  const wantX = [[2, 6, -2], [1, -2, 4]];
  X.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - wantX[i]![j]!) < 1e-12, `X[${i}][${j}] = ${v}`)));
  // B of shape A.shape[:-1] is a batch of vectors: row i solves A[i] x = B[i].
  const As = torch.stack([A, A.mul(2)]);
  const xs = torch.linalg.solve(As, torch.tensor([[5, 5], [10, 10]], { dtype: 'float64' })).tolist() as number[][];
  [[2, 1], [2, 1]].forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(xs[i]![j]! - v) < 1e-12, `x[${i}][${j}]`)));
  // vander of bools counts them as 0 and 1.
  assert.deepEqual(torch.linalg.vander(torch.tensor([true, false])).tolist(), [[1, 1], [1, 0]]);
  // vjp of a function with an output that does not depend on the input: its cotangent adds nothing.
  const [, vjpFn] = func.vjp((v: torch.Tensor) => [v.mul(2), torch.ones([2])], torch.tensor([1, 2]));
  assert.deepEqual(vjpFn([torch.ones([2]), torch.ones([2])]).map((t: torch.Tensor) => t.tolist()), [[2, 2]]);
});

test('more branches with their values: an empty object as the last primal, convTranspose3d output padding in depth', () => {
  // An empty object is a primal (an empty pytree), not vjp's options: f receives it.
  const x = torch.tensor([1, 2]);
  const [out, vjpFn] = func.vjp((a: torch.Tensor, o: object) => a.mul(Object.keys(o).length + 2), x, {} as never);
  assert.deepEqual(out.tolist(), [2, 4]);
  assert.deepEqual((vjpFn(torch.ones([2])) as torch.Tensor[])[0]!.tolist(), [2, 2]);
  // A 1x1x1 input of 1 and a 1x1x1 kernel of 2 at stride 2: each output padding adds one zero plane.
  const one = torch.ones([1, 1, 1, 1, 1]);
  const w = torch.full([1, 1, 1, 1, 1], 2);
  for (const [op, shape] of [[[1, 0, 0], [1, 1, 2, 1, 1]], [[0, 1, 0], [1, 1, 1, 2, 1]], [[0, 0, 1], [1, 1, 1, 1, 2]]] as const) {
    const y = nn.functional.convTranspose3d(one, w, null, { stride: 2, outputPadding: [...op] });
    assert.deepEqual(y.shape, [...shape], `outputPadding ${op}`);
    assert.deepEqual(y.flatten().tolist(), [2, 0], `outputPadding ${op}`);
  }
});

test('from the seed-5 draw: cat of two float dtypes, a 3-D attention mask, a gradient of the wrong shape, an unpack hook returning a non-tensor', () => {
  // cat promotes to the widest float, whichever operand carries it.
  const a = torch.tensor([1], { dtype: 'float32' });
  const b = torch.tensor([2], { dtype: 'float64' });
  assert.deepEqual([torch.cat([a, b]).dtype, torch.cat([b, a]).dtype, torch.cat([torch.tensor([1], { dtype: 'int32' }), a]).dtype], ['float64', 'float64', 'float32']);
  // A 3-D float mask [N * H, L, S] of zeros changes nothing; one that hides all but the first key
  // gives every query that key's value.
  torch.manualSeed(4);
  const [L, N, E, H, S] = [2, 1, 4, 2, 3];
  const q = torch.randn([L, N, E], { dtype: 'float64' });
  const kv = torch.randn([S, N, E], { dtype: 'float64' });
  const W = torch.randn([3 * E, E], { dtype: 'float64' });
  const Wo = torch.eye(E, { dtype: 'float64' });
  const run = (attnMask?: torch.Tensor) => nn.functional.multiHeadAttentionForward(q, kv, kv, E, H, W, null, null, null, false, 0, Wo, null, attnMask ? { attnMask } : {})[0];
  assert.ok(run(torch.zeros([N * H, L, S], { dtype: 'float64' })).sub(run()).abs().max().item() < 1e-12);
  const firstOnly = torch.tensor([0, -Infinity, -Infinity], { dtype: 'float64' }).expand(N * H, L, S);
  const v0 = kv.select(0, 0).matmul(W.chunk(3, 0)[2]!.t()); // the first key's value, projected: [N, E]
  assert.ok(run(firstOnly).sub(v0.expand(L, N, E)).abs().max().item() < 1e-12);
  // backward with a gradient of another shape than the output.
  const x = torch.ones([2], { requiresGrad: true });
  assert.throws(() => x.mul(2).backward(torch.ones([3])), (e: Error) => e.name === 'AutogradError' &&
    e.message === 'backward(): Mismatch in shape: grad_output[0] has a shape of [3] and output[0] has a shape of [2]');
  // An unpack hook must give back a tensor, not an object that only looks like one.
  const y = torch.autograd.graph.savedTensorsHooks((t) => t, () => ({ shape: [2] }) as never, () => x.mul(x));
  assert.throws(() => y.sum().backward(), (e: Error) => e.name === 'AutogradError' &&
    e.message === 'saved tensors hooks: the unpack hook must return a Tensor (got object) for a tensor saved by mul');
});

test('choleskyEx of a matrix that is not positive-definite: info, the columns computed before, and nothing above the diagonal', () => {
  // The third leading minor fails (d = -1 - 0.25 - 0.25); PyTorch 1.13 gives the same first two columns.
  const A = torch.tensor([[4, 2, 1], [2, 2, 0], [1, 0, -1]], { dtype: 'float64' });
  const { L, info } = torch.linalg.choleskyEx(A);
  assert.equal(info.item(), 3);
  const l = L.tolist() as number[][];
  assert.deepEqual(l.map((r) => r.slice(0, 2)), [[2, 0], [1, 1], [0.5, -0.5]]);
  assert.deepEqual([l[0]![1], l[0]![2], l[1]![2]], [0, 0, 0]);
});
