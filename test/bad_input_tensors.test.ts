// A tensor argument given something else: each public function names itself and the argument in
// the error, as PyTorch's "argument 'input' must be Tensor". Rows built from the (function,
// argument) pairs the ops check, so a wrong name at any one call site shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { rejects, type Rejection } from './support/throws.js';

// The rows pass a string where a tensor belongs on purpose.
const T = torch as any;
const F = torch.nn.functional as any;
const L = torch.linalg as any;
const s = 'not a tensor';
const x = torch.randn([2, 3]);
const sq = torch.randn([3, 3]);
const idx = torch.tensor([[0, 1, 0]], { dtype: 'int32' });

/** [function name as the message gives it, argument name, the call with a string in that argument]. */
type Row = [fn: string, arg: string, call: () => unknown];
const rows = (list: Row[]): Rejection[] =>
  list.map(([fn, arg, call]) => [`${fn} ${arg}`, call, 'DTypeError', `${fn}(): argument '${arg}' must be a Tensor, got string`]);

/** A row for an unknown option 'bogus'; `prefix` is how the message names the function (`grad()`, `linalg.qr`). */
const unknownOption = (prefix: string, known: string, call: () => unknown): Rejection =>
  [`${prefix} ${known}`, call, 'ValueError', `${prefix}: unknown option 'bogus'; known: ${known}`];

test('linear algebra and softmax name the function and the argument', () => {
  rejects(rows([
    ['matmul', 'input', () => T.matmul(s, x)],
    ['matmul', 'other', () => T.matmul(x, s)],
    ['mm', 'input', () => T.mm(s, x)],
    ['mm', 'other', () => T.mm(x, s)],
    ['bmm', 'input', () => T.bmm(s, x)],
    ['bmm', 'other', () => T.bmm(x, s)],
    ['dot', 'input', () => T.dot(s, x)],
    ['dot', 'other', () => T.dot(x, s)],
    ['outer', 'input', () => T.outer(s, x)],
    ['outer', 'other', () => T.outer(x, s)],
    ['softmax', 'input', () => T.softmax(s, 0)],
    ['logSoftmax', 'input', () => T.logSoftmax(s, 0)],
    ['linalg.diagonal', 'A', () => L.diagonal(s)],
    ['linalg.inv', 'A', () => L.inv(s)],
    ['linalg.slogdet', 'A', () => L.slogdet(s)],
    ['linalg.det', 'A', () => L.det(s)],
    ['linalg.solve', 'A', () => L.solve(s, sq)],
    ['linalg.solve', 'B', () => L.solve(sq, s)],
  ]));
});

test('elementwise, comparison and reductions name the function and the argument', () => {
  rejects(rows([
    ['equal', 'input', () => T.equal(s, x)],
    ['equal', 'other', () => T.equal(x, s)],
    ['logicalNot', 'input', () => T.logicalNot(s)],
    ['isnan', 'input', () => T.isnan(s)],
    ['exp2', 'input', () => T.exp2(s)],
    ['trunc', 'input', () => T.trunc(s)],
    ['where', 'condition', () => T.where(s, x, x)],
    ['clamp', 'input', () => T.clamp(s, 0, 1)],
    ['gelu', 'input', () => F.gelu(s)],
    ['softplus', 'input', () => F.softplus(s)],
    ['logSigmoid', 'input', () => F.logSigmoid(s)],
    ['cast', 'input', () => T.cast(s, 'float32')],
    ['isFloatingPoint', 'input', () => T.isFloatingPoint(s)],
    ['sum', 'input', () => T.sum(s)],
    ['mean', 'input', () => T.mean(s)],
    ['prod', 'input', () => T.prod(s)],
    ['amax', 'input', () => T.amax(s)],
    ['amin', 'input', () => T.amin(s)],
    ['max', 'input', () => T.max(s)],
    ['min', 'input', () => T.min(s)],
    ['var', 'input', () => T.var(s)],
    ['std', 'input', () => T.std(s)],
    ['logsumexp', 'input', () => T.logsumexp(s, 0)],
    ['norm', 'input', () => T.norm(s)],
    ['cumsum', 'input', () => T.cumsum(s, 0)],
    ['any', 'input', () => T.any(s)],
    ['all', 'input', () => T.all(s)],
    ['argsort', 'input', () => T.argsort(s)],
    ['sort', 'input', () => T.sort(s)],
    ['topk', 'input', () => T.topk(s, 1)],
  ]));
});

test('indexing and shape ops name the function and the argument', () => {
  rejects(rows([
    ['nonzero', 'input', () => T.nonzero(s)],
    ['index', 'input', () => T.index(s, 0)],
    ['indexPut_', 'input', () => T.indexPut_(s, [0], 1)],
    ['reshape', 'input', () => T.reshape(s, [6])],
    ['view', 'input', () => T.view(s, [6])],
    ['flatten', 'input', () => T.flatten(s)],
    ['unflatten', 'input', () => T.unflatten(s, 0, [2, 1])],
    ['squeeze', 'input', () => T.squeeze(s)],
    ['unsqueeze', 'input', () => T.unsqueeze(s, 0)],
    ['permute', 'input', () => T.permute(s, [1, 0])],
    ['transpose', 'input', () => T.transpose(s, 0, 1)],
    ['mT', 'input', () => T.mT(s)],
    ['movedim', 'input', () => T.movedim(s, 0, 1)],
    ['expand', 'input', () => T.expand(s, [2, 3])],
    ['contiguous', 'input', () => T.contiguous(s)],
    ['clone', 'input', () => T.clone(s)],
    ['sliceDim', 'input', () => T.sliceDim(s, 0, 0, 1)],
    ['narrow', 'input', () => T.narrow(s, 0, 0, 1)],
    ['select', 'input', () => T.select(s, 0, 0)],
    ['split', 'input', () => T.split(s, 1)],
    ['chunk', 'input', () => T.chunk(s, 2)],
    ['flip', 'input', () => T.flip(s, [0])],
    ['roll', 'input', () => T.roll(s, 1, 0)],
    ['pad', 'input', () => F.pad(s, [1, 1])],
    ['gather', 'input', () => T.gather(s, 1, idx)],
    ['gather', 'index', () => T.gather(x, 1, s)],
    ['scatter', 'input', () => T.scatter(s, 1, idx, x)],
    ['scatter', 'index', () => T.scatter(x, 1, s, x)],
    ['scatter', 'src', () => T.scatter(x, 1, idx, s)],
    ['scatterAdd', 'input', () => T.scatterAdd(s, 1, idx, x)],
    ['scatterAdd', 'index', () => T.scatterAdd(x, 1, s, x)],
    ['indexSelect', 'index', () => T.indexSelect(x, 0, s)],
    ['repeat', 'input', () => T.repeat(s, [1, 1])],
    ['triu', 'input', () => T.triu(s)],
    ['tril', 'input', () => T.tril(s)],
    ['diagonal', 'input', () => T.diagonal(s)],
    ['diagEmbed', 'input', () => T.diagEmbed(s)],
    ['diag', 'input', () => T.diag(s)],
  ]));
});

test('nn.functional names the function and the tensor argument', () => {
  const logp = torch.randn([2, 3]);
  rejects(rows([
    ['hardsigmoid', 'input', () => F.hardsigmoid(s)],
    ['hardswish', 'input', () => F.hardswish(s)],
    ['glu', 'input', () => F.glu(s)],
    ['selu', 'input', () => F.selu(s)],
    ['celu', 'input', () => F.celu(s)],
    ['softsign', 'input', () => F.softsign(s)],
    ['softmin', 'input', () => F.softmin(s, 0)],
    ['tanhshrink', 'input', () => F.tanhshrink(s)],
    ['softshrink', 'input', () => F.softshrink(s)],
    ['hardshrink', 'input', () => F.hardshrink(s)],
    ['threshold', 'input', () => F.threshold(s, 0, 0)],
    ['cosineSimilarity', 'x1', () => F.cosineSimilarity(s, x)],
    ['cosineSimilarity', 'x2', () => F.cosineSimilarity(x, s)],
    ['pairwiseDistance', 'x1', () => F.pairwiseDistance(s, x)],
    ['mseLoss', 'target', () => F.mseLoss(x, s)],
    ['nllLoss', 'target', () => F.nllLoss(logp, s)],
    ['crossEntropy', 'target', () => F.crossEntropy(logp, s)],
    ['multiMarginLoss', 'target', () => F.multiMarginLoss(logp, s)],
    ['embedding', 'indices', () => F.embedding(s, x)],
    ['embeddingBag', 'input', () => F.embeddingBag(s, x)],
    ['embeddingBag', 'offsets', () => F.embeddingBag(torch.tensor([0, 1], { dtype: 'int32' }), x, { offsets: s })],
    ['ctcLoss', 'targets', () => F.ctcLoss(torch.randn([2, 1, 3]).logSoftmax(2), s, [2], [1])],
  ]));
});

/** [function name as the message gives it, argument name, its valid range, the call with dim 5]. */
type DimRow = [fn: string, arg: string, range: string, call: () => unknown];
const dimRows = (list: DimRow[]): Rejection[] =>
  list.map(([fn, arg, range, call]) => [
    `${fn} ${arg}`, call, 'IndexError', `${fn}(): Dimension out of range (expected '${arg}' to be in range of ${range}, but got 5)`,
  ]);

