// Type-level tests of the public API: checked by `npm run test:types` (tsc), never run. Each
// expectTypeOf(...).toEqualTypeOf<...>() fails to compile when a type drifts, and each
// `@ts-expect-error` line fails when the types stop rejecting a misuse.
import { expectTypeOf } from 'expect-type';
import * as torch from '../../src/index.js';
import { Tensor, func, nn, optim, type NestedList } from '../../src/index.js';

declare const x: Tensor;
declare const y: Tensor;
declare const params: Record<string, Tensor>;
interface Lin {
  w: Tensor;
  b: Tensor;
}
declare const lin: Lin;
// expect-type compares a tuple of one object type twice ([R, R]) only with an alias for the element.
type S = { s: Tensor };

// ---- func.grad ----------------------------------------------------------------------------------

expectTypeOf(func.grad((a: Tensor) => a.sin().sum())).toEqualTypeOf<(a: Tensor) => Tensor>();
expectTypeOf(func.grad((a: Tensor) => a.sin().sum())(x)).toEqualTypeOf<Tensor>();
// argnums as a literal tuple: a tuple of the selected parameters' types.
expectTypeOf(func.grad((a: Tensor, b: Tensor) => a.mul(b).sum(), { argnums: [0, 1] })(x, y)).toEqualTypeOf<[Tensor, Tensor]>();
expectTypeOf(func.grad((a: Tensor, n: number, p: Lin) => a.mul(n).add(p.w).sum(), { argnums: [2, 0] })(x, 2, lin)).toEqualTypeOf<[Lin, Tensor]>();
expectTypeOf(func.grad((n: number, p: Lin) => p.w.mul(n).sum(), { argnums: 1 })(2, lin)).toEqualTypeOf<Lin>();
expectTypeOf(func.grad((n: number, p: Lin) => p.w.mul(n).sum(), { argnums: -1 })(2, lin)).toEqualTypeOf<Lin>();
// A dict (pytree) parameter: the gradient has the parameter's type.
expectTypeOf(func.grad((p: Record<string, Tensor>) => p.w!.sum())(params)).toEqualTypeOf<Record<string, Tensor>>();
expectTypeOf(func.grad((p: Lin, xb: Tensor) => p.w.matmul(xb).add(p.b).sum())(lin, x)).toEqualTypeOf<Lin>();
expectTypeOf(func.grad((ps: [Tensor, Tensor]) => ps[0].mul(ps[1]).sum())([x, y])).toEqualTypeOf<[Tensor, Tensor]>();
// hasAux: [grads, aux], aux typed from f's [output, aux].
expectTypeOf(func.grad((a: Tensor) => [a.pow(2).sum(), { mean: a.mean() }], { hasAux: true })(x)).toEqualTypeOf<[Tensor, { mean: Tensor }]>();
expectTypeOf(func.grad((a: Tensor, b: Tensor) => [a.mul(b).sum(), b], { argnums: [0, 1], hasAux: true })(x, y)).toEqualTypeOf<[[Tensor, Tensor], Tensor]>();
// Nesting keeps the types.
expectTypeOf(func.grad(func.grad((a: Tensor) => a.pow(3).sum()))(x)).toEqualTypeOf<Tensor>();
expectTypeOf(func.vmap(func.grad((p: Lin, xb: Tensor) => p.w.mul(xb).sum()), { inDims: [null, 0] })(lin, x)).toEqualTypeOf<Lin>();
// @ts-expect-error: a number where a Tensor is expected
func.grad((a: Tensor) => a.sum())(1.5);
// @ts-expect-error: too few arguments
func.grad((a: Tensor, b: Tensor) => a.mul(b).sum())(x);
// @ts-expect-error: f must return a Tensor
func.grad((a: Tensor) => a.sum().item());
// @ts-expect-error: with hasAux, f must return [output, aux]
func.grad((a: Tensor) => a.sum(), { hasAux: true });
// @ts-expect-error: argnums are numbers
func.grad((a: Tensor) => a.sum(), { argnums: ['0'] });

