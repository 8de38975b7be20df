// Making concrete tensors from backend buffers.
import type { DType, TypedArray } from '../core/dtype.js';
import { contiguousStrides, numel } from '../core/shape.js';
import { getBackend } from '../backend/index.js';
import { Storage, Tensor } from './value.js';

export function fromBuffer(buf: TypedArray, shape: number[], dtype: DType): Tensor {
  return Tensor.concrete(shape, dtype, new Storage(buf, getBackend()), contiguousStrides(shape), 0);
}

export function full(shape: number[], value: number, dtype: DType): Tensor {
  const buf = getBackend().alloc(dtype, numel(shape));
  if (value !== 0) buf.fill(dtype === 'bool' ? (value ? 1 : 0) : value);
  return fromBuffer(buf, shape, dtype);
}

/** A 0-d constant. */
export function scalar(value: number, dtype: DType): Tensor {
  return full([], value, dtype);
}

/** A view sharing x's storage with new geometry; remembers its base for in-place autograd. */
export function viewOf(x: Tensor, shape: number[], strides: number[], offset: number): Tensor {
  return Tensor.concrete(shape, x.dtype, x._storage!, strides, offset);
}
