// The nn.functional ops of issue 15 against PyTorch 1.13's outputs and gradients
// (test/fixtures/golden/nn_breadth.json, written by test/fixtures/gen_nn_breadth.py): each case runs the
// torchfn op on the stored float64 inputs, compares every output, then backpropagates sum(r · out) and
// compares the gradient of every float input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';

interface Stored {
  shape: number[];
  dtype: 'float64' | 'float32' | 'int32' | 'bool';
  data: number[];
}
interface Case {
  name: string;
  fn: string;
  inputs: Record<string, Stored>;
  opts: Record<string, any>;
  outs: Stored[];
  r: (Stored | null)[];
  grads: Record<string, Stored>;
}
const golden = JSON.parse(readFileSync(new URL('./fixtures/golden/nn_breadth.json', import.meta.url), 'utf8')) as { cases: Case[] };

const load = (s: Stored): Tensor => {
  if (s.dtype === 'float64') return torch.tensor(Float64Array.from(s.data), { dtype: 'float64', shape: s.shape });
  if (s.dtype === 'float32') return torch.tensor(Float32Array.from(s.data), { dtype: 'float32', shape: s.shape });
  const t = torch.tensor(Int32Array.from(s.data), { dtype: 'int32', shape: s.shape });
  return s.dtype === 'bool' ? t.to('bool') : t;
};
const { nn } = torch;
const F = nn.functional;

/** Splits the stored options into the op's leading arguments and its options object. */
const take = (o: Record<string, any>, ...keys: string[]) => {
  const rest = { ...o };
  const vals = keys.map((k) => {
    const v = rest[k];
    delete rest[k];
    return v;
  });
  return [...vals, rest] as any[];
};

type Run = (i: Record<string, Tensor>, o: Record<string, any>) => Tensor | Tensor[];
const RUN: Record<string, Run> = {
  maxPool3dWithIndices: (i, o) => [...F.maxPool3dWithIndices(i.x!, ...(take(o, 'kernelSize') as [any, any]))],
  avgPool3d: (i, o) => F.avgPool3d(i.x!, ...(take(o, 'kernelSize') as [any, any])),
  adaptiveAvgPool3d: (i, o) => F.adaptiveAvgPool3d(i.x!, o.outputSize),
  adaptiveMaxPool1dWithIndices: (i, o) => [...F.adaptiveMaxPool1dWithIndices(i.x!, o.outputSize)],
  adaptiveMaxPool2dWithIndices: (i, o) => [...F.adaptiveMaxPool2dWithIndices(i.x!, o.outputSize)],
  adaptiveMaxPool3dWithIndices: (i, o) => [...F.adaptiveMaxPool3dWithIndices(i.x!, o.outputSize)],
  lpPool1d: (i, o) => F.lpPool1d(i.x!, ...(take(o, 'normType', 'kernelSize') as [any, any, any])),
  lpPool2d: (i, o) => F.lpPool2d(i.x!, ...(take(o, 'normType', 'kernelSize') as [any, any, any])),
  maxUnpool1d: (i, o) => F.maxUnpool1d(i.x!, i.indices!, ...(take(o, 'kernelSize') as [any, any])),
  maxUnpool2d: (i, o) => F.maxUnpool2d(i.x!, i.indices!, ...(take(o, 'kernelSize') as [any, any])),
  maxUnpool3d: (i, o) => F.maxUnpool3d(i.x!, i.indices!, ...(take(o, 'kernelSize') as [any, any])),
  fractionalMaxPool2dWithIndices: (i, o) => [...F.fractionalMaxPool2dWithIndices(i.x!, o.kernelSize, { ...take(o, 'kernelSize')[1], randomSamples: i.randomSamples })],
  fractionalMaxPool3dWithIndices: (i, o) => [...F.fractionalMaxPool3dWithIndices(i.x!, o.kernelSize, { ...take(o, 'kernelSize')[1], randomSamples: i.randomSamples })],
  unfold: (i, o) => F.unfold(i.x!, ...(take(o, 'kernelSize') as [any, any])),
  fold: (i, o) => F.fold(i.x!, ...(take(o, 'outputSize', 'kernelSize') as [any, any, any])),
  convTranspose1d: (i, o) => F.convTranspose1d(i.x!, i.weight!, i.bias, o),
  convTranspose3d: (i, o) => F.convTranspose3d(i.x!, i.weight!, i.bias, o),
  convTbc: (i, o) => F.convTbc(i.x!, i.weight!, i.bias!, o.pad),
  affineGrid: (i, o) => F.affineGrid(i.theta!, ...(take(o, 'size') as [any, any])),
  gridSample: (i, o) => F.gridSample(i.input!, i.grid!, o),
  embeddingBag: (i, o) => F.embeddingBag(i.input!, i.weight!, { ...o, offsets: i.offsets ?? null, perSampleWeights: i.perSampleWeights ?? null }),
  ctcLoss: (i, o) => {
    const [inLen, tgtLen, rest] = take(o, 'inputLengths', 'targetLengths');
    return F.ctcLoss(i.logits!.logSoftmax(-1), i.targets!, inLen, tgtLen, rest);
  },
  multiMarginLoss: (i, o) => F.multiMarginLoss(i.input!, i.target!, { ...o, weight: i.weightNoGrad ?? null }),
  multilabelMarginLoss: (i, o) => F.multilabelMarginLoss(i.input!, i.target!, o),
  tripletMarginWithDistanceLoss: (i, o) => {
    const [distance, rest] = take(o, 'distance');
    const distanceFunction = distance === 'cosine' ? (u: Tensor, v: Tensor) => F.cosineSimilarity(u, v).neg().add(1) : null;
    return F.tripletMarginWithDistanceLoss(i.anchor!, i.positive!, i.negative!, { ...rest, distanceFunction });
  },
  channelShuffle: (i, o) => F.channelShuffle(i.x!, o.groups),
  pdist: (i, o) => F.pdist(i.x!, o.p === 'inf' ? Infinity : o.p),
  rrelu: (i, o) => F.rrelu(i.x!, o),
  pad: (i, o) => F.pad(i.x!, o.pad, o.mode),
  multiHeadAttentionForward: (i, o) => {
    const [embed, heads, zeroAttn, rest] = take(o, 'embedDimToCheck', 'numHeads', 'addZeroAttn');
    const extra = { qProjWeight: i.qProjWeight, kProjWeight: i.kProjWeight, vProjWeight: i.vProjWeight, keyPaddingMask: i.keyPaddingMask, attnMask: i.attnMask };
    const [out, w] = F.multiHeadAttentionForward(i.query!, i.key!, i.value!, embed, heads, i.inProjWeight ?? null, i.inProjBias ?? null, i.biasK ?? null,
      i.biasV ?? null, zeroAttn, 0, i.outProjWeight!, i.outProjBias ?? null, { ...rest, ...extra, training: false });
    return [out, w!];
  },
  crossMapLrn2d: (i, o) => new nn.CrossMapLRN2d(o.size, { alpha: o.alpha, beta: o.beta, k: o.k }).call(i.x!),
};