// ---- func.gradAndValue --------------------------------------------------------------------------

{
  const [g, v] = func.gradAndValue((a: Tensor) => a.pow(2).sum())(x);
  expectTypeOf(g.shape).toEqualTypeOf<number[]>();
  expectTypeOf(g).toEqualTypeOf<Tensor>();
  expectTypeOf(v).toEqualTypeOf<Tensor>();
  const [[ga, gb], v2] = func.gradAndValue((a: Tensor, b: Tensor) => a.mul(b).sum(), { argnums: [0, 1] })(x, y);
  expectTypeOf(ga).toEqualTypeOf<Tensor>();
  expectTypeOf(gb).toEqualTypeOf<Tensor>();
  expectTypeOf(v2).toEqualTypeOf<Tensor>();
  const [gp, [loss, aux]] = func.gradAndValue((p: Lin) => [p.w.sum(), [p.b, 1] as const], { hasAux: true })(lin);
  expectTypeOf(gp).toEqualTypeOf<Lin>();
  expectTypeOf(loss).toEqualTypeOf<Tensor>();
  expectTypeOf(aux).toEqualTypeOf<readonly [Tensor, 1]>();
}

// ---- func.vjp, func.jvp, func.linearize ---------------------------------------------------------

{
  const [out, vjpFn] = func.vjp((a: Tensor, b: Tensor) => a.mul(b), x, y);
  expectTypeOf(out).toEqualTypeOf<Tensor>();
  expectTypeOf(vjpFn).toEqualTypeOf<func.VjpFn<Tensor, [a: Tensor, b: Tensor]>>();
  expectTypeOf(vjpFn(x)).toEqualTypeOf<[a: Tensor, b: Tensor]>();
  // @ts-expect-error: the cotangent is shaped like the output (a Tensor)
  vjpFn([x, y]);

  const [out2, vjpFn2] = func.vjp((p: Lin) => [p.w.sin(), p.b.cos()], lin);
  expectTypeOf(out2).toEqualTypeOf<[Tensor, Tensor]>();
  expectTypeOf(vjpFn2([x, y])).toEqualTypeOf<[p: Lin]>();
  expectTypeOf(vjpFn2(x, y)).toEqualTypeOf<[p: Lin]>();
  // @ts-expect-error: one cotangent for a two-Tensor output
  vjpFn2(x);

  const [out3, vjpFn3, aux3] = func.vjp((a: Tensor) => [a.sin(), { c: a.cos() }], x, { hasAux: true });
  expectTypeOf(out3).toEqualTypeOf<Tensor>();
  expectTypeOf(aux3).toEqualTypeOf<{ c: Tensor }>();
  expectTypeOf(vjpFn3(x)).toEqualTypeOf<[a: Tensor]>();
  expectTypeOf(func.vjp(torch.sin, x)[1](x)).toEqualTypeOf<[Tensor]>();
  // @ts-expect-error: a number where a Tensor primal is expected
  func.vjp((a: Tensor) => a.sin(), 1);

  expectTypeOf(func.jvp((a: Tensor) => a.pow(2), [x], [y])).toEqualTypeOf<[Tensor, Tensor]>();
  expectTypeOf(func.jvp((a: Tensor, b: Tensor) => ({ s: a.add(b) }), [x, y], [y, x])).toEqualTypeOf<[S, S]>();
  expectTypeOf(func.jvp((a: Tensor) => [a.pow(2), a.sum()], [x], [y], { hasAux: true })).toEqualTypeOf<[Tensor, Tensor, Tensor]>();
  // @ts-expect-error: primals must be a tuple of f's arguments
  func.jvp((a: Tensor) => a.pow(2), [1], [y]);

  const [lo, jvpFn] = func.linearize((a: Tensor) => a.sin(), x);
  expectTypeOf(lo).toEqualTypeOf<Tensor>();
  expectTypeOf(jvpFn).toEqualTypeOf<(a: Tensor) => Tensor>();
}

