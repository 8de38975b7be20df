// torch.autograd.Function: PyTorch's documented examples (Exp saving its output, LinearFunction,
// MulConstant with a non-tensor argument, a Function with jvp), checked against the plain-op version
// and float64 finite differences, in eager autograd and under func.grad/vjp/jvp/vmap and their
// compositions; and the backward engine running only what the requested gradients need.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor, FunctionCtx } from '../src/index.js';
import { engineStats } from '../src/transforms/engine.js';

const { func } = torch;
const f64 = (v: number[] | number[][], requiresGrad = false) => torch.tensor(v, { dtype: 'float64', requiresGrad });
const arr = (t: Tensor | null | undefined) => Array.from(t!.toArray() as Float64Array);

function close(a: Tensor | number[], b: Tensor | number[], tol = 1e-10, msg = ''): void {
  const x = Array.isArray(a) ? a : arr(a);
  const y = Array.isArray(b) ? b : arr(b);
  assert.equal(x.length, y.length, `${msg}: lengths`);
  x.forEach((v, i) => assert.ok(Math.abs(v - y[i]!) <= tol * (1 + Math.abs(y[i]!)), `${msg}[${i}]: ${v} vs ${y[i]}`));
}

/** Central finite differences of the scalar f at x (float64). */
function finiteDiff(f: (x: Tensor) => Tensor, x: Tensor, h = 1e-6): number[] {
  const v = arr(x);
  return v.map((_, i) => {
    const p = [...v];
    const m = [...v];
    p[i]! += h;
    m[i]! -= h;
    const fp = torch.noGrad(() => f(torch.tensor(p, { dtype: 'float64' }).reshape(x.shape)).item() as number);
    const fm = torch.noGrad(() => f(torch.tensor(m, { dtype: 'float64' }).reshape(x.shape)).item() as number);
    return (fp - fm) / (2 * h);
  });
}

// PyTorch's docs (extending autograd): Exp saves its output for backward.
let expBackwardCalls = 0;
class Exp extends torch.autograd.Function {
  static override generateVmapRule = true;
  static override forward(x: Tensor): Tensor {
    return x.exp();
  }
  static override setupContext(ctx: FunctionCtx, _inputs: [Tensor], result: Tensor): void {
    ctx.saveForBackward(result);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    expBackwardCalls++;
    const [result] = ctx.savedTensors;
    return g.mul(result!);
  }
  static override jvp(ctx: FunctionCtx, t: Tensor): Tensor {
    const [result] = ctx.savedTensors;
    return t.mul(result!);
  }
}

// PyTorch's docs: LinearFunction (old style, forward takes ctx), gradients only where needed.
const seenNeeds: boolean[][] = [];
class LinearFunction extends torch.autograd.Function {
  static override forward(ctx: FunctionCtx, input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
    ctx.saveForBackward(input, weight, bias);
    let output = input.matmul(weight.t());
    if (bias !== null) output = output.add(bias.unsqueeze(0).expandAs(output));
    return output;
  }
  static override backward(ctx: FunctionCtx, gradOutput: Tensor): (Tensor | null)[] {
    const [input, weight, bias] = ctx.savedTensors;
    seenNeeds.push([...ctx.needsInputGrad]);
    let gi = null, gw = null, gb = null;
    if (ctx.needsInputGrad[0]) gi = gradOutput.matmul(weight!);
    if (ctx.needsInputGrad[1]) gw = gradOutput.t().matmul(input!);
    if (bias !== null && ctx.needsInputGrad[2]) gb = gradOutput.sum(0);
    return [gi, gw, gb];
  }
}

// PyTorch 2 style LinearFunction, usable under torch.func.
class Linear2 extends torch.autograd.Function {
  static override generateVmapRule = true;
  static override forward(input: Tensor, weight: Tensor, bias: Tensor): Tensor {
    return input.matmul(weight.t()).add(bias);
  }
  static override setupContext(ctx: FunctionCtx, [input, weight]: [Tensor, Tensor, Tensor]): void {
    ctx.saveForBackward(input, weight);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [input, weight] = ctx.savedTensors;
    return [
      ctx.needsInputGrad[0] ? g.matmul(weight!) : null,
      ctx.needsInputGrad[1] ? g.mT.matmul(input!) : null,
      ctx.needsInputGrad[2] ? g.sum(0) : null,
    ];
  }
}