test('a dim out of range names the function, the argument and the range', () => {
  const two = '[-2, 1]';
  rejects(dimRows([
    ['glu', 'dim', two, () => F.glu(x, 5)],
    ['cosineSimilarity', 'dim', two, () => F.cosineSimilarity(x, x, { dim: 5 })],
    ['mean', 'dim', two, () => torch.mean(x, 5)],
    ['amax', 'dim', two, () => torch.amax(x, 5)],
    ['amin', 'dim', two, () => torch.amin(x, 5)],
    ['max', 'dim', two, () => torch.max(x, 5)],
    ['min', 'dim', two, () => torch.min(x, 5)],
    ['argmax', 'dim', two, () => torch.argmax(x, 5)],
    ['argmin', 'dim', two, () => torch.argmin(x, 5)],
    ['sum', 'dim', two, () => torch.sum(x, 5)],
    ['prod', 'dim', two, () => torch.prod(x, 5)],
    ['var', 'dim', two, () => torch.var(x, 5)],
    ['std', 'dim', two, () => torch.std(x, 5)],
    ['logsumexp', 'dim', two, () => torch.logsumexp(x, 5)],
    ['cumsum', 'dim', two, () => torch.cumsum(x, 5)],
    ['flatten', 'start_dim', two, () => torch.flatten(x, 5)],
    ['flatten', 'end_dim', two, () => torch.flatten(x, 0, 5)],
    ['unflatten', 'dim', two, () => torch.unflatten(x, 5, [1])],
    ['unsqueeze', 'dim', '[-3, 2]', () => torch.unsqueeze(x, 5)],
    ['transpose', 'dim', two, () => torch.transpose(x, 5, 0)],
    ['transpose', 'dim', two, () => torch.transpose(x, 0, 5)],
    ['movedim', 'dim', two, () => torch.movedim(x, 5, 0)],
    ['movedim', 'dim', two, () => torch.movedim(x, 0, 5)],
    ['slice', 'dim', two, () => T.sliceDim(x, 5, 0, 1)],
    ['narrow', 'dim', two, () => torch.narrow(x, 5, 0, 1)],
    ['select', 'dim', two, () => torch.select(x, 5, 0)],
    ['cat', 'dim', two, () => torch.cat([x, x], 5)],
    ['stack', 'dim', '[-3, 2]', () => torch.stack([x, x], 5)],
    ['split', 'dim', two, () => torch.split(x, 1, 5)],
    ['chunk', 'dim', two, () => torch.chunk(x, 2, 5)],
    ['unbind', 'dim', two, () => torch.unbind(x, 5)],
    ['flip', 'dim', two, () => torch.flip(x, [5])],
    ['roll', 'dim', two, () => torch.roll(x, 1, 5)],
    ['gather', 'dim', two, () => torch.gather(x, 5, idx)],
    ['scatter', 'dim', two, () => torch.scatter(x, 5, idx, x)],
    ['scatterAdd', 'dim', two, () => torch.scatterAdd(x, 5, idx, x)],
    ['indexSelect', 'dim', two, () => torch.indexSelect(x, 5, torch.tensor([0], { dtype: 'int32' }))],
    ['diagonal', 'dim1', two, () => torch.diagonal(x, 0, 5, 1)],
    ['diagonal', 'dim2', two, () => torch.diagonal(x, 0, 0, 5)],
    ['diagEmbed', 'dim1', '[-3, 2]', () => torch.diagEmbed(x, 0, 5, 1)],
    ['diagEmbed', 'dim2', '[-3, 2]', () => torch.diagEmbed(x, 0, 0, 5)],
    ['softmax', 'dim', two, () => torch.softmax(x, 5)],
    ['logSoftmax', 'dim', two, () => torch.logSoftmax(x, 5)],
    ['argsort', 'dim', two, () => torch.argsort(x, 5)],
    ['sort', 'dim', two, () => torch.sort(x, 5)],
    ['topk', 'dim', two, () => torch.topk(x, 1, { dim: 5 })],
  ]));
});

test('an unknown option names the function, the option and the known ones', () => {
  const o = { bogus: 1 };
  const f = (v: torch.Tensor) => v.sum();
  const i = torch.tensor([0, 1], { dtype: 'int32' });
  const img = torch.randn([1, 1, 4, 4]);
  const seq = torch.randn([1, 1, 4]);
  rejects([
    unknownOption('functionalCall()', 'kwargs, strict, tieWeights', () => torch.func.functionalCall(new torch.nn.Linear(2, 2), {}, [x], o as never)),
    unknownOption('functionalize()', 'remove', () => torch.func.functionalize(f, o as never)),
    unknownOption('grad()', 'argnums, hasAux', () => torch.func.grad(f, o as never)),
    unknownOption('jacrev()', 'argnums, hasAux, chunkSize', () => torch.func.jacrev(f, o as never)),
    unknownOption('jacfwd()', 'argnums, hasAux, randomness', () => torch.func.jacfwd(f, o as never)),
    unknownOption('hessian()', 'argnums', () => torch.func.hessian(f, o as never)),
    unknownOption('jvp()', 'hasAux, strict', () => torch.func.jvp(f, [x], [x], o as never)),
    unknownOption('vmap()', 'inDims, outDims, randomness, chunkSize', () => torch.func.vmap(f, o as never)),
    unknownOption('backward()', 'retainGraph, createGraph, inputs', () => torch.randn([2], { requiresGrad: true }).sum().backward(undefined, o as never)),
    unknownOption('autograd.grad()', 'gradOutputs, retainGraph, createGraph, allowUnused', () => {
      const a = torch.randn([2], { requiresGrad: true });
      return torch.autograd.grad(a.sum(), [a], o as never);
    }),
    unknownOption('tensor()', 'dtype, requiresGrad, device, shape', () => torch.tensor([1], o as never)),
    unknownOption('full()', 'dtype, requiresGrad, device', () => torch.full([2], 1, o as never)),
    unknownOption('linspace()', 'dtype, requiresGrad, device', () => torch.linspace(0, 1, 3, o as never)),
    unknownOption('randint()', 'dtype, requiresGrad, device', () => torch.randint(0, 3, [2], o as never)),
    unknownOption('clamp()', 'min, max', () => torch.clamp(x, o as never)),
    unknownOption('gelu()', 'approximate', () => F.gelu(x, o)),
    unknownOption('softplus()', 'beta, threshold', () => F.softplus(x, o)),
    unknownOption('linalg.solve', 'left', () => L.solve(sq, sq, o)),
    unknownOption('cosineSimilarity()', 'dim, eps', () => F.cosineSimilarity(x, x, o)),
    unknownOption('pairwiseDistance()', 'p, eps, keepdim', () => F.pairwiseDistance(x, x, o)),
    unknownOption('conv2d()', 'stride, padding, dilation, groups', () => F.conv2d(img, torch.randn([1, 1, 2, 2]), null, o)),
    unknownOption('conv1d()', 'stride, padding, dilation, groups', () => F.conv1d(seq, torch.randn([1, 1, 2]), null, o)),
    unknownOption('convTranspose2d()', 'stride, padding, outputPadding, groups, dilation', () => F.convTranspose2d(img, torch.randn([1, 1, 2, 2]), null, o)),
    unknownOption('embedding()', 'paddingIdx', () => F.embedding(i, x, o)),
    unknownOption('mseLoss()', 'reduction', () => F.mseLoss(x, x, o)),
    unknownOption('l1Loss()', 'reduction', () => F.l1Loss(x, x, o)),
    unknownOption('smoothL1Loss()', 'reduction, beta', () => F.smoothL1Loss(x, x, o)),
    unknownOption('huberLoss()', 'reduction, delta', () => F.huberLoss(x, x, o)),
    unknownOption('nllLoss()', 'reduction, weight, ignoreIndex', () => F.nllLoss(x, i, o)),
    unknownOption('crossEntropy()', 'reduction, weight, ignoreIndex, labelSmoothing', () => F.crossEntropy(x, i, o)),
    unknownOption('binaryCrossEntropy()', 'reduction, weight', () => F.binaryCrossEntropy(x.sigmoid(), x.sigmoid(), o)),
    unknownOption('binaryCrossEntropyWithLogits()', 'reduction, weight, posWeight', () => F.binaryCrossEntropyWithLogits(x, x.sigmoid(), o)),
    unknownOption('klDiv()', 'reduction, logTarget', () => F.klDiv(x, x, o)),
    unknownOption('batchNorm()', 'training, momentum, eps', () => F.batchNorm(x, null, null, null, null, o)),
    unknownOption('normalize()', 'p, dim, eps', () => F.normalize(x, o)),
    unknownOption('maxPool2d()', 'stride, padding, dilation, ceilMode', () => F.maxPool2d(img, 2, o)),
    unknownOption('avgPool2d()', 'stride, padding, ceilMode, countIncludePad, divisorOverride', () => F.avgPool2d(img, 2, o)),
    unknownOption('maxPool1d()', 'stride, padding, dilation, ceilMode', () => F.maxPool1d(seq, 2, o)),
    unknownOption('avgPool1d()', 'stride, padding, ceilMode, countIncludePad', () => F.avgPool1d(seq, 2, o)),
    unknownOption('topk()', 'dim, largest', () => torch.topk(x, 1, o as never)),
    unknownOption('randperm()', 'device', () => torch.randperm(3, o as never)),
  ]);
});

