// Saved-tensor hooks (torch.autograd.graph.savedTensorsHooks), the saved-tensor statistics, and
// non-reentrant activation checkpointing built on them (torch.utils.checkpoint /
// checkpointSequential): identical gradients to the plain run (eager, func.grad, vmap(grad),
// dropout with the RNG state preserved) while the graph holds measurably fewer saved bytes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { bind, registry } from '../src/primitives/primitive.js';
import { samples } from './support/samples.js';
import { runs } from './support/runs.js';

const { func, nn } = torch;
const { graph } = torch.autograd;
const arr = (t: Tensor | null | undefined) => Array.from(t!.toArray() as Float64Array);

function same(a: Tensor, b: Tensor, tol = 0, msg = ''): void {
  const x = arr(a);
  const y = arr(b);
  assert.equal(x.length, y.length, msg);
  x.forEach((v, i) => assert.ok(Math.abs(v - y[i]!) <= tol, `${msg}[${i}]: ${v} vs ${y[i]}`));
}

function mlp(layers: number, width: number, dropout = 0): torch.nn.Sequential {
  torch.manualSeed(11);
  const mods: torch.nn.Module[] = [];
  for (let i = 0; i < layers; i++) {
    mods.push(new nn.Linear(width, width, { dtype: 'float64' }), new nn.Tanh());
    if (dropout > 0) mods.push(new nn.Dropout(dropout));
  }
  return new nn.Sequential(...mods);
}

const grads = (m: torch.nn.Module) => [...m.parameters()].map((p) => p.grad!.clone());

describe('saved-tensor hooks', () => {
  test('every saved tensor is packed when saved and unpacked when backward uses it', () => {
    const x = torch.randn([3, 4], { dtype: 'float64' }).requiresGrad_();
    let packed = 0;
    let unpacked = 0;
    const y = graph.savedTensorsHooks(
      (t) => {
        packed++;
        return t.clone();
      },
      (t: Tensor) => {
        unpacked++;
        return t;
      },
      () => x.exp().mul(x).sin().sum(),
    );
    assert.ok(packed >= 4, `packed ${packed}`);
    assert.equal(unpacked, 0);
    y.backward();
    assert.equal(unpacked, packed);
    const x2 = x.detach().requiresGrad_();
    x2.exp().mul(x2).sin().sum().backward();
    same(x.grad!, x2.grad!);
  });

  test('under hooks, a matmul with only one operand needing a gradient restores the operand its gradient needs', () => {
    // matmul saves each operand only for the other's gradient: restoring must skip the unsaved one.
    const a = torch.tensor([[1, 2], [3, 4]], { dtype: 'float64' });
    const b = torch.tensor([[5, 6], [7, 8]], { dtype: 'float64' });
    const hooks = (f: () => Tensor) => graph.savedTensorsHooks((t) => t.clone(), (t: Tensor) => t, f);
    const bl = b.clone().requiresGrad_();
    hooks(() => a.matmul(bl)).sum().backward();
    assert.deepEqual(arr(bl.grad), [4, 4, 6, 6]); // aᵀ · ones
    const al = a.clone().requiresGrad_();
    hooks(() => al.matmul(b)).sum().backward();
    assert.deepEqual(arr(al.grad), [11, 15, 11, 15]); // ones · bᵀ
  });

  test('a custom Function\'s ctx.saveForBackward goes through the hooks too', () => {
    class Square extends torch.autograd.Function {
      static override forward(x: Tensor) {
        return x.mul(x);
      }
      static override setupContext(ctx: torch.FunctionCtx, [x]: [Tensor]) {
        ctx.saveForBackward(x);
      }
      static override backward(ctx: torch.FunctionCtx, g: Tensor) {
        return g.mul(ctx.savedTensors[0]!).mul(2);
      }
    }
    const seen: Tensor[] = [];
    const x = torch.tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const y = graph.savedTensorsHooks((t) => (seen.push(t), 'handle'), () => seen[0]!, () => Square.apply(x));
    assert.equal(seen.length, 1);
    y.sum().backward();
    assert.deepEqual(arr(x.grad), [2, 4]);
  });

  describe('each primitive\'s vjp reads only what it declares saved (hooks keep nothing else)', () => {
    for (const [name, prim] of registry) {
      if (prim.nondiff || prim.random) continue;
      test(name, () => {
        fc.assert(
          fc.property(samples[name]!(), (s) => {
            const mk = () => s.inputs.map((x, i) => (s.diff[i] ? x.detach().clone().requiresGrad_() : x.clone()));
            const a = mk();
            const b = mk();
            const outA = bind(prim, [...a], s.params);
            if (!outA.requiresGrad || outA.numel() === 0) return;
            const outB = graph.savedTensorsHooks((t) => t, (t: Tensor) => t, () => bind(prim, [...b], s.params));
            const ct = torch.randnLike(outA.detach());
            const ga = torch.autograd.grad(outA, a.filter((x) => x.requiresGrad), { gradOutputs: ct, allowUnused: true });
            const gb = torch.autograd.grad(outB, b.filter((x) => x.requiresGrad), { gradOutputs: ct, allowUnused: true });
            ga.forEach((g, i) => assert.deepEqual(g ? Array.from(g.toArray()) : null, gb[i] ? Array.from(gb[i]!.toArray()) : null, name));
          }),
          { numRuns: runs(4), seed: 3 },
        );
      });
    }
  });
});

