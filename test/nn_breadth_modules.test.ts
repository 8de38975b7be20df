// The nn modules of issue 15 (pooling, padding, transposed convolutions, EmbeddingBag, CTC and margin
// losses, dropout variants, norms, upsampling, fold) against PyTorch 1.13's reprs, parameter names and
// shapes (test/fixtures/golden/nn_breadth.json), plus vmap against a loop, gradients against finite
// differences, the random ops' statistics, nn.utils.rnn, and the typed errors of bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';

const { nn, func } = torch;
interface Stored { shape: number[]; dtype: string; data: number[] }
const golden = JSON.parse(readFileSync(new URL('./fixtures/golden/nn_breadth.json', import.meta.url), 'utf8')) as {
  reprs: Record<string, string>;
  params: Record<string, Record<string, number[]>>;
  batchnorm3d: Record<string, Stored>;
  asm: { state: Record<string, Stored>; x: Stored; target: Stored; output: Stored; loss: Stored; logProb: Stored; predict: Stored; gx: Stored; grads: Record<string, Stored>; repr: string };
};
const t64 = (s: Stored) => torch.tensor(Float64Array.from(s.data), { dtype: 'float64', shape: s.shape });
const i32 = (v: number[]) => torch.tensor(v, { dtype: 'int32' });
const maxDiff = (a: Tensor, b: Tensor) => a.sub(b).abs().max().item();

test("every new module prints PyTorch's repr", () => {
  const made: Record<string, torch.nn.Module> = {
    'ZeroPad2d((1, 2, 3, 4))': new nn.ZeroPad2d([1, 2, 3, 4]), 'ConstantPad1d(2, 3.5)': new nn.ConstantPad1d(2, 3.5),
    'ReflectionPad2d((1, 1, 2, 0))': new nn.ReflectionPad2d([1, 1, 2, 0]), 'ReplicationPad3d(1)': new nn.ReplicationPad3d(1),
    'MaxPool3d(2)': new nn.MaxPool3d(2), 'AvgPool3d(3, stride=2)': new nn.AvgPool3d(3, { stride: 2 }),
    'AdaptiveMaxPool2d((2, None))': new nn.AdaptiveMaxPool2d([2, null]), 'AdaptiveAvgPool3d(2)': new nn.AdaptiveAvgPool3d(2),
    'MaxUnpool2d(2)': new nn.MaxUnpool2d(2), 'MaxUnpool1d(3, stride=2, padding=1)': new nn.MaxUnpool1d(3, { stride: 2, padding: 1 }),
    'LPPool2d(2, 3)': new nn.LPPool2d(2, 3), 'LPPool1d(1.5, 2, stride=1)': new nn.LPPool1d(1.5, 2, { stride: 1 }),
    'Fold((4, 5), 2)': new nn.Fold([4, 5], 2), 'Unfold(2, padding=1)': new nn.Unfold(2, { padding: 1 }),
    'ConvTranspose1d(2, 3, 3)': new nn.ConvTranspose1d(2, 3, 3),
    'ConvTranspose3d(2, 4, (2, 3, 3), stride=2, output_padding=1, groups=2)': new nn.ConvTranspose3d(2, 4, [2, 3, 3], { stride: 2, outputPadding: 1, groups: 2 }),
    'EmbeddingBag(10, 3)': new nn.EmbeddingBag(10, 3), "EmbeddingBag(10, 3, mode='max', padding_idx=0)": new nn.EmbeddingBag(10, 3, { mode: 'max', paddingIdx: 0 }),
    'CTCLoss()': new nn.CTCLoss(), 'RReLU()': new nn.RReLU(), 'Softmax2d()': new nn.Softmax2d(), 'ChannelShuffle(2)': new nn.ChannelShuffle(2),
    'AlphaDropout(0.2)': new nn.AlphaDropout(0.2), 'FeatureAlphaDropout()': new nn.FeatureAlphaDropout(), 'Dropout1d()': new nn.Dropout1d(),
    'Dropout2d(0.1)': new nn.Dropout2d(0.1), 'Dropout3d(0.1)': new nn.Dropout3d(0.1),
    'MultiMarginLoss()': new nn.MultiMarginLoss(), 'MultiLabelMarginLoss()': new nn.MultiLabelMarginLoss(),
    'UpsamplingNearest2d(scale_factor=2)': new nn.UpsamplingNearest2d({ scaleFactor: 2 }), 'UpsamplingBilinear2d(size=4)': new nn.UpsamplingBilinear2d({ size: 4 }),
    'BatchNorm3d(3)': new nn.BatchNorm3d(3), 'InstanceNorm3d(3)': new nn.InstanceNorm3d(3), 'CrossMapLRN2d(3)': new nn.CrossMapLRN2d(3),
    'FractionalMaxPool2d(2, output_ratio=0.5)': new nn.FractionalMaxPool2d(2, { outputRatio: 0.5 }),
  };
  assert.deepEqual(Object.keys(made).sort(), Object.keys(golden.reprs).sort());
  for (const [k, m] of Object.entries(made)) assert.equal(String(m), golden.reprs[k], k);
  assert.equal(String(new nn.TripletMarginWithDistanceLoss()), 'TripletMarginWithDistanceLoss(\n  (distance_function): PairwiseDistance()\n)');
});

