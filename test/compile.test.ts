// torch.compile: compiled results against eager ones (values, gradients, batching), fusion into one
// kernel, writes to captured tensors and .grad, randomness, guards, graph breaks and errors.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { runs, fcSeed } from './support/runs.js';
import { mulberry, numel, samples, tensorOf, type Sample } from './support/samples.js';
import { bind, registry, type Primitive } from '../src/primitives/index.js';

const { nn, func } = torch;

function close(a: Tensor, b: Tensor, tol: number, what: string): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  const x = a.double().toArray() as Float64Array;
  const y = b.double().toArray() as Float64Array;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i]! - y[i]!);
    if (!(d <= tol * (1 + Math.abs(y[i]!))) && !(Number.isNaN(x[i]!) && Number.isNaN(y[i]!))) {
      assert.fail(`${what}: element ${i} is ${x[i]}, expected ${y[i]}`);
    }
  }
}

describe('fusion', () => {
  test('tanh(x)*2+1 runs as one generated kernel and matches the eager ops', () => {
    const f = (x: Tensor) => x.tanh().mul(2).add(1);
    const cf = torch.compile(f);
    const x = torch.randn([3000]);
    cf(x);
    const [y, calls] = torch.countKernels(() => cf(x));
    assert.deepEqual([...calls], [['fused', 1]]);
    close(y, f(x), 1e-6, 'tanh*2+1');
    // tanh(-1) * 2 + 1, independently of the library
    close(cf(torch.tensor([-1, 0, 1])), torch.tensor([2 * Math.tanh(-1) + 1, 1, 2 * Math.tanh(1) + 1]), 1e-6, 'closed form');
    assert.equal(cf.compileInfo.latest!.tracedNodes, 3);
    assert.equal(cf.compileInfo.latest!.nodes, 1);
    assert.match(cf.printGraph(), /fused\(%0; in0:float32 tanh\(0\):float32 2:float32 mul\(1,2\):float32 1:float32 add\(3,4\):float32\)/);
  });

  test('printGraph shows a constant made while tracing: a one-element one with its value, a longer one without', () => {
    const cf = torch.compile((x: Tensor) => x.add(torch.tensor([1, 2])).mul(torch.tensor(3)));
    cf(torch.tensor([1, 1]));
    assert.equal(cf.printGraph(), [
      'graph(%0: float32[2]):',
      '  %1: float32[2] = constant',
      '  %4: float32[2] = fused(%0, %1; in0:float32 in1:float32 add(0,1):float32 3:float32 mul(2,3):float32)',
      '  return (%4)',
    ].join('\n'));
  });

  test('chains with comparisons, where and casts fuse and match eager', () => {
    const f = (x: Tensor, y: Tensor) => torch.where(x.gt(0), x.mul(y), y.exp()).sub(x.le(0.5).float()).relu();
    const cf = torch.compile(f);
    const x = torch.randn([64, 33]);
    const y = torch.randn([33]);
    cf(x, y);
    const [out, calls] = torch.countKernels(() => cf(x, y));
    assert.deepEqual([...calls], [['fused', 1]]);
    close(out, f(x, y), 1e-6, 'where chain');
  });

  test('random elementwise chains with broadcasting: values and gradients as eager', () => {
    const UN = ['tanh', 'sigmoid', 'exp', 'neg', 'abs', 'sin', 'relu', 'square'] as const;
    const BIN = ['add', 'sub', 'mul', 'maximum'] as const;
    const stepA = fc.oneof(
      fc.record({ kind: fc.constant('u' as const), op: fc.constantFrom(...UN) }),
      fc.record({ kind: fc.constant('b' as const), op: fc.constantFrom(...BIN), other: fc.constantFrom('y', 'lit') }),
    );
    fc.assert(
      fc.property(fc.array(stepA, { minLength: 2, maxLength: 6 }), fc.constantFrom([4, 5], [5], [1, 5]), fc.integer({ min: 0, max: 1000 }), (steps, yShape, seed) => {
        torch.manualSeed(seed);
        const f = (x: Tensor, y: Tensor) => {
          let v = x;
          for (const s of steps) {
            if (s.kind === 'u') v = (v[s.op] as () => Tensor).call(v);
            else v = (v[s.op] as (o: Tensor | number) => Tensor).call(v, s.other === 'y' ? y : 0.75).mul(0.5);
          }
          return v.sum();
        };
        const x = torch.randn([4, 5], { dtype: 'float64' });
        const y = torch.randn(yShape, { dtype: 'float64' });
        close(torch.compile(f)(x, y), f(x, y), 1e-12, 'value');
        const g = func.grad(f, { argnums: [0, 1] });
        const [cgx, cgy] = torch.compile(g)(x, y);
        const [gx, gy] = g(x, y);
        close(cgx, gx, 1e-10, 'compile(grad) x');
        close(cgy, gy, 1e-10, 'compile(grad) y');
        const [ggx] = func.grad(torch.compile(f), { argnums: [0, 1] })(x, y);
        close(ggx, gx, 1e-10, 'grad(compile) x');
      }),
      { numRuns: runs(25), seed: fcSeed(7) },
    );
  });
});

