// compile's fusion around matmuls and reductions, and its in-place writes: each checked against
// plain JavaScript loops over the inputs (an independent reference), against eager results, and
// for the kernels it runs. Shapes are large enough for the wasm backend's tiled fused reduction
// (several tiles, tiles cut along an inner dim) and its in-place epilogues.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { mulberry } from './support/samples.js';

const { nn, optim } = torch;

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i]!, b[i]!];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (!(Math.abs(x - y) <= tol * (1 + Math.abs(y)))) assert.fail(`${what}: element ${i} is ${x}, expected ${y}`);
  }
}

const values = (n: number, seed: number, lo = -2, hi = 2) => {
  const r = mulberry(seed);
  return Array.from({ length: n }, () => lo + (hi - lo) * r());
};

/** Row-major index helpers for the JavaScript references. */
function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  for (let d = shape.length - 1, st = 1; d >= 0; d--) {
    s[d] = st;
    st *= shape[d]!;
  }
  return s;
}

/** reduce(op) over `axes` of f(x[i], y[i]) by plain loops, in float64. */
function reduceRef(x: number[], y: number[], shape: number[], axes: number[], f: (a: number, b: number) => number, op: 'sum' | 'max' | 'min' | 'prod'): number[] {
  const kept = shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const outShape = kept.map((d) => shape[d]!);
  const os = strides(outShape);
  const init = { sum: 0, prod: 1, max: -Infinity, min: Infinity }[op];
  const out = new Array<number>(outShape.reduce((a, b) => a * b, 1)).fill(init);
  const st = strides(shape);
  for (let i = 0; i < x.length; i++) {
    let o = 0;
    kept.forEach((d, k) => (o += (Math.floor(i / st[d]!) % shape[d]!) * os[k]!));
    const v = f(x[i]!, y[i]!);
    const a = out[o]!;
    out[o] = op === 'sum' ? a + v : op === 'prod' ? a * v : Number.isNaN(a) || Number.isNaN(v) ? NaN : op === 'max' ? Math.max(a, v) : Math.min(a, v);
  }
  return out;
}

describe('fused reductions', () => {
  const cases: [number[], number[]][] = [
    [[300, 500], [1]], [[300, 500], [0]], [[300, 500], [0, 1]], [[7, 100, 200], [1]], [[7, 100, 200], [0, 2]], [[2, 70000], [1]], [[2, 70000], [0]],
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [shape, axes] of cases) {
      test(`sum of exp(x)·y, max of x - y and prod, ${dtype}[${shape}] over [${axes}]: one fused kernel each, values of plain loops`, () => {
        const n = shape.reduce((a, b) => a * b, 1);
        const xs = values(n, shape.length * 7 + axes.length, -1, 1);
        const ys = values(n, n + 3, 0.999, 1.001);
        const x = torch.tensor(xs, { dtype }).reshape(shape);
        const y = torch.tensor(ys, { dtype }).reshape(shape);
        // float32 inputs as stored, for the reference
        const [xv, yv] = [Array.from(x.double().toArray()), Array.from(y.double().toArray())];
        const tol = dtype === 'float32' ? 2e-5 : 1e-12;
        const sum = torch.compile((a: Tensor, b: Tensor) => a.exp().mul(b).sum(axes));
        const [s, calls] = torch.countKernels(() => sum(x, y));
        assert.deepEqual([...calls], [['fusedReduce', 1]]);
        const f32 = (v: number) => (dtype === 'float32' ? Math.fround(v) : v);
        close(s.double().toArray(), reduceRef(xv, yv, shape, axes, (a, b) => f32(f32(Math.exp(a)) * b), 'sum'), tol, 'sum');
        const max = torch.compile((a: Tensor, b: Tensor) => a.sub(b).amax(axes));
        close(max(x, y).double().toArray(), reduceRef(xv, yv, shape, axes, (a, b) => f32(a - b), 'max'), tol, 'max');
        const prod = torch.compile((a: Tensor, b: Tensor) => a.mul(0.001).add(b).prod(axes[0]!));
        close(prod(x, y).double().toArray(), reduceRef(xv, yv, shape, [axes[0]!], (a, b) => f32(f32(a * f32(0.001)) + b), 'prod'), dtype === 'float32' ? 1e-4 : 1e-10, 'prod');
      });
    }
  }

  test('a NaN made by the prologue propagates through max and min, as eager', () => {
    const xs = values(400 * 300, 11, 0.5, 2);
    xs[123 * 300 + 45] = -1;
    xs[7 * 300 + 299] = -1;
    const x = torch.tensor(Float32Array.from(xs), { shape: [400, 300] });
    const xv = Array.from(x.double().toArray());
    for (const op of ['max', 'min'] as const) {
      const out = torch.compile((a: Tensor) => (op === 'max' ? a.log().amax(1) : a.log().amin(1)))(x).double().toArray();
      const ref = reduceRef(xv, xv, [400, 300], [1], (a) => Math.fround(Math.log(a)), op);
      close(out, ref, 1e-6, `${op} of log`);
      assert.deepEqual([123, 7].map((i) => Number.isNaN(out[i]!)), [true, true]);
      assert.equal(ref.filter(Number.isNaN).length, 2);
    }
  });

  test('the epilogue after a reduction: a mean of squares, one kernel, values of plain loops', () => {
    const x = torch.randn([512, 300]);
    const f = torch.compile((a: Tensor) => a.square().sum(1).div(300).sqrt());
    f(x);
    const [out, calls] = torch.countKernels(() => f(x));
    assert.deepEqual([...calls], [['fusedReduce', 1]]);
    const xv = x.toArray();
    const ref = Array.from({ length: 512 }, (_, i) => {
      let s = 0;
      for (let j = 0; j < 300; j++) s += Math.fround(xv[i * 300 + j]! ** 2);
      return Math.sqrt(Math.fround(s) / 300);
    });
    close(out.toArray(), ref, 1e-5, 'rms');
  });

  test('softmax over a wide last dim: compiled values, gradients and vmap match eager', () => {
    const x = torch.randn([64, 2000], { requiresGrad: true });
    const f = (a: Tensor) => torch.softmax(a, 1).mul(torch.arange(2000).float()).sum();
    const cf = torch.compile(f);
    close(cf(x).toArray(), f(x).toArray(), 1e-5, 'value');
    const [g1] = torch.autograd.grad(cf(x), [x]);
    const [g2] = torch.autograd.grad(f(x), [x]);
    close(g1!.toArray(), g2!.toArray(), 1e-4, 'grad');
    const xs = torch.randn([3, 8, 2000]);
    close(torch.func.vmap(cf)(xs).toArray(), torch.func.vmap(f)(xs).toArray(), 1e-5, 'vmap');
  });
});