test("parameter names, shapes and init follow PyTorch's", () => {
  const made: Record<string, torch.nn.Module> = {
    'ConvTranspose1d(2, 6, 3, groups=2)': new nn.ConvTranspose1d(2, 6, 3, { groups: 2 }), 'ConvTranspose3d(4, 2, 3)': new nn.ConvTranspose3d(4, 2, 3),
    'EmbeddingBag(10, 3)': new nn.EmbeddingBag(10, 3), 'BatchNorm3d(3)': new nn.BatchNorm3d(3),
    'InstanceNorm3d(3, affine=True, track_running_stats=True)': new nn.InstanceNorm3d(3, { affine: true, trackRunningStats: true }),
  };
  for (const [k, m] of Object.entries(made)) {
    const sd = Object.fromEntries(Object.entries(m.stateDict()).map(([n, t]) => [n, t.shape]));
    assert.deepEqual(sd, golden.params[k], k);
  }
  // ConvTranspose init: kaiming_uniform(a=√5) over fan_in = weight.size(1)·k, the bias within ±1/√fan_in.
  const ct = new nn.ConvTranspose3d(4, 2, 3);
  const bound = 1 / Math.sqrt(2 * 27);
  assert.ok(ct.weight.abs().max().item() <= bound + 1e-7 && ct.bias!.abs().max().item() <= bound + 1e-7);
  const bag = new nn.EmbeddingBag(1000, 4, { paddingIdx: 3 });
  assert.equal(bag.weight.select(0, 3).abs().sum().item(), 0);
  const std = bag.weight.std().item();
  assert.ok(std > 0.9 && std < 1.1, `N(0, 1) init, std ${std}`);
});

test('BatchNorm3d matches PyTorch in training and eval mode', () => {
  const g = golden.batchnorm3d;
  const bn = new nn.BatchNorm3d(2, { dtype: 'float64' });
  const x = t64(g.x!);
  assert.ok(maxDiff(bn.call(x), t64(g.train!)) < 1e-10);
  assert.ok(maxDiff(bn.running_mean!, t64(g.running_mean!)) < 1e-12);
  assert.ok(maxDiff(bn.running_var!, t64(g.running_var!)) < 1e-12);
  bn.eval();
  assert.ok(maxDiff(bn.call(x), t64(g.eval!)) < 1e-10);
  assert.throws(() => bn.call(torch.randn([2, 2, 3])), (e: Error) => e instanceof torch.ValueError && /BatchNorm3d: expected 5D input/.test(e.message));
});

