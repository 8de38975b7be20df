// Turning user operands (tensors, numbers, booleans) into tensors of one dtype, with PyTorch's
// type promotion.
import { DTypeError } from '../core/errors.js';
import { promoteTypes, promoteWithScalar, toFloating, type DType } from '../core/dtype.js';
import { Tensor, deviceOf, scalar, lax, type Device } from '../primitives/index.js';

/**
 * An operand of the elementwise ops: a tensor, or a number or boolean taken as a 0-d tensor whose dtype
 * follows PyTorch's promotion rules.
 */
export type TensorLike = Tensor | number | boolean;

export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

export function resultDType(fn: string, a: TensorLike, b: TensorLike): DType {
  checkOperand(fn, a);
  checkOperand(fn, b);
  if (a instanceof Tensor) return b instanceof Tensor ? promoteTypes(a.dtype, b.dtype) : promoteWithScalar(a.dtype, b);
  if (b instanceof Tensor) return promoteWithScalar(b.dtype, a);
  throw new DTypeError(`${fn}(): expected at least one tensor operand, got ${typeof a} and ${typeof b}`);
}

/** A Tensor, a number or a boolean; anything else (null, a string, a BigInt, an array) is a DTypeError naming fn. */
export function checkOperand(fn: string, x: unknown): void {
  if (x instanceof Tensor || typeof x === 'number' || typeof x === 'boolean') return;
  throw new DTypeError(`${fn}(): expected a Tensor or a number, got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`);
}

/** x as a tensor of `dtype`; a number becomes a 0-d tensor on `device` (that of the tensor it meets). */
export function asTensor(x: TensorLike, dtype: DType, device: Device = 'cpu'): Tensor {
  if (x instanceof Tensor) return lax.cast(x, dtype);
  return scalar(typeof x === 'boolean' ? Number(x) : x, dtype, device);
}

export function checkTensor(fn: string, arg: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) {
    throw new DTypeError(`${fn}(): argument '${arg}' must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  }
  return x;
}

/** Both operands as tensors of their promoted dtype (floating when `float`). */
export function promote(fn: string, a: TensorLike, b: TensorLike, float = false): [Tensor, Tensor] {
  let d = resultDType(fn, a, b);
  if (float) d = toFloating(d);
  const device = a instanceof Tensor ? deviceOf(a) : b instanceof Tensor ? deviceOf(b) : 'cpu';
  return [asTensor(a, d, device), asTensor(b, d, device)];
}

export function floatOf(x: Tensor): Tensor {
  return lax.cast(x, toFloating(x.dtype));
}
