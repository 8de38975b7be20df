// nn.TransformerDecoderLayer, nn.TransformerDecoder and nn.Transformer against PyTorch's numbers
// (test/fixtures/golden/transformer_decoder.json, written by test/fixtures/gen_transformer_decoder.py):
// PyTorch's state_dicts load with loadStateDict (same names, order and shapes) and give PyTorch's
// outputs and gradients (every input and every parameter) within 1e-10 in float64, for post-norm and
// pre-norm, relu and gelu, batchFirst and time-major, unbatched inputs, bool and float causal tgt
// masks, memory masks and key padding masks; nn.Transformer's state_dict keys, xavier
// re-initialisation and generateSquareSubsequentMask; vmap over unbatched examples equals a loop.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as torch from '../src/index.js';
import { Tensor, nn, func } from '../src/index.js';
import { T, assertClose, caseOf, dictOf, loadGolden, type Case, type Spec } from './support/golden.js';

const cases = loadGolden('transformer_decoder.json');
const meta = (JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/golden/transformer_decoder.json', import.meta.url)), 'utf8')) as {
  meta: { transformer_state_dict_keys: string[]; transformer_state_dict_shapes: number[][]; square_subsequent_mask_3: Spec };
}).meta;
const E = 8;
const H = 2;
const FF = 16;

function layerOf(opts: Record<string, unknown>): nn.TransformerDecoderLayer {
  return new nn.TransformerDecoderLayer(E, H, { ...(opts as nn.TransformerDecoderLayerOptions), dimFeedforward: FF, dtype: 'float64' });
}

function build(c: Case): nn.Module {
  const opts = c.options as Record<string, unknown>;
  if (c.module === 'TransformerDecoderLayer') return layerOf(opts);
  if (c.module === 'TransformerDecoder') {
    return new nn.TransformerDecoder(layerOf(opts), c.num_layers as number, { norm: new nn.LayerNorm(E, { dtype: 'float64' }) });
  }
  if (c.module === 'Transformer') {
    return new nn.Transformer({
      ...(opts as nn.TransformerOptions), dModel: E, nhead: H, dimFeedforward: FF, dtype: 'float64',
      numEncoderLayers: c.num_encoder_layers as number, numDecoderLayers: c.num_decoder_layers as number,
    });
  }
  throw new Error(`unknown module ${String(c.module)}`);
}

function loaded(c: Case): nn.Module {
  const m = build(c);
  const sd = c.state_dict as Record<string, Spec>;
  assert.deepEqual(m.namedParameters().map(([n, p]) => [n, p.shape]), Object.entries(sd).map(([n, s]) => [n, s.shape]), `${c.name}: parameter names`);
  // PyTorch 1.13 prints a ModuleList's equal layers one by one; torchfn (as PyTorch >= 2.0) collapses them.
  if (c.module === 'TransformerDecoderLayer') assert.equal(String(m), c.repr, `${c.name}: repr`);
  const res = m.loadStateDict(dictOf(sd));
  assert.deepEqual([res.missingKeys, res.unexpectedKeys], [[], []]);
  m.eval();
  return m;
}

const opt = (c: Case, k: string): Tensor | null => (c[k] ? T(c[k]) : null);

function maskOf(c: Case, k: string): Tensor | null {
  const m = opt(c, k);
  if (m === null || c[`${k}_kind`] !== 'float') return m;
  return torch.where(m, torch.full([], -Infinity, { dtype: 'float64' }), torch.full([], 0, { dtype: 'float64' }));
}