test('AdaptiveLogSoftmaxWithLoss loads a PyTorch state_dict and gives its outputs, log-probabilities and gradients', () => {
  const g = golden.asm;
  const asm = new nn.AdaptiveLogSoftmaxWithLoss(8, 12, [3, 7], { divValue: 2, headBias: true, dtype: 'float64' });
  assert.equal(String(asm), g.repr);
  asm.loadStateDict(Object.fromEntries(Object.entries(g.state).map(([k, v]) => [k, t64(v)])));
  const x = t64(g.x).requiresGrad_();
  const target = torch.tensor(g.target.data, { dtype: 'int32' });
  const { output, loss } = asm.call(x, target);
  assert.ok(maxDiff(output, t64(g.output)) < 1e-12 && Math.abs(loss.item() - g.loss.data[0]!) < 1e-12);
  assert.ok(maxDiff(asm.logProb(x), t64(g.logProb)) < 1e-12);
  assert.deepEqual(asm.predict(x).tolist(), g.predict.data);
  loss.backward();
  assert.ok(maxDiff(x.grad!, t64(g.gx)) < 1e-12);
  for (const [k, p] of asm.namedParameters()) assert.ok(maxDiff(p.grad!, t64(g.grads[k]!)) < 1e-12, k);
  // Batchable: per-example losses under vmap equal the loop.
  const per = func.vmap((xi: Tensor, ti: Tensor) => asm.call(xi, ti).output)(x.detach(), target);
  assert.ok(maxDiff(per, output.detach()) < 1e-12);
  assert.throws(() => asm.call(x, torch.tensor([0, 1, 2, 3, 4, 12], { dtype: 'int32' })), /Target values should be in \[0, 11\], but values in range \[0, 12\] were found/);
  assert.throws(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 12, [7, 3]), /cutoffs should be a sequence of unique, positive integers sorted/);
});

test('modules run their functional op', () => {
  const x3 = torch.randn([2, 2, 4, 4, 4], { dtype: 'float64' });
  const [v, i] = new nn.MaxPool3d(2, { returnIndices: true }).call(x3);
  assert.ok(maxDiff(new nn.MaxUnpool3d(2).call(v, i), torch.maxUnpool3d(v, i, 2)) === 0);
  assert.deepEqual(new nn.AdaptiveMaxPool3d<true>(2, { returnIndices: true }).call(x3)[1].dtype, 'int32');
  assert.deepEqual(new nn.AvgPool3d(2).call(x3).shape, [2, 2, 2, 2, 2]);
  assert.deepEqual(new nn.LPPool1d(2, 2).call(torch.rand([1, 2, 6])).shape, [1, 2, 3]);
  assert.deepEqual(new nn.FractionalMaxPool3d(2, { outputSize: 2 }).call(x3).shape, [2, 2, 2, 2, 2]);
  const img = torch.randn([1, 2, 5, 5]);
  assert.deepEqual(new nn.ReflectionPad2d(2).call(img).shape, [1, 2, 9, 9]);
  assert.deepEqual(new nn.CircularPad1d([1, 2]).call(torch.tensor([[[1, 2, 3]]])).tolist(), [[[3, 1, 2, 3, 1, 2]]]);
  assert.deepEqual(new nn.ReplicationPad1d([2, 1]).call(torch.tensor([[[1, 2, 3]]])).tolist(), [[[1, 1, 1, 2, 3, 3]]]);
  assert.deepEqual(new nn.ZeroPad1d(1).call(torch.ones([1, 2])).tolist(), [[0, 1, 1, 0]]);
  const up = new nn.ConvTranspose1d(2, 3, 3, { stride: 2 });
  assert.deepEqual(up.call(torch.randn([1, 2, 4]), [1, 3, 10]).shape, [1, 3, 10]);
  assert.throws(() => up.call(torch.randn([1, 2, 4]), [12]), /valid sizes range from \[9, 10\]/);
  const ct3 = new nn.ConvTranspose3d(2, 2, 2, { stride: 2 });
  assert.deepEqual(ct3.call(torch.randn([1, 2, 2, 2, 2])).shape, [1, 2, 4, 4, 4]);
  const sm = new nn.Softmax2d().call(torch.randn([2, 3, 4, 4]));
  assert.ok(maxDiff(sm.sum(1), torch.ones([2, 4, 4])) < 1e-6);
  const rr = new nn.RReLU(0.1, 0.3).eval();
  assert.deepEqual((rr.call(torch.tensor([-1, 2])).tolist() as number[]).map((v) => Math.round(v * 1e6) / 1e6), [-0.2, 2]);
  const tm = new nn.TripletMarginWithDistanceLoss({ distanceFunction: (a: Tensor, b: Tensor) => a.sub(b).abs().sum(-1), margin: 0.5 });
  const [a, p, n] = [torch.randn([3, 4]), torch.randn([3, 4]), torch.randn([3, 4])];
  assert.ok(maxDiff(tm.call(a, p, n), a.sub(p).abs().sum(-1).sub(a.sub(n).abs().sum(-1)).add(0.5).clamp({ min: 0 }).mean()) < 1e-6);
  assert.equal(String(tm), 'TripletMarginWithDistanceLoss()');
  const ups = new nn.UpsamplingBilinear2d({ scaleFactor: 2 }).call(img);
  assert.ok(maxDiff(ups, torch.interpolate(img, { scaleFactor: 2, mode: 'bilinear', alignCorners: true })) === 0);
});

