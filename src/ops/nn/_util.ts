// Argument checking shared by the nn.functional composites: tensor/dtype checks, int pairs, reductions.
import { DTypeError, ValueError, fmtShape, fmtValue } from '../../core/errors.js';
import { isFloating } from '../../core/dtype.js';
import { Tensor, readableNow } from '../../primitives/index.js';
import { checkTensor } from '../scalars.js';
import { mean, sum } from '../reduce.js';

/**
 * A size for both spatial dims (one number for both, or [height, width]), as PyTorch's int-or-tuple
 * arguments.
 */
export type Pair = number | [number, number];
/**
 * How a loss combines its per-element values: their 'mean' (the usual default), 'sum', or 'none'
 * (unreduced).
 */
export type Reduction = 'mean' | 'sum' | 'none';

/** A floating-point tensor argument, or a DTypeError naming the function and argument. */
export function floatArg(fn: string, arg: string, x: unknown): Tensor {
  const t = checkTensor(fn, arg, x);
  if (!isFloating(t.dtype)) {
    throw new DTypeError(`${fn}(): expected '${arg}' to be a floating point tensor, got ${t.dtype} of shape ${fmtShape(t.shape)}`);
  }
  return t;
}

/** An optional tensor argument that must have `dtype` (the dtype of the main input). */
export function optArg(fn: string, arg: string, x: Tensor | null | undefined, dtype: Tensor['dtype']): Tensor | null {
  if (x === undefined || x === null) return null;
  const t = checkTensor(fn, arg, x);
  if (t.dtype !== dtype) {
    throw new DTypeError(`${fn}(): expected '${arg}' to have dtype ${dtype} (the dtype of input), got ${t.dtype}`);
  }
  return t;
}

export function sameDType(fn: string, names: [string, string], a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new DTypeError(`${fn}(): expected ${names[0]} and ${names[1]} to have the same dtype, but got ${a.dtype} and ${b.dtype}`);
  }
}

/** A number or a pair of numbers as a pair, each checked to be an integer >= min. */
export function pair(fn: string, arg: string, v: Pair | undefined, dflt: [number, number], min: number): [number, number] {
  if (v === undefined || v === null) return dflt;
  const p: number[] = typeof v === 'number' ? [v, v] : Array.isArray(v) ? [...v] : [NaN];
  if (p.length !== 2 || p.some((d) => !Number.isInteger(d) || d < min)) {
    const what = min > 0 ? 'positive integers' : 'non-negative integers';
    throw new ValueError(`${fn}(): expected '${arg}' to be an int or a pair of ${what}, got ${fmtValue(v)}`);
  }
  return p as [number, number];
}

export function checkReduction(fn: string, reduction: string | undefined, extra: string[] = []): string {
  const r = reduction ?? 'mean';
  if (!['mean', 'sum', 'none', ...extra].includes(r)) {
    throw new ValueError(`${fn}(): ${String(reduction)} is not a valid value for reduction (expected one of ${['mean', 'sum', 'none', ...extra].map((s) => `'${s}'`).join(', ')})`);
  }
  return r;
}

/** Applies 'mean' | 'sum' | 'none' to an elementwise loss. */
export function reduce(loss: Tensor, reduction: string): Tensor {
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return sum(loss);
  return mean(loss);
}

/**
 * The values of t when they can be read without data-dependent control flow (not under vmap), for
 * argument checks such as index ranges; null under vmap and compile's tracing, and on a device the host
 * cannot read synchronously (webgpu: the library never waits for it behind the user's back), where such
 * checks are skipped.
 */
export function valuesIfConcrete(t: Tensor): ArrayLike<number> | null {
  let c: Tensor = t;
  while (c._level !== null) {
    if ((c._level.kind === 'batch' || c._level.kind === 'trace') && c._level.alive) return null;
    c = c._inner!;
  }
  if (!readableNow(c)) return null;
  return c.toArray();
}
