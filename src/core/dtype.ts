// The four dtypes, their storage arrays, and PyTorch's type-promotion rules.
import { DTypeError, DeviceError } from './errors.js';

/** A tensor's element type. float32 is the default for floating-point data; bool is stored as bytes. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';
/** The typed array holding a dtype's elements on the host (Uint8Array of 0 / 1 for bool). */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** torch.float32, the 32-bit floating-point dtype (the default for floating-point data). */
export const float32: DType = 'float32';
/** torch.float64, the 64-bit floating-point dtype. */
export const float64: DType = 'float64';
/** torch.int32, the 32-bit integer dtype (integer-valued data defaults to it). */
export const int32: DType = 'int32';
/** torch.bool, the boolean dtype. */
export const bool: DType = 'bool';

export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

export function arrayFor(dtype: DType, size: number): TypedArray {
  try {
    switch (dtype) {
      case 'float32': return new Float32Array(size);
      case 'float64': return new Float64Array(size);
      case 'int32': return new Int32Array(size);
      case 'bool': return new Uint8Array(size);
    }
  } catch (e) {
    // Only a failed allocation of a sound size is the host's fault; a bad size is a caller's bug.
    if (!(e instanceof RangeError) || !Number.isSafeInteger(size) || size < 0) throw e;
    throw new DeviceError(`out of host memory allocating ${size} ${dtype} values (${e.message})`);
  }
}

export function isFloating(d: DType): boolean {
  return d === 'float32' || d === 'float64';
}

export function checkDType(fn: string, arg: string, d: unknown): DType {
  if (d === 'float32' || d === 'float64' || d === 'int32' || d === 'bool') return d;
  throw new DTypeError(`${fn}(): argument '${arg}' must be one of 'float32', 'float64', 'int32', 'bool', got ${String(d)}`);
}

const rank: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** Result dtype of two tensors (bool < int32 < float32 < float64). */
export function promoteTypes(a: DType, b: DType): DType {
  return rank[a] >= rank[b] ? a : b;
}

/** Category of a JS scalar operand: a number with a fractional part or non-finite counts as float. */
export function scalarKind(v: number | boolean): DType {
  if (typeof v === 'boolean') return 'bool';
  return Number.isInteger(v) ? 'int32' : 'float32';
}

/**
 * PyTorch's result_type for a tensor and a Python scalar: a scalar only raises the category, not the
 * width.
 */
export function promoteWithScalar(t: DType, v: number | boolean): DType {
  const s = scalarKind(v);
  if (rank[s] <= rank[t]) return t;
  if (s === 'float32') return 'float32';
  return s === 'int32' && t === 'bool' ? 'int32' : t;
}

/** The dtype a true division or a transcendental function computes in. */
export function toFloating(d: DType): DType {
  return isFloating(d) ? d : 'float32';
}

/** Appended to errors about index dtypes: numbers become float32, so say how to get integers. */
export const INT_HINT = "; make integer indices with torch.tensor([...], { dtype: 'int32' }) or an Int32Array";