function run(m: nn.Module, c: Case, inputs: Record<string, Tensor>): Tensor {
  if (m instanceof nn.Transformer) {
    const srcKpm = opt(c, 'src_key_padding_mask');
    return m.call(inputs.src!, inputs.tgt!, {
      tgtMask: maskOf(c, 'tgt_mask'), srcKeyPaddingMask: srcKpm, tgtKeyPaddingMask: opt(c, 'tgt_key_padding_mask'), memoryKeyPaddingMask: srcKpm,
    });
  }
  const o: nn.TransformerDecoderLayerForwardOptions = {
    tgtMask: maskOf(c, 'tgt_mask'), memoryMask: opt(c, 'memory_mask'),
    tgtKeyPaddingMask: opt(c, 'tgt_key_padding_mask'), memoryKeyPaddingMask: opt(c, 'memory_key_padding_mask'),
  };
  if (m instanceof nn.TransformerDecoder) return m.call(inputs.tgt!, inputs.memory!, o);
  return (m as nn.TransformerDecoderLayer).call(inputs.tgt!, inputs.memory!, o);
}

describe('TransformerDecoderLayer / TransformerDecoder / Transformer against PyTorch', () => {
  for (const c of cases) {
    test(`${c.name}: ${c.what}`, () => {
      const m = loaded(c);
      const inputs = Object.fromEntries(Object.entries(c.inputs as Record<string, Spec>).map(([k, s]) => [k, T(s, { requiresGrad: true })]));
      const out = run(m, c, inputs);
      assertClose(out, c.expected_output, 1e-10, 'output');
      out.mul(T(c.w_output)).sum().backward();
      for (const [k, g] of Object.entries(c.expected_grad_inputs as Record<string, Spec>)) assertClose(inputs[k]!.grad, g, 1e-10, `grad ${k}`);
      const params = Object.fromEntries(m.namedParameters());
      const grads = c.expected_grad_params as Record<string, Spec>;
      assert.deepEqual(Object.keys(grads), Object.keys(params));
      for (const [name, g] of Object.entries(grads)) assertClose(params[name]!.grad, g, 1e-10, `grad ${name}`);
    });
  }

  test('tgtIsCausal without a tgtMask equals the explicit causal mask', () => {
    const c = caseOf(cases, 'post_relu_time_major_masks');
    const m = loaded(c) as nn.TransformerDecoderLayer;
    const ins = c.inputs as Record<string, Spec>;
    const out = m.call(T(ins.tgt), T(ins.memory), {
      tgtIsCausal: true, tgtKeyPaddingMask: opt(c, 'tgt_key_padding_mask'), memoryKeyPaddingMask: opt(c, 'memory_key_padding_mask'),
    });
    assertClose(out, c.expected_output, 1e-10, 'tgtIsCausal output');
    const d = loaded(caseOf(cases, 'decoder_pre')) as nn.TransformerDecoder;
    const dc = caseOf(cases, 'decoder_pre');
    const di = dc.inputs as Record<string, Spec>;
    const dout = d.call(T(di.tgt), T(di.memory), {
      tgtIsCausal: true, tgtKeyPaddingMask: opt(dc, 'tgt_key_padding_mask'), memoryKeyPaddingMask: opt(dc, 'memory_key_padding_mask'),
    });
    assertClose(dout, dc.expected_output, 1e-10, 'decoder tgtIsCausal output');
  });

  test("nn.Transformer's state_dict keys and shapes equal PyTorch's (6 + 6 layers)", () => {
    const m = new nn.Transformer({ dModel: E, nhead: H, dimFeedforward: FF });
    const sd = m.stateDict();
    assert.deepEqual(Object.keys(sd), meta.transformer_state_dict_keys);
    assert.deepEqual(Object.values(sd).map((t) => t.shape), meta.transformer_state_dict_shapes);
  });

  test('generateSquareSubsequentMask equals PyTorch', () => {
    const m = nn.Transformer.generateSquareSubsequentMask(3);
    assert.equal(m.dtype, 'float32');
    assert.deepEqual(m.shape, [3, 3]);
    const pattern = meta.square_subsequent_mask_3.data;
    assert.deepEqual(Array.from(m.toArray()), pattern.map((v) => (v ? -Infinity : 0)));
    const m64 = nn.Transformer.generateSquareSubsequentMask(4, { dtype: 'float64' });
    assert.equal(m64.dtype, 'float64');
    assert.deepEqual(Array.from(m64.toArray()), [0, -Infinity, -Infinity, -Infinity, 0, 0, -Infinity, -Infinity, 0, 0, 0, -Infinity, 0, 0, 0, 0]);
    assert.deepEqual(Array.from(nn.Transformer.generateSquareSubsequentMask(0).toArray()), []);
  });
});