describe('the whole primitive registry, compiled', () => {
  const differentiable = (prim: Primitive, sm: Sample) =>
    !prim.nondiff && !prim.random && sm.diff.some((d) => d) && prim.abstract(sm.inputs, sm.params).dtype === 'float64';
  for (const [name, prim] of registry) {
    if (prim.random) continue;
    test(`${name}: compile(f), compile(grad(f)), grad(compile(f)) and vmap(compile(f)) agree with eager`, () => {
      const make = samples[name];
      assert.ok(make, `no samples for ${name}`);
      for (const sm of fc.sample(make(), { seed: fcSeed(20261202), numRuns: runs(3) })) {
        const call = (...xs: Tensor[]) => bind(prim, xs, sm.params);
        const want = call(...sm.inputs);
        close(torch.compile(call)(...sm.inputs), want, 1e-12, `${name} value on ${sm.describe()}`);
        if (sm.inputs.length > 0 && sm.inputs.every((x) => numel(x.shape) > 0)) {
          const draws = [0, 1, 2].map((k) => sm.make(k));
          const stacked = sm.inputs.map((_, i) => torch.stack(draws.map((d) => d[i]!.contiguous())));
          close(func.vmap(torch.compile(call))(...stacked), func.vmap(call)(...stacked), 1e-12, `${name} vmap(compile) on ${sm.describe()}`);
        }
        if (!differentiable(prim, sm)) continue;
        const argnums = sm.diff.flatMap((d, i) => (d ? [i] : []));
        const rng = mulberry(sm.seed ^ 0xc0de);
        const c = tensorOf(Array.from({ length: numel(want.shape) }, () => rng() - 0.5), want.shape, 'float64');
        const scalarFn = (...xs: Tensor[]) => call(...xs).mul(c).sum();
        const grads = func.grad(scalarFn, { argnums }) as (...xs: Tensor[]) => Tensor[];
        const expect = grads(...sm.inputs);
        const viaCompile = torch.compile(grads)(...sm.inputs);
        const throughCompile = (func.grad(torch.compile(scalarFn), { argnums }) as (...xs: Tensor[]) => Tensor[])(...sm.inputs);
        expect.forEach((g, k) => {
          close(viaCompile[k]!, g, 1e-10, `${name} compile(grad) input ${argnums[k]} on ${sm.describe()}`);
          close(throughCompile[k]!, g, 1e-10, `${name} grad(compile) input ${argnums[k]} on ${sm.describe()}`);
        });
      }
    });
  }
});

