// Recurrent layers (nn.RNN / LSTM / GRU and their cells) against PyTorch's numbers
// (test/fixtures/golden/rnn.json, written by test/fixtures/gen_rnn.py): PyTorch's state_dicts load
// with loadStateDict and give PyTorch's outputs, final states and gradients (eager backward) within
// 1e-10 in float64; the `lengths` option matches pack_padded_sequence; per-sample gradients through
// vmap(grad(functionalCall)); parameter names, shapes, repr and initialization.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { Tensor, nn, func } from '../src/index.js';
import { T, assertClose, caseOf, dictOf, loadGolden, type Case, type Spec } from './support/golden.js';

const cases = loadGolden('rnn.json');
type AnyRNN = nn.RNN | nn.LSTM | nn.GRU;
type AnyCell = nn.RNNCell | nn.LSTMCell | nn.GRUCell;

function build(c: Case): nn.Module {
  const opts = { ...(c.options as Record<string, unknown>), dtype: 'float64' as const };
  switch (c.module) {
    case 'RNN': return new nn.RNN(3, 4, opts);
    case 'LSTM': return new nn.LSTM(3, 4, opts);
    case 'GRU': return new nn.GRU(3, 4, opts);
    case 'RNNCell': return new nn.RNNCell(3, 4, opts);
    case 'LSTMCell': return new nn.LSTMCell(3, 4, opts);
    case 'GRUCell': return new nn.GRUCell(3, 4, opts);
    default: throw new Error(`unknown module ${String(c.module)}`);
  }
}

/** The module of case c with PyTorch's state_dict loaded (after checking names, order and shapes). */
function loaded(c: Case): nn.Module {
  const m = build(c);
  const sd = c.state_dict as Record<string, Spec>;
  assert.deepEqual(m.namedParameters().map(([n, p]) => [n, p.shape]), Object.entries(sd).map(([n, s]) => [n, s.shape]), `${c.name}: parameter names`);
  assert.equal(String(m), c.repr, `${c.name}: repr`);
  const res = m.loadStateDict(dictOf(sd));
  assert.deepEqual([res.missingKeys, res.unexpectedKeys], [[], []]);
  return m;
}

const fullCases = cases.filter((c) => ['RNN', 'LSTM', 'GRU'].includes(c.module as string) && c.expected_output);
const cellCases = cases.filter((c) => (c.module as string).endsWith('Cell'));

describe('RNN / LSTM / GRU against PyTorch', () => {
  for (const c of fullCases) {
    test(c.name, () => {
      const m = loaded(c) as AnyRNN;
      const x = T(c.input, { requiresGrad: true });
      const hx = (c.hx as Spec[] | null)?.map((h) => T(h, { requiresGrad: true })) ?? null;
      const opts = c.lengths ? { lengths: c.lengths as number[] } : {};
      let out: Tensor;
      let states: Tensor[];
      if (m instanceof nn.LSTM) {
        const [o, [h, cc]] = m.call(x, hx ? [hx[0]!, hx[1]!] : null, opts);
        [out, states] = [o, [h, cc]];
      } else {
        const [o, h] = (m as nn.RNN).call(x, hx ? hx[0]! : null, opts);
        [out, states] = [o, [h]];
      }
      assertClose(out, c.expected_output, 1e-10, 'output');
      assertClose(states[0], c.expected_h_n, 1e-10, 'h_n');
      if (c.expected_c_n) assertClose(states[1], c.expected_c_n, 1e-10, 'c_n');
      let loss = out.mul(T(c.w_output)).sum().add(states[0]!.mul(T(c.w_h_n)).sum());
      if (c.w_c_n) loss = loss.add(states[1]!.mul(T(c.w_c_n)).sum());
      loss.backward();
      assertClose(x.grad, c.expected_grad_input, 1e-10, 'grad input');
      if (hx) hx.forEach((h, k) => assertClose(h.grad, (c.expected_grad_hx as Spec[])[k], 1e-10, `grad hx[${k}]`));
      const params = Object.fromEntries(m.namedParameters());
      for (const [name, g] of Object.entries(c.expected_grad_params as Record<string, Spec>)) {
        assertClose(params[name]!.grad, g, 1e-10, `grad ${name}`);
      }
    });
  }
});

