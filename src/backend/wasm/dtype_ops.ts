// How each dtype is loaded, stored and held as a scalar in generated code (bool is one byte in
// memory and an i32 0/1 on the stack).
import type { DType } from '../../core/dtype.js';
import type { Fn, MemOp, ValType } from './asm.js';

export const LOAD: Record<DType, MemOp> = { float32: 'f32.load', float64: 'f64.load', int32: 'i32.load', bool: 'i32.load8_u' };
export const STORE: Record<DType, MemOp> = { float32: 'f32.store', float64: 'f64.store', int32: 'i32.store', bool: 'i32.store8' };
export const SCALAR: Record<DType, ValType> = { float32: 'f32', float64: 'f64', int32: 'i32', bool: 'i32' };

/** Loads the element at the address on the stack as an f64 (the reductions' accumulator type). */
export function loadAsF64(f: Fn, dt: DType): void {
  f.mem(LOAD[dt]);
  if (dt === 'float32') f.op('f64.promote_f32');
  else if (dt !== 'float64') f.op('f64.convert_i32_s');
}