describe('composition with transforms', () => {
  const loss = (w: Tensor, x: Tensor, t: Tensor) => x.matmul(w).tanh().sub(t).square().mean();

  test('compile(vmap(grad)) gives per-sample gradients, as does vmap(compile(grad))', () => {
    const w = torch.randn([3, 2], { dtype: 'float64' });
    const xs = torch.randn([5, 4, 3], { dtype: 'float64' });
    const ts = torch.randn([5, 4, 2], { dtype: 'float64' });
    const ps = func.vmap(func.grad(loss), { inDims: [null, 0, 0] });
    const want = ps(w, xs, ts);
    close(torch.compile(ps)(w, xs, ts), want, 1e-12, 'compile(vmap(grad))');
    close(func.vmap(torch.compile(func.grad(loss)), { inDims: [null, 0, 0] })(w, xs, ts), want, 1e-12, 'vmap(compile(grad))');
    // Per-example loop, independently of vmap.
    for (let i = 0; i < 5; i++) close(want.select(0, i), func.grad(loss)(w, xs.select(0, i), ts.select(0, i)), 1e-12, `example ${i}`);
  });

  test('no hidden loop: compiled vmap(grad) makes the same kernel calls at batch sizes 2 and 7', () => {
    const w = torch.randn([3, 2], { dtype: 'float64' });
    const ps = torch.compile(func.vmap(func.grad(loss), { inDims: [null, 0, 0] }));
    const calls = (B: number) => {
      const [xs, ts] = [torch.randn([B, 4, 3], { dtype: 'float64' }), torch.randn([B, 4, 2], { dtype: 'float64' })];
      ps(w, xs, ts);
      return [...torch.countKernels(() => ps(w, xs, ts))[1]].sort();
    };
    const two = calls(2);
    assert.ok(two.length > 0);
    assert.deepEqual(calls(7), two);
  });

  test('jvp and hessian through a compiled function', () => {
    const f = torch.compile((x: Tensor) => x.sin().mul(x).sum());
    const x = torch.tensor([0.3, -1.2, 2], { dtype: 'float64' });
    const [, t] = func.jvp(f, [x], [torch.onesLike(x)]);
    // d/dx sum(x sin x) · 1 = Σ (sin x + x cos x)
    const want = [0.3, -1.2, 2].reduce((s, v) => s + Math.sin(v) + v * Math.cos(v), 0);
    assert.ok(Math.abs(t.item() - want) < 1e-12);
    const h = func.hessian(f)(x);
    const diag = [0.3, -1.2, 2].map((v) => 2 * Math.cos(v) - v * Math.sin(v));
    close(h, torch.diag(torch.tensor(diag, { dtype: 'float64' })), 1e-12, 'hessian');
  });

  test('a tensor captured from an enclosing transform is a CompileError', () => {
    const x = torch.randn([3], { dtype: 'float64' });
    assert.throws(() => func.grad((a: Tensor) => torch.compile((b: Tensor) => b.mul(a).sum(), { fullgraph: true })(x))(x), torch.CompileError);
  });
});

