// nn.TransformerEncoderLayer and nn.TransformerEncoder against PyTorch's numbers
// (test/fixtures/golden/transformer.json, written by test/fixtures/gen_transformer.py): PyTorch's
// state_dicts load with loadStateDict (same names, order and shapes, same repr) and give PyTorch's
// outputs and gradients (input and every parameter) within 1e-10 in float64, for post-norm and
// pre-norm, relu and gelu, batchFirst and time-major, unbatched inputs, bool and float causal masks
// with key padding masks; vmap over unbatched sequences equals a loop; the encoder's layer copies.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { Tensor, nn, func } from '../src/index.js';
import { T, assertClose, caseOf, dictOf, loadGolden, type Case, type Spec } from './support/golden.js';

const cases = loadGolden('transformer.json');
const E = 8;
const H = 2;
const FF = 16;

function layerOf(opts: Record<string, unknown>): nn.TransformerEncoderLayer {
  return new nn.TransformerEncoderLayer(E, H, { ...(opts as nn.TransformerEncoderLayerOptions), dimFeedforward: FF, dtype: 'float64' });
}

function build(c: Case): nn.Module {
  const opts = c.options as Record<string, unknown>;
  if (c.module === 'TransformerEncoderLayer') return layerOf(opts);
  if (c.module === 'TransformerEncoder') {
    return new nn.TransformerEncoder(layerOf(opts), c.num_layers as number, { norm: new nn.LayerNorm(E, { dtype: 'float64' }) });
  }
  throw new Error(`unknown module ${String(c.module)}`);
}

function loaded(c: Case): nn.Module {
  const m = build(c);
  const sd = c.state_dict as Record<string, Spec>;
  assert.deepEqual(m.namedParameters().map(([n, p]) => [n, p.shape]), Object.entries(sd).map(([n, s]) => [n, s.shape]), `${c.name}: parameter names`);
  // PyTorch 1.13 prints a ModuleList's equal layers one by one; torchfn (as PyTorch >= 2.0) collapses them to '(0-1): 2 x ...'.
  if (c.module !== 'TransformerEncoder') assert.equal(String(m), c.repr, `${c.name}: repr`);
  const res = m.loadStateDict(dictOf(sd));
  assert.deepEqual([res.missingKeys, res.unexpectedKeys], [[], []]);
  m.eval();
  return m;
}

function srcMaskOf(c: Case): Tensor | null {
  if (!c.src_mask) return null;
  const m = T(c.src_mask);
  if (c.src_mask_kind === 'float') return torch.where(m, torch.full([], -Infinity, { dtype: 'float64' }), torch.full([], 0, { dtype: 'float64' }));
  return m;
}

function run(m: nn.Module, c: Case, x: Tensor): Tensor {
  const mask = srcMaskOf(c);
  const kpm = c.src_key_padding_mask ? T(c.src_key_padding_mask) : null;
  if (m instanceof nn.TransformerEncoder) return m.call(x, { mask, srcKeyPaddingMask: kpm });
  return (m as nn.TransformerEncoderLayer).call(x, { srcMask: mask, srcKeyPaddingMask: kpm });
}

describe('TransformerEncoderLayer / TransformerEncoder against PyTorch', () => {
  for (const c of cases) {
    test(`${c.name}: ${c.what}`, () => {
      const m = loaded(c);
      const x = T(c.input, { requiresGrad: true });
      const out = run(m, c, x);
      assertClose(out, c.expected_output, 1e-10, 'output');
      out.mul(T(c.w_output)).sum().backward();
      assertClose(x.grad, c.expected_grad_input, 1e-10, 'grad input');
      const params = Object.fromEntries(m.namedParameters());
      const grads = c.expected_grad_params as Record<string, Spec>;
      assert.deepEqual(Object.keys(grads), Object.keys(params));
      for (const [name, g] of Object.entries(grads)) assertClose(params[name]!.grad, g, 1e-10, `grad ${name}`);
    });
  }

  test('isCausal without a srcMask equals the explicit causal mask', () => {
    const c = caseOf(cases, 'post_relu_time_major_masks');
    const m = loaded(c) as nn.TransformerEncoderLayer;
    const kpm = T(c.src_key_padding_mask);
    const out = m.call(T(c.input), { isCausal: true, srcKeyPaddingMask: kpm });
    assertClose(out, c.expected_output, 1e-10, 'isCausal output');
  });
});