// PyTorch's docs: MulConstant with a non-tensor argument (whose gradient is None).
class MulConstant extends torch.autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor, constant: number): Tensor {
    ctx.constant = constant;
    return x.mul(constant);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    return [g.mul(ctx.constant as number), null];
  }
}

// A straight-through estimator: its backward is not the derivative of its forward, so the
// gradient tells whether a transform used the Function's backward.
class RoundSTE extends torch.autograd.Function {
  static override generateVmapRule = true;
  static override forward(x: Tensor): Tensor {
    return x.round();
  }
  static override setupContext(): void {}
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g;
  }
}

describe('autograd.Function in eager autograd', () => {
  test('Exp: backward uses the saved output; matches exp and finite differences', () => {
    const x = f64([0.3, -1.2, 2], true);
    const before = expBackwardCalls;
    Exp.apply(x).mul(f64([1, 2, 3])).sum().backward();
    assert.equal(expBackwardCalls, before + 1);
    close(x.grad!, x.detach().exp().mul(f64([1, 2, 3])));
    close(x.grad!, finiteDiff((v) => v.exp().mul(f64([1, 2, 3])).sum(), x.detach()), 1e-7);
    const y = Exp.apply(x);
    assert.ok(y.requiresGrad);
    assert.equal(y.gradFn!.name, 'ExpBackward');
  });

  test('savedTensors is empty when setupContext saved nothing', () => {
    const seen: number[] = [];
    class Triple extends torch.autograd.Function {
      static override forward(x: Tensor) {
        return x.mul(3);
      }
      static override setupContext() {}
      static override backward(ctx: FunctionCtx, g: Tensor) {
        seen.push(ctx.savedTensors.length);
        return g.mul(3);
      }
    }
    const x = f64([1, 2], true);
    Triple.apply(x).sum().backward();
    assert.deepEqual(seen, [0]);
    assert.deepEqual(arr(x.grad), [3, 3]);
  });

  test('Exp: double backward through a backward made of differentiable ops', () => {
    const x = f64([0.5, 1.5], true);
    const [g] = torch.autograd.grad(Exp.apply(x).sum(), x, { createGraph: true });
    const [gg] = torch.autograd.grad(g!.sum(), x);
    close(gg!, x.detach().exp());
  });

  test('LinearFunction (forward with ctx) equals the plain ops; needsInputGrad is exact', () => {
    torch.manualSeed(1);
    const input = torch.randn([4, 3], { dtype: 'float64' }).requiresGrad_();
    const weight = torch.randn([2, 3], { dtype: 'float64' }).requiresGrad_();
    const bias = torch.randn([2], { dtype: 'float64' }).requiresGrad_();
    const ct = torch.randn([4, 2], { dtype: 'float64' });
    LinearFunction.apply(input, weight, bias).mul(ct).sum().backward();
    const [gi, gw, gb] = [input.grad!, weight.grad!, bias.grad!];
    const [ri, rw, rb] = [input, weight, bias].map((t) => t.detach().requiresGrad_());
    torch.nn.functional.linear(ri!, rw!, rb!).mul(ct).sum().backward();
    close(gi, ri!.grad!, 1e-12);
    close(gw, rw!.grad!, 1e-12);
    close(gb, rb!.grad!, 1e-12);
    assert.deepEqual(seenNeeds.at(-1), [true, true, true]);
    // Only the weight needs a gradient: backward is told so.
    const w2 = weight.detach().requiresGrad_();
    LinearFunction.apply(input.detach(), w2, bias.detach()).sum().backward();
    assert.deepEqual(seenNeeds.at(-1), [false, true, false]);
    close(w2.grad!, torch.ones([4, 2], { dtype: 'float64' }).t().matmul(input.detach()), 1e-12);
    // No input requires grad: no node, backward never runs.
    const n = seenNeeds.length;
    const out = LinearFunction.apply(input.detach(), weight.detach());
    assert.equal(out.requiresGrad, false);
    assert.equal(seenNeeds.length, n);
  });

  test('MulConstant: a non-tensor argument gets None; needsInputGrad is false for it', () => {
    const x = f64([1, 2], true);
    let needs: boolean[] = [];
    class Probe extends MulConstant {
      static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
        needs = [...ctx.needsInputGrad];
        return super.backward(ctx, g);
      }
    }
    Probe.apply(x, 3).sum().backward();
    assert.deepEqual(needs, [true, false]);
    assert.deepEqual(arr(x.grad), [3, 3]);
    class Bad extends MulConstant {
      static override backward(_ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
        return [g, g];
      }
    }
    assert.throws(() => Bad.apply(x, 3).sum().backward(), /returned a gradient different than None at position 2, but the corresponding forward input was not a Variable/);
    class Short extends torch.autograd.Function {
      static override forward(_ctx: FunctionCtx, v: Tensor, c: number): Tensor {
        return v.mul(c);
      }
      static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
        return g;
      }
    }
    assert.throws(() => Short.apply(x, 3).sum().backward(), /returned an incorrect number of gradients \(expected 2, got 1\)/);
  });

  test('several outputs: unused ones get zeros, or null with setMaterializeGrads(false)', () => {
    const got: (Tensor | null)[][] = [];
    class SinCos extends torch.autograd.Function {
      static override forward(x: Tensor): Tensor[] {
        return [x.sin(), x.cos()];
      }
      static override setupContext(ctx: FunctionCtx, [x]: [Tensor], _out: Tensor[]): void {
        ctx.saveForBackward(x);
        ctx.setMaterializeGrads(this.materialize);
      }
      static materialize = true;
      static override backward(ctx: FunctionCtx, gs: Tensor | null, gc: Tensor | null): Tensor {
        got.push([gs, gc]);
        const [x] = ctx.savedTensors;
        let g = torch.zerosLike(x!);
        if (gs) g = g.add(gs.mul(x!.cos()));
        if (gc) g = g.sub(gc.mul(x!.sin()));
        return g;
      }
    }
    const x = f64([0.4, 1.1], true);
    const [s, c] = SinCos.apply(x) as Tensor[];
    s!.mul(2).sum().add(c!.sum()).backward();
    close(x.grad!, x.detach().cos().mul(2).sub(x.detach().sin()));
    const x2 = x.detach().requiresGrad_();
    const [s2] = SinCos.apply(x2) as Tensor[];
    s2!.sum().backward();
    close(x2.grad!, x.detach().cos());
    assert.deepEqual(arr(got.at(-1)![1]!), [0, 0]);
    SinCos.materialize = false;
    const x3 = x.detach().requiresGrad_();
    const [s3] = SinCos.apply(x3) as Tensor[];
    s3!.sum().backward();
    assert.equal(got.at(-1)![1], null);
    close(x3.grad!, x.detach().cos());
  });

  test('markNonDifferentiable: that output does not require grad', () => {
    class MaxWithIdx extends torch.autograd.Function {
      static override forward(x: Tensor): Tensor[] {
        return [x.max(), x.argmax().to('float64')];
      }
      static override setupContext(ctx: FunctionCtx, [x]: [Tensor], [m, i]: Tensor[]): void {
        ctx.markNonDifferentiable(i!);
        ctx.saveForBackward(x, i!);
      }
      static override backward(ctx: FunctionCtx, g: Tensor, gi: Tensor): Tensor {
        assert.deepEqual(arr(gi), [0]);
        const [x, i] = ctx.savedTensors;
        return torch.zerosLike(x!).add(torch.arange(x!.shape[0]!).to('float64').eq(i!).to('float64').mul(g));
      }
    }
    const x = f64([1, 5, 2], true);
    const [m, i] = MaxWithIdx.apply(x) as Tensor[];
    assert.equal(i!.requiresGrad, false);
    assert.equal(m!.requiresGrad, true);
    m!.backward();
    assert.deepEqual(arr(x.grad), [0, 1, 0]);
  });

  test('markDirty: an in-place forward moves the input onto the Function', () => {
    class Double_ extends torch.autograd.Function {
      static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
        torch.noGrad(() => x.mul_(2));
        ctx.markDirty(x);
        return x;
      }
      static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
        return g.mul(2);
      }
    }
    const a = f64([1, 2], true);
    const b = a.mul(3);
    const c = Double_.apply(b);
    assert.equal(c, b);
    assert.deepEqual(arr(b), [6, 12]);
    c.sum().backward();
    assert.deepEqual(arr(a.grad), [6, 6]);
    assert.throws(() => Double_.apply(f64([1], true)), /leaf Variable that requires grad/);
  });
});

