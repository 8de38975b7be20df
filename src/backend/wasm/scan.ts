// Kernels that walk one axis per output position: argmax / argmin (the first extreme; a NaN wins, as
// the reference) and cumsum (accumulated in float64, as the reference). The axis becomes the
// innermost loop; the other dims (up to 5) are the outer loops.
import type { DType } from '../../core/dtype.js';
import { contiguousStrides, numel } from '../../core/shape.js';
import type { View } from '../backend.js';
import { Fn } from './asm.js';
import { STORE, loadAsF64 } from './dtype_ops.js';
import { ELEM_BYTES, SMALL_BYTES, WasmBuf, acquire, settle } from './buffers.js';
import { kernelFor } from './memory.js';

type Kind = 'argmax' | 'argmin' | 'cumsum';
const OUTER = 5;
const cache = new Map<string, (...a: number[]) => void>();


/** k(out, x, n0..n4, len, out strides (5 outer + axis), x strides (5 outer + axis)), strides in bytes. */
function kernel(kind: Kind, inDt: DType, outDt: DType): (...a: number[]) => void {
  return kernelFor(`scan:${kind}:${inDt}:${outDt}`, () => {
    const f = new Fn(new Array(2 + (OUTER + 1) * 3).fill('i32'));
    const n = (d: number) => 2 + d;
    const so = (d: number) => 2 + OUTER + 1 + d;
    const sx = (d: number) => 2 + 2 * (OUTER + 1) + d;
    const idx = Array.from({ length: OUTER }, () => f.local('i32'));
    const i = f.local('i32');
    const po = f.local('i32');
    const px = f.local('i32');
    const best = f.local('f64');
    const arg = f.local('i32');
    const v = f.local('f64');
    f.nest(idx, n, () => {
      f.address(po, 0, idx, so);
      f.address(px, 1, idx, sx);
      f.f64(kind === 'argmax' ? -Infinity : kind === 'argmin' ? Infinity : 0).set(best);
      f.i32(0).set(arg);
      f.forLoop(i, (g) => g.i32(0), (g) => g.get(n(OUTER)), 1, () => {
        f.get(px);
        loadAsF64(f, inDt);
        f.set(v);
        if (kind === 'cumsum') {
          f.get(po).get(best).get(v).op('f64.add').tee(best);
          if (outDt === 'float32') f.op('f32.demote_f64');
          f.mem(STORE[outDt]);
          f.get(po).get(so(OUTER)).op('i32.add').set(po);
        } else {
          // v beats best when strictly better, or when v is the first NaN.
          f.get(v).get(best).op(kind === 'argmax' ? 'f64.gt' : 'f64.lt');
          f.get(v).get(v).op('f64.ne').get(best).get(best).op('f64.eq', 'i32.and');
          f.op('i32.or').if().get(v).set(best).get(i).set(arg).end();
        }
        f.get(px).get(sx(OUTER)).op('i32.add').set(px);
      });
      if (kind !== 'cumsum') f.get(po).get(arg).mem('i32.store');
    });
    return f;
  }).k;
}

const pad = (xs: readonly number[], fill: number) => [...new Array<number>(OUTER - xs.length).fill(fill), ...xs];

/** Runs `kind` over x with `axis` innermost; out has x's shape (cumsum) or x's without the axis. */
function scan(kind: Kind, x: View<WasmBuf>, axis: number, outDt: DType): WasmBuf | null {
  const rank = x.shape.length;
  if (rank === 0 || rank > OUTER + 1 || !(Number.isInteger(axis) && axis >= 0 && axis < rank)) return null;
  if (x.dtype === 'bool' || x.shape[axis] === 0) return null;
  const outShape = kind === 'cumsum' ? x.shape : x.shape.filter((_, d) => d !== axis);
  const n = numel(outShape);
  if (n * ELEM_BYTES[outDt] <= SMALL_BYTES && x.buf.ptr < 0) return null;
  const out = new WasmBuf(outDt, n);
  acquire([x.buf], [out]);
  if (n > 0) {
    const cs = contiguousStrides(x.shape);
    const os = kind === 'cumsum' ? cs : contiguousStrides(outShape);
    const dims = x.shape.map((_, d) => d).filter((d) => d !== axis);
    const outerOut = kind === 'cumsum' ? dims.map((d) => os[d]!) : os;
    const eo = ELEM_BYTES[outDt];
    const ex = ELEM_BYTES[x.dtype];
    kernel(kind, x.dtype, outDt)(
      out.ptr, x.buf.ptr + x.offset * ex,
      ...pad(dims.map((d) => x.shape[d]!), 1), x.shape[axis]!,
      ...pad(outerOut, 0).map((s) => s * eo), (kind === 'cumsum' ? cs[axis]! : 0) * eo,
      ...pad(dims.map((d) => x.strides[d]!), 0).map((s) => s * ex), x.strides[axis]! * ex,
    );
  }
  settle();
  return out;
}

export function argReduce(op: 'argmax' | 'argmin', x: View<WasmBuf>, axis: number): WasmBuf | null {
  return scan(op, x, axis, 'int32');
}

export function cumsum(x: View<WasmBuf>, axis: number, outDtype: DType): WasmBuf | null {
  if (outDtype !== 'float32' && outDtype !== 'float64') return null;
  return scan('cumsum', x, axis, outDtype);
}