// ---- func.jacrev, func.jacfwd, func.hessian -----------------------------------------------------

expectTypeOf(func.jacrev((a: Tensor) => a.sin())(x)).toEqualTypeOf<Tensor>();
expectTypeOf(func.jacfwd((a: Tensor) => a.sin())(x)).toEqualTypeOf<Tensor>();
expectTypeOf(func.jacrev(torch.sin)(x)).toEqualTypeOf<Tensor>();
expectTypeOf(func.jacrev((a: Tensor, b: Tensor) => a.mul(b), { argnums: [0, 1] })(x, y)).toEqualTypeOf<[Tensor, Tensor]>();
expectTypeOf(func.jacfwd((a: Tensor, b: Tensor) => a.mul(b), { argnums: 1 })(x, y)).toEqualTypeOf<Tensor>();
// Output structure outside, input structure inside: jac[out][in].
expectTypeOf(func.jacrev((p: Lin) => [p.w.sin(), p.b.sum()])(lin)).toEqualTypeOf<[Lin, Lin]>();
expectTypeOf(func.jacfwd((a: Tensor) => ({ s: a.sin(), c: a.cos() }))(x)).toEqualTypeOf<{ s: Tensor; c: Tensor }>();
expectTypeOf(func.jacrev((a: Tensor, b: Tensor) => ({ s: a.add(b) }), { argnums: [0, 1] })(x, y)).toEqualTypeOf<{ s: [Tensor, Tensor] }>();
expectTypeOf(func.jacrev((a: Tensor) => [a.sin(), { n: a.sum() }], { hasAux: true })(x)).toEqualTypeOf<[Tensor, { n: Tensor }]>();
expectTypeOf(func.hessian((a: Tensor) => a.pow(3).sum())(x)).toEqualTypeOf<Tensor>();
expectTypeOf(func.hessian((p: Lin) => p.w.pow(3).sum().add(p.b.sum()))(lin)).toEqualTypeOf<{ w: Lin; b: Lin }>();
expectTypeOf(func.hessian((a: Tensor, b: Tensor) => a.mul(b).sum(), { argnums: [0, 1] })(x, y)).toEqualTypeOf<[[Tensor, Tensor], [Tensor, Tensor]]>();
expectTypeOf(func.jacrev(func.jacfwd((a: Tensor) => a.sin()))(x)).toEqualTypeOf<Tensor>();
// @ts-expect-error: a number where a Tensor is expected
func.jacrev((a: Tensor) => a.sin())(2);

// ---- func.vmap, func.functionalize --------------------------------------------------------------

expectTypeOf(func.vmap((a: Tensor, b: Tensor) => a.dot(b))).toEqualTypeOf<(a: Tensor, b: Tensor) => Tensor>();
expectTypeOf(func.vmap((p: Lin, a: Tensor) => ({ y: p.w.mul(a) }), { inDims: [null, 0] })(lin, x)).toEqualTypeOf<{ y: Tensor }>();
expectTypeOf(func.functionalize((a: Tensor) => a.mul(2))(x)).toEqualTypeOf<Tensor>();
// @ts-expect-error: a number where a Tensor is expected
func.vmap((a: Tensor) => a.sin())(1);

// ---- nn.Module: call, functionalCall, hooks -----------------------------------------------------

class MLP extends nn.Module {
  fc1 = new nn.Linear(4, 8);
  fc2 = new nn.Linear(8, 2);
  override forward(a: Tensor, scale: number): { logits: Tensor; hidden: Tensor } {
    const hidden = this.fc1.call(a).relu();
    return { logits: this.fc2.call(hidden).mul(scale), hidden };
  }
}
const mlp = new MLP();
const linear = new nn.Linear(4, 2);
const seq = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
const mha = new nn.MultiheadAttention(8, 2);