describe('torch.utils.checkpoint', () => {
  test('an 8-layer MLP: identical gradients, measurably fewer saved-tensor bytes', () => {
    const model = mlp(8, 32);
    const x = torch.randn([16, 32], { dtype: 'float64' });
    const base0 = graph.savedTensorsStats().bytes;
    const plainLoss = model.call(x).pow(2).sum();
    const plainBytes = graph.savedTensorsStats().bytes - base0;
    plainLoss.backward();
    const plain = grads(model);
    model.zeroGrad();

    const layers = [...model];
    const base1 = graph.savedTensorsStats().bytes;
    let h = x;
    const inputsBytes: number[] = [];
    for (let i = 0; i < layers.length; i += 2) {
      inputsBytes.push(h.numel() * 8);
      h = torch.utils.checkpoint((v: Tensor) => layers[i + 1]!.call(layers[i]!.call(v)) as Tensor, h, { useReentrant: false });
    }
    const ckptLoss = h.pow(2).sum();
    const ckptBytes = graph.savedTensorsStats().bytes - base1;
    // The checkpoints keep their inputs (one activation per segment) outside the graph's saved tensors.
    const held = ckptBytes + inputsBytes.reduce((a, b) => a + b, 0);
    assert.ok(held * 2 < plainBytes, `checkpointed graph holds ${held} bytes (saved ${ckptBytes}), plain ${plainBytes}`);
    ckptLoss.backward();
    grads(model).forEach((g, i) => same(g, plain[i]!, 1e-12, `param ${i}`));
    // The backward pass freed what the graph saved.
    assert.ok(graph.savedTensorsStats().bytes <= base1, 'saved tensors outlived backward');
  });

  test('checkpointSequential gives the same gradients as the Sequential', () => {
    const model = mlp(8, 8);
    const x = torch.randn([4, 8], { dtype: 'float64' });
    model.call(x).sum().backward();
    const plain = grads(model);
    model.zeroGrad();
    torch.utils.checkpointSequential(model, 4, x, { useReentrant: false }).sum().backward();
    grads(model).forEach((g, i) => same(g, plain[i]!, 1e-12, `param ${i}`));
  });

  test('dropout draws the same mask when recomputed (preserveRngState)', () => {
    const model = mlp(3, 6, 0.5);
    model.train();
    const x = torch.randn([5, 6], { dtype: 'float64' });
    torch.manualSeed(42);
    model.call(x).sum().backward();
    const plain = grads(model);
    model.zeroGrad();
    torch.manualSeed(42);
    const y = torch.utils.checkpoint((v: Tensor) => model.call(v), x);
    torch.randn([7]); // the generator moves on before backward recomputes
    y.sum().backward();
    grads(model).forEach((g, i) => same(g, plain[i]!, 1e-12, `param ${i}`));
  });

  test('under func.grad and vmap(grad): the same gradients as without it', () => {
    torch.manualSeed(2);
    const w1 = torch.randn([5, 4], { dtype: 'float64' });
    const w2 = torch.randn([3, 5], { dtype: 'float64' });
    const block = (v: Tensor, a: Tensor, b: Tensor) => b.matmul(a.matmul(v).tanh()).sin();
    const plain = (a: Tensor, b: Tensor, v: Tensor) => block(v, a, b).pow(2).sum();
    const ckpt = (a: Tensor, b: Tensor, v: Tensor) => torch.utils.checkpoint(block, v, a, b).pow(2).sum();
    const x = torch.randn([4], { dtype: 'float64' });
    const [ga, gb] = func.grad(ckpt, { argnums: [0, 1] })(w1, w2, x);
    const [pa, pb] = func.grad(plain, { argnums: [0, 1] })(w1, w2, x);
    same(ga, pa, 1e-12, 'grad w1');
    same(gb, pb, 1e-12, 'grad w2');
    const xs = torch.randn([6, 4], { dtype: 'float64' });
    const per = func.vmap(func.grad(ckpt), { inDims: [null, null, 0] })(w1, w2, xs);
    same(per, func.vmap(func.grad(plain), { inDims: [null, null, 0] })(w1, w2, xs), 1e-12, 'vmap(grad)');
  });

  test('double backward through a checkpoint (grad(grad), createGraph) matches the plain version', () => {
    const x = torch.randn([3], { dtype: 'float64' });
    const g = (v: Tensor) => v.sin().exp();
    const f = (v: Tensor) => torch.utils.checkpoint(g, v);
    const gg = (h: typeof g) => func.grad((v: Tensor) => func.grad((u: Tensor) => h(u).sum())(v).sum())(x);
    same(gg(f), gg(g), 1e-12, 'grad(grad)');
    const xe = x.detach().requiresGrad_();
    const [d] = torch.autograd.grad(f(xe).sum(), xe, { createGraph: true });
    same(torch.autograd.grad(d!.sum(), xe)[0]!, gg(g), 1e-12, 'createGraph');
  });

  test('a recomputation that saves differently is an error; useReentrant: true is refused', () => {
    let n = 0;
    const x = torch.tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const y = torch.utils.checkpoint((v: Tensor) => (n++ === 0 ? v.exp() : v.exp().sin()), x);
    assert.throws(() => y.sum().backward(), /A different number of tensors was saved during the original forward and recomputation/);
    assert.throws(() => torch.utils.checkpoint((v: Tensor) => v, x, { useReentrant: true }), /useReentrant: true is not supported/);
  });
});

test('checkpoint under func.vjp / jacrev is refused with a CheckpointError that says what to use instead', () => {
  const f = (x: torch.Tensor) => torch.utils.checkpoint((t: torch.Tensor) => t.sin().mul(t), x, { useReentrant: false }).sum();
  const x = torch.tensor([0.5, -1, 2], { dtype: 'float64' });
  const refused = (e: Error) => e instanceof torch.utils.CheckpointError && /use func\.grad, vmap\(grad\(\.\.\.\)\) or eager backward/.test(e.message);
  assert.throws(() => torch.func.jacrev(f)(x), refused);
  const [, vjpFn] = torch.func.vjp(f, x);
  assert.throws(() => vjpFn(torch.ones([], { dtype: 'float64' })), refused);
  // func.grad works: d/dx sum(x sin x) = sin x + x cos x.
  const g = torch.func.grad(f)(x).tolist() as number[];
  [0.5, -1, 2].forEach((v, i) => assert.ok(Math.abs(g[i]! - (Math.sin(v) + v * Math.cos(v))) < 1e-12));
});