function close(got: Tensor, want: Stored, what: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  const tol = want.dtype === 'float32' ? 1e-5 : 1e-9;
  const g = got.reshape(-1).tolist() as number[];
  g.forEach((v, k) => {
    const w = want.data[k]!;
    const ok = v === w || Math.abs(v - w) <= tol * Math.max(1, Math.abs(w));
    assert.ok(ok, `${what}[${k}]: got ${v}, PyTorch ${w}`);
  });
}

test('the fixture covers every op in the runner table', () => {
  const used = new Set(golden.cases.map((c) => c.fn));
  assert.deepEqual(Object.keys(RUN).filter((k) => !used.has(k)), []);
  assert.equal(golden.cases.length, 86);
});

for (const c of golden.cases) {
  test(`${c.name}: outputs and gradients match PyTorch 1.13`, () => {
    const run = RUN[c.fn];
    assert.ok(run, `no runner for ${c.fn}`);
    const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, s]) => [k, load(s)]));
    for (const [k, t] of Object.entries(inputs)) if (c.grads[k]) t.requiresGrad_();
    const out = run(inputs, structuredClone(c.opts));
    const outs = Array.isArray(out) ? out : [out];
    assert.equal(outs.length, c.outs.length, 'number of outputs');
    outs.forEach((o, k) => close(o, c.outs[k]!, `${c.name} out ${k}`));
    if (Object.keys(c.grads).length === 0) return;
    const total = outs.flatMap((o, k) => (c.r[k] && o.requiresGrad ? [o.mul(load(c.r[k]!)).sum()] : [])).reduce((a, b) => a.add(b));
    total.backward();
    // A gradient that no path reaches (the grid of nearest sampling) is null here, zeros in PyTorch.
    for (const [k, g] of Object.entries(c.grads)) close(inputs[k]!.grad ?? torch.zerosLike(inputs[k]!), g, `${c.name} grad ${k}`);
  });
}