test('vmap matches a loop: gridSample with a batched grid, embeddingBag with batched offsets, maxUnpool with batched indices', () => {
  const img = torch.randn([3, 1, 2, 4, 5], { dtype: 'float64' });
  const grid = torch.rand([3, 1, 3, 3, 2], { dtype: 'float64' }).mul(2.4).sub(1.2);
  const gs = (x: Tensor, g: Tensor) => torch.gridSample(x, g, { paddingMode: 'border', alignCorners: true });
  const loop = torch.stack([0, 1, 2].map((k) => gs(img.index(k), grid.index(k))));
  assert.ok(maxDiff(func.vmap(gs)(img, grid), loop) < 1e-12);

  const w = torch.randn([6, 3], { dtype: 'float64' });
  const idx = torch.randint(0, 6, [3, 7]);
  const offs = i32([0, 2, 5, 0, 0, 7, 0, 3, 3]).reshape([3, 3]);
  for (const mode of ['sum', 'mean', 'max'] as const) {
    const bag = (ix: Tensor, of: Tensor) => torch.embeddingBag(ix, w, { offsets: of, mode });
    const byLoop = torch.stack([0, 1, 2].map((k) => bag(idx.index(k), offs.index(k))));
    assert.ok(maxDiff(func.vmap(bag)(idx, offs), byLoop) < 1e-12, mode);
  }

  const x = torch.randn([4, 1, 2, 6, 6], { dtype: 'float64' });
  const pooled = func.vmap((t: Tensor) => [...torch.maxPool2dWithIndices(t, 2)])(x) as unknown as Tensor[];
  const unpool = (v: Tensor, i: Tensor) => torch.maxUnpool2d(v, i, 2);
  const viaVmap = func.vmap(unpool)(pooled[0]!, pooled[1]!);
  assert.ok(maxDiff(viaVmap, torch.stack([0, 1, 2, 3].map((k) => unpool(pooled[0]!.index(k), pooled[1]!.index(k))))) === 0);
});

test('vmap matches a loop: per-sample CTC losses and gradients, fractional pooling with batched samples', () => {
  const logits = torch.randn([3, 6, 1, 4], { dtype: 'float64' }); // 3 examples of [T, 1, C]
  const targets = i32([1, 2, 3, 3, 1, 2]).reshape([3, 1, 2]);
  const loss = (l: Tensor, t: Tensor) => torch.ctcLoss(l.logSoftmax(-1), t, [6], [2]);
  const loop = torch.stack([0, 1, 2].map((k) => loss(logits.index(k), targets.index(k))));
  assert.ok(maxDiff(func.vmap(loss)(logits, targets), loop) < 1e-10);
  const g = func.vmap(func.grad(loss))(logits, targets);
  const gLoop = torch.stack([0, 1, 2].map((k) => func.grad(loss)(logits.index(k), targets.index(k))));
  assert.ok(maxDiff(g, gLoop) < 1e-10);

  const x = torch.randn([3, 1, 2, 7, 7], { dtype: 'float64' });
  const u = torch.rand([3, 1, 2, 2], { dtype: 'float64' });
  const fp = (t: Tensor, s: Tensor) => torch.fractionalMaxPool2d(t, 2, { outputSize: 3, randomSamples: s });
  assert.ok(maxDiff(func.vmap(fp)(x, u), torch.stack([0, 1, 2].map((k) => fp(x.index(k), u.index(k))))) === 0);
});