describe('autograd.Function: what forward returns and what backward may return', () => {
  class Identity extends torch.autograd.Function {
    static override forward(x: Tensor): Tensor {
      return x;
    }
    static override setupContext(): void {}
    static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
      return g.mul(3);
    }
  }
  class Spread extends torch.autograd.Function {
    static override forward(x: Tensor): Tensor {
      return x.expand([2, 3]).clone();
    }
    static override setupContext(): void {}
    static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
      return g; // [2, 3] for an input of [3] or [1, 3]: summed to the input's shape, as PyTorch does
    }
  }

  test('an input returned as is becomes a new tensor on the Function; the input keeps its own history', () => {
    const x = f64([1, 2], true);
    const b = x.mul(2);
    const history = b.gradFn;
    const y = Identity.apply(b);
    assert.notEqual(y, b);
    assert.equal(b.gradFn, history);
    assert.equal(y.gradFn!.name, 'IdentityBackward');
    assert.deepEqual(arr(y), [2, 4]);
    y.sum().add(b.sum()).backward();
    assert.deepEqual(arr(x.grad), [8, 8]);
  });

  test('a gradient that broadcasts to the input is summed to its shape', () => {
    const x = f64([1, 2, 3], true);
    Spread.apply(x).mul(f64([[1, 2, 3], [4, 5, 6]])).sum().backward();
    assert.deepEqual(arr(x.grad), [5, 7, 9]);
    const x2 = torch.tensor([[1, 2, 3]], { dtype: 'float64', requiresGrad: true });
    Spread.apply(x2).sum().backward();
    assert.deepEqual(x2.grad!.shape, [1, 3]);
    assert.deepEqual(arr(x2.grad), [2, 2, 2]);
  });

  test('jvp: a null tangent leaves that output without one; a non-differentiable output gets none', () => {
    class TwoWays extends torch.autograd.Function {
      static override forward(x: Tensor): Tensor[] {
        return [x.mul(2), x.mul(3), x.gt(0)];
      }
      static override setupContext(ctx: FunctionCtx, _in: [Tensor], [, , m]: Tensor[]): void {
        ctx.markNonDifferentiable(m!);
      }
      static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
        return g.mul(2);
      }
      static override jvp(_ctx: FunctionCtx, t: Tensor): (Tensor | null)[] {
        return [t.mul(2), null, null];
      }
    }
    const x = f64([1, -2]);
    const [outs, tans] = func.jvp((v: Tensor) => TwoWays.apply(v) as Tensor[], [x], [f64([1, 1])]) as unknown as [Tensor[], Tensor[]];
    assert.deepEqual(arr(outs[0]), [2, -4]);
    assert.deepEqual(arr(tans[0]), [2, 2]);
    assert.deepEqual(arr(tans[1]), [0, 0]);
    assert.equal(outs[2]!.dtype, 'bool');
  });
});

