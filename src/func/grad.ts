// Reverse mode: grad, gradAndValue and vjp push a GradLevel; its wrappers record a graph that the
// shared backward engine walks, producing cotangents one level down (so grad(grad(f)) nests).
import { checkOptions } from '../core/options.js';
import { DTypeError, ValueError, fmtShape } from '../core/errors.js';
import { isFloating } from '../core/dtype.js';
import { treeDefEqual, treeFlatten, treeUnflatten } from '../core/pytree.js';
import { Tensor, deviceOf, full, lax, setGradEnabled, withLevel } from '../primitives/index.js';
import { GradLevel, makeGradWrapper } from '../transforms/levels_impl.js';
import { runBackward } from '../transforms/engine.js';
import {
  checkArgnums, checkAux, replaceArgs, selectArgs, splitAux, tensorLeaves, trailingOptions, unwrap, unwrapTree, type Argnums,
} from './wrap.js';
import type { Cotangents, SelectArgs, TreeLike } from './types.js';

/**
 * Options of {@link grad} and {@link gradAndValue}.
 * @typeParam N - the type of `argnums`; a literal (`1`, `[0, 2]`) types the result precisely.
 */
export interface GradOptions<N extends Argnums = Argnums> {
  /**
   * Which positional arguments to differentiate: one index (default 0), giving one gradient, or a
   * tuple of indices, giving a tuple of gradients. Negative indices count from the end.
   */
  argnums?: N;
  /** f returns `[output, aux]`; aux is passed through (undifferentiated) next to the gradient. */
  hasAux?: boolean;
}

/** Runs fn at a fresh GradLevel with grad mode on (grad ignores an outer noGrad, as torch.func). */
function atGradLevel<R>(fn: (level: GradLevel) => R): R {
  return withLevel(new GradLevel(), (level) => {
    const prev = setGradEnabled(true);
    try {
      return fn(level);
    } finally {
      setGradEnabled(prev);
    }
  });
}

function leafInputs(fn: string, level: GradLevel, leaves: Tensor[]): Tensor[] {
  return leaves.map((l) => {
    if (!isFloating(l.dtype)) {
      throw new DTypeError(`${fn}: only Tensors of floating point dtype can require gradients, got an input of dtype ${l.dtype}`);
    }
    const w = makeGradWrapper(level, l);
    w._requiresGrad = true;
    return w;
  });
}

/** Cotangents for `inputs` given output cotangents; zeros where an input is unused. */
function pullback(outs: Tensor[], cts: Tensor[], inputs: Tensor[], level: GradLevel): Tensor[] {
  const roots: Tensor[] = [];
  const seeds: Tensor[] = [];
  outs.forEach((o, i) => {
    if (o._level === level && o._requiresGrad) {
      roots.push(o);
      seeds.push(cts[i]!);
    }
  });
  const got = roots.length
    ? runBackward(roots, seeds, { inputs, allowUnused: true, createGraph: true, retainGraph: true, fn: 'vjp' })
    : inputs.map(() => null);
  return got.map((g, i) => g ?? lax.zerosLike(inputs[i]!._inner!));
}

/**
 * `gradAndValue(f)(...args)` is `[grads, value]`: the gradient of the scalar function f with
 * respect to the arguments `argnums` (structured like those arguments: a Tensor, a pytree, or a
 * tuple of them for tuple argnums) and f's value, from one evaluation (torch.func.grad_and_value).
 * With `hasAux: true`, f returns `[output, aux]` and the result is `[grads, [output, aux]]`.
 * @example
 * const [g, v] = torch.func.gradAndValue((x: Tensor) => x.pow(2).sum())(x); // g = 2x, v = Σx²
 * @example
 * const [[ga, gb], v] = torch.func.gradAndValue((a: Tensor, b: Tensor) => a.mul(b).sum(), { argnums: [0, 1] })(a, b);
 * @example
 * const [g, [loss, logits]] = torch.func.gradAndValue((p: Params) => [lossOf(p), logitsOf(p)], { hasAux: true })(params);
 * @typeParam A - f's parameter types; the returned function takes the same arguments.
 * @typeParam N - the type of `argnums` (default 0); a literal index or tuple of indices.
 * @typeParam Aux - the type of the aux value f returns with `hasAux: true`.
 * @typeParam R - f's output type (a scalar Tensor).
 */