/** Central differences of f at x (float64) against grad(f). */
function checkGrad(f: (t: Tensor) => Tensor, x: Tensor, tol = 1e-6): void {
  const g = func.grad(f)(x).reshape(-1).tolist() as number[];
  const xs = x.reshape(-1).tolist() as number[];
  xs.forEach((_, i) => {
    const at = (d: number) => f(torch.tensor(Float64Array.from(xs.map((v, j) => (j === i ? v + d : v))), { dtype: 'float64', shape: x.shape })).item();
    const fd = (at(1e-6) - at(-1e-6)) / 2e-6;
    assert.ok(Math.abs(g[i]! - fd) < tol * Math.max(1, Math.abs(fd)), `grad[${i}]: ${g[i]} vs finite difference ${fd}`);
  });
}

test('gradients against finite differences: ctcLoss in log-probabilities, gridSample in the grid, lpPool, pdist', () => {
  const lp = torch.randn([5, 2, 3], { dtype: 'float64' }).logSoftmax(-1);
  checkGrad((t) => torch.ctcLoss(t, i32([1, 2, 2, 0]).reshape([2, 2]), [5, 4], [2, 1]), lp);
  const img = torch.randn([1, 2, 3, 4], { dtype: 'float64' });
  const grid = torch.tensor([[[[0.31, -0.47], [0.83, 0.12]], [[-0.66, 0.58], [0.07, -0.91]]]], { dtype: 'float64' });
  for (const paddingMode of ['zeros', 'border', 'reflection'] as const) checkGrad((g) => torch.gridSample(img, g, { paddingMode }).sin().sum(), grid);
  checkGrad((t) => torch.lpPool2d(t, 3, 2).sum(), torch.rand([1, 1, 4, 4], { dtype: 'float64' }).add(0.5));
  checkGrad((t) => torch.pdist(t, 3).sum(), torch.randn([4, 3], { dtype: 'float64' }));
  checkGrad((t) => torch.multilabelMarginLoss(t, i32([2, 0, -1, 1]).reshape([1, 4])), torch.randn([1, 4], { dtype: 'float64' }));
  checkGrad((t) => torch.avgPool3d(t, 2, { stride: 1, padding: 1, countIncludePad: false }).sin().sum(), torch.randn([1, 1, 3, 3, 2], { dtype: 'float64' }));
  const w3 = torch.randn([1, 2, 2, 2, 2], { dtype: 'float64' });
  checkGrad((t) => torch.convTranspose3d(t, w3, null, { stride: 2 }).sin().sum(), torch.randn([1, 1, 2, 2, 2], { dtype: 'float64' }));
});

test('random regularizers: whole channels, SELU statistics, eval identity, slopes and one-hot samples', () => {
  torch.manualSeed(3);
  const x = torch.ones([64, 32, 5, 5]);
  const y = torch.dropout2d(x, 0.25);
  const perChannel = y.sum([2, 3]);
  assert.ok((perChannel.reshape(-1).tolist() as number[]).every((v) => Math.abs(v) < 1e-4 || Math.abs(v - 25 / 0.75) < 1e-3), 'channels are all kept or all dropped');
  const kept = perChannel.gt(0).to('float32').mean().item();
  assert.ok(Math.abs(kept - 0.75) < 0.03, `kept fraction ${kept}`);
  assert.equal(torch.dropout3d(x.unsqueeze(0), 0.5, false).sub(x.unsqueeze(0)).abs().max().item(), 0);
  const s = torch.selu(torch.randn([200000]));
  const ad = torch.alphaDropout(s, 0.2, true);
  assert.ok(Math.abs(ad.mean().item() - s.mean().item()) < 0.02 && Math.abs(ad.std().item() - s.std().item()) < 0.02, 'mean and variance kept');
  assert.equal(torch.alphaDropout(s, 0.2).sub(s).abs().max().item(), 0, 'F.alpha_dropout defaults to training=False');
  const fad = torch.featureAlphaDropout(torch.ones([4, 16, 3]), 0.5, true);
  assert.ok(maxDiff(fad.amax(2), fad.amin(2)) === 0, 'one draw per channel');
  const neg = torch.full([10000], -1);
  const slopes = torch.rrelu(neg, { training: true }).neg();
  assert.ok(slopes.min().item() >= 1 / 8 - 1e-7 && slopes.max().item() <= 1 / 3 + 1e-7 && Math.abs(slopes.mean().item() - (1 / 8 + 1 / 3) / 2) < 0.01);
  const logits = torch.randn([5, 7], { requiresGrad: true });
  const hard = torch.gumbelSoftmax(logits, { hard: true, tau: 0.5 });
  assert.deepEqual(hard.sum(-1).tolist(), [1, 1, 1, 1, 1]);
  assert.ok((hard.reshape(-1).tolist() as number[]).every((v) => Math.abs(v) < 1e-6 || Math.abs(v - 1) < 1e-6));
  hard.mul(torch.randn([5, 7])).sum().backward();
  assert.ok(logits.grad!.abs().sum().item() > 0, 'straight-through gradient reaches the logits');
  const soft = torch.gumbelSoftmax(torch.randn([3, 4]), { dim: 0 });
  assert.ok(maxDiff(soft.sum(0), torch.ones([4])) < 1e-6);
});