describe('RNNCell / LSTMCell / GRUCell against PyTorch', () => {
  for (const c of cellCases) {
    test(c.name, () => {
      const m = loaded(c) as AnyCell;
      const x = T(c.input, { requiresGrad: true });
      const hx = (c.hx as Spec[] | null)?.map((h) => T(h, { requiresGrad: true })) ?? null;
      let states: Tensor[];
      if (m instanceof nn.LSTMCell) states = m.call(x, hx ? [hx[0]!, hx[1]!] : null);
      else states = [(m as nn.GRUCell).call(x, hx ? hx[0]! : null)];
      assertClose(states[0], c.expected_h, 1e-10, 'h');
      if (c.expected_c) assertClose(states[1], c.expected_c, 1e-10, 'c');
      let loss = states[0]!.mul(T(c.w_h)).sum();
      if (c.w_c) loss = loss.add(states[1]!.mul(T(c.w_c)).sum());
      loss.backward();
      assertClose(x.grad, c.expected_grad_input, 1e-10, 'grad input');
      if (hx) hx.forEach((h, k) => assertClose(h.grad, (c.expected_grad_hx as Spec[])[k], 1e-10, `grad hx[${k}]`));
      const params = Object.fromEntries(m.namedParameters());
      for (const [name, g] of Object.entries(c.expected_grad_params as Record<string, Spec>)) {
        assertClose(params[name]!.grad, g, 1e-10, `grad ${name}`);
      }
    });
  }
});

describe('torch.func through an LSTM', () => {
  test('per-sample gradients: vmap(grad(functionalCall)) equals a loop of single-example grads and PyTorch', () => {
    const c = caseOf(cases, 'lstm_per_sample');
    const lstm = loaded(c) as nn.LSTM;
    const head = T(c.head);
    const xs = T(c.xs);
    const ys = T(c.ys);
    const params = Object.fromEntries(lstm.namedParameters().map(([n, p]) => [n, p.detach()]));
    const loss = (p: Record<string, Tensor>, x: Tensor, y: Tensor): Tensor => {
      const [out] = func.functionalCall(lstm, p, [x]) as [Tensor, [Tensor, Tensor]];
      return out.select(0, -1).mul(head).sum().sub(y).pow(2);
    };
    const perSample = func.vmap(func.grad(loss), { inDims: [null, 0, 0] })(params, xs, ys) as Record<string, Tensor>;
    assertClose(perSample, c.expected, 1e-10, 'vmap(grad) vs PyTorch');
    for (let b = 0; b < xs.shape[0]!; b++) {
      const g = func.grad(loss)(params, xs.select(0, b), ys.select(0, b)) as Record<string, Tensor>;
      for (const [name, t] of Object.entries(g)) assertClose(perSample[name]!.select(0, b), { shape: t.shape, dtype: 'float64', data: Array.from(t.toArray()) }, 1e-12, `${name}[${b}]`);
    }
  });

  test('vmap over sequences with per-example lengths equals the batched lengths call', () => {
    const gru = new nn.GRU(3, 4, { bidirectional: true, numLayers: 2, dtype: 'float64' });
    const x = torch.randn([3, 5, 3], { dtype: 'float64' });
    const lengths = torch.tensor([2, 5, 4], { dtype: 'int32' });
    const batched = new nn.GRU(3, 4, { bidirectional: true, numLayers: 2, batchFirst: true, dtype: 'float64' });
    batched.loadStateDict(gru.stateDict());
    const [outB, hB] = batched.call(x, null, { lengths });
    const [outV, hV] = func.vmap((xb: Tensor, lb: Tensor) => gru.call(xb, null, { lengths: lb }))(x, lengths) as [Tensor, Tensor];
    assertClose(outV, { shape: outB.shape, dtype: 'float64', data: Array.from(outB.toArray()) }, 1e-12, 'output');
    // vmap stacks h_n on dim 0: [N, layers * D, H] against [layers * D, N, H].
    const hT = hB.transpose(0, 1).contiguous();
    assertClose(hV, { shape: hT.shape, dtype: 'float64', data: Array.from(hT.toArray()) }, 1e-12, 'h_n');
  });
});