test('a reduction or sort given an unknown option names itself and the options it knows', () => {
  const o = { bogus: 1 } as never;
  const all = 'dim, keepdim, dtype';
  const after = 'keepdim, dtype';
  rejects([
    unknownOption('sum()', all, () => torch.sum(x, o)),
    unknownOption('sum()', after, () => torch.sum(x, 0, o)),
    unknownOption('mean()', all, () => torch.mean(x, o)),
    unknownOption('mean()', after, () => torch.mean(x, 0, o)),
    unknownOption('prod()', all, () => torch.prod(x, o)),
    unknownOption('amax()', all, () => torch.amax(x, o)),
    unknownOption('amin()', all, () => torch.amin(x, o)),
    unknownOption('var()', `${all}, correction, unbiased`, () => torch.var(x, o)),
    unknownOption('var()', `${after}, correction, unbiased`, () => torch.var(x, 0, o)),
    unknownOption('std()', `${all}, correction, unbiased`, () => torch.std(x, o)),
    unknownOption('logsumexp()', all, () => torch.logsumexp(x, o)),
    unknownOption('argsort()', 'dim, descending', () => torch.argsort(x, o)),
    unknownOption('sort()', 'dim, descending', () => torch.sort(x, o)),
  ]);
  rejects(['sum', 'mean', 'prod', 'amax', 'amin', 'var', 'logsumexp'].map((fn): Rejection => [
    `${fn} keepdim twice`, () => (torch as any)[fn](x, { dim: 0 }, true), 'ValueError', `${fn}(): pass keepdim inside the options object, not after it`,
  ]));
});

test('a size, dim or bound that is not an integer names the function and the argument', () => {
  rejects([
    ['reshape size', () => torch.reshape(x, [2, 1.5]), 'ValueError', 'reshape(): sizes must be integers, got 1.5 in [2, 1.5]'],
    ['view size', () => torch.view(x, 6.5), 'ValueError', 'view(): sizes must be integers, got 6.5 in [6.5]'],
    ['permute dim', () => torch.permute(x, [0.5, 1]), 'ValueError', 'permute(): sizes must be integers, got 0.5 in [0.5, 1]'],
    ['slice stop', () => T.sliceDim(x, 0, 0, 0.5), 'ValueError', 'slice(): stop must be an integer, got 0.5'],
    ['slice step', () => T.sliceDim(x, 0, 0, 1, 1.5), 'ValueError', 'slice(): step must be an integer, got 1.5'],
    ['narrow length', () => torch.narrow(x, 0, 0, 0.5), 'ValueError', 'narrow(): length must be an integer, got 0.5'],
    ['cat entry', () => torch.cat([x, s as never]), 'DTypeError', "cat(): argument 'tensors[1]' must be a Tensor, got string"],
    ['stack entry', () => torch.stack([x, s as never]), 'DTypeError', "stack(): argument 'tensors[1]' must be a Tensor, got string"],
    ['broadcastTensors entry', () => torch.broadcastTensors(x, s as never), 'DTypeError', "broadcastTensors(): argument 'tensors[1]' must be a Tensor, got string"],
    ['multiDot entry', () => L.multiDot([sq, s]), 'DTypeError', "linalg.multi_dot(): argument 'tensors[1]' must be a Tensor, got string"],
  ]);
});

test('each creation function names itself for a bad dtype, a bad device and a size past int32', () => {
  // Each call with `o` merged into its options; the calls differ only in their size arguments.
  const makers: [string, (o: object) => unknown][] = [
    ['tensor', (o) => torch.tensor([1, 2], o)],
    ['full', (o) => torch.full([2], 1, o)],
    ['zeros', (o) => torch.zeros([2], o)],
    ['ones', (o) => torch.ones(2, o)],
    ['empty', (o) => torch.empty([2], o)],
    ['zerosLike', (o) => torch.zerosLike(x, o)],
    ['onesLike', (o) => torch.onesLike(x, o)],
    ['fullLike', (o) => torch.fullLike(x, 2, o)],
    ['emptyLike', (o) => torch.emptyLike(x, o)],
    ['arange', (o) => torch.arange(3, o)],
    ['linspace', (o) => torch.linspace(0, 1, 3, o)],
    ['eye', (o) => torch.eye(2, o)],
    ['rand', (o) => torch.rand([2], o)],
    ['randn', (o) => torch.randn([2], o)],
    ['randint', (o) => torch.randint(0, 3, [2], o)],
  ];
  rejects(makers.flatMap(([fn, make]): Rejection[] => [
    [`${fn} dtype`, () => make({ dtype: 'float16' }), 'DTypeError', `${fn}(): argument 'dtype' must be one of 'float32', 'float64', 'int32', 'bool', got float16`],
    [`${fn} device`, () => make({ device: 'cuda' }), 'DeviceError', `${fn}(): argument 'device' must be one of 'cpu', 'webgpu', got 'cuda'`],
  ]));
  const big = 2 ** 31;
  const past = (fn: string, shape: string, n: number) => `${fn}(): a tensor of shape ${shape} would hold ${n} elements, more than the ${big - 1} torchfn supports`;
  rejects([
    ['full', () => torch.full([big], 0), 'ValueError', past('full', `[${big}]`, big)],
    ['zeros', () => torch.zeros([2, 2 ** 30]), 'ValueError', past('zeros', `[2, ${2 ** 30}]`, big)],
    ['linspace', () => torch.linspace(0, 1, big), 'ValueError', past('linspace', `[${big}]`, big)],
    ['eye', () => torch.eye(2 ** 16, 2 ** 15), 'ValueError', past('eye', `[${2 ** 16}, ${2 ** 15}]`, big)],
    ['rand', () => torch.rand([big]), 'ValueError', past('rand', `[${big}]`, big)],
    ['randint', () => torch.randint(0, 2, [big]), 'ValueError', past('randint', `[${big}]`, big)],
  ]);
  const overflow = (fn: string, v: number) => `${fn}(): value ${v} cannot be converted to type int32 without overflow (use dtype 'float64' for large integers)`;
  rejects([
    ['full int32', () => torch.full([2], big, { dtype: 'int32' }), 'ValueError', overflow('full', big)],
    ['arange int32', () => torch.arange(big - 2, big), 'ValueError', overflow('arange', big)],
    ['randint high', () => torch.randint(0, big + 1, [2]), 'ValueError', overflow('randint', big)],
    ['randint low', () => torch.randint(-big - 1, 0, [2]), 'ValueError', overflow('randint', -big - 1)],
  ]);
});

test('each loss names itself for a reduction it does not know', () => {
  const o = { reduction: 'bogus' } as never;
  const y = torch.randn([2, 3]);
  const cls = torch.tensor([0, 2], { dtype: 'int32' });
  const sign = torch.tensor([1, -1]);
  const v = torch.randn([2]);
  const losses: [string, () => unknown][] = [
    ['mseLoss', () => F.mseLoss(x, y, o)],
    ['l1Loss', () => F.l1Loss(x, y, o)],
    ['smoothL1Loss', () => F.smoothL1Loss(x, y, o)],
    ['huberLoss', () => F.huberLoss(x, y, o)],
    ['nllLoss', () => F.nllLoss(x, cls, o)],
    ['crossEntropy', () => F.crossEntropy(x, cls, o)],
    ['binaryCrossEntropy', () => F.binaryCrossEntropy(x.sigmoid(), y.sigmoid(), o)],
    ['binaryCrossEntropyWithLogits', () => F.binaryCrossEntropyWithLogits(x, y.sigmoid(), o)],
    ['marginRankingLoss', () => F.marginRankingLoss(v, v, sign, o)],
    ['hingeEmbeddingLoss', () => F.hingeEmbeddingLoss(v, sign, o)],
    ['softMarginLoss', () => F.softMarginLoss(v, sign, o)],
    ['tripletMarginLoss', () => F.tripletMarginLoss(x, y, y, o)],
    ['cosineEmbeddingLoss', () => F.cosineEmbeddingLoss(x, y, sign, o)],
    ['poissonNllLoss', () => F.poissonNllLoss(x, y.abs(), o)],
    ['gaussianNllLoss', () => F.gaussianNllLoss(x, y, y.abs(), o)],
    ['multilabelSoftMarginLoss', () => F.multilabelSoftMarginLoss(x, y.sigmoid(), o)],
    ['multiMarginLoss', () => F.multiMarginLoss(x, cls, o)],
    ['multilabelMarginLoss', () => F.multilabelMarginLoss(x, torch.tensor([[0, -1, 1], [2, -1, 0]], { dtype: 'int32' }), o)],
    ['tripletMarginWithDistanceLoss', () => F.tripletMarginWithDistanceLoss(x, y, y, o)],
    ['ctcLoss', () => F.ctcLoss(torch.randn([2, 1, 3]).logSoftmax(2), torch.tensor([[1]], { dtype: 'int32' }), [2], [1], o)],
  ];
  rejects(losses.map(([fn, call]): Rejection => [
    fn, call, 'ValueError', `${fn}(): bogus is not a valid value for reduction (expected one of 'mean', 'sum', 'none')`,
  ]));
});

