// nn.Parameter: a leaf tensor that a Module registers as a parameter when assigned to an attribute.
// A Parameter is a plain torchfn Tensor (usable by every op) remembered in a WeakSet, so
// `x instanceof nn.Parameter` and `nn.isParameter(x)` work without a subclass.
import { isFloating } from '../core/dtype.js';
import { DTypeError, TransformError } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import { zeros } from '../ops/creation.js';
import { parameterTensors } from '../ops/format.js';

// The set the printer reads too, so a Parameter prints as "Parameter containing:".
const marked = parameterTensors;

declare const parameterBrand: unique symbol;

/** A Tensor marked as a module parameter (a leaf; requiresGrad true by default). */
export type Parameter = Tensor & {
  /** Type-only brand telling a Parameter from a plain Tensor; no such property exists at run time. */
  readonly [parameterBrand]: true;
};

/** The type of `nn.Parameter`: callable with or without `new`, and usable with `instanceof`. */
export interface ParameterConstructor {
  /** A parameter sharing `data`'s storage (default: an empty tensor); `requiresGrad` defaults to true. */
  (data?: Tensor, requiresGrad?: boolean): Parameter;
  /** The same as calling `nn.Parameter(data, requiresGrad)`. */
  new (data?: Tensor, requiresGrad?: boolean): Parameter;
  /** `x instanceof nn.Parameter`: whether x was made by nn.Parameter. */
  [Symbol.hasInstance](x: unknown): boolean;
}

/** True when `x` was made by `nn.Parameter`. @example nn.isParameter(lin.weight) // true */
export function isParameter(x: unknown): x is Parameter {
  return x instanceof Tensor && marked.has(x);
}

/**
 * nn.Parameter(data, requiresGrad = true): a leaf tensor sharing `data`'s storage, marked as a
 * parameter. Callable with or without `new`; assigning one to a Module attribute registers it.
 * @example
 * this.scale = nn.Parameter(torch.ones([3]));
 * const frozen = new nn.Parameter(torch.zeros([2]), false);
 */
export const Parameter = function Parameter(data?: Tensor, requiresGrad = true): Parameter {
  const src = data ?? zeros([0]);
  if (!(src instanceof Tensor)) {
    throw new DTypeError(`Parameter(): argument 'data' must be a Tensor, got ${src === null ? 'null' : typeof src}`);
  }
  if (src._level !== null && src._level.alive) {
    throw new TransformError('Parameter(): cannot make a Parameter from a tensor that lives inside a torch.func transform; create parameters outside the transform');
  }
  if (requiresGrad && !isFloating(src.dtype)) {
    throw new DTypeError(`Parameter(): Only Tensors of floating point dtype can require gradients (got ${src.dtype})`);
  }
  const p = src.detach();
  p._requiresGrad = requiresGrad;
  marked.add(p);
  return p as Parameter;
} as unknown as ParameterConstructor;

Object.defineProperty(Parameter, Symbol.hasInstance, { value: (x: unknown) => isParameter(x) });
