// Typed errors. Every message names the function, the argument and the shapes or values involved.

export class TorchfnError extends Error {
  override name = 'TorchfnError';
}
/** Shapes that do not fit together (broadcasting, matmul, reshape, cat...). */
export class ShapeError extends TorchfnError {
  override name = 'ShapeError';
}
/** A dtype that the operation does not accept. */
export class DTypeError extends TorchfnError {
  override name = 'DTypeError';
}
/** An argument with a bad value (PyTorch's ValueError). */
export class ValueError extends TorchfnError {
  override name = 'ValueError';
}
/** A dimension or index outside its range (PyTorch's IndexError). */
export class IndexError extends TorchfnError {
  override name = 'IndexError';
}
/** Misuse of autograd (freed graph, non-scalar backward, in-place on a leaf...). */
export class AutogradError extends TorchfnError {
  override name = 'AutogradError';
}
/** Something a transform cannot do (data-dependent control flow under vmap, random ops in 'error' mode...). */
export class TransformError extends TorchfnError {
  override name = 'TransformError';
}

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
/** Tensors on different devices in one operation, or a device that cannot do what was asked. */
export class DeviceError extends TorchfnError {
  override name = 'DeviceError';
}