test('nn.utils.rnn: packPaddedSequence / padPackedSequence as PyTorch, and an LSTM on the padded batch with lengths', () => {
  const { rnn } = nn.utils;
  const a = torch.arange(1, 4, { dtype: 'float32' }).reshape([3, 1]);
  const b = torch.arange(4, 5, { dtype: 'float32' }).reshape([1, 1]);
  const c = torch.arange(5, 7, { dtype: 'float32' }).reshape([2, 1]);
  const padded = rnn.padSequence([a, b, c]);
  assert.deepEqual(padded.squeeze(-1).tolist(), [[1, 4, 5], [2, 0, 6], [3, 0, 0]]);
  const packed = rnn.packPaddedSequence(padded, [3, 1, 2], { enforceSorted: false });
  // PyTorch: data [1, 5, 4, 2, 6, 3], batch_sizes [3, 2, 1], sorted_indices [0, 2, 1].
  assert.deepEqual(packed.data.reshape(-1).tolist(), [1, 5, 4, 2, 6, 3]);
  assert.deepEqual(packed.batchSizes.tolist(), [3, 2, 1]);
  assert.deepEqual(packed.sortedIndices!.tolist(), [0, 2, 1]);
  assert.deepEqual(packed.unsortedIndices!.tolist(), [0, 2, 1]);
  const [back, lengths] = rnn.padPackedSequence(packed, { batchFirst: true, totalLength: 4 });
  assert.deepEqual(back.squeeze(-1).tolist(), [[1, 2, 3, 0], [4, 0, 0, 0], [5, 6, 0, 0]]);
  assert.deepEqual(lengths.tolist(), [3, 1, 2]);
  assert.deepEqual(rnn.unpackSequence(rnn.packSequence([a, b, c], { enforceSorted: false })).map((t) => t.reshape(-1).tolist()), [[1, 2, 3], [4], [5, 6]]);
  assert.throws(() => rnn.packPaddedSequence(padded, [3, 1, 2]), /must be sorted in decreasing order/);
  // The LSTM on the padded batch with lengths gives each sequence's own final state.
  const lstm = new nn.LSTM(1, 4);
  const [x, lens] = rnn.padPackedSequence(packed);
  const [, [hN]] = lstm.call(x, null, { lengths: lens });
  [a, b, c].forEach((s, k) => {
    const [, [h1]] = lstm.call(s.unsqueeze(1));
    assert.ok(maxDiff(hN.select(1, k), h1.select(1, 0)) < 1e-6, `sequence ${k}`);
  });
  // Gradients flow through packing.
  const p = torch.randn([3, 2, 2], { requiresGrad: true });
  rnn.packPaddedSequence(p, [3, 2]).data.sum().backward();
  assert.deepEqual(p.grad!.sum().item(), 10);
});