describe('autograd.Function under torch.func', () => {
  test('func.grad and func.vjp use the Function as one node: its backward decides', () => {
    const x = f64([0.4, 1.6, -2.3]);
    assert.deepEqual(arr(func.grad((v: Tensor) => RoundSTE.apply(v).mul(v).sum())(x)), arr(x.round().add(x)));
    const before = expBackwardCalls;
    close(func.grad((v: Tensor) => Exp.apply(v).sum())(x), x.exp());
    assert.equal(expBackwardCalls, before + 1);
    const [out, vjpFn] = func.vjp((v: Tensor) => Exp.apply(v), x);
    close(out, x.exp());
    close(vjpFn(f64([1, 2, 3]))[0], x.exp().mul(f64([1, 2, 3])));
    // Eager leaves and func.grad together: the grad level's gradient is the Function's backward.
    const [w, b] = [torch.randn([2, 3], { dtype: 'float64' }), torch.randn([2], { dtype: 'float64' })];
    const loss = (ww: Tensor) => Linear2.apply(x.reshape([1, 3]), ww, b).pow(2).sum();
    close(func.grad(loss)(w), func.grad((ww: Tensor) => torch.nn.functional.linear(x.reshape([1, 3]), ww, b).pow(2).sum())(w), 1e-12);
  });

  test('grad(grad(f)) through Exp (double backward at two levels); jacrev/hessian', () => {
    const x = f64(1.3 as unknown as number[]);
    close([func.grad(func.grad((v: Tensor) => Exp.apply(v)))(x).item() as number], [Math.exp(1.3)]);
    const v = f64([0.2, -0.7]);
    close(func.hessian((t: Tensor) => Exp.apply(t).sum())(v), torch.diag(v.exp()));
    close(func.jacrev((t: Tensor) => Exp.apply(t))(v), torch.diag(v.exp()));
  });

  test('func.jvp uses the jvp staticmethod; without one it is PyTorch\'s error', () => {
    const x = f64([0.1, 0.9]);
    const t = f64([1, -2]);
    const [y, dy] = func.jvp((v: Tensor) => Exp.apply(v), [x], [t]);
    close(y, x.exp());
    close(dy, x.exp().mul(t));
    close(func.jacfwd((v: Tensor) => Exp.apply(v))(x), torch.diag(x.exp()));
    assert.throws(() => func.jvp((v: Tensor) => RoundSTE.apply(v), [x], [t]), /jvp is not implemented\. You must implement the jvp function for custom autograd\.Function to use it with forward mode AD/);
  });

  test('vmap: generated rule (forward and backward under vmap) and an explicit vmap rule', () => {
    const xs = torch.randn([4, 3], { dtype: 'float64' });
    close(func.vmap((v: Tensor) => Exp.apply(v))(xs), xs.exp());
    // Eager backward through the generated rule: its backward runs under vmap too.
    const xr = xs.detach().requiresGrad_();
    func.vmap((v: Tensor) => Exp.apply(v))(xr).mul(xs).sum().backward();
    close(xr.grad!, xs.exp().mul(xs));
    // A batched input and an unbatched one: the unbatched one's gradient sums over the batch.
    torch.manualSeed(3);
    const w = torch.randn([2, 3], { dtype: 'float64' }).requiresGrad_();
    const b = torch.randn([2], { dtype: 'float64' }).requiresGrad_();
    const xb = torch.randn([5, 1, 3], { dtype: 'float64' });
    func.vmap((x: Tensor) => Linear2.apply(x, w, b))(xb).pow(2).sum().backward();
    const [w2, b2] = [w.detach().requiresGrad_(), b.detach().requiresGrad_()];
    torch.nn.functional.linear(xb, w2, b2).pow(2).sum().backward();
    close(w.grad!, w2.grad!, 1e-12);
    close(b.grad!, b2.grad!, 1e-12);
    // An explicit rule: called once for the whole batch, with the batch dims.
    let calls: (number | null)[][] = [];
    class Scale extends torch.autograd.Function {
      static override forward(x: Tensor, s: Tensor): Tensor {
        return x.mul(s);
      }
      static override setupContext(ctx: FunctionCtx, [, s]: [Tensor, Tensor]): void {
        ctx.saveForBackward(s);
      }
      static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
        return [g.mul(ctx.savedTensors[0]!), null];
      }
      static override vmap(info: { batchSize: number }, inDims: (number | null)[], x: Tensor, s: Tensor): [Tensor, number] {
        calls.push([...inDims, info.batchSize]);
        const xb = inDims[0] === null ? x.unsqueeze(0).expand([info.batchSize, ...x.shape]) : x.movedim(inDims[0]!, 0);
        return [Scale.apply(xb, s), 0];
      }
    }
    const s = f64([2, 3, 4]);
    close(func.vmap((v: Tensor) => Scale.apply(v, s), { inDims: 1 })(xs.t()), xs.mul(s));
    assert.deepEqual(calls, [[1, null, 4]]);
    calls = [];
    close(func.vmap(func.grad((v: Tensor) => Scale.apply(v, s).sum()))(xs), s.expand([4, 3]));
  });

  test('generated vmap rule: jvp, a batch dim other than 0, an output and a gradient that do not depend on the batch', () => {
    const xs = f64([[0.1, 0.5], [-0.3, 1.2], [-0.4, 0.7]]);
    const t = f64([[1, 2], [3, -1], [0, 2]]);
    // jvp of vmap: the jvp staticmethod runs under the inner vmap; the batch is dim 1, the output's dim 0.
    const [y, dy] = func.jvp(func.vmap((v: Tensor) => Exp.apply(v), { inDims: 1 }), [xs], [t]);
    close(y, arr(xs.t().exp()));
    close(dy, arr(xs.t().exp().mul(t.t())));
    // The second output ignores the batched input; the backward gives x a constant (right for a sum's
    // ones) and w a batched gradient, which must be summed over the batch.
    class TwoOuts extends torch.autograd.Function {
      static override generateVmapRule = true;
      static override forward(x: Tensor, w: Tensor): Tensor[] {
        return [x.mul(2), w.mul(3)];
      }
      static override setupContext(): void {}
      static override backward(_ctx: FunctionCtx, _gx: Tensor, gw: Tensor): Tensor[] {
        return [torch.full([3], 2, { dtype: 'float64' }), gw.mul(3)];
      }
    }
    const x = xs.detach().requiresGrad_();
    const w = f64([1, -2], true);
    const [a, b] = func.vmap((v: Tensor, u: Tensor) => TwoOuts.apply(v, u) as Tensor[], { inDims: [1, null] })(x, w) as Tensor[];
    assert.deepEqual(a!.shape, [2, 3]);
    close(a!, arr(xs.t().mul(2)));
    assert.deepEqual(b!.shape, [2, 2]);
    close(b!, [3, -6, 3, -6]);
    a!.sum().add(b!.sum()).backward();
    assert.deepEqual(x.grad!.shape, [3, 2]);
    close(x.grad!, [2, 2, 2, 2, 2, 2]);
    close(w.grad!, [6, 6]);
  });

  test('generated vmap rule: saveForBackward of a batched tensor, null and an unbatched tensor', () => {
    class MulSaved extends torch.autograd.Function {
      static override generateVmapRule = true;
      static override forward(x: Tensor, w: Tensor): Tensor {
        return x.mul(w);
      }
      static override setupContext(ctx: FunctionCtx, [x, w]: [Tensor, Tensor]): void {
        ctx.saveForBackward(x, null, w);
      }
      static override backward(ctx: FunctionCtx, g: Tensor): Tensor[] {
        const [x, none, w] = ctx.savedTensors;
        assert.equal(none, null);
        return [g.mul(w!), g.mul(x!)];
      }
    }
    const x = f64([[1, 2], [3, 4], [5, 6]], true);
    const w = f64([10, -1], true);
    const y = func.vmap((v: Tensor, u: Tensor) => MulSaved.apply(v, u), { inDims: [0, null] })(x, w);
    close(y, [10, -2, 30, -4, 50, -6]);
    y.mul(f64([[1, 1], [2, 2], [3, 3]])).sum().backward();
    close(x.grad!, [10, -1, 20, -2, 30, -3]);
    close(w.grad!, [1 + 6 + 15, 2 + 8 + 18]);
  });

  test('generated vmap rule: markNonDifferentiable and setMaterializeGrads(false) reach the outer Function', () => {
    const seen: (Tensor | null)[] = [];
    class SignAndDouble extends torch.autograd.Function {
      static override generateVmapRule = true;
      static override forward(x: Tensor): Tensor[] {
        return [x.mul(2), x.sign()];
      }
      static override setupContext(ctx: FunctionCtx, _inputs: [Tensor], [, s]: Tensor[]): void {
        ctx.markNonDifferentiable(s!);
        ctx.setMaterializeGrads(false);
      }
      static override backward(_ctx: FunctionCtx, g: Tensor, gs: Tensor | null): Tensor {
        seen.push(gs);
        return g.mul(2);
      }
    }
    const x = f64([[1, -2], [0.5, 3]], true);
    const [d, s] = func.vmap((v: Tensor) => SignAndDouble.apply(v) as Tensor[])(x) as Tensor[];
    assert.equal(s!.requiresGrad, false);
    assert.equal(d!.requiresGrad, true);
    assert.deepEqual(arr(s), [1, -1, 1, 1]);
    d!.mul(f64([[1, 2], [3, 4]])).sum().backward();
    assert.deepEqual(seen, [null]);
    assert.deepEqual(arr(x.grad), [2, 4, 6, 8]);
  });

  test('functionalize: a Function sees the current value of a view whose base was written in place', () => {
    const f = (x: Tensor) => {
      const v = x.clone();
      const head = v.narrow(0, 0, 2);
      v.mul_(2);
      return Exp.apply(head);
    };
    const x = f64([0.5, -1, 3]);
    close(func.functionalize(f)(x), [Math.exp(1), Math.exp(-2)]);
    close(func.grad((u: Tensor) => func.functionalize(f)(u).sum())(x), [2 * Math.exp(1), 2 * Math.exp(-2), 0]);
  });

  test('vmap without a rule is PyTorch\'s error', () => {
    class NoRule extends torch.autograd.Function {
      static override forward(x: Tensor): Tensor {
        return x.mul(2);
      }
      static override setupContext(): void {}
      static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
        return g.mul(2);
      }
    }
    assert.throws(() => func.vmap((v: Tensor) => NoRule.apply(v))(f64([[1, 2]])), /you must either override the vmap staticmethod or set generateVmapRule=True/);
    assert.throws(() => func.grad((v: Tensor) => MulConstant.apply(v, 2).sum())(f64([1])), /must override the setupContext staticmethod/);
  });

  test('vmap(grad(f)), grad(vmap(f)) and per-sample gradients equal the plain-op versions', () => {
    torch.manualSeed(5);
    const w = torch.randn([2, 3], { dtype: 'float64' });
    const b = torch.randn([2], { dtype: 'float64' });
    const xs = torch.randn([6, 1, 3], { dtype: 'float64' });
    const custom = (ww: Tensor, x: Tensor) => Exp.apply(Linear2.apply(x, ww, b)).sum();
    const plain = (ww: Tensor, x: Tensor) => torch.nn.functional.linear(x, ww, b).exp().sum();
    const perSample = func.vmap(func.grad(custom), { inDims: [null, 0] })(w, xs);
    close(perSample, func.vmap(func.grad(plain), { inDims: [null, 0] })(w, xs), 1e-12);
    const total = (f: typeof custom) => func.grad((ww: Tensor) => func.vmap((x: Tensor) => f(ww, x))(xs).sum())(w);
    close(total(custom), total(plain), 1e-12);
    close(total(custom), finiteDiff((ww) => func.vmap((x: Tensor) => plain(ww, x))(xs).sum(), w), 1e-6);
    // grad(grad) of the composition through both Functions, checked against the plain ops.
    const hv = (f: typeof custom) => func.grad((ww: Tensor) => func.grad((u: Tensor) => f(u, xs.select(0, 0)))(ww).pow(2).sum())(w);
    close(hv(custom), hv(plain), 1e-10);
  });
});