test('an integer tensor where a floating one belongs names the function and the argument', () => {
  const ints = (...shape: number[]) => torch.zeros(shape, { dtype: 'int32' });
  const f = (...shape: number[]) => torch.rand(shape);
  const cls = torch.tensor([0, 1], { dtype: 'int32' });
  const sign = torch.tensor([1, -1]);
  /** [function, argument, the integer tensor given, the call]. */
  const list: [string, string, torch.Tensor, (bad: torch.Tensor) => unknown][] = [
    ['hardsigmoid', 'input', ints(2), (b) => F.hardsigmoid(b)],
    ['hardswish', 'input', ints(2), (b) => F.hardswish(b)],
    ['glu', 'input', ints(2), (b) => F.glu(b)],
    ['selu', 'input', ints(2), (b) => F.selu(b)],
    ['celu', 'input', ints(2), (b) => F.celu(b)],
    ['softsign', 'input', ints(2), (b) => F.softsign(b)],
    ['softmin', 'input', ints(2), (b) => F.softmin(b, 0)],
    ['tanhshrink', 'input', ints(2), (b) => F.tanhshrink(b)],
    ['softshrink', 'input', ints(2), (b) => F.softshrink(b)],
    ['hardshrink', 'input', ints(2), (b) => F.hardshrink(b)],
    ['threshold', 'input', ints(2), (b) => F.threshold(b, 0, 0)],
    ['prelu', 'input', ints(2), (b) => F.prelu(b, f(1))],
    ['cosineSimilarity', 'x1', ints(2, 3), (b) => F.cosineSimilarity(b, f(2, 3))],
    ['cosineSimilarity', 'x2', ints(2, 3), (b) => F.cosineSimilarity(f(2, 3), b)],
    ['pairwiseDistance', 'x1', ints(2, 3), (b) => F.pairwiseDistance(b, f(2, 3))],
    ['pairwiseDistance', 'x2', ints(2, 3), (b) => F.pairwiseDistance(f(2, 3), b)],
    ['conv1d', 'input', ints(1, 1, 4), (b) => F.conv1d(b, f(1, 1, 2))],
    ['conv2d', 'weight', ints(1, 1, 2, 2), (b) => F.conv2d(f(1, 1, 4, 4), b)],
    ['convTranspose2d', 'input', ints(1, 1, 2, 2), (b) => F.convTranspose2d(b, f(1, 1, 2, 2))],
    ['convTranspose2d', 'weight', ints(1, 1, 2, 2), (b) => F.convTranspose2d(f(1, 1, 2, 2), b)],
    ['conv3d', 'input', ints(1, 1, 2, 2, 2), (b) => F.conv3d(b, f(1, 1, 1, 1, 1))],
    ['conv3d', 'weight', ints(1, 1, 1, 1, 1), (b) => F.conv3d(f(1, 1, 2, 2, 2), b)],
    ['conv3d', 'bias', ints(1), (b) => F.conv3d(f(1, 1, 2, 2, 2), f(1, 1, 1, 1, 1), b)],
    ['convTranspose1d', 'input', ints(1, 1, 2), (b) => F.convTranspose1d(b, f(1, 1, 2))],
    ['convTranspose1d', 'weight', ints(1, 1, 2), (b) => F.convTranspose1d(f(1, 1, 2), b)],
    ['convTranspose3d', 'input', ints(1, 1, 1, 1, 1), (b) => F.convTranspose3d(b, f(1, 1, 1, 1, 1))],
    ['convTranspose3d', 'weight', ints(1, 1, 1, 1, 1), (b) => F.convTranspose3d(f(1, 1, 1, 1, 1), b)],
    ['ctcLoss', 'logProbs', ints(2, 1, 3), (b) => F.ctcLoss(b, torch.tensor([[1]], { dtype: 'int32' }), [2], [1])],
    ['dropout', 'input', ints(2), (b) => F.dropout(b)],
    ['dropout2d', 'input', ints(1, 2, 2), (b) => F.dropout2d(b)],
    ['alphaDropout', 'input', ints(2), (b) => F.alphaDropout(b)],
    ['featureAlphaDropout', 'input', ints(1, 2, 2), (b) => F.featureAlphaDropout(b)],
    ['rrelu', 'input', ints(2), (b) => F.rrelu(b)],
    ['gumbelSoftmax', 'logits', ints(2), (b) => F.gumbelSoftmax(b)],
    ['embedding', 'weight', ints(3, 2), (b) => F.embedding(cls, b)],
    ['embeddingBag', 'weight', ints(3, 2), (b) => F.embeddingBag(torch.tensor([[0, 1]], { dtype: 'int32' }), b)],
    ['embeddingBag', 'perSampleWeights', ints(1, 2), (b) => F.embeddingBag(torch.tensor([[0, 1]], { dtype: 'int32' }), f(3, 2), { mode: 'sum', perSampleWeights: b })],
    ['unfold', 'input', ints(1, 1, 2, 2), (b) => F.unfold(b, 1)],
    ['fold', 'input', ints(1, 1, 4), (b) => F.fold(b, [2, 2], 1)],
    ['affineGrid', 'theta', ints(1, 2, 3), (b) => F.affineGrid(b, [1, 1, 2, 2])],
    ['gridSample', 'input', ints(1, 1, 2, 2), (b) => F.gridSample(b, f(1, 2, 2, 2))],
    ['gridSample', 'grid', ints(1, 2, 2, 2), (b) => F.gridSample(f(1, 1, 2, 2), b)],
    ['interpolate', 'input', ints(1, 1, 2), (b) => F.interpolate(b, { size: 4 })],
    ['linear', 'input', ints(2, 3), (b) => F.linear(b, f(2, 3))],
    ['linear', 'weight', ints(2, 3), (b) => F.linear(f(2, 3), b)],
    ['bilinear', 'input1', ints(2, 3), (b) => F.bilinear(b, f(2, 3), f(1, 3, 3))],
    ['bilinear', 'input2', ints(2, 3), (b) => F.bilinear(f(2, 3), b, f(1, 3, 3))],
    ['bilinear', 'weight', ints(1, 3, 3), (b) => F.bilinear(f(2, 3), f(2, 3), b)],
    ['mseLoss', 'input', ints(2), (b) => F.mseLoss(b, f(2))],
    ['nllLoss', 'input', ints(2, 2), (b) => F.nllLoss(b, cls)],
    ['huberLoss', 'input', ints(2), (b) => F.huberLoss(b, f(2))],
    ['multiMarginLoss', 'input', ints(2, 2), (b) => F.multiMarginLoss(b, cls)],
    ['multiMarginLoss', 'weight', ints(2), (b) => F.multiMarginLoss(f(2, 2), cls, { weight: b })],
    ['marginRankingLoss', 'input1', ints(2), (b) => F.marginRankingLoss(b, f(2), sign)],
    ['marginRankingLoss', 'input2', ints(2), (b) => F.marginRankingLoss(f(2), b, sign)],
    ['marginRankingLoss', 'target', ints(2), (b) => F.marginRankingLoss(f(2), f(2), b)],
    ['hingeEmbeddingLoss', 'input', ints(2), (b) => F.hingeEmbeddingLoss(b, sign)],
    ['hingeEmbeddingLoss', 'target', ints(2), (b) => F.hingeEmbeddingLoss(f(2), b)],
    ['softMarginLoss', 'input', ints(2), (b) => F.softMarginLoss(b, sign)],
    ['softMarginLoss', 'target', ints(2), (b) => F.softMarginLoss(f(2), b)],
    ['cosineEmbeddingLoss', 'input1', ints(2, 3), (b) => F.cosineEmbeddingLoss(b, f(2, 3), sign)],
    ['cosineEmbeddingLoss', 'input2', ints(2, 3), (b) => F.cosineEmbeddingLoss(f(2, 3), b, sign)],
    ['cosineEmbeddingLoss', 'target', ints(2), (b) => F.cosineEmbeddingLoss(f(2, 3), f(2, 3), b)],
    ['poissonNllLoss', 'input', ints(2), (b) => F.poissonNllLoss(b, f(2))],
    ['poissonNllLoss', 'target', ints(2), (b) => F.poissonNllLoss(f(2), b)],
    ['gaussianNllLoss', 'input', ints(2), (b) => F.gaussianNllLoss(b, f(2), f(2))],
    ['gaussianNllLoss', 'target', ints(2), (b) => F.gaussianNllLoss(f(2), b, f(2))],
    ['gaussianNllLoss', 'var', ints(2), (b) => F.gaussianNllLoss(f(2), f(2), b)],
    ['multilabelSoftMarginLoss', 'input', ints(2, 2), (b) => F.multilabelSoftMarginLoss(b, f(2, 2))],
    ['multilabelSoftMarginLoss', 'target', ints(2, 2), (b) => F.multilabelSoftMarginLoss(f(2, 2), b)],
    ['multilabelSoftMarginLoss', 'weight', ints(2), (b) => F.multilabelSoftMarginLoss(f(2, 2), f(2, 2), { weight: b })],
    ['layerNorm', 'input', ints(2), (b) => F.layerNorm(b, 2)],
    ['batchNorm', 'input', ints(2, 2), (b) => F.batchNorm(b, null, null)],
    ['groupNorm', 'input', ints(1, 2), (b) => F.groupNorm(b, 1)],
    ['normalize', 'input', ints(2), (b) => F.normalize(b)],
    ['instanceNorm', 'input', ints(1, 2, 2), (b) => F.instanceNorm(b)],
    ['localResponseNorm', 'input', ints(1, 2, 2), (b) => F.localResponseNorm(b, 1)],
    ['pdist', 'input', ints(2, 2), (b) => F.pdist(b)],
    ['convTbc', 'input', ints(2, 1, 1), (b) => F.convTbc(b, f(1, 1, 1), f(1))],
    ['convTbc', 'weight', ints(1, 1, 1), (b) => F.convTbc(f(2, 1, 1), b, f(1))],
    ['convTbc', 'bias', ints(1), (b) => F.convTbc(f(2, 1, 1), f(1, 1, 1), b)],
    ['maxPool2d', 'input', ints(1, 2, 2), (b) => F.maxPool2d(b, 2)],
    ['maxPool1d', 'input', ints(1, 2), (b) => F.maxPool1d(b, 2)],
    ['adaptiveMaxPool1d', 'input', ints(1, 2), (b) => F.adaptiveMaxPool1d(b, 1)],
    ['fractionalMaxPool2d', 'randomSamples', ints(1, 1, 2), (b) => F.fractionalMaxPool2d(f(1, 1, 4, 4), 2, { outputSize: 2, randomSamples: b })],
  ];
  rejects(list.map(([fn, arg, bad, call]): Rejection => [
    `${fn} ${arg}`, () => call(bad), 'DTypeError', `${fn}(): expected '${arg}' to be a floating point tensor, got int32 of shape [${bad.shape.join(', ')}]`,
  ]));
});