test('bad input gets typed errors naming the function, argument and shapes', () => {
  const is = (cls: new (...a: any[]) => Error, re: RegExp) => (e: Error) => e instanceof cls && re.test(e.message);
  assert.throws(() => torch.maxPool3d(torch.randn([2, 3, 4]), 2), is(torch.ShapeError, /maxPool3d\(\): Expected 4D or 5D .* got: \[2, 3, 4\]/));
  assert.throws(() => torch.maxPool3d(torch.randn([1, 1, 4, 4, 4]), 2, { padding: 2 }), is(torch.ValueError, /pad should be smaller than or equal to half of kernel size/));
  assert.throws(() => torch.adaptiveMaxPool2d(torch.randn([1, 2, 3, 3]), [0, 2]), is(torch.ValueError, /adaptiveMaxPool2d\(\): outputSize must be/));
  assert.throws(() => torch.maxUnpool2d(torch.randn([1, 1, 2, 2]), i32([0, 1, 2, 99]).reshape([1, 1, 2, 2]), 2), is(torch.IndexError, /Found an invalid max index: 99/));
  assert.throws(() => torch.maxUnpool2d(torch.randn([1, 1, 2, 2]), torch.zeros([1, 1, 2, 2]), 2), is(torch.DTypeError, /indices should be type int32/));
  assert.throws(() => torch.fold(torch.randn([1, 8, 7]), [4, 4], 2), is(torch.ShapeError, /calculated number of sliding blocks 3 \* 3 = 9, but got input.size\(2\)=7/));
  assert.throws(() => torch.gridSample(torch.randn([1, 1, 3, 3]), torch.randn([1, 2, 2, 3])), is(torch.ShapeError, /expected grid to have size 2 in last dimension/));
  assert.throws(() => torch.gridSample(torch.randn([1, 1, 3, 3]), torch.randn([1, 2, 2, 2]), { mode: 'bicubic' as never }), is(torch.ValueError, /expected mode to be 'bilinear' or 'nearest'/));
  assert.throws(() => torch.affineGrid(torch.randn([2, 2, 3]), [1, 1, 3, 3]), is(torch.ShapeError, /Expected a batch of 2D affine matrices of shape Nx2x3 for size \[1, 1, 3, 3\]. Got \[2, 2, 3\]/));
  assert.throws(() => torch.embeddingBag(i32([1, 2]), torch.randn([5, 2]), { offsets: i32([1]) }), is(torch.ValueError, /offsets\[0\] has to be 0/));
  assert.throws(() => torch.embeddingBag(i32([1, 2]), torch.randn([5, 2]), { offsets: i32([0]), mode: 'mean', perSampleWeights: torch.ones([2]) }), /only supported for mode='sum'/);
  assert.throws(() => torch.embeddingBag(i32([1, 7]), torch.randn([5, 2]), { offsets: i32([0]) }), is(torch.IndexError, /index out of range/));
  assert.throws(() => torch.ctcLoss(torch.randn([5, 2, 3]), i32([1, 2]).reshape([2, 1]), [5, 6], [1, 1]), is(torch.ValueError, /Expected input_lengths to have value at most 5, but got value 6/));
  assert.throws(() => torch.ctcLoss(torch.randn([5, 2, 3]), torch.ones([2, 1]), [5, 5], [1, 1]), is(torch.DTypeError, /expected 'targets' to have dtype int32/));
  assert.throws(() => torch.multiMarginLoss(torch.randn([2, 3]), i32([0, 1]), { p: 3 as never }), /only p == 1 and p == 2 supported/);
  assert.throws(() => torch.channelShuffle(torch.randn([1, 3, 2, 2]), 2), is(torch.ShapeError, /Number of channels must be divisible by groups. Got 3 channels and 2 groups/));
  assert.throws(() => torch.dropout2d(torch.randn([2, 3]), 0.5), is(torch.ShapeError, /dropout2d\(\): Expected 3D or 4D input/));
  assert.throws(() => torch.convTranspose3d(torch.randn([1, 2, 2, 2, 2]), torch.randn([3, 1, 2, 2, 2])), is(torch.ShapeError, /expected input\[1, 2, 2, 2, 2\] to have 3 channels, but got 2 channels/));
  assert.throws(() => torch.pdist(torch.randn([2, 2, 2])), is(torch.ShapeError, /pdist only supports 2D tensors, got: 3D/));
  assert.throws(() => torch.fractionalMaxPool2d(torch.randn([1, 1, 5, 5]), 2), /requires specifying either an output_size or an output_ratio/);
  assert.throws(() => new nn.ReflectionPad2d([1, 2, 3]), is(torch.ValueError, /padding must be an int or a tuple of 4 ints/));
  assert.throws(() => new nn.ReflectionPad1d(3).call(torch.randn([1, 2, 3])), /reflect padding/);
  assert.throws(() => torch.unfold(torch.randn([1, 2, 3, 3]), 2, { strides: 1 } as never), /unknown option 'strides'/);
});