describe('torch.func through the decoder', () => {
  test('vmap over unbatched [T, E] / [S, E] examples equals a loop (layer and Transformer)', () => {
    for (const normFirst of [false, true]) {
      torch.manualSeed(3);
      const layer = new nn.TransformerDecoderLayer(E, H, { dimFeedforward: FF, normFirst, activation: 'gelu', dtype: 'float64' }).eval();
      const tgts = torch.randn([3, 4, E], { dtype: 'float64' });
      const mems = torch.randn([3, 5, E], { dtype: 'float64' });
      const mkpm = torch.tensor([[0, 0, 0, 0, 0], [0, 0, 0, 1, 1], [0, 0, 0, 0, 1]], { dtype: 'bool' });
      const mask = nn.Transformer.generateSquareSubsequentMask(4, { dtype: 'float64' });
      const f = (t: Tensor, mem: Tensor, k: Tensor): Tensor => layer.call(t, mem, { tgtMask: mask, memoryKeyPaddingMask: k });
      const batched = func.vmap(f)(tgts, mems, mkpm);
      assert.deepEqual(batched.shape, [3, 4, E]);
      const loop = torch.stack([0, 1, 2].map((b) => f(tgts.select(0, b), mems.select(0, b), mkpm.select(0, b))));
      assertClose(batched, { shape: loop.shape, dtype: 'float64', data: Array.from(loop.toArray()) }, 1e-12, `layer normFirst=${normFirst}`);
      const direct = layer.call(tgts.transpose(0, 1), mems.transpose(0, 1), { tgtMask: mask, memoryKeyPaddingMask: mkpm }).transpose(0, 1);
      assertClose(batched, { shape: direct.shape, dtype: 'float64', data: Array.from(direct.toArray()) }, 1e-12, 'vmap vs batched');

      const model = new nn.Transformer({ dModel: E, nhead: H, numEncoderLayers: 1, numDecoderLayers: 2, dimFeedforward: FF, normFirst, dtype: 'float64' }).eval();
      const g = (s: Tensor, t: Tensor, k: Tensor): Tensor => model.call(s, t, { tgtMask: mask, srcKeyPaddingMask: k, memoryKeyPaddingMask: k });
      const mb = func.vmap(g)(mems, tgts, mkpm);
      const ml = torch.stack([0, 1, 2].map((b) => g(mems.select(0, b), tgts.select(0, b), mkpm.select(0, b))));
      assertClose(mb, { shape: ml.shape, dtype: 'float64', data: Array.from(ml.toArray()) }, 1e-12, `Transformer normFirst=${normFirst}`);
    }
  });

  test('per-sample gradients: vmap(grad(functionalCall)) equals a loop of single-example grads', () => {
    torch.manualSeed(4);
    const layer = new nn.TransformerDecoderLayer(E, H, { dimFeedforward: FF, dtype: 'float64' }).eval();
    const params = Object.fromEntries(layer.namedParameters().map(([n, p]) => [n, p.detach()]));
    const tgts = torch.randn([3, 4, E], { dtype: 'float64' });
    const mems = torch.randn([3, 5, E], { dtype: 'float64' });
    const w = torch.randn([4, E], { dtype: 'float64' });
    const loss = (p: Record<string, Tensor>, t: Tensor, mem: Tensor): Tensor =>
      (func.functionalCall(layer, p, [t, mem, { tgtIsCausal: true }]) as Tensor).mul(w).sum();
    const perSample = func.vmap(func.grad(loss), { inDims: [null, 0, 0] })(params, tgts, mems) as Record<string, Tensor>;
    for (let b = 0; b < 3; b++) {
      const g = func.grad(loss)(params, tgts.select(0, b), mems.select(0, b)) as Record<string, Tensor>;
      for (const [name, t] of Object.entries(g)) {
        assertClose(perSample[name]!.select(0, b), { shape: t.shape, dtype: 'float64', data: Array.from(t.toArray()) }, 1e-12, `${name}[${b}]`);
      }
    }
  });
});

