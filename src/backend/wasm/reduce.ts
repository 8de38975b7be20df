// Reductions (sum, prod, max, min) of float32/float64 as generated loops. As the reference, they
// accumulate in float64 (float32 lanes are widened), into a float64 accumulator per output element;
// the innermost dim runs in SIMD lanes either along a contiguous reduced run (lane accumulators,
// combined at the end of the run) or across contiguous outputs (a bias gradient's sum over the batch).
import { numel } from '../../core/shape.js';
import type { DType } from '../../core/dtype.js';
import type { ReduceOp, View } from '../backend.js';
import { simplify } from '../cpu/strided.js';
import { Fn, type Op } from './asm.js';
import { loadAsF64 } from './dtype_ops.js';
import { ELEM_BYTES, WasmBuf, acquire, free, settle, typed } from './buffers.js';
import { kernelFor } from './memory.js';

const RANK = 4;
const IDENTITY: Record<ReduceOp, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };
const V: Record<ReduceOp, Op> = { sum: 'f64x2.add', prod: 'f64x2.mul', max: 'f64x2.max', min: 'f64x2.min' };
const S: Record<ReduceOp, Op> = { sum: 'f64.add', prod: 'f64.mul', max: 'f64.max', min: 'f64.min' };

/** 'R' innermost dim reduced and contiguous, 'K' kept with contiguous input and accumulator, 'S' any other. */
type Mode = 'R' | 'K' | 'S';

/** Bytes 8-15 moved to 0-7: the high two f32 lanes become the low two, ready to widen. */
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];

const cache = new Map<string, (...a: number[]) => void>();


/**
 * kernel(acc, x, n0..n3, accStride0..3 (bytes), xStride0..3 (bytes)): acc[.] op= x[.] over the nest.
 * Pushes the two f64x2 halves of the vector at the address on the stack (float32: 4 lanes widened).
 */
function kernel(op: ReduceOp, dt: 'float32' | 'float64', mode: Mode): (...a: number[]) => void {
  return kernelFor(`reduce:${op}:${dt}:${mode}`, () => {
    const es = ELEM_BYTES[dt];
    const f = new Fn(new Array(2 + 3 * RANK).fill('i32'));
    const n = (d: number) => 2 + d;
    const sa = (d: number) => 2 + RANK + d;
    const sx = (d: number) => 2 + 2 * RANK + d;
    const idx = [0, 1, 2].map(() => f.local('i32'));
    const j = f.local('i32');
    const pa = f.local('i32');
    const px = f.local('i32');
    const vecEnd = f.local('i32');
    const acc0 = f.local('v128');
    const acc1 = f.local('v128');
    const v = f.local('v128');
    const s = f.local('f64');
    const vop = V[op];
    const sop = S[op];
    // Pushes the f64x2 halves of the vector at px: float64 one load, float32 two widened halves.
    const halves = (use: (lo: () => void, hi: () => void) => void) => {
      if (dt === 'float64') {
        use(() => f.get(px).mem('v128.load'), () => f.get(px).mem('v128.load', 16));
      } else {
        f.get(px).mem('v128.load').set(v);
        use(() => f.get(v).op('f64x2.promote_low_f32x4'), () => f.get(v).get(v).shuffle(HIGH_HALF).op('f64x2.promote_low_f32x4'));
      }
    };
    // Four elements per vector step: two f64x2 loads (float64) or one widened f32x4 (float32).
    const step = 4;
    if (mode !== 'S') f.get(n(3)).i32(-step).op('i32.and').set(vecEnd);
    else f.i32(0).set(vecEnd);
    f.nest(idx, n, () => {
      f.address(pa, 0, idx, sa);
      f.address(px, 1, idx, sx);
      if (mode === 'R') {
        f.f64(IDENTITY[op]).op('f64x2.splat').tee(acc0).set(acc1);
        f.forLoop(j, (g) => g.i32(0), (g) => g.get(vecEnd), step, () => {
          halves((lo, hi) => {
            f.get(acc0); lo(); f.op(vop).set(acc0);
            f.get(acc1); hi(); f.op(vop).set(acc1);
          });
          f.get(px).i32(step * es).op('i32.add').set(px);
        });
        // acc[pa] = acc[pa] op lanes... op tail
        f.get(acc0).get(acc1).op(vop).set(acc0);
        f.get(pa).mem('f64.load').get(acc0).lane('f64x2.extract_lane', 0).op(sop).get(acc0).lane('f64x2.extract_lane', 1).op(sop).set(s);
        f.forLoop(j, (g) => g.get(vecEnd), (g) => g.get(n(3)), 1, () => {
          f.get(s).get(px);
          loadAsF64(f, dt);
          f.op(sop).set(s);
          f.get(px).i32(es).op('i32.add').set(px);
        });
        f.get(pa).get(s).mem('f64.store');
        return;
      }
      if (mode === 'K') {
        f.forLoop(j, (g) => g.i32(0), (g) => g.get(vecEnd), step, () => {
          halves((lo, hi) => {
            f.get(pa).get(pa).mem('v128.load'); lo(); f.op(vop).mem('v128.store');
            f.get(pa).get(pa).mem('v128.load', 16); hi(); f.op(vop).mem('v128.store', 16);
          });
          f.get(px).i32(step * es).op('i32.add').set(px);
          f.get(pa).i32(32).op('i32.add').set(pa);
        });
      }
      f.forLoop(j, (g) => g.get(vecEnd), (g) => g.get(n(3)), 1, () => {
        f.get(pa).get(pa).mem('f64.load').get(px);
        loadAsF64(f, dt);
        f.op(sop).mem('f64.store');
        f.get(px).get(sx(3)).op('i32.add').set(px);
        f.get(pa).get(sa(3)).op('i32.add').set(pa);
      });
    });
    return f;
  }).k;
}