test('an argument of another dtype than the input names the function and both arguments', () => {
  const f = (...shape: number[]) => torch.rand(shape);
  const d = (...shape: number[]) => torch.rand(shape, { dtype: 'float64' });
  const cls = torch.tensor([0, 1], { dtype: 'int32' });
  const img = f(1, 1, 3, 3);
  const optional: [string, string, () => unknown][] = [
    ['conv2d', 'bias', () => F.conv2d(img, f(1, 1, 2, 2), d(1))],
    ['conv1d', 'bias', () => F.conv1d(f(1, 1, 3), f(1, 1, 2), d(1))],
    ['convTranspose2d', 'bias', () => F.convTranspose2d(img, f(1, 1, 2, 2), d(1))],
    ['convTranspose3d', 'bias', () => F.convTranspose3d(f(1, 1, 1, 1, 1), f(1, 1, 1, 1, 1), d(1))],
    ['linear', 'bias', () => F.linear(f(2, 3), f(2, 3), d(2))],
    ['bilinear', 'bias', () => F.bilinear(f(2, 3), f(2, 3), f(1, 3, 3), d(1))],
    ['nllLoss', 'weight', () => F.nllLoss(f(2, 2), cls, { weight: d(2) })],
    ['crossEntropy', 'weight', () => F.crossEntropy(f(2, 2), f(2, 2), { weight: d(2) })],
    ['layerNorm', 'weight', () => F.layerNorm(f(2), 2, d(2))],
    ['layerNorm', 'bias', () => F.layerNorm(f(2), 2, null, d(2))],
    ['batchNorm', 'running_mean', () => F.batchNorm(f(2, 2), d(2), f(2))],
    ['batchNorm', 'running_var', () => F.batchNorm(f(2, 2), f(2), d(2))],
    ['batchNorm', 'weight', () => F.batchNorm(f(2, 2), null, null, d(2), null, { training: true })],
    ['batchNorm', 'bias', () => F.batchNorm(f(2, 2), null, null, null, d(2), { training: true })],
    ['groupNorm', 'weight', () => F.groupNorm(f(1, 2), 1, d(2))],
    ['groupNorm', 'bias', () => F.groupNorm(f(1, 2), 1, null, d(2))],
    ['instanceNorm', 'runningMean', () => F.instanceNorm(f(1, 2, 2), { runningMean: d(2), runningVar: f(2) })],
    ['instanceNorm', 'runningVar', () => F.instanceNorm(f(1, 2, 2), { runningMean: f(2), runningVar: d(2) })],
    ['instanceNorm', 'weight', () => F.instanceNorm(f(1, 2, 2), { weight: d(2) })],
    ['instanceNorm', 'bias', () => F.instanceNorm(f(1, 2, 2), { bias: d(2) })],
  ];
  rejects(optional.map(([fn, arg, call]): Rejection => [
    `${fn} ${arg}`, call, 'DTypeError', `${fn}(): expected '${arg}' to have dtype float32 (the dtype of input), got float64`,
  ]));
  const pairs: [string, string, string, () => unknown][] = [
    ['conv2d', 'input', 'weight', () => F.conv2d(img, d(1, 1, 2, 2))],
    ['conv1d', 'input', 'weight', () => F.conv1d(f(1, 1, 3), d(1, 1, 2))],
    ['convTranspose2d', 'input', 'weight', () => F.convTranspose2d(img, d(1, 1, 2, 2))],
    ['gridSample', 'input', 'grid', () => F.gridSample(img, d(1, 2, 2, 2))],
    ['linear', 'input', 'weight', () => F.linear(f(2, 3), d(2, 3))],
    ['bilinear', 'input1', 'weight', () => F.bilinear(f(2, 3), d(2, 3), d(1, 3, 3))],
    ['bilinear', 'input2', 'weight', () => F.bilinear(d(2, 3), f(2, 3), d(1, 3, 3))],
    ['mseLoss', 'input', 'target', () => F.mseLoss(f(2), d(2))],
    ['crossEntropy', 'input', 'target', () => F.crossEntropy(f(2, 2), d(2, 2))],
  ];
  rejects(pairs.map(([fn, a, b, call]): Rejection => [
    `${fn} ${a} ${b}`, call, 'DTypeError', `${fn}(): expected ${a} and ${b} to have the same dtype, but got float32 and float64`,
  ]));
});

test('a window size, stride, padding or dilation out of range names the function and the argument', () => {
  const img = torch.rand([1, 1, 4, 4]);
  const w = torch.rand([1, 1, 2, 2]);
  const positive = (fn: string, arg: string, call: () => unknown, got = '0'): Rejection =>
    [`${fn} ${arg}`, call, 'ValueError', `${fn}(): expected '${arg}' to be an int or a pair of positive integers, got ${got}`];
  const nonNegative = (fn: string, arg: string, call: () => unknown): Rejection =>
    [`${fn} ${arg}`, call, 'ValueError', `${fn}(): expected '${arg}' to be an int or a pair of non-negative integers, got -1`];
  rejects([
    nonNegative('conv2d', 'padding', () => F.conv2d(img, w, null, { padding: -1 })),
    positive('conv2d', 'stride', () => F.conv2d(img, w, null, { stride: 0 })),
    positive('conv2d', 'dilation', () => F.conv2d(img, w, null, { dilation: 0 })),
    positive('convTranspose2d', 'stride', () => F.convTranspose2d(img, w, null, { stride: 0 })),
    positive('convTranspose2d', 'dilation', () => F.convTranspose2d(img, w, null, { dilation: 0 })),
    nonNegative('convTranspose2d', 'padding', () => F.convTranspose2d(img, w, null, { padding: -1 })),
    nonNegative('convTranspose2d', 'outputPadding', () => F.convTranspose2d(img, w, null, { outputPadding: -1 })),
    positive('unfold', 'kernelSize', () => F.unfold(img, 0)),
    positive('unfold', 'dilation', () => F.unfold(img, 2, { dilation: 0 })),
    nonNegative('unfold', 'padding', () => F.unfold(img, 2, { padding: -1 })),
    positive('unfold', 'stride', () => F.unfold(img, 2, { stride: 0 })),
    positive('fold', 'outputSize', () => F.fold(torch.rand([1, 4, 1]), 0, 2)),
    positive('maxPool2d', 'kernelSize', () => F.maxPool2d(img, 0)),
    positive('maxPool2d', 'stride', () => F.maxPool2d(img, 2, { stride: 0 })),
    nonNegative('maxPool2d', 'padding', () => F.maxPool2d(img, 2, { padding: -1 })),
    positive('maxPool2d', 'dilation', () => F.maxPool2d(img, 2, { dilation: 0 })),
    positive('avgPool2d', 'kernelSize', () => F.avgPool2d(img, [2, 2, 2]), '[2,2,2]'),
  ]);
});