describe('lengths option', () => {
  test('an int32 tensor, number[] and full lengths', () => {
    const lstm = new nn.LSTM(3, 4, { dtype: 'float64', bidirectional: true });
    const x = torch.randn([5, 2, 3], { dtype: 'float64' });
    const [a, [ha]] = lstm.call(x, null, { lengths: [5, 2] });
    const [b, [hb]] = lstm.call(x, null, { lengths: torch.tensor([5, 2], { dtype: 'int32' }) });
    assert.deepEqual(Array.from(a.toArray()), Array.from(b.toArray()));
    assert.deepEqual(Array.from(ha.toArray()), Array.from(hb.toArray()));
    const [full, [hf, cf]] = lstm.call(x);
    const [same, [hs, cs]] = lstm.call(x, null, { lengths: [5, 5] });
    assert.deepEqual(Array.from(same.toArray()), Array.from(full.toArray()));
    assert.deepEqual([Array.from(hs.toArray()), Array.from(cs.toArray())], [Array.from(hf.toArray()), Array.from(cf.toArray())]);
    // The short sequence alone gives the same result as its padded version.
    const [alone, [hAlone]] = lstm.call(x.narrow(0, 0, 2).select(1, 1));
    assertClose(a.narrow(0, 0, 2).select(1, 1), { shape: alone.shape, dtype: 'float64', data: Array.from(alone.toArray()) }, 1e-12);
    assertClose(ha.select(1, 1), { shape: hAlone.shape, dtype: 'float64', data: Array.from(hAlone.toArray()) }, 1e-12);
    assert.ok(Array.from(a.narrow(0, 2, 3).select(1, 1).toArray()).every((v) => v === 0));
  });

  test('bad lengths are errors', () => {
    const rnn = new nn.RNN(3, 4);
    const x = torch.randn([5, 2, 3]);
    assert.throws(() => rnn.call(x, null, { lengths: [6, 2] }), /lengths\[0\] = 6 must be an integer in \[1, 5\]/);
    assert.throws(() => rnn.call(x, null, { lengths: [0, 2] }), /lengths\[0\] = 0/);
    assert.throws(() => rnn.call(x, null, { lengths: [5] }), /expected 2 lengths/);
    assert.throws(() => rnn.call(x, null, { lenghts: [5, 5] } as never), /lengths/);
  });
});

