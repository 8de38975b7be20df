// Reverse mode: grad, gradAndValue and vjp push a GradLevel; its wrappers record a graph that the
// shared backward engine walks, producing cotangents one level down (so grad(grad(f)) nests).
import { DTypeError, ValueError } from '../core/errors.js';
import { isFloating } from '../core/dtype.js';
import { treeDefEqual, treeFlatten, treeUnflatten } from '../core/pytree.js';
import { Tensor, full, lax, setGradEnabled, withLevel } from '../primitives/index.js';
import { GradLevel, makeGradWrapper } from '../transforms/levels_impl.js';
import { runBackward } from '../transforms/engine.js';
import {
  checkArgnums, checkAux, replaceArgs, selectArgs, splitAux, tensorLeaves, trailingOptions, unwrap, unwrapTree, type Argnums,
} from './wrap.js';

export interface GradOptions {
  argnums?: Argnums;
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
 * gradAndValue(f)(...args) = [grad, value] (or [grad, [value, aux]] with hasAux).
 * @example const [g, v] = torch.func.gradAndValue((x) => x.pow(2).sum())(x)
 */
export function gradAndValue(f: (...args: any[]) => unknown, opts: GradOptions = {}) {
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
      const grads = pullback([output], [full([], 1, output.dtype)], inputs, level);
      const g = treeUnflatten(def, grads);
      const value = unwrap(output, level);
      return [g, hasAux ? [value, unwrapTree(aux, level)] : value];
    });
  };
}

/**
 * The gradient of a scalar function w.r.t. argument(s) `argnums`.
 * @example torch.func.grad((x) => x.sin().sum())(x) // cos(x)
 * @example torch.func.grad(grad(f)) // any order
 */
export function grad(f: (...args: any[]) => unknown, opts: GradOptions = {}) {
  const gv = gradAndValue(f, opts);
  return (...args: unknown[]): any => {
    const [g, v] = gv(...args);
    return opts.hasAux ? [g, (v as unknown[])[1]] : g;
  };
}

export type VjpFn = (...cotangents: unknown[]) => unknown[];

/**
 * vjp(f, ...primals) = [output, vjpFn] (and aux with a trailing { hasAux: true }); vjpFn(cotangents)
 * returns one cotangent per primal.
 * @example const [out, vjpFn] = torch.func.vjp(torch.sin, x); const [gx] = vjpFn(torch.onesLike(x))
 */
export function vjp(f: (...args: any[]) => unknown, ...rest: unknown[]): any[] {
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
    const vjpFn: VjpFn = (...cotangents) => {
      const ct = cotangents.length === 1 ? cotangents[0] : cotangents;
      const [ctLeaves, ctDef] = treeFlatten(ct);
      if (!treeDefEqual(ctDef, outDef)) {
        throw new ValueError(`${fn}: Expected pytree structure of cotangents to be the same as pytree structure of outputs to the function.`);
      }
      ctLeaves.forEach((c, i) => {
        if (!(c instanceof Tensor)) throw new ValueError(`${fn}: Expected cotangents to be tensors, got ${typeof c}`);
        const o = outs[i]!;
        if (c.shape.length !== o.shape.length || c.shape.some((d, k) => d !== o.shape[k])) {
          throw new ValueError(`${fn}: Mismatch in shape: grad_output[${i}] has a shape of [${c.shape}] and output[${i}] has a shape of [${o.shape}].`);
        }
      });
      const grads = pullback(outs, ctLeaves as Tensor[], inputs, level);
      return treeUnflatten(def, grads) as unknown[];
    };
    const value = unwrapTree(output, level);
    return hasAux ? [value, vjpFn, unwrapTree(aux, level)] : [value, vjpFn];
  });
}