describe('TransformerDecoderLayer / TransformerDecoder / Transformer modules', () => {
  test('PyTorch state_dict names, options and bias: false', () => {
    const layer = new nn.TransformerDecoderLayer(8, 2);
    const attn = (p: string): string[] => [`${p}.in_proj_weight`, `${p}.in_proj_bias`, `${p}.out_proj.weight`, `${p}.out_proj.bias`];
    assert.deepEqual(Object.keys(layer.stateDict()), [
      ...attn('self_attn'), ...attn('multihead_attn'), 'linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias',
      'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias', 'norm3.weight', 'norm3.bias',
    ]);
    assert.deepEqual(layer.namedChildren().map(([n]) => n), [
      'self_attn', 'multihead_attn', 'linear1', 'dropout', 'linear2', 'norm1', 'norm2', 'norm3', 'dropout1', 'dropout2', 'dropout3',
    ]);
    assert.equal(layer.linear1.outFeatures, 2048);
    assert.equal(layer.dropout3.p, 0.1);
    assert.equal(layer.multihead_attn.dropout, 0.1);
    const nb = new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 4, bias: false });
    assert.deepEqual(Object.keys(nb.stateDict()), [
      'self_attn.in_proj_weight', 'self_attn.out_proj.weight', 'multihead_attn.in_proj_weight', 'multihead_attn.out_proj.weight',
      'linear1.weight', 'linear2.weight', 'norm1.weight', 'norm2.weight', 'norm3.weight',
    ]);
    assert.equal(nb.call(torch.randn([4, 2, 8]), torch.randn([6, 2, 8])).shape.join(), '4,2,8');
    assert.throws(() => new nn.TransformerDecoderLayer(8, 2, { activation: 'tanh' as 'relu' }), /relu\/gelu/);
    assert.throws(() => new nn.TransformerDecoderLayer(8, 2, { dimFeedForward: 4 } as nn.TransformerDecoderLayerOptions));
    assert.throws(() => layer.call(torch.randn([4, 2, 8]), torch.randn([5, 2, 8]), { isCausal: true } as nn.TransformerDecoderLayerForwardOptions));
    const t = new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 4, bias: false });
    assert.ok(!Object.keys(t.stateDict()).some((k) => k.endsWith('bias')));
    assert.deepEqual(Object.keys(t.stateDict()).slice(-2), ['decoder.layers.0.norm3.weight', 'decoder.norm.weight']);
  });

  test('dropout only in training mode', () => {
    torch.manualSeed(5);
    const layer = new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16, dropout: 0.5, dtype: 'float64' });
    const tgt = torch.randn([4, 2, 8], { dtype: 'float64' });
    const mem = torch.randn([5, 2, 8], { dtype: 'float64' });
    layer.eval();
    const a = layer.call(tgt, mem);
    assert.deepEqual(Array.from(layer.call(tgt, mem).toArray()), Array.from(a.toArray()));
    layer.train();
    assert.notDeepEqual(Array.from(layer.call(tgt, mem).toArray()), Array.from(a.toArray()));
    const noDrop = new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, dtype: 'float64' });
    noDrop.loadStateDict(layer.stateDict());
    assert.deepEqual(Array.from(noDrop.train().call(tgt, mem).toArray()), Array.from(a.toArray()));
  });

  test('TransformerDecoder: independent copies that start equal to the layer', () => {
    const layer = new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16, normFirst: true, batchFirst: true });
    const dec = new nn.TransformerDecoder(layer, 3);
    assert.equal(dec.layers.length, 3);
    assert.equal(dec.norm, null);
    const keys = Object.keys(dec.stateDict());
    assert.equal(keys.length, 54);
    assert.equal(keys[0], 'layers.0.self_attn.in_proj_weight');
    assert.equal(keys[53], 'layers.2.norm3.bias');
    const src = layer.stateDict();
    for (let i = 0; i < 3; i++) {
      const li = dec.layers.get(i) as nn.TransformerDecoderLayer;
      assert.notEqual(li, layer);
      assert.equal(li.normFirst, true);
      assert.equal(li.batchFirst, true);
      for (const [k, v] of Object.entries(li.stateDict())) assert.deepEqual(Array.from(v.toArray()), Array.from(src[k]!.toArray()), `layers.${i}.${k}`);
    }
    torch.noGrad(() => (dec.layers.get(0) as nn.TransformerDecoderLayer).linear1.weight.fill_(0));
    assert.notEqual(layer.linear1.weight.toArray()[0], 0);
    assert.notEqual((dec.layers.get(1) as nn.TransformerDecoderLayer).linear1.weight.toArray()[0], 0);
    assert.deepEqual(dec.call(torch.randn([2, 4, 8]), torch.randn([2, 6, 8]), { tgtIsCausal: true }).shape, [2, 4, 8]);
    assert.throws(() => new nn.TransformerDecoder(new nn.TransformerEncoderLayer(8, 2) as unknown as nn.TransformerDecoderLayer, 2));
  });

  test("nn.Transformer: xavier_uniform_ re-initialisation, LayerNorms untouched, shape checks", () => {
    torch.manualSeed(6);
    const m = new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 16 });
    assert.equal(m.encoder.layers.length, 2);
    assert.ok(m.encoder.norm instanceof nn.LayerNorm);
    assert.ok(m.decoder.norm instanceof nn.LayerNorm);
    for (const [name, p] of m.namedParameters()) {
      const v = Array.from(p.toArray());
      if (p.ndim > 1) {
        const [fo, fi] = p.shape as [number, number];
        const bound = Math.sqrt(6 / (fi + fo));
        assert.ok(v.every((x) => Math.abs(x) <= bound), `${name} within the xavier bound`);
        // The default init of linear2.weight [8, 16] is U(±1/4); xavier's bound is 1/2.
        if (name.endsWith('linear2.weight')) assert.ok(v.some((x) => Math.abs(x) > 0.25), `${name} re-initialised`);
      } else if (name.includes('norm') && name.endsWith('weight')) {
        assert.ok(v.every((x) => x === 1), `${name} ones`);
      } else if (name.includes('norm') || name.includes('attn')) {
        assert.ok(v.every((x) => x === 0), `${name} zeros`); // LayerNorm and attention biases (Linear biases keep their uniform init)
      }
    }
    // Copies are re-initialised independently.
    const w0 = (m.encoder.layers.get(0) as nn.TransformerEncoderLayer).linear1.weight.toArray();
    const w1 = (m.encoder.layers.get(1) as nn.TransformerEncoderLayer).linear1.weight.toArray();
    assert.notDeepEqual(Array.from(w0), Array.from(w1));
    assert.deepEqual(m.call(torch.randn([5, 2, 8]), torch.randn([3, 2, 8])).shape, [3, 2, 8]);
    assert.deepEqual(m.call(torch.randn([5, 8]), torch.randn([3, 8])).shape, [3, 8]);
    assert.throws(() => m.call(torch.randn([5, 2, 8]), torch.randn([3, 3, 8])), /batch number/);
    assert.throws(() => m.call(torch.randn([5, 2, 8]), torch.randn([3, 2, 6])), /d_model/);
    const bf = new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, batchFirst: true });
    assert.deepEqual(bf.call(torch.randn([2, 5, 8]), torch.randn([2, 3, 8]), { tgtIsCausal: true }).shape, [2, 3, 8]);
    assert.throws(() => bf.call(torch.randn([2, 5, 8]), torch.randn([3, 3, 8])), /batch number/);
    assert.throws(() => new nn.Transformer({ dmodel: 8 } as nn.TransformerOptions));
  });
});