describe('modules, autograd and state', () => {
  test('backward through a compiled module reaches its parameters', () => {
    torch.manualSeed(3);
    const model = new nn.Sequential(new nn.Linear(6, 8), new nn.Tanh(), new nn.Linear(8, 2));
    const x = torch.randn([5, 6]);
    torch.compile(model)(x).square().sum().backward();
    const got = model.parameters().map((p) => p.grad!.clone());
    model.zeroGrad();
    model.call(x).square().sum().backward();
    model.parameters().forEach((p, i) => close(got[i]!, p.grad!, 1e-6, `param ${i}`));
  });

  test('a compiled step with zeroGrad, backward and an in-place update trains as eager', () => {
    const make = () => {
      torch.manualSeed(11);
      return new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), new nn.Linear(16, 3));
    };
    const x = torch.randn([32, 4]);
    const y = torch.randint(0, 3, [32]);
    const lossFn = new nn.CrossEntropyLoss();
    const stepOf = (m: torch.nn.Module) => () => {
      m.zeroGrad();
      const l = lossFn.call(m.call(x) as Tensor, y);
      l.backward();
      torch.noGrad(() => { for (const p of m.parameters()) p.sub_(p.grad!.mul(0.5)); });
      return l;
    };
    const [a, b] = [make(), make()];
    const eager = stepOf(a);
    const compiled = torch.compile(stepOf(b));
    for (let i = 0; i < 4; i++) close(compiled(), eager(), 1e-5, `loss ${i}`);
    a.parameters().forEach((p, i) => close(b.parameters()[i]!, p, 1e-5, `param ${i}`));
    // The first call ran with no .grad at all (zeroGrad had nothing to clear), the next ones with one.
    assert.equal(compiled.compileInfo.compiled, 2);
    assert.equal(compiled.compileInfo.hits, 2);
  });

  test('BatchNorm running statistics are written back each call; eval() recompiles', () => {
    const make = () => {
      torch.manualSeed(5);
      return new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4));
    };
    const [a, b] = [make(), make()];
    const cb = torch.compile(b);
    for (let i = 0; i < 3; i++) {
      const x = torch.randn([8, 3]);
      close(cb(x), a.call(x), 1e-5, `train ${i}`);
    }
    const bnA = a.children()[1] as torch.nn.BatchNorm1d;
    const bnB = b.children()[1] as torch.nn.BatchNorm1d;
    close(bnB.runningMean!, bnA.runningMean!, 1e-6, 'running mean');
    close(bnB.runningVar!, bnA.runningVar!, 1e-6, 'running var');
    a.eval();
    b.eval();
    const x = torch.randn([8, 3]);
    close(cb(x), a.call(x), 1e-5, 'eval');
    assert.equal(cb.compileInfo.compiled, 2);
  });

  test('a compiled module retraces after a new hook or an assigned weight', () => {
    const lin = new nn.Linear(2, 2);
    const f = torch.compile(lin);
    const x = torch.tensor([[1, 2]]);
    close(f(x), lin.forward(x), 1e-6, 'plain');
    const h = lin.registerForwardHook((_m: unknown, _i: unknown, out: Tensor) => out.mul(10));
    close(f(x), lin.forward(x).mul(10), 1e-5, 'with the hook');
    h.remove();
    lin.weight = new nn.Parameter(torch.tensor([[1, 0], [0, 1]]));
    close(f(x), torch.tensor([[1, 2]]).add(lin.bias!), 1e-6, 'new weight');
    assert.equal(f.compileInfo.compiled, 3);
  });

  test('in-place writes through views inside the function and into captured buffers', () => {
    const counter = torch.zeros([2]);
    const f = (x: Tensor) => {
      const y = x.clone();
      y.narrow(0, 1, 2).mul_(3);
      counter.add_(1);
      return y;
    };
    const cf = torch.compile(f);
    const x = torch.tensor([1, 2, 3, 4]);
    for (let i = 0; i < 3; i++) assert.deepEqual(cf(x).tolist(), [1, 6, 9, 4]);
    assert.deepEqual(counter.tolist(), [3, 3]);
    assert.deepEqual(x.tolist(), [1, 2, 3, 4]);
  });

  test('a view made before an in-place write to its base reads the written values, as does an overlapping view', () => {
    // y = [1, 2, 3] + 1 = [2, 3, 4]; then tail (y[1:]) *= 10: y = [2, 30, 40], head = [2, 30], tail = [30, 40].
    const f = (x: Tensor) => {
      const y = x.clone();
      const head = y.narrow(0, 0, 2);
      const tail = y.narrow(0, 1, 2);
      y.add_(1);
      tail.mul_(10);
      return torch.cat([head, tail, y]);
    };
    const cf = torch.compile(f);
    const x = torch.tensor([1, 2, 3]);
    for (let i = 0; i < 2; i++) assert.deepEqual(cf(x).tolist(), [2, 30, 30, 40, 2, 30, 40]);
    assert.deepEqual(x.tolist(), [1, 2, 3]);
  });

  test('accumulating .grad over calls without zeroGrad, as eager', () => {
    const w = torch.tensor([1, 2], { requiresGrad: true });
    const step = torch.compile(() => w.mul(w).sum().backward());
    step();
    step();
    step();
    assert.deepEqual(w.grad!.tolist(), [6, 12]);
    w.grad = null;
    step();
    assert.deepEqual(w.grad!.tolist(), [2, 4]);
  });
});