describe('construction', () => {
  test('parameter names and shapes are PyTorch\'s', () => {
    const lstm = new nn.LSTM(3, 5, { numLayers: 2, bidirectional: true, projSize: 2, bias: false });
    assert.deepEqual(lstm.namedParameters().map(([n, p]) => `${n} ${p.shape.join('x')}`), [
      'weight_ih_l0 20x3', 'weight_hh_l0 20x2', 'weight_hr_l0 2x5',
      'weight_ih_l0_reverse 20x3', 'weight_hh_l0_reverse 20x2', 'weight_hr_l0_reverse 2x5',
      'weight_ih_l1 20x4', 'weight_hh_l1 20x2', 'weight_hr_l1 2x5',
      'weight_ih_l1_reverse 20x4', 'weight_hh_l1_reverse 20x2', 'weight_hr_l1_reverse 2x5',
    ]);
    assert.equal(lstm.allWeights.length, 4);
    assert.equal(lstm.allWeights[1]![0], lstm.getParameter('weight_ih_l0_reverse'));
    const gru = new nn.GRU(3, 4);
    assert.deepEqual(gru.namedParameters().map(([n, p]) => `${n} ${p.shape.join('x')}`), ['weight_ih_l0 12x3', 'weight_hh_l0 12x4', 'bias_ih_l0 12', 'bias_hh_l0 12']);
    const cell = new nn.LSTMCell(3, 4);
    assert.deepEqual(cell.namedParameters().map(([n, p]) => `${n} ${p.shape.join('x')}`), ['weight_ih 16x3', 'weight_hh 16x4', 'bias_ih 16', 'bias_hh 16']);
    assert.deepEqual(new nn.RNNCell(3, 4, { bias: false }).namedParameters().map(([n]) => n), ['weight_ih', 'weight_hh']);
    assert.equal(String(new nn.GRUCell(3, 4, { bias: false })), 'GRUCell(3, 4, bias=False)');
    assert.equal(String(new nn.LSTM(3, 4, { projSize: 2, dropout: 0.25, numLayers: 2 })), 'LSTM(3, 4, proj_size=2, num_layers=2, dropout=0.25)');
  });

  test('initialization: every weight and bias from U(-1/sqrt(H), 1/sqrt(H))', () => {
    torch.manualSeed(1);
    for (const m of [new nn.RNN(6, 16, { numLayers: 2 }), new nn.LSTM(6, 16, { bidirectional: true }), new nn.GRU(6, 16), new nn.LSTMCell(6, 16), new nn.GRUCell(6, 16)]) {
      const bound = 1 / 4;
      const all: number[] = [];
      for (const [name, p] of m.namedParameters()) {
        const v = Array.from(p.toArray());
        assert.ok(v.every((e) => e >= -bound && e <= bound), `${name} within ±${bound}`);
        all.push(...v);
      }
      assert.ok(Math.max(...all) > 0.95 * bound && Math.min(...all) < -0.95 * bound, `${String(m)} spans the interval`);
      assert.ok(Math.abs(all.reduce((a, b) => a + b, 0) / all.length) < 0.05 * bound, `${String(m)} is centred`);
    }
  });

  test('bad arguments are PyTorch\'s errors', () => {
    assert.throws(() => new nn.GRU(3, 4, { projSize: 2 } as never), /unknown option|projSize/i);
    assert.throws(() => new nn.LSTM(3, 4, { projSize: 4 }), /proj_size has to be smaller than hidden_size/);
    assert.throws(() => new nn.RNN(3, 4, { nonlinearity: 'gelu' as never }), /Unknown nonlinearity 'gelu'/);
    assert.throws(() => new nn.RNN(3, 0), /hidden_size must be greater than zero/);
    assert.throws(() => new nn.LSTM(3, 4, { dropout: 2 }), /dropout should be a number in range \[0, 1\]/);
    assert.throws(() => new nn.LSTM(3, 4, { batch_first: true } as never), /batchFirst/);
    const rnn = new nn.RNN(3, 4, { numLayers: 2 });
    assert.throws(() => rnn.call(torch.randn([5, 2, 4])), /input.size\(-1\) must be equal to input_size. Expected 3, got 4/);
    assert.throws(() => rnn.call(torch.randn([5, 2, 3]), torch.zeros([1, 2, 4])), /Expected hidden size \[2, 2, 4\], got \[1, 2, 4\]/);
    assert.throws(() => new nn.LSTM(3, 4).call(torch.randn([5, 3]), [torch.zeros([1, 1, 4]), torch.zeros([1, 1, 4])]), /should also be 2-D/);
    assert.throws(() => new nn.GRUCell(3, 4).call(torch.randn([2, 3]), torch.zeros([3, 4])), /Expected hx of shape \[2, 4\]/);
  });

  test('dropout applies between layers in training only', () => {
    const rnn = new nn.RNN(3, 4, { numLayers: 2, dropout: 1, dtype: 'float64' });
    const x = torch.randn([5, 2, 3], { dtype: 'float64' });
    const [trainOut] = rnn.call(x); // layer 1 sees zeros
    const zeroed = new nn.RNN(3, 4, { numLayers: 2, dtype: 'float64' });
    zeroed.loadStateDict(rnn.stateDict());
    torch.noGrad(() => zeroed.getParameter('weight_ih_l1').zero_());
    const [expected] = zeroed.call(x);
    assert.deepEqual(Array.from(trainOut.toArray()), Array.from(expected.toArray()));
    const [evalOut] = rnn.eval().call(x);
    assert.notDeepEqual(Array.from(evalOut.toArray()), Array.from(expected.toArray()));
  });

  test('float32 modules run and double() converts', () => {
    const lstm = new nn.LSTM(3, 4, { batchFirst: true });
    const [out, [h, c]] = lstm.call(torch.randn([2, 5, 3]));
    assert.deepEqual([out.shape, h.shape, c.shape, out.dtype], [[2, 5, 4], [1, 2, 4], [1, 2, 4], 'float32']);
    lstm.double();
    assert.equal(lstm.call(torch.randn([2, 5, 3], { dtype: 'float64' }))[0].dtype, 'float64');
  });
});