expectTypeOf(linear.call(x)).toEqualTypeOf<Tensor>();
expectTypeOf(seq.call(x)).toEqualTypeOf<Tensor>();
expectTypeOf(mlp.call(x, 2)).toEqualTypeOf<{ logits: Tensor; hidden: Tensor }>();
expectTypeOf(mha.call(x, x, x)).toEqualTypeOf<[Tensor, Tensor | null]>();
expectTypeOf(new nn.Bilinear(2, 3, 4).call(x, y)).toEqualTypeOf<Tensor>();
expectTypeOf(new nn.MaxPool2d(2).call(x)).toEqualTypeOf<Tensor>();
expectTypeOf(new nn.MaxPool2d(2, { returnIndices: true }).call(x)).not.toEqualTypeOf<Tensor>();
// A module whose type is only nn.Module: its output is unknown, never any.
declare const someModule: nn.Module;
expectTypeOf(someModule.call(x)).toEqualTypeOf<unknown>();
expectTypeOf(func.functionalCall(someModule, params, x)).toEqualTypeOf<unknown>();
// @ts-expect-error: Linear takes a Tensor
linear.call(1);
// @ts-expect-error: MLP.forward needs its scale
mlp.call(x);

expectTypeOf(func.functionalCall(linear, params, x)).toEqualTypeOf<Tensor>();
expectTypeOf(func.functionalCall(linear, params, [x])).toEqualTypeOf<Tensor>();
expectTypeOf(func.functionalCall(seq, [params, params], x)).toEqualTypeOf<Tensor>();
expectTypeOf(func.functionalCall(mlp, params, [x, 2])).toEqualTypeOf<{ logits: Tensor; hidden: Tensor }>();
// @ts-expect-error: MLP's arguments are (Tensor, number)
func.functionalCall(mlp, params, [x, x]);
{
  const [stacked, buffers] = func.stackModuleState([linear, new nn.Linear(4, 2)]);
  expectTypeOf(stacked).toEqualTypeOf<Record<string, Tensor>>();
  const ensemble = func.vmap((p: Record<string, Tensor>, b: Record<string, Tensor>, a: Tensor) => func.functionalCall(linear, [p, b], a), { inDims: [0, 0, null] });
  expectTypeOf(ensemble(stacked, buffers, x)).toEqualTypeOf<Tensor>();
}

linear.registerForwardHook((m, args, out) => {
  expectTypeOf(m).toEqualTypeOf<nn.Linear>();
  expectTypeOf(args[0]).toEqualTypeOf<Tensor>();
  expectTypeOf(out).toEqualTypeOf<Tensor>();
  return out.mul(2);
});
mha.registerForwardHook((_m, _args, out) => {
  expectTypeOf(out).toEqualTypeOf<[Tensor, Tensor | null]>();
});
mlp.registerForwardHook((_m, args, out) => {
  expectTypeOf(args).toEqualTypeOf<[a: Tensor, scale: number]>();
  expectTypeOf(out).toEqualTypeOf<{ logits: Tensor; hidden: Tensor }>();
});
mlp.registerForwardHook((_m, _args, _kwargs, out) => {
  expectTypeOf(out).toEqualTypeOf<{ logits: Tensor; hidden: Tensor }>();
}, { withKwargs: true });
linear.registerForwardHook((_m, _args, out) => {
  expectTypeOf(out).toEqualTypeOf<Tensor | undefined>(); // no output when forward threw
}, { alwaysCall: true });
// @ts-expect-error: a forward hook's new output must have the forward's type
linear.registerForwardHook(() => 3);
linear.registerForwardPreHook((_m, [a]) => {
  expectTypeOf(a).toEqualTypeOf<Tensor>();
  return [a.mul(0.5)];
});
linear.registerFullBackwardHook((m, gradInput, gradOutput) => {
  expectTypeOf(m).toEqualTypeOf<nn.Linear>();
  expectTypeOf(gradInput).toEqualTypeOf<(Tensor | null)[]>();
  expectTypeOf(gradOutput).toEqualTypeOf<(Tensor | null)[]>();
});
linear.registerFullBackwardPreHook((_m, gradOutput) => gradOutput.map((g) => g && g.clamp(-1, 1)));
// A module of unknown type: the output of its forward is unknown (a hook may still annotate it).
nn.modules.registerModuleForwardHook((m, args, out) => {
  expectTypeOf(m).toEqualTypeOf<nn.Module>();
  expectTypeOf(args).toEqualTypeOf<unknown[]>();
  expectTypeOf(out).toEqualTypeOf<unknown>();
});
nn.modules.registerModuleForwardHook((_m, _args, out: Tensor) => out.mul(2));

