// Typed errors. Every message names the function, the argument and the shapes or values involved.

/**
 * The base class of every error torchfn throws on bad input: catch it to handle them all; the
 * subclasses say which kind (shape, dtype, value, index, autograd, transform, device).
 */
export class TorchfnError extends Error {
  /** The class name, shown in messages and stack traces. */
  override name = 'TorchfnError';
}
/** Shapes that do not fit together (broadcasting, matmul, reshape, cat...). */
export class ShapeError extends TorchfnError {
  /** The class name, shown in messages and stack traces. */
  override name = 'ShapeError';
}
/** A dtype that the operation does not accept. */
export class DTypeError extends TorchfnError {
  /** The class name, shown in messages and stack traces. */
  override name = 'DTypeError';
}
/** An argument with a bad value (PyTorch's ValueError). */
export class ValueError extends TorchfnError {
  /** The class name, shown in messages and stack traces. */
  override name = 'ValueError';
}
/** A dimension or index outside its range (PyTorch's IndexError). */
export class IndexError extends TorchfnError {
  /** The class name, shown in messages and stack traces. */
  override name = 'IndexError';
}
/** Misuse of autograd (freed graph, non-scalar backward, in-place on a leaf...). */
export class AutogradError extends TorchfnError {
  /** The class name, shown in messages and stack traces. */
  override name = 'AutogradError';
}
/**
 * Something a transform cannot do (data-dependent control flow under vmap, random ops in 'error'
 * mode...).
 */
export class TransformError extends TorchfnError {
  /** The class name, shown in messages and stack traces. */
  override name = 'TransformError';
}

/**
 * A value of the wrong kind (PyTorch's TypeError), e.g. iterating over a 0-d tensor. Its `name` is
 * 'TypeError', as PyTorch's; the class has its own name so it does not shadow the global TypeError.
 */
export class TorchTypeError extends TorchfnError {
  /** The class name, shown in messages and stack traces. */
  override name = 'TypeError';
}

/** A shape as shown in error messages: `[2, 3]`. @example fmtShape([2, 3]) // '[2, 3]' */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
/** A user value as shown in error messages: JSON where possible (BigInts and symbols too), else String(). */
export function fmtValue(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : typeof x === 'symbol' ? x.toString() : x)) ?? String(v);
  } catch {
    try {
      return String(v);
    } catch {
      return Object.prototype.toString.call(v);
    }
  }
}
/** Tensors on different devices in one operation, or a device that cannot do what was asked. */
export class DeviceError extends TorchfnError {
  /** The class name, shown in messages and stack traces. */
  override name = 'DeviceError';
}

/**
 * Something torch.compile cannot trace: reading a traced tensor's values (data-dependent control
 * flow), a state change it cannot record, or a tensor captured from an enclosing transform.
 */
export class CompileError extends TorchfnError {
  /** The class name, shown in messages and stack traces. */
  override name = 'CompileError';
}
