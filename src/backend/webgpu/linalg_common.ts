// Shared pieces of the linear-algebra kernels, which run the reference backend's algorithms in f32 with
// one invocation per matrix (or per right-hand-side column): batch offsets with a run-time batch rank,
// scratch access, and input loads. Such kernels suit batches of small matrices; one thread per matrix
// is slow for large ones. A singular or indefinite matrix cannot throw from a shader: the kernel
// records it in the error flag and the next readAsync / synchronize throws the LinAlgError.
import type { DType } from '../../core/dtype.js';
import { ShapeError } from '../../core/errors.js';
import { broadcastTo, collapse, kindOf, load, toKind, vec4s } from './codegen.js';
import type { GView } from './elementwise.js';

/** Batch dims of each view (all but its last `tails[k]` dims) broadcast to `batch` and simplified. */
export function batchLayout(fn: string, views: readonly GView[], tails: readonly number[], batch: readonly number[]) {
  const strides = views.map((v, k) => {
    const r = v.shape.length - tails[k]!;
    return broadcastTo(fn, batch, v.shape.slice(0, r), v.strides.slice(0, r));
  });
  return collapse(batch, strides);
}

/**
 * Parameters [count, ...fixed, rb, batch shape, then each operand's batch strides] and the matching
 * WGSL that adds batch element `br`'s offsets to the `offs` variables. The uniform block holds up to
 * `cap` batch dims, so the batch rank is a run-time value.
 */
export function withBatch(count: number, fixed: readonly number[], L: { shape: number[]; strides: number[][] }, offs: readonly string[]) {
  const rb = L.shape.length;
  const cap = Math.max(4, rb);
  const at = 1 + fixed.length;
  const params = [count, ...fixed, rb, ...L.shape, ...L.strides.flat()];
  const code = `{
    let rb = P(${at}u);
    for (var d: i32 = rb - 1; d >= 0; d--) {
      let sz = u32(P(${at + 1}u + u32(d)));
      let bc = i32(br % sz);
      br = br / sz;
      ${offs.map((o, k) => `${o} += bc * P(${at + 1}u + u32(${k + 1} * rb + d));`).join('\n      ')}
    }
  }`;
  return { params, code, cap, vec4s: vec4s(at + 1 + cap * (1 + offs.length)) };
}

/** WGSL reading an f32 from scratch / output word `i` of b0 (W), and writing one (S). */
export const RW = `fn W(i: u32) -> f32 { return bitcast<f32>(b0[i]); }
fn S(i: u32, v: f32) { b0[i] = bitcast<u32>(v); }
`;

/** WGSL hypot(x, y) without overflow or underflow in the squares (Givens rotations, Jacobi sweeps). */
export const HYPOT = `fn hyp(x: f32, y: f32) -> f32 {
  let ax = abs(x); let ay = abs(y);
  let mx = max(ax, ay);
  if (mx == 0.0) { return 0.0; }
  let t = min(ax, ay) / mx;
  return mx * sqrt(1.0 + t * t);
}
`;

/** An element of input `buf` (of `dtype`) at offset expression `off`, as f32. */
export const ld = (buf: string, off: string, dtype: DType) => toKind(load(buf, `u32(${off})`, dtype), kindOf(dtype), 'f');

/** Throws unless `a` is a batch of square matrices. */
export function checkSquare(fn: string, a: GView): void {
  const r = a.shape.length;
  if (r < 2 || a.shape[r - 1] !== a.shape[r - 2]) throw new ShapeError(`${fn}: expected a batch of square matrices, got [${a.shape.join(', ')}]`);
}