describe('matmul epilogues', () => {
  test('nn.Linear + ReLU: the bias add runs in the matmul kernel; values of plain loops; gradients as eager', () => {
    torch.manualSeed(3);
    const lin = new nn.Linear(200, 150);
    const x = torch.randn([300, 200]);
    const f = (a: Tensor) => torch.relu(lin.call(a) as Tensor);
    const cf = torch.compile(f);
    const [y, calls] = torch.noGrad(() => {
      cf(x);
      return torch.countKernels(() => cf(x));
    });
    assert.deepEqual([...calls], [['fusedMatmul', 1]]);
    // With the weight requiring grad the pre-activation is kept for backward: still one matmul, no recomputation.
    const [, training] = torch.countKernels(() => cf(x));
    assert.equal(training.get('fusedMatmul'), 1);
    assert.equal(training.get('matmul'), undefined);
    const [xv, w, b] = [x.toArray(), lin.weight.toArray(), lin.bias!.toArray()];
    const ref = new Float64Array(300 * 150);
    for (let i = 0; i < 300; i++) {
      for (let j = 0; j < 150; j++) {
        let s = 0;
        for (let k = 0; k < 200; k++) s += xv[i * 200 + k]! * w[j * 200 + k]!;
        ref[i * 150 + j] = Math.max(0, s + b[j]!);
      }
    }
    close(y.toArray(), ref, 1e-4, 'linear+relu');
    const loss = (m: (a: Tensor) => Tensor) => m(x).square().mean();
    const [g1] = torch.autograd.grad(loss(cf), [lin.weight]);
    const [g2] = torch.autograd.grad(loss(f), [lin.weight]);
    close(g1!.toArray(), g2!.toArray(), 1e-4, 'weight grad');
  });

  test('Conv2d + ReLU: the bias add and ReLU run in the epilogue of the convolution\'s matmul, through its reshape', () => {
    torch.manualSeed(4);
    const conv = new nn.Conv2d(3, 8, 3, { padding: 1 });
    const x = torch.randn([4, 3, 20, 20]);
    const f = (a: Tensor) => torch.relu(conv.call(a) as Tensor);
    const cf = torch.compile(f);
    const [y, calls] = torch.noGrad(() => {
      cf(x);
      return torch.countKernels(() => cf(x));
    });
    assert.equal(calls.get('fusedMatmul'), 1);
    assert.equal(calls.get('matmul'), undefined);
    assert.equal(calls.get('fused'), undefined);
    close(y.toArray(), torch.noGrad(() => f(x)).toArray(), 1e-5, 'conv+relu');
    const [g1] = torch.autograd.grad(cf(x).sum(), [conv.weight]);
    const [g2] = torch.autograd.grad(f(x).sum(), [conv.weight]);
    close(g1!.toArray(), g2!.toArray(), 1e-4, 'weight grad');
    const xs = torch.randn([2, 3, 3, 6, 6]);
    close(torch.func.vmap(cf)(xs).toArray(), torch.func.vmap(f)(xs).toArray(), 1e-5, 'vmap');
  });

  test('an epilogue with an input wider than the product is not fused into it (vmap over the bias only)', () => {
    const a = torch.randn([5, 4]);
    const b = torch.randn([4, 3]);
    const biases = torch.randn([6, 3]);
    const f = (bias: Tensor) => a.matmul(b).add(bias).tanh();
    close(torch.func.vmap(torch.compile(f))(biases).toArray(), torch.func.vmap(f)(biases).toArray(), 1e-6, 'vmap over bias');
  });
});