// ---- Tensor ---------------------------------------------------------------------------------------

expectTypeOf(x.tolist()).not.toBeUnknown();
expectTypeOf(x.tolist()).toEqualTypeOf<NestedList>();
expectTypeOf(x.item()).toEqualTypeOf<number>();
expectTypeOf(x.shape).toEqualTypeOf<number[]>();
expectTypeOf(torch.autograd.grad(x.sum(), [x, y])).toEqualTypeOf<(Tensor | null)[]>();

// ---- optim ------------------------------------------------------------------------------------------

{
  const tx = optim.functional.adam({ lr: 0.1 });
  const state = tx.init(lin);
  const [updates] = tx.update(lin, state, lin);
  expectTypeOf(updates).toEqualTypeOf<Lin>();
  expectTypeOf(optim.functional.applyUpdates(lin, updates)).toEqualTypeOf<Lin>();
  expectTypeOf(optim.functional.vmapDims(lin)).toEqualTypeOf<{ w: number; b: number }>();
  expectTypeOf(optim.functional.vmapDims({ count: 0, mu: [x, y] })).toEqualTypeOf<{ count: null; mu: number[] }>();
  const opt = new optim.functional.FuncOptimizer(tx);
  expectTypeOf(opt.step(x.sum(), lin)).toEqualTypeOf<Lin>();
}

// ---- torch.compile ------------------------------------------------------------------------------

{
  const f = torch.compile((a: Tensor, n: number) => a.mul(n));
  expectTypeOf(f(x, 2)).toEqualTypeOf<Tensor>();
  expectTypeOf(f.compileInfo.compiled).toEqualTypeOf<number>();
  // @ts-expect-error a compiled function keeps its parameter types
  f('x', 2);
  const seq = new nn.Linear(2, 3);
  expectTypeOf(torch.compile(seq)).parameter(0).toEqualTypeOf<Tensor>();
  expectTypeOf(torch.compile(func.grad((a: Tensor) => a.sum()))(x)).toEqualTypeOf<Tensor>();
  expectTypeOf(torch.aotFunction((a: Tensor) => [a, a] as const)(x)).toEqualTypeOf<readonly [Tensor, Tensor]>();
}

// ---- devices ------------------------------------------------------------------------------------

{
  expectTypeOf(x.device).toEqualTypeOf<torch.Device>();
  expectTypeOf(x.to('webgpu')).toEqualTypeOf<Tensor>();
  expectTypeOf(x.to({ device: 'cpu', dtype: 'float32' })).toEqualTypeOf<Tensor>();
  expectTypeOf(x.data()).toEqualTypeOf<Promise<Float32Array | Float64Array | Int32Array | Uint8Array>>();
  expectTypeOf(x.itemAsync()).toEqualTypeOf<Promise<number>>();
  expectTypeOf(torch.webgpu.init()).toEqualTypeOf<Promise<boolean>>();
  expectTypeOf(torch.zeros([2], { device: 'webgpu' })).toEqualTypeOf<Tensor>();
  const m = new nn.Linear(2, 3);
  expectTypeOf(m.to('webgpu')).toEqualTypeOf<nn.Linear>();
  // @ts-expect-error devices are 'cpu' and 'webgpu'
  torch.zeros([2], { device: 'cuda' });
  // @ts-expect-error devices are 'cpu' and 'webgpu'
  x.to('cuda');
}