export function gradAndValue<A extends any[], R extends Tensor, Aux, const N extends Argnums = 0>(
  f: (...args: A) => readonly [R, Aux],
  opts: GradOptions<N> & { hasAux: true },
): (...args: A) => [SelectArgs<A, N>, [R, Aux]];
export function gradAndValue<A extends any[], R extends Tensor, const N extends Argnums = 0>(
  f: (...args: A) => R,
  opts?: GradOptions<N> & { hasAux?: false },
): (...args: A) => [SelectArgs<A, N>, R];
export function gradAndValue(f: (...args: any[]) => unknown, opts: GradOptions = {}): (...args: any[]) => [unknown, unknown] {
  return gradAndValueImpl(f, opts);
}

/** gradAndValue with untyped arguments and result, for grad. */
function gradAndValueImpl(f: (...args: any[]) => unknown, opts: GradOptions): (...args: unknown[]) => [unknown, unknown] {
  checkOptions('grad()', opts, ['argnums', 'hasAux']);
  const argnums = opts.argnums ?? 0;
  const hasAux = opts.hasAux ?? false;
  const fn = 'grad_and_value(f)(*args)';
  return (...args: unknown[]): [unknown, unknown] => {
    const idx = checkArgnums(fn, argnums, args.length);
    return atGradLevel((level) => {
      const [leaves, def] = tensorLeaves(fn, selectArgs(args, argnums, idx));
      const inputs = leafInputs(fn, level, leaves);
      const out = f(...replaceArgs(args, argnums, idx, treeUnflatten(def, inputs)));
      const [output, aux] = splitAux(fn, out, hasAux);
      if (!(output instanceof Tensor)) {
        throw new ValueError(`${fn}: Expected f(*args) to return a Tensor, got ${output === null ? 'null' : typeof output}`);
      }
      if (output.ndim !== 0) {
        throw new ValueError(
          `${fn}: Expected f(*args) to return a scalar Tensor, got tensor with ${output.ndim} dims. Maybe you wanted to use the vjp or jacrev APIs instead?`,
        );
      }
      if (hasAux) checkAux(fn, aux);
      const grads = pullback([output], [full([], 1, output.dtype, deviceOf(output))], inputs, level);
      const g = treeUnflatten(def, grads);
      const value = unwrap(output, level);
      return [g, hasAux ? [value, unwrapTree(aux, level)] : value];
    });
  };
}

/**
 * The gradient of a scalar function with respect to its argument(s) `argnums` (torch.func.grad).
 * `grad(f)` takes f's arguments; its result has the structure of the differentiated arguments: with
 * the default `argnums: 0` the type of f's first parameter (a Tensor, or the same pytree of Tensors,
 * such as a dict of parameters), with a tuple `argnums: [0, 2]` a tuple of those parameters' types.
 * With `hasAux: true`, f returns `[output, aux]` and `grad(f)` returns `[grads, aux]`.
 * Transforms nest to any order: `grad(grad(f))`, `vmap(grad(f))`, `jacrev(grad(f))`.
 * @example
 * torch.func.grad((x: Tensor) => x.sin().sum())(x) // cos(x), a Tensor
 * @example
 * const [gx, gy] = torch.func.grad((x: Tensor, y: Tensor) => x.mul(y).sum(), { argnums: [0, 1] })(x, y);
 * @example
 * const g = torch.func.grad((p: Record<string, Tensor>) => loss(p))(params); // Record<string, Tensor>
 * @example
 * torch.func.grad(torch.func.grad((x: Tensor) => x.pow(3)))(x) // 6x
 * @typeParam A - f's parameter types; the returned function takes the same arguments.
 * @typeParam N - the type of `argnums` (default 0); a literal index or tuple of indices.
 * @typeParam Aux - the type of the aux value f returns with `hasAux: true`.
 */
export function grad<A extends any[], Aux, const N extends Argnums = 0>(
  f: (...args: A) => readonly [Tensor, Aux],
  opts: GradOptions<N> & { hasAux: true },
): (...args: A) => [SelectArgs<A, N>, Aux];
export function grad<A extends any[], const N extends Argnums = 0>(
  f: (...args: A) => Tensor,
  opts?: GradOptions<N> & { hasAux?: false },
): (...args: A) => SelectArgs<A, N>;
export function grad(f: (...args: any[]) => unknown, opts: GradOptions = {}): (...args: any[]) => unknown {
  const gv = gradAndValueImpl(f, opts);
  return (...args: unknown[]): unknown => {
    const [g, v] = gv(...args);
    return opts.hasAux ? [g, (v as unknown[])[1]] : g;
  };
}