describe('in-place writes', () => {
  test('a compiled Adam step writes parameters and moments in place and trains as eager', () => {
    const make = () => {
      torch.manualSeed(5);
      const model = new nn.Sequential(new nn.Linear(64, 200), new nn.Tanh(), new nn.Linear(200, 10));
      const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
      const x = torch.randn([32, 64]);
      const y = torch.randint(0, 10, [32]);
      const step = () => {
        opt.zeroGrad();
        const loss = torch.crossEntropy(model.call(x) as Tensor, y);
        loss.backward();
        opt.step();
        return loss;
      };
      return { model, step };
    };
    const eager = make();
    const comp = make();
    const cstep = torch.compile(comp.step);
    const weight = comp.model.parameters()[0]!;
    for (let i = 0; i < 5; i++) close(cstep().toArray(), eager.step().toArray(), 1e-5, `loss ${i}`);
    assert.equal(cstep.compileInfo.latest!.inPlaceWrites, 12, 'parameter, exp_avg and exp_avg_sq of 4 parameters');
    assert.equal(comp.model.parameters()[0], weight);
    comp.model.parameters().forEach((p, i) => close(p.toArray(), eager.model.parameters()[i]!.toArray(), 1e-4, `param ${i}`));
  });

  test('a .grad the user holds keeps its values when a compiled step replaces it; unread ones are recycled', () => {
    torch.manualSeed(8);
    const lin = new nn.Linear(300, 200);
    const opt = new optim.SGD(lin.parameters(), { lr: 0.1 });
    const x = torch.randn([16, 300]);
    const step = torch.compile(() => {
      opt.zeroGrad();
      const loss = (lin.call(x) as Tensor).square().mean();
      loss.backward();
      opt.step();
      return loss;
    });
    step();
    const held = lin.weight.grad!;
    const copy = held.toArray().slice();
    for (let i = 0; i < 3; i++) step();
    assert.notEqual(lin.weight.grad, held);
    close(held.toArray(), copy, 0, 'held gradient');
    // The next grads are never read: their memory goes back each step instead of piling up (20 steps
    // would otherwise take 20 fresh weight gradients of 240 KB). The .grad notEqual read above escaped
    // and keeps its region until it is collected: one more region at most.
    const before = torch.backends.wasm.memoryStats().usedBytes;
    for (let i = 0; i < 20; i++) step();
    const grown = torch.backends.wasm.memoryStats().usedBytes - before;
    if (torch.backends.current() === 'wasm') assert.ok(grown < 2 * 200 * 300 * 4, `wasm memory grew by ${grown} bytes over 20 steps`);
  });

  test('no in-place write when a later node reads the old value', () => {
    const p = torch.randn([100, 100]);
    const start = p.toArray().slice();
    const f = () => {
      const next = p.sub(1).mul(0.5);
      const old = p.mul(3).add(1);
      p.copy_(next);
      return old;
    };
    const cf = torch.compile(f);
    const out = cf();
    assert.equal(cf.compileInfo.latest!.inPlaceWrites, 0);
    close(out.toArray(), Array.from(start, (v) => Math.fround(Math.fround(v * 3) + 1)), 1e-6, 'old value');
    close(p.toArray(), Array.from(start, (v) => Math.fround(Math.fround(v - 1) * 0.5)), 1e-6, 'written');
  });
});