test('linalg: a non-square, 1-D or integer matrix, a non-boolean flag and an unknown option name the function', () => {
  const rect = torch.rand([2, 3]);
  const vec = torch.rand([3]);
  const m = torch.rand([3, 3]);
  const pivots = torch.tensor([1, 2, 3], { dtype: 'int32' });
  const square = (fn: string, call: () => unknown, arg = 'A'): Rejection =>
    [`${fn} square`, call, 'ShapeError', `${fn}: ${arg} must be batches of square matrices, but they are 2 by 3 matrices`];
  rejects([
    square('linalg.inv', () => L.inv(rect)),
    square('linalg.slogdet', () => L.slogdet(rect)),
    square('linalg.det', () => L.det(rect)),
    square('linalg.solve', () => L.solve(rect, m)),
    square('linalg.cholesky', () => L.cholesky(rect)),
    square('linalg.cholesky', () => L.choleskyEx(rect)),
    square('linalg.eigh', () => L.eigh(rect)),
    square('linalg.eigvalsh', () => L.eigvalsh(rect)),
    square('linalg.inv_ex', () => L.invEx(rect)),
    square('linalg.lu_solve', () => L.luSolve(rect, pivots, m), 'LU'),
    square('linalg.matrix_exp', () => L.matrixExp(rect)),
    square('linalg.solve_ex', () => L.solveEx(rect, m)),
    square('linalg.solve_triangular', () => L.solveTriangular(rect, m, { upper: true })),
    square('linalg.cond(ord=1)', () => L.cond(rect, 1)),
  ]);
  const matrix = (fn: string, call: () => unknown, arg = 'A'): Rejection =>
    [`${fn} 1-D`, call, 'ShapeError', `${fn}: The input tensor ${arg} must have at least 2 dimensions.`];
  rejects([
    matrix('linalg.svd', () => L.svd(vec)),
    matrix('linalg.svd', () => L.svdvals(vec)),
    matrix('linalg.qr', () => L.qr(vec)),
    matrix('linalg.cond', () => L.cond(vec)),
    matrix('linalg.lu_solve', () => L.luSolve(m, pivots, vec), 'B'),
    matrix('linalg.solve_triangular', () => L.solveTriangular(m, vec, { upper: true }), 'B'),
    matrix('torch.linalg.householder_product', () => L.householderProduct(vec, vec), 'input'),
    ['lstsq 1-D', () => L.lstsq(vec, m), 'ShapeError', 'torch.linalg.lstsq: input must have at least 2 dimensions.'],
    matrix('torch.linalg.matrix_rank', () => L.matrixRank(vec), 'input'),
    [`solve_ex B`, () => L.solveEx(m, torch.rand([2, 3, 2, 2])), 'ShapeError', 'linalg.solve_ex: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x2); A [3, 3], B [2, 3, 2, 2]'],
    ['svd int', () => L.svd(torch.zeros([2, 2], { dtype: 'int32' })), 'DTypeError', 'linalg.svd: Expected a floating point tensor as input. Got int32'],
  ]);
  const flag = (fn: string, name: string, call: (v: unknown) => unknown): Rejection =>
    [`${fn} ${name}`, () => call(1), 'ValueError', `${fn}: ${name} must be a boolean, got number 1`];
  rejects([
    flag('linalg.cholesky', 'upper', (v) => L.cholesky(m, { upper: v })),
    flag('linalg.cholesky_ex', 'upper', (v) => L.choleskyEx(m, { upper: v })),
    flag('linalg.cholesky_ex', 'checkErrors', (v) => L.choleskyEx(m, { checkErrors: v })),
    flag('linalg.svd', 'fullMatrices', (v) => L.svd(m, { fullMatrices: v })),
    flag('linalg.inv_ex', 'checkErrors', (v) => L.invEx(m, { checkErrors: v })),
    flag('linalg.lu', 'pivot', (v) => L.lu(m, { pivot: v })),
    flag('linalg.lu_factor', 'pivot', (v) => L.luFactor(m, { pivot: v })),
    flag('linalg.lu_factor_ex', 'checkErrors', (v) => L.luFactorEx(m, { checkErrors: v })),
    flag('linalg.lu_solve', 'left', (v) => L.luSolve(m, pivots, m, { left: v })),
    flag('linalg.lu_solve', 'adjoint', (v) => L.luSolve(m, pivots, m, { adjoint: v })),
    flag('linalg.solve_ex', 'left', (v) => L.solveEx(m, m, { left: v })),
    flag('linalg.solve_ex', 'checkErrors', (v) => L.solveEx(m, m, { checkErrors: v })),
    ['solve_triangular upper', () => L.solveTriangular(m, m, { upper: 1 }), 'ValueError', "linalg.solve_triangular: missing required option 'upper' (a boolean)"],
    flag('linalg.solve_triangular', 'left', (v) => L.solveTriangular(m, m, { upper: true, left: v })),
    flag('linalg.solve_triangular', 'unitriangular', (v) => L.solveTriangular(m, m, { upper: true, unitriangular: v })),
    flag('linalg.pinv', 'hermitian', (v) => L.pinv(m, { hermitian: v })),
    flag('linalg.vector_norm', 'keepdim', (v) => L.vectorNorm(m, { keepdim: v })),
    flag('linalg.matrix_norm', 'keepdim', (v) => L.matrixNorm(m, { keepdim: v })),
    flag('linalg.norm', 'keepdim', (v) => L.norm(m, { keepdim: v })),
    flag('torch.linalg.matrix_rank', 'hermitian', (v) => L.matrixRank(m, { hermitian: v })),
  ]);
  const o = { bogus: 1 };
  rejects([
    unknownOption('linalg.cholesky', 'upper', () => L.cholesky(m, o)),
    unknownOption('linalg.cholesky_ex', 'upper, checkErrors', () => L.choleskyEx(m, o)),
    unknownOption('linalg.qr', 'mode', () => L.qr(m, o)),
    unknownOption('linalg.eigh', 'UPLO', () => L.eigh(m, o)),
    unknownOption('linalg.eigvalsh', 'UPLO', () => L.eigvalsh(m, o)),
    unknownOption('linalg.svd', 'fullMatrices', () => L.svd(m, o)),
    unknownOption('linalg.solve_triangular', 'upper, left, unitriangular', () => L.solveTriangular(m, m, o)),
    unknownOption('linalg.lu', 'pivot', () => L.lu(m, o)),
    unknownOption('linalg.lu_factor', 'pivot', () => L.luFactor(m, o)),
    unknownOption('linalg.lu_factor_ex', 'pivot, checkErrors', () => L.luFactorEx(m, o)),
    unknownOption('linalg.lu_solve', 'left, adjoint', () => L.luSolve(m, pivots, m, o)),
    unknownOption('linalg.inv_ex', 'checkErrors', () => L.invEx(m, o)),
    unknownOption('linalg.solve_ex', 'checkErrors, left', () => L.solveEx(m, m, o)),
    unknownOption('linalg.cross', 'dim', () => L.cross(m, m, o)),
    unknownOption('linalg.vecdot', 'dim', () => L.vecdot(m, m, o)),
    unknownOption('linalg.vander', 'N', () => L.vander(vec, o)),
    unknownOption('linalg.diagonal', 'offset, dim1, dim2', () => L.diagonal(m, o)),
    unknownOption('linalg.tensorinv', 'ind', () => L.tensorinv(m, o)),
    unknownOption('linalg.tensorsolve', 'dims', () => L.tensorsolve(m, vec, o)),
    unknownOption('linalg.pinv', 'atol, rtol, hermitian', () => L.pinv(m, o)),
    unknownOption('torch.linalg.lstsq', 'rcond, driver', () => L.lstsq(m, m, o)),
    unknownOption('torch.linalg.matrix_rank', 'atol, rtol, hermitian', () => L.matrixRank(m, o)),
    unknownOption('linalg.vector_norm', 'ord, dim, keepdim, dtype', () => L.vectorNorm(m, o)),
    unknownOption('linalg.matrix_norm', 'ord, dim, keepdim, dtype', () => L.matrixNorm(m, o)),
    unknownOption('linalg.norm', 'ord, dim, keepdim, dtype', () => L.norm(m, o)),
    unknownOption('linalg.vector_norm', 'dtype', () => L.vectorNorm(m, 2, null, false, o)),
  ]);
});

test('each dropout names itself for a probability outside [0, 1] and accepts both ends', () => {
  const x = torch.rand([1, 2, 3, 3, 3]);
  const calls: [string, (p: number) => torch.Tensor, torch.Tensor][] = [
    ['dropout', (p) => F.dropout(x, p), x],
    ['dropout1d', (p) => F.dropout1d(x.reshape(2, 27), p), x.reshape(2, 27)],
    ['dropout2d', (p) => F.dropout2d(x.reshape(2, 3, 9), p), x.reshape(2, 3, 9)],
    ['dropout3d', (p) => F.dropout3d(x, p), x],
    ['alphaDropout', (p) => F.alphaDropout(x, p, true), x],
    ['featureAlphaDropout', (p) => F.featureAlphaDropout(x, p, true), x],
  ];
  rejects(calls.flatMap(([fn, call]): Rejection[] => [
    [`${fn} 1.5`, () => call(1.5), 'ValueError', `${fn}(): dropout probability has to be between 0 and 1, but got 1.5`],
    [`${fn} -0.5`, () => call(-0.5), 'ValueError', `${fn}(): dropout probability has to be between 0 and 1, but got -0.5`],
  ]));
  for (const [fn, call, input] of calls) {
    assert.deepEqual(call(0).tolist(), input.tolist(), `${fn} at p = 0 keeps the input`);
    if (!fn.includes('lpha')) assert.ok((call(1).abs().sum().item() as number) === 0, `${fn} at p = 1 zeroes everything`);
  }
});