describe('aotFunction', () => {
  test('hands the forward and backward graphs to the compilers; the backward reuses forward values', () => {
    const seen: Record<string, string> = {};
    const f = torch.aotFunction((w: Tensor, x: Tensor) => x.matmul(w).tanh().sum(), {
      fwCompiler: (g) => void (seen.fw = torch.printGraph(g, 'forward')),
      bwCompiler: (g) => void (seen.bw = torch.printGraph(g, 'backward')),
    });
    const w = torch.randn([3, 2], { dtype: 'float64', requiresGrad: true });
    const x = torch.randn([4, 3], { dtype: 'float64' });
    const y = f(w, x);
    assert.equal(y.gradFn!.name, 'CompiledFunctionBackward');
    y.backward();
    // d/dw sum(tanh(xw)) = xᵀ (1 − tanh²(xw)), computed here without autograd
    const t = x.matmul(w.detach()).tanh();
    close(w.grad!, x.T.matmul(t.mul(t).neg().add(1)), 1e-12, 'gradient');
    assert.match(seen.fw!, /^forward\(/);
    assert.match(seen.fw!, /tanh/);
    assert.match(seen.bw!, /^backward\(/);
    assert.doesNotMatch(seen.bw!, /tanh\(/, 'the backward reads tanh(xw) saved by the forward instead of recomputing it');
    assert.match(seen.bw!, /matmul/);
  });

  test('a compiler may replace the graph', () => {
    const f = torch.aotFunction((x: Tensor) => x.mul(2), {
      fwCompiler: (g) => ({ ...g, nodes: g.nodes.map((n) => (n.prim.name === 'mul' ? { ...n, prim: torch.primitives.get('add')! } : n)) }),
      fusion: false,
    });
    assert.deepEqual(f(torch.tensor([1, 5])).tolist(), [3, 7]);
  });
});

describe('randomness, guards and graph breaks', () => {
  test('dropout draws fresh masks each call, the same ones as eager under the same seed', () => {
    const f = (x: Tensor) => torch.dropout(x, 0.5, true);
    const cf = torch.compile(f);
    const x = torch.ones([200]);
    torch.manualSeed(9);
    const c1 = cf(x);
    const c2 = cf(x);
    torch.manualSeed(9);
    const e1 = f(x);
    const e2 = f(x);
    close(c1, e1, 0, 'first mask');
    close(c2, e2, 0, 'second mask');
    assert.notDeepEqual(c1.tolist(), c2.tolist());
  });

  test('a new shape recompiles; the cache limit falls back to eager with one warning', (t) => {
    const warn = t.mock.method(console, 'warn', () => {});
    const cf = torch.compile((x: Tensor) => x.mul(2), { cacheSizeLimit: 1 });
    assert.deepEqual(cf(torch.tensor([1, 2])).tolist(), [2, 4]);
    assert.deepEqual(cf(torch.tensor([1, 2, 3])).tolist(), [2, 4, 6]);
    assert.deepEqual(cf(torch.tensor([1, 2, 3, 4])).tolist(), [2, 4, 6, 8]);
    assert.equal(cf.compileInfo.compiled, 1);
    assert.equal(warn.mock.callCount(), 1);
  });

  test('a guard that fails at every call (lr changed each step) stops recompiling after the limit', (t) => {
    const warn = t.mock.method(console, 'warn', () => {});
    const p = torch.tensor([1, 2], { requiresGrad: true });
    const q = torch.tensor([1, 2], { requiresGrad: true });
    const [op, oq] = [new torch.optim.SGD([p], 0.1), new torch.optim.SGD([q], 0.1)];
    const stepOf = (x: Tensor, o: torch.optim.Optimizer) => () => { o.zeroGrad(); x.square().sum().backward(); o.step(); };
    const compiled = torch.compile(stepOf(q, oq), { cacheSizeLimit: 2 });
    const eager = stepOf(p, op);
    for (let i = 0; i < 8; i++) {
      for (const o of [op, oq]) o.paramGroups[0]!.lr = 0.1 / (i + 1);
      compiled();
      eager();
      close(q, p, 1e-6, `step ${i}`);
    }
    assert.ok(compiled.compileInfo.compiled <= 4, `compiled ${compiled.compileInfo.compiled} times`);
    assert.equal(warn.mock.callCount(), 1);
  });

  test('reading values is a graph break (eager, one warning) or, with fullgraph, a CompileError', (t) => {
    const warn = t.mock.method(console, 'warn', () => {});
    const f = (x: Tensor) => (x.sum().item() > 0 ? x.mul(2) : x.neg());
    assert.deepEqual(torch.compile(f)(torch.tensor([1, 2])).tolist(), [2, 4]);
    assert.equal(warn.mock.callCount(), 1);
    assert.throws(() => torch.compile(f, { fullgraph: true })(torch.tensor([1, 2])), (e: Error) => e instanceof torch.CompileError && /item\(\)/.test(e.message));
  });

  test('an in-place write into an argument is a graph break: the caller sees the write, as in eager mode', (t) => {
    const warn = t.mock.method(console, 'warn', () => {});
    // The graph replays on new arguments and cannot write back into them; it used to drop the write.
    const f = (a: Tensor) => {
      a.add_(1);
      return a.sum();
    };
    const x = torch.tensor([2, 3]);
    const compiled = torch.compile(f);
    assert.equal(compiled(x).item(), 7);
    assert.deepEqual(x.tolist(), [3, 4]);
    assert.equal(compiled(x).item(), 9);
    assert.deepEqual(x.tolist(), [4, 5]);
    assert.equal(warn.mock.callCount(), 1);
    const viaView = (a: Tensor) => a.view([2]).mul_(2).sum();
    const y = torch.tensor([1, 2]);
    assert.equal(torch.compile(viaView)(y).item(), 6);
    assert.deepEqual(y.tolist(), [2, 4]);
    assert.throws(() => torch.compile(viaView, { fullgraph: true })(y), (e: Error) => e instanceof torch.CompileError &&
      e.message === 'compile: mul_() writes in place into argument 0 (or a view of it); the compiled function does not write back into its arguments. Use an out-of-place op and return the result');
    // As eager: a leaf that requires grad refuses the write.
    assert.throws(() => compiled(torch.tensor([1, 2], { requiresGrad: true })), /a leaf Variable that requires grad is being used in an in-place operation/);
    // A tensor made inside the function is its own: written in place, still one graph.
    const own = torch.compile((a: Tensor) => a.mul(1).add_(1).sum(), { fullgraph: true });
    assert.equal(own(x).item(), 11);
    assert.deepEqual(x.tolist(), [4, 5]);
  });

  test('compiled steps with each optimizer train as eager ones, through an lr change and an eager step', () => {
    const make = () => {
      torch.manualSeed(1);
      return new nn.Sequential(new nn.Linear(5, 7), new nn.ReLU(), new nn.Linear(7, 3));
    };
    const x = torch.randn([16, 5]);
    const y = torch.randint(0, 3, [16]);
    const lossFn = new nn.CrossEntropyLoss();
    const kinds: [string, (ps: Tensor[]) => torch.optim.Optimizer][] = [
      ['Adam', (ps) => new torch.optim.Adam(ps, { lr: 0.01, amsgrad: true })],
      ['AdamW', (ps) => new torch.optim.AdamW(ps, { lr: 0.01 })],
      ['SGD', (ps) => new torch.optim.SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true })],
      ['RMSprop', (ps) => new torch.optim.RMSprop(ps, { lr: 0.01, centered: true })],
      ['Adagrad', (ps) => new torch.optim.Adagrad(ps, { lr: 0.1, lrDecay: 0.01 })],
    ];
    for (const [name, mk] of kinds) {
      const [a, b] = [make(), make()];
      const [oa, ob] = [mk(a.parameters()), mk(b.parameters())];
      const stepOf = (m: torch.nn.Module, o: torch.optim.Optimizer) => () => {
        o.zeroGrad();
        const l = lossFn.call(m.call(x) as Tensor, y);
        l.backward();
        o.step();
        return l;
      };
      const eager = stepOf(a, oa);
      const compiled = torch.compile(stepOf(b, ob), { fullgraph: true });
      for (let i = 0; i < 4; i++) close(compiled(), eager(), 1e-5, `${name} loss ${i}`);
      oa.paramGroups[0]!.lr /= 2;
      ob.paramGroups[0]!.lr /= 2;
      for (let i = 0; i < 2; i++) close(compiled(), eager(), 1e-5, `${name} loss after the lr change ${i}`);
      stepOf(b, ob)();
      eager();
      for (let i = 0; i < 2; i++) close(compiled(), eager(), 1e-5, `${name} loss after an eager step ${i}`);
      a.parameters().forEach((p, i) => close(b.parameters()[i]!, p, 1e-5, `${name} param ${i}`));
      const [sa, sb] = [oa.stateDict().state[0]!, ob.stateDict().state[0]!];
      for (const [k, v] of Object.entries(sa)) {
        if (typeof v === 'number') assert.equal(sb[k], v, `${name} state ${k}`);
        else close(sb[k] as Tensor, v, 1e-5, `${name} state ${k}`);
      }
    }
  });

  test('bad options are ValueErrors naming compile', () => {
    assert.throws(() => torch.compile((x: Tensor) => x, { fullGraph: true } as never), /compile\(\): unknown option 'fullGraph' \(did you mean 'fullgraph'\?\)/);
    assert.throws(() => torch.compile(3 as never), /compile\(\): expected a function or a Module, got number/);
  });
});