describe('the backward engine runs only what the requested gradients need', () => {
  test('autograd.grad(loss, [w]) does not run the backward of a branch that does not lead to w', () => {
    const x = f64([0.5, 1], true);
    const w = f64([2, 3], true);
    const before = expBackwardCalls;
    const loss = Exp.apply(x).sum().add(w.mul(w).sum());
    const [gw] = torch.autograd.grad(loss, [w], { retainGraph: true });
    assert.deepEqual(arr(gw), [4, 6]);
    assert.equal(expBackwardCalls, before, 'Exp.backward ran for a gradient nobody asked for');
    torch.autograd.grad(loss, [x]);
    assert.equal(expBackwardCalls, before + 1);
  });

  test('a captured non-leaf does not run its own backward; the walk stops at the inputs', () => {
    const x = f64([1, 2], true);
    let h = x;
    for (let i = 0; i < 200; i++) h = h.mul(1.01);
    const mid = h;
    const loss = mid.exp().sum();
    const v0 = engineStats.visited;
    const a0 = engineStats.applied;
    torch.autograd.grad(loss, [mid]);
    assert.ok(engineStats.visited - v0 <= 4, `visited ${engineStats.visited - v0} nodes`);
    assert.ok(engineStats.applied - a0 <= 2, `ran ${engineStats.applied - a0} backward functions`);
  });

  test('FuncOptimizer(adam), 500 steps with the default createGraph: the work per step stays flat', () => {
    torch.manualSeed(0);
    const F = torch.optim.functional;
    const x = torch.randn([8, 3], { dtype: 'float64' });
    const y = torch.randn([8, 1], { dtype: 'float64' });
    const opt = new F.FuncOptimizer(F.adam({ lr: 0.01 }));
    let p = { w: torch.randn([3, 1], { dtype: 'float64' }).requiresGrad_(), b: torch.zeros([1], { dtype: 'float64' }).requiresGrad_() };
    const visited: number[] = [];
    const kernels: number[] = [];
    for (let k = 0; k < 500; k++) {
      const v0 = engineStats.visited;
      const [, calls] = torch.countKernels(() => {
        p = opt.step(x.matmul(p.w).add(p.b).sub(y).pow(2).mean(), p);
      });
      visited.push(engineStats.visited - v0);
      kernels.push([...calls.values()].reduce((a, c) => a + c, 0));
    }
    // The graph keeps every step (for a meta-gradient), but a step touches only its own part.
    assert.equal(visited[499], visited[10], `nodes visited per step: ${visited[10]} at step 10, ${visited[499]} at step 499`);
    assert.equal(kernels[499], kernels[10], `kernel calls per step: ${kernels[10]} at step 10, ${kernels[499]} at step 499`);
  });
});