/**
 * The pullback returned by {@link vjp}: given cotangents shaped like f's output (one argument; for a
 * tuple output also one argument per element), returns one cotangent per primal, as a tuple shaped
 * like the primals.
 * @typeParam Out - f's output type.
 * @typeParam Primals - the types of the primals, in order.
 * @example const [gx, gy] = vjpFn(torch.onesLike(out));
 */
export type VjpFn<Out = unknown, Primals extends readonly unknown[] = unknown[]> = (...cotangents: Cotangents<Out>) => Primals;

/**
 * `vjp(f, ...primals)` is `[output, vjpFn]`: f's output at the primals and its pullback, the
 * vector-Jacobian product (torch.func.vjp). `vjpFn(cotangents)` takes cotangents shaped like the
 * output and returns a tuple with one cotangent per primal, each shaped like that primal. With a
 * trailing `{ hasAux: true }`, f returns `[output, aux]` and the result is `[output, vjpFn, aux]`.
 * @example
 * const [out, vjpFn] = torch.func.vjp(torch.sin, x);
 * const [gx] = vjpFn(torch.onesLike(x)); // cos(x)
 * @example
 * const [out, vjpFn, aux] = torch.func.vjp((x: Tensor) => [x.sin(), x.cos()], x, { hasAux: true });
 * @typeParam P - the primals' types (f's parameter types), also the type of vjpFn's result.
 * @typeParam R - f's output type, also the type of the cotangent vjpFn takes.
 * @typeParam Aux - the type of the aux value f returns with `hasAux: true`.
 */
export function vjp<P extends any[], R extends TreeLike, Aux>(
  f: (...args: P) => readonly [R, Aux],
  ...rest: [...primals: P, opts: { hasAux: true }]
): [R, VjpFn<R, P>, Aux];
export function vjp<P extends any[], R extends TreeLike>(f: (...args: P) => R, ...primals: P): [R, VjpFn<R, P>];
export function vjp(f: (...args: any[]) => unknown, ...rest: unknown[]): unknown[] {
  return vjpImpl(f, rest);
}

/** vjp with untyped arguments and result, for the other transforms (jacrev). @internal */
export function vjpImpl(f: (...args: any[]) => unknown, rest: unknown[]): [unknown, VjpFn, unknown?] {
  const [primals, opts] = trailingOptions<{ hasAux: boolean }>(rest, ['hasAux']);
  const hasAux = opts.hasAux ?? false;
  const fn = 'vjp(f, *primals)';
  return atGradLevel((level) => {
    const [leaves, def] = tensorLeaves(fn, primals);
    const inputs = leafInputs(fn, level, leaves);
    const out = f(...(treeUnflatten(def, inputs) as unknown[]));
    const [output, aux] = splitAux(fn, out, hasAux);
    const [outLeaves, outDef] = treeFlatten(output);
    if (outLeaves.length === 0) throw new ValueError(`${fn}: Expected f to be a function that has non-empty output (got ${String(output)})`);
    for (const o of outLeaves) {
      if (!(o instanceof Tensor)) throw new ValueError(`${fn}: Expected f(*primals) to return only tensors, got unsupported type ${typeof o}`);
      if (!isFloating(o.dtype)) throw new ValueError(`${fn}: All outputs of f must be floating-point or complex Tensors, got Tensor with dtype ${o.dtype}`);
    }
    if (hasAux) checkAux(fn, aux);
    const outs = outLeaves as Tensor[];
    const vjpFn: VjpFn = (...cotangents: unknown[]) => {
      const ct = cotangents.length === 1 ? cotangents[0] : cotangents;
      const [ctLeaves, ctDef] = treeFlatten(ct);
      if (!treeDefEqual(ctDef, outDef)) {
        throw new ValueError(`${fn}: Expected pytree structure of cotangents to be the same as pytree structure of outputs to the function.`);
      }
      ctLeaves.forEach((c, i) => {
        if (!(c instanceof Tensor)) throw new ValueError(`${fn}: Expected cotangents to be tensors, got ${typeof c}`);
        const o = outs[i]!;
        if (c.shape.length !== o.shape.length || c.shape.some((d, k) => d !== o.shape[k])) {
          throw new ValueError(`${fn}: Mismatch in shape: grad_output[${i}] has a shape of ${fmtShape(c.shape)} and output[${i}] has a shape of ${fmtShape(o.shape)}.`);
        }
      });
      const grads = pullback(outs, ctLeaves as Tensor[], inputs, level);
      return treeUnflatten(def, grads) as unknown[];
    };
    const value = unwrapTree(output, level);
    return hasAux ? [value, vjpFn, unwrapTree(aux, level)] : [value, vjpFn];
  });
}