describe('torch.func through a TransformerEncoderLayer', () => {
  test('vmap over unbatched [S, E] sequences equals a loop', () => {
    for (const normFirst of [false, true]) {
      torch.manualSeed(3);
      const layer = new nn.TransformerEncoderLayer(E, H, { dimFeedforward: FF, normFirst, activation: 'gelu', dtype: 'float64' }).eval();
      const xs = torch.randn([3, 5, E], { dtype: 'float64' });
      const kpm = torch.tensor([[0, 0, 0, 0, 0], [0, 0, 0, 1, 1], [0, 0, 0, 0, 1]], { dtype: 'bool' });
      const mask = torch.full([5, 5], true, { dtype: 'bool' }).triu(1);
      const f = (x: Tensor, k: Tensor): Tensor => layer.call(x, { srcMask: mask, srcKeyPaddingMask: k });
      const batched = func.vmap(f)(xs, kpm);
      assert.deepEqual(batched.shape, [3, 5, E]);
      const loop = torch.stack([0, 1, 2].map((b) => f(xs.select(0, b), kpm.select(0, b))));
      const a = batched.toArray();
      const e = loop.toArray();
      for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - e[i]!) <= 1e-12, `normFirst=${normFirst} [${i}]: ${a[i]} vs ${e[i]}`);
      // The batched (time-major) call agrees too.
      const direct = layer.call(xs.transpose(0, 1), { srcMask: mask, srcKeyPaddingMask: kpm }).transpose(0, 1);
      assertClose(batched, { shape: direct.shape, dtype: 'float64', data: Array.from(direct.toArray()) }, 1e-12, 'vmap vs batched');
    }
  });

  test('per-sample gradients: vmap(grad(functionalCall)) equals a loop of single-example grads', () => {
    torch.manualSeed(4);
    const layer = new nn.TransformerEncoderLayer(E, H, { dimFeedforward: FF, dtype: 'float64' }).eval();
    const params = Object.fromEntries(layer.namedParameters().map(([n, p]) => [n, p.detach()]));
    const xs = torch.randn([3, 5, E], { dtype: 'float64' });
    const w = torch.randn([5, E], { dtype: 'float64' });
    const loss = (p: Record<string, Tensor>, x: Tensor): Tensor => (func.functionalCall(layer, p, [x, { isCausal: true }]) as Tensor).mul(w).sum();
    const perSample = func.vmap(func.grad(loss), { inDims: [null, 0] })(params, xs) as Record<string, Tensor>;
    for (let b = 0; b < 3; b++) {
      const g = func.grad(loss)(params, xs.select(0, b)) as Record<string, Tensor>;
      for (const [name, t] of Object.entries(g)) {
        assertClose(perSample[name]!.select(0, b), { shape: t.shape, dtype: 'float64', data: Array.from(t.toArray()) }, 1e-12, `${name}[${b}]`);
      }
    }
  });
});

describe('TransformerEncoderLayer / TransformerEncoder modules', () => {
  test('PyTorch state_dict names, options and bias: false', () => {
    const layer = new nn.TransformerEncoderLayer(8, 2);
    assert.deepEqual(Object.keys(layer.stateDict()), [
      'self_attn.in_proj_weight', 'self_attn.in_proj_bias', 'self_attn.out_proj.weight', 'self_attn.out_proj.bias',
      'linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias', 'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias',
    ]);
    assert.equal(layer.linear1.outFeatures, 2048);
    assert.equal(layer.dropout.p, 0.1);
    assert.equal(layer.self_attn.dropout, 0.1);
    const nb = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 4, bias: false });
    assert.deepEqual(Object.keys(nb.stateDict()), ['self_attn.in_proj_weight', 'self_attn.out_proj.weight', 'linear1.weight', 'linear2.weight', 'norm1.weight', 'norm2.weight']);
    assert.equal(nb.call(torch.randn([5, 2, 8])).shape.join(), '5,2,8');
    assert.throws(() => new nn.TransformerEncoderLayer(8, 2, { activation: 'tanh' as 'relu' }), /relu\/gelu/);
    assert.throws(() => new nn.TransformerEncoderLayer(8, 2, { dimFeedForward: 4 } as nn.TransformerEncoderLayerOptions));
    assert.throws(() => new nn.TransformerEncoderLayer(8, 3), /divisible/);
  });

  test('dropout only in training mode', () => {
    torch.manualSeed(5);
    const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0.5, dtype: 'float64' });
    const x = torch.randn([5, 2, 8], { dtype: 'float64' });
    layer.eval();
    const a = layer.call(x);
    const b = layer.call(x);
    assert.deepEqual(Array.from(a.toArray()), Array.from(b.toArray()));
    layer.train();
    const c = layer.call(x);
    assert.notDeepEqual(Array.from(c.toArray()), Array.from(a.toArray()));
    const noDrop = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, dtype: 'float64' });
    noDrop.loadStateDict(layer.stateDict());
    assert.deepEqual(Array.from(noDrop.train().call(x).toArray()), Array.from(a.toArray()));
  });

  test('TransformerEncoder: independent copies that start equal to the layer', () => {
    const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, normFirst: true, batchFirst: true });
    const enc = new nn.TransformerEncoder(layer, 3);
    assert.equal(enc.layers.length, 3);
    assert.equal(enc.norm, null);
    const keys = Object.keys(enc.stateDict());
    assert.equal(keys.length, 36);
    assert.equal(keys[0], 'layers.0.self_attn.in_proj_weight');
    assert.equal(keys[35], 'layers.2.norm2.bias');
    const src = layer.stateDict();
    for (let i = 0; i < 3; i++) {
      const li = enc.layers.get(i) as nn.TransformerEncoderLayer;
      assert.notEqual(li, layer);
      assert.equal(li.normFirst, true);
      assert.equal(li.batchFirst, true);
      for (const [k, v] of Object.entries(li.stateDict())) assert.deepEqual(Array.from(v.toArray()), Array.from(src[k]!.toArray()), `layers.${i}.${k}`);
    }
    // Independent storage: changing one copy changes neither the original nor the other copies.
    torch.noGrad(() => (enc.layers.get(0) as nn.TransformerEncoderLayer).linear1.weight.fill_(0));
    assert.notEqual(layer.linear1.weight.toArray()[0], 0);
    assert.notEqual((enc.layers.get(1) as nn.TransformerEncoderLayer).linear1.weight.toArray()[0], 0);
    const y = enc.call(torch.randn([2, 5, 8]), { isCausal: true });
    assert.deepEqual(y.shape, [2, 5, 8]);
  });
});