test('a 1-D or 3-D window argument out of range names the function, the argument and the tuple length', () => {
  const seq = torch.rand([1, 1, 4]);
  const vol = torch.rand([1, 1, 4, 4, 4]);
  const row = (fn: string, arg: string, n: number, min: number, call: () => unknown): Rejection => {
    const what = min > 0 ? 'positive' : 'non-negative';
    return [`${fn} ${arg}`, call, 'ValueError', `${fn}(): expected '${arg}' to be a ${what} integer or a tuple of ${n} ${what} integers, got ${min > 0 ? 0 : -1}`];
  };
  const w1 = torch.rand([1, 1, 2]);
  const w3 = torch.rand([1, 1, 2, 2, 2]);
  rejects([
    row('convTranspose1d', 'stride', 1, 1, () => F.convTranspose1d(seq, w1, null, { stride: 0 })),
    row('convTranspose1d', 'padding', 1, 0, () => F.convTranspose1d(seq, w1, null, { padding: -1 })),
    row('convTranspose1d', 'outputPadding', 1, 0, () => F.convTranspose1d(seq, w1, null, { outputPadding: -1 })),
    row('convTranspose1d', 'dilation', 1, 1, () => F.convTranspose1d(seq, w1, null, { dilation: 0 })),
    row('convTranspose3d', 'stride', 3, 1, () => F.convTranspose3d(vol, w3, null, { stride: 0 })),
    row('convTranspose3d', 'padding', 3, 0, () => F.convTranspose3d(vol, w3, null, { padding: -1 })),
    row('convTranspose3d', 'outputPadding', 3, 0, () => F.convTranspose3d(vol, w3, null, { outputPadding: -1 })),
    row('convTranspose3d', 'dilation', 3, 1, () => F.convTranspose3d(vol, w3, null, { dilation: 0 })),
    row('maxPool3d', 'kernelSize', 3, 1, () => F.maxPool3d(vol, 0)),
    row('maxPool3d', 'stride', 3, 1, () => F.maxPool3d(vol, 2, { stride: 0 })),
    row('maxPool3d', 'dilation', 3, 1, () => F.maxPool3d(vol, 2, { dilation: 0 })),
    row('avgPool3d', 'padding', 3, 0, () => F.avgPool3d(vol, 2, { padding: -1 })),
    row('fractionalMaxPool2d', 'kernelSize', 2, 1, () => F.fractionalMaxPool2d(torch.rand([1, 1, 4, 4]), 0, { outputSize: 2 })),
    row('fractionalMaxPool2d', 'outputSize', 2, 1, () => F.fractionalMaxPool2d(torch.rand([1, 1, 4, 4]), 2, { outputSize: 0 })),
    row('maxUnpool1d', 'stride', 1, 1, () => F.maxUnpool1d(seq, torch.zeros([1, 1, 4], { dtype: 'int32' }), 2, { stride: 0 })),
    row('maxUnpool1d', 'padding', 1, 0, () => F.maxUnpool1d(seq, torch.zeros([1, 1, 4], { dtype: 'int32' }), 2, { padding: -1 })),
  ]);
});

test('PyTorch 1.13 messages for a vector b of the wrong length, a norm order without dim on 3-D input, and too few gradOutputs', () => {
  const eye = torch.eye(3);
  const v = torch.ones([2], { requiresGrad: true });
  rejects([
    ['solve vector', () => L.solve(eye, torch.ones([2])), 'ShapeError', 'linalg.solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x1); A [3, 3], B [2]'],
    ['solveEx vector', () => L.solveEx(eye, torch.ones([2])), 'ShapeError', 'linalg.solve_ex: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x1); A [3, 3], B [2]'],
    ['solveEx left=false', () => L.solveEx(eye, torch.ones([2, 2]), { left: false }), 'ShapeError', 'linalg.solve_ex: Incompatible shapes of A and B for the equation XA = B (3x3 and 2x2); A [3, 3], B [2, 2]'],
    // PyTorch raises here for a string order too, rather than taking the last two dims.
    ['norm fro 3-D', () => L.norm(torch.rand([2, 2, 2]), { ord: 'fro' }), 'ShapeError', 'linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got 3D.'],
    ['grad gradOutputs', () => torch.autograd.grad([v.sum(), v.mul(2).sum()], [v], { gradOutputs: [torch.tensor(1)] }), 'AutogradError', 'autograd.grad(): got 2 tensors and 1 gradients'],
    ['reshape mixed sizes', () => T.reshape(x, [2, 3], 1), 'ValueError', 'reshape(): expected a size as numbers or one array of numbers, got (array, number)'],
    ['expand mixed sizes', () => T.expand(x, 2, [3]), 'ValueError', 'expand(): expected a size as numbers or one array of numbers, got (number, array)'],
    ['einsum operand', () => T.einsum('i->i', s), 'DTypeError', "einsum(): argument 'operands[0]' must be a Tensor, got string"],
    ['ctcLoss lengths', () => F.ctcLoss(torch.randn([2, 1, 3]).logSoftmax(2), torch.tensor([[1]], { dtype: 'int32' }), 'a', [1]), 'ValueError', `ctcLoss(): 'input_lengths' must be non-negative integers or an int32 tensor, got "a"`],
  ]);
  // Both gradients given, or one left null for a scalar output: no error, the sum of both.
  const [g] = torch.autograd.grad([v.sum(), v.mul(2).sum()], [v], { gradOutputs: [null, torch.tensor(3)] });
  assert.deepEqual(g!.tolist(), [7, 7]);
  // A 2-D string-order norm is unchanged: the Frobenius norm of [[3, 0], [0, 4]].
  assert.equal(L.norm(torch.tensor([[3, 0], [0, 4]]), { ord: 'fro' }).item(), 5);
});

test('an unknown option in nn.functional names the function and the options it knows', () => {
  const o = { bogus: 1 };
  const v = torch.rand([2]);
  const img = torch.rand([1, 1, 4, 4]);
  const vol = torch.rand([1, 1, 2, 2, 2]);
  const seq = torch.rand([1, 1, 4]);
  const sign = torch.tensor([1, -1]);
  rejects([
    unknownOption('allclose()', 'rtol, atol, equalNan', () => torch.allclose(v, v, o as never)),
    unknownOption('conv3d()', 'stride, padding, dilation, groups', () => F.conv3d(vol, torch.rand([1, 1, 1, 1, 1]), null, o)),
    unknownOption('convTranspose1d()', 'stride, padding, outputPadding, groups, dilation', () => F.convTranspose1d(seq, torch.rand([1, 1, 2]), null, o)),
    unknownOption('convTranspose3d()', 'stride, padding, outputPadding, groups, dilation', () => F.convTranspose3d(vol, torch.rand([1, 1, 1, 1, 1]), null, o)),
    unknownOption('ctcLoss()', 'blank, reduction, zeroInfinity', () => F.ctcLoss(torch.randn([2, 1, 3]).logSoftmax(2), torch.tensor([[1]], { dtype: 'int32' }), [2], [1], o)),
    unknownOption('rrelu()', 'lower, upper, training', () => F.rrelu(v, o)),
    unknownOption('gumbelSoftmax()', 'tau, hard, dim', () => F.gumbelSoftmax(v, o)),
    unknownOption('embeddingBag()', 'offsets, mode, perSampleWeights, includeLastOffset, paddingIdx', () => F.embeddingBag(torch.tensor([[0, 1]], { dtype: 'int32' }), torch.rand([3, 2]), o)),
    unknownOption('unfold()', 'dilation, padding, stride', () => F.unfold(img, 2, o)),
    unknownOption('fold()', 'dilation, padding, stride', () => F.fold(torch.rand([1, 4, 1]), [2, 2], 2, o)),
    unknownOption('affineGrid()', 'alignCorners', () => F.affineGrid(torch.rand([1, 2, 3]), [1, 1, 2, 2], o)),
    unknownOption('gridSample()', 'mode, paddingMode, alignCorners', () => F.gridSample(img, torch.rand([1, 2, 2, 2]), o)),
    unknownOption('interpolate()', 'size, scaleFactor, mode, alignCorners', () => F.interpolate(seq, o)),
    unknownOption('multiMarginLoss()', 'p, margin, weight, reduction', () => F.multiMarginLoss(torch.rand([2, 2]), torch.tensor([0, 1], { dtype: 'int32' }), o)),
    unknownOption('tripletMarginWithDistanceLoss()', 'distanceFunction, margin, swap, reduction', () => F.tripletMarginWithDistanceLoss(v, v, v, o)),
    unknownOption('marginRankingLoss()', 'margin, reduction', () => F.marginRankingLoss(v, v, sign, o)),
    unknownOption('hingeEmbeddingLoss()', 'margin, reduction', () => F.hingeEmbeddingLoss(v, sign, o)),
    unknownOption('tripletMarginLoss()', 'margin, p, eps, swap, reduction', () => F.tripletMarginLoss(v, v, v, o)),
    unknownOption('cosineEmbeddingLoss()', 'margin, reduction', () => F.cosineEmbeddingLoss(torch.rand([2, 3]), torch.rand([2, 3]), sign, o)),
    unknownOption('poissonNllLoss()', 'logInput, full, eps, reduction', () => F.poissonNllLoss(v, v, o)),
    unknownOption('gaussianNllLoss()', 'full, eps, reduction', () => F.gaussianNllLoss(v, v, v, o)),
    unknownOption('multilabelSoftMarginLoss()', 'weight, reduction', () => F.multilabelSoftMarginLoss(torch.rand([2, 2]), torch.rand([2, 2]), o)),
    unknownOption('instanceNorm()', 'runningMean, runningVar, weight, bias, useInputStats, momentum, eps', () => F.instanceNorm(torch.rand([1, 2, 2]), o)),
    unknownOption('localResponseNorm()', 'alpha, beta, k', () => F.localResponseNorm(torch.rand([1, 2, 2]), 1, o)),
    unknownOption('maxPool3d()', 'stride, padding, dilation, ceilMode', () => F.maxPool3d(vol, 2, o)),
    unknownOption('avgPool3d()', 'stride, padding, ceilMode, countIncludePad, divisorOverride', () => F.avgPool3d(vol, 2, o)),
    unknownOption('fractionalMaxPool2d()', 'outputSize, outputRatio, randomSamples', () => F.fractionalMaxPool2d(img, 2, o)),
    unknownOption('maxUnpool1d()', 'stride, padding, outputSize', () => F.maxUnpool1d(seq, torch.zeros([1, 1, 4], { dtype: 'int32' }), 2, o)),
    unknownOption('lpPool1d()', 'stride, ceilMode', () => F.lpPool1d(seq, 2, 2, o)),
    unknownOption('lpPool2d()', 'stride, ceilMode', () => F.lpPool2d(img, 2, 2, o)),
  ]);
});