/** Row-major strides over the kept dims of `shape`, 0 on the reduced ones: where each element accumulates. */
export function accumulatorStrides(shape: readonly number[], axes: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1, st = 1; d >= 0; d--) {
    if (!axes.includes(d)) {
      strides[d] = st;
      st *= shape[d]!;
    }
  }
  return strides;
}

/**
 * acc[.] op= x[.] over x's elements, acc (float64, `accOffset` elements in) addressed by `accStrides`
 * over x's dims; false when the merged nest needs more dims than the kernels have. Both buffers must
 * be resident (the caller acquires them).
 */
export function accumulate(op: ReduceOp, acc: WasmBuf, accOffset: number, accStrides: readonly number[], x: View<WasmBuf>): boolean {
  const dt = x.dtype as 'float32' | 'float64';
  const sp = simplify(x.shape, [accStrides, x.strides]);
  if (sp.shape.length > RANK) return false;
  const es = ELEM_BYTES[dt];
  const pad = RANK - sp.shape.length;
  const dims = [...new Array<number>(pad).fill(1), ...sp.shape];
  const sA = [...new Array<number>(pad).fill(0), ...sp.strides[0]!].map((s) => s * 8);
  const sX = [...new Array<number>(pad).fill(0), ...sp.strides[1]!].map((s) => s * es);
  const mode: Mode = sX[RANK - 1] === es && sA[RANK - 1] === 0 ? 'R' : sX[RANK - 1] === es && sA[RANK - 1] === 8 ? 'K' : 'S';
  kernel(op, dt, mode)(acc.ptr + accOffset * 8, x.buf.ptr + x.offset * es, ...dims, ...sA, ...sX);
  return true;
}

/** The identity of op, the value a float64 accumulator starts from. */
export const identityOf = (op: ReduceOp): number => IDENTITY[op];

export function reduce(op: ReduceOp, x: View<WasmBuf>, axes: readonly number[], outDtype: DType): WasmBuf | null {
  const dt = x.dtype;
  if ((dt !== 'float32' && dt !== 'float64') || outDtype !== dt) return null;
  const shape = x.shape;
  if (numel(shape) === 0) return null; // the reference's identity / empty-dimension error
  const accStrides = accumulatorStrides(shape, axes);
  if (simplify(shape, [accStrides, x.strides]).shape.length > RANK) return null;
  const outSize = numel(shape.filter((_, d) => !axes.includes(d)));
  const acc = new WasmBuf('float64', outSize);
  const out = dt === 'float64' ? acc : new WasmBuf(dt, outSize);
  acquire([x.buf], dt === 'float64' ? [acc] : [acc, out]);
  typed(acc).fill(IDENTITY[op]);
  accumulate(op, acc, 0, accStrides, x);
  if (out !== acc) typed(out).set(typed(acc) as never);
  settle();
  if (out !== acc) free(acc);
  return out;
}