test('allclose names itself, not the isclose it is built on', () => {
  const v = torch.rand([2]);
  rejects([
    ['allclose other', () => torch.allclose(v, 'a' as never), 'DTypeError', "allclose(): argument 'other' must be a Tensor, got string"],
    ['allclose dtypes', () => torch.allclose(v, v.double()), 'DTypeError', 'allclose(): float32 did not match float64'],
    ['isclose dtypes', () => torch.isclose(v, v.double()), 'DTypeError', 'isclose(): float32 did not match float64'],
  ]);
});

test('an input of the wrong rank names the function it was given to', () => {
  const v = torch.rand([4]);
  const w2 = torch.rand([1, 1, 2, 2]);
  rejects([
    ['maxPool2d', () => F.maxPool2d(v, 2), 'ShapeError', 'maxPool2d(): Expected 3D or 4D (batch mode) tensor with non-zero channel and spatial dims for input, but got: [4]'],
    ['avgPool2d', () => F.avgPool2d(v, 2), 'ShapeError', 'avgPool2d(): Expected 3D or 4D (batch mode) tensor with non-zero channel and spatial dims for input, but got: [4]'],
    ['maxPool1d', () => F.maxPool1d(v, 2), 'ShapeError', 'maxPool1d(): expected a 2-D [C, L] or 3-D [N, C, L] input, got [4]'],
    ['avgPool1d', () => F.avgPool1d(v, 2), 'ShapeError', 'avgPool1d(): expected a 2-D [C, L] or 3-D [N, C, L] input, got [4]'],
    ['maxPool3d', () => F.maxPool3d(v, 2), 'ShapeError', 'maxPool3d(): Expected 4D or 5D (batch mode) tensor with optional 0 dim batch size for input, but got: [4]'],
    ['avgPool3d', () => F.avgPool3d(v, 2), 'ShapeError', 'avgPool3d(): Expected 4D or 5D (batch mode) tensor with optional 0 dim batch size for input, but got: [4]'],
    ['adaptiveAvgPool2d', () => F.adaptiveAvgPool2d(v, 2), 'ShapeError', 'adaptiveAvgPool2d(): Expected 3D or 4D (batch mode) tensor with non-zero channel and spatial dims for input, but got: [4]'],
    ['adaptiveAvgPool1d', () => F.adaptiveAvgPool1d(v, 2), 'ShapeError', 'adaptiveAvgPool1d(): expected a 2-D [C, L] or 3-D [N, C, L] input, got [4]'],
    ['adaptiveAvgPool3d', () => F.adaptiveAvgPool3d(v, 2), 'ShapeError', 'adaptiveAvgPool3d(): Expected 4D or 5D (batch mode) tensor with optional 0 dim batch size for input, but got: [4]'],
    ['adaptiveMaxPool1d', () => F.adaptiveMaxPool1d(v, 2), 'ShapeError', 'adaptiveMaxPool1d(): Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got: [4]'],
    ['adaptiveMaxPool2d', () => F.adaptiveMaxPool2d(v, 2), 'ShapeError', 'adaptiveMaxPool2d(): Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got: [4]'],
    ['adaptiveMaxPool3d', () => F.adaptiveMaxPool3d(v, 2), 'ShapeError', 'adaptiveMaxPool3d(): Expected 4D or 5D (batch mode) tensor with optional 0 dim batch size for input, but got: [4]'],
    ['lpPool1d', () => F.lpPool1d(v, 2, 2), 'ShapeError', 'lpPool1d(): expected a 2-D [C, L] or 3-D [N, C, L] input, got [4]'],
    ['lpPool2d', () => F.lpPool2d(v, 2, 2), 'ShapeError', 'lpPool2d(): Expected 3D or 4D (batch mode) tensor with non-zero channel and spatial dims for input, but got: [4]'],
    ['fractionalMaxPool2d', () => F.fractionalMaxPool2d(v, 2, { outputSize: 1 }), 'ShapeError', 'fractionalMaxPool2d(): Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got: [4]'],
    ['fractionalMaxPool3d', () => F.fractionalMaxPool3d(v, 2, { outputSize: 1 }), 'ShapeError', 'fractionalMaxPool3d(): Expected 4D or 5D (batch mode) tensor with optional 0 dim batch size for input, but got: [4]'],
    ['maxUnpool1d', () => F.maxUnpool1d(v, torch.zeros([4], { dtype: 'int32' }), 2), 'ShapeError', 'maxUnpool1d(): Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got: [4]'],
    ['maxUnpool2d', () => F.maxUnpool2d(v, torch.zeros([4], { dtype: 'int32' }), 2), 'ShapeError', 'maxUnpool2d(): Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got: [4]'],
    ['maxUnpool3d', () => F.maxUnpool3d(v, torch.zeros([4], { dtype: 'int32' }), 2), 'ShapeError', 'maxUnpool3d(): Expected 4D or 5D (batch mode) tensor with optional 0 dim batch size for input, but got: [4]'],
    ['conv1d', () => F.conv1d(v, torch.rand([1, 1, 2])), 'ShapeError', 'conv1d(): Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [4]'],
    ['conv2d', () => F.conv2d(v, w2), 'ShapeError', 'conv2d(): Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [4]'],
    ['conv3d', () => F.conv3d(v, torch.rand([1, 1, 1, 1, 1])), 'ShapeError', 'conv3d(): Expected 4D (unbatched) or 5D (batched) input, but got input of size: [4]'],
    ['convTranspose1d', () => F.convTranspose1d(v, torch.rand([1, 1, 2])), 'ShapeError', 'convTranspose1d(): Expected 2D (unbatched) or 3D (batched) input to convTranspose1d, but got input of size: [4]'],
    ['convTranspose2d', () => F.convTranspose2d(v, w2), 'ShapeError', 'convTranspose2d(): Expected 3D (unbatched) or 4D (batched) input to convTranspose2d, but got input of size: [4]'],
    ['convTranspose3d', () => F.convTranspose3d(v, torch.rand([1, 1, 1, 1, 1])), 'ShapeError', 'convTranspose3d(): Expected 4D (unbatched) or 5D (batched) input to convTranspose3d, but got input of size: [4]'],
    ['unfold', () => F.unfold(v, 2), 'ShapeError', 'unfold(): Expected 3D or 4D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions, but got: [4]'],
    ['fold', () => F.fold(v, [2, 2], 2), 'ShapeError', 'fold(): Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions, but got: [4]'],
    ['interpolate', () => F.interpolate(v, { size: 2 }), 'ShapeError', 'interpolate(): expected a 3-D [N, C, L] or 4-D [N, C, H, W] input, got [4]'],
    ['gridSample', () => F.gridSample(v, torch.rand([1, 2, 2, 2])), 'ShapeError', 'gridSample(): grid_sampler(): expected 4D or 5D input and grid with same number of dimensions, but got input with sizes [4] and grid with sizes [1, 2, 2, 2]'],
    ['pixelShuffle', () => F.pixelShuffle(v, 2), 'ShapeError', 'pixelShuffle(): expected an input of at least 3 dims [*, C, H, W], got [4]'],
    ['pixelUnshuffle', () => F.pixelUnshuffle(v, 2), 'ShapeError', 'pixelUnshuffle(): expected an input of at least 3 dims [*, C, H, W], got [4]'],
    ['channelShuffle', () => F.channelShuffle(v, 2), 'ShapeError', 'channelShuffle(): channel_shuffle expects input to have at least 3 dimensions, but got input with sizes [4]'],
    ['dropout1d', () => F.dropout1d(v), 'ShapeError', 'dropout1d(): Expected 2D or 3D input, but received a 1D input ([4]). Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension.'],
    ['dropout2d', () => F.dropout2d(v), 'ShapeError', 'dropout2d(): Expected 3D or 4D input, but received a 1D input ([4]). Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension.'],
    ['dropout3d', () => F.dropout3d(v), 'ShapeError', 'dropout3d(): Expected 4D or 5D input, but received a 1D input ([4]). Note that dropout3d exists to provide channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, and an optional batch dimension.'],
    ['batchNorm', () => F.batchNorm(v, null, null), 'ShapeError', 'batchNorm(): expected input with at least 2 dims [N, C, *], got input of size [4]'],
    ['groupNorm', () => F.groupNorm(v, 1), 'ShapeError', 'groupNorm(): Expected at least 2 dimensions for input tensor but received 1 (input of size [4])'],
    ['instanceNorm', () => F.instanceNorm(v), 'ShapeError', 'instanceNorm(): expected an input [N, C, *] with at least one spatial dim, got [4]'],
    ['localResponseNorm', () => F.localResponseNorm(v, 2), 'ShapeError', 'localResponseNorm(): Expected 3D or higher dimensionality input (got 1 dimensions)'],
    ['pdist', () => F.pdist(v), 'ShapeError', 'pdist(): pdist only supports 2D tensors, got: 1D ([4])'],
    ['affineGrid', () => F.affineGrid(v, [1, 1, 2, 2]), 'ShapeError', 'affineGrid(): Expected a batch of 2D affine matrices of shape Nx2x3 for size [1, 1, 2, 2]. Got [4].'],
    ['embeddingBag', () => F.embeddingBag(torch.zeros([2, 2, 2], { dtype: 'int32' }), torch.rand([3, 2])), 'ShapeError', 'embeddingBag(): input has to be 1D or 2D Tensor, but got Tensor of dimension 3'],
  ]);
});
