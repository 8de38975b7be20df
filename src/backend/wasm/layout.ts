// Layout kernels as strided copies into windows of a new buffer: concat (one window per input), pad
// (a filled buffer and one window), unfold (im2col: a 6-d view of the image copied out) and fold
// (col2im: kh·kw windows accumulated). Small outputs, casts the copy does not do, and the reference's
// error cases (bad geometry) are left to the reference (REFERENCE_KERNELS).
import type { DType } from '../../core/dtype.js';
import { contiguousStrides, numel } from '../../core/shape.js';
import type { Conv2dGeom, View } from '../backend.js';
import { ELEM_BYTES, SMALL_BYTES, WasmBuf, allocate, typed } from './buffers.js';
import { accumulateInto, castsNatively, copy, copyInto } from './elementwise.js';

const RANK = 6;
const big = (dtype: DType, shape: readonly number[]) => numel(shape) * ELEM_BYTES[dtype] > SMALL_BYTES;

export function concat(xs: readonly View<WasmBuf>[], dim: number, outShape: readonly number[], outDtype: DType): WasmBuf | null {
  const rank = outShape.length;
  if (!big(outDtype, outShape) || rank > RANK) return null;
  let total = 0;
  for (const x of xs) {
    if (x.shape.length !== rank || !castsNatively(x.dtype, outDtype) || x.shape.some((s, d) => d !== dim && s !== outShape[d])) return null;
    total += x.shape[dim]!;
  }
  if (total !== outShape[dim]) return null;
  const out = allocate(outDtype, numel(outShape));
  const os = contiguousStrides(outShape);
  let at = 0;
  for (const x of xs) {
    if (numel(x.shape) > 0) copyInto({ buf: out, dtype: outDtype, shape: x.shape, strides: os, offset: at * os[dim]! }, x);
    at += x.shape[dim]!;
  }
  return out;
}

export function pad(x: View<WasmBuf>, pads: readonly (readonly [number, number])[], value: number): WasmBuf | null {
  if (pads.length !== x.shape.length || x.shape.length > RANK) return null;
  if (pads.some(([lo, hi]) => !(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 0 && hi >= 0))) return null;
  const outShape = x.shape.map((s, d) => s + pads[d]![0] + pads[d]![1]);
  if (!big(x.dtype, outShape)) return null;
  const out = allocate(x.dtype, numel(outShape));
  typed(out).fill(x.dtype === 'bool' ? (value !== 0 ? 1 : 0) : value);
  const os = contiguousStrides(outShape);
  const offset = pads.reduce((a, [lo], d) => a + lo * os[d]!, 0);
  if (numel(x.shape) > 0) copyInto({ buf: out, dtype: x.dtype, shape: x.shape, strides: os, offset }, x);
  return out;
}

/** Output size of a kernel sweep, or 0 when the input is too small (the reference reports it). */
const sweep = (size: number, k: number, s: number, d: number) => Math.max(0, Math.floor((size - d * (k - 1) - 1) / s) + 1);
const validGeom = (g: Conv2dGeom) => (['kh', 'kw', 'sh', 'sw', 'dh', 'dw'] as const).every((key) => Number.isInteger(g[key]) && g[key] >= 1);

export function unfold(x: View<WasmBuf>, g: Conv2dGeom): WasmBuf | null {
  if (x.shape.length !== 4 || !validGeom(g)) return null;
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const oh = sweep(H, g.kh, g.sh, g.dh);
  const ow = sweep(W, g.kw, g.sw, g.dw);
  const shape = [N, C, g.kh, g.kw, oh, ow];
  if (oh < 1 || ow < 1 || !big(x.dtype, shape)) return null;
  const [sn, sc, sy, sx] = x.strides as [number, number, number, number];
  // [N, C*kh*kw, oh*ow] in row-major order is exactly this 6-d view of the image, copied out.
  return copy({ buf: x.buf, dtype: x.dtype, shape, strides: [sn, sc, g.dh * sy, g.dw * sx, g.sh * sy, g.sw * sx], offset: x.offset }, x.dtype);
}

export function fold(cols: View<WasmBuf>, C: number, H: number, W: number, g: Conv2dGeom): WasmBuf | null {
  const dt = cols.dtype;
  if (cols.shape.length !== 3 || !validGeom(g) || (dt !== 'float32' && dt !== 'float64')) return null;
  const N = cols.shape[0]!;
  const oh = sweep(H, g.kh, g.sh, g.dh);
  const ow = sweep(W, g.kw, g.sw, g.dw);
  if (oh < 1 || ow < 1 || cols.shape[1] !== C * g.kh * g.kw || cols.shape[2] !== oh * ow || !big(dt, [N, C, H, W])) return null;
  const out = allocate(dt, N * C * H * W);
  typed(out).fill(0);
  const [s0, s1, s2] = cols.strides as [number, number, number];
  const window = [N, C, oh, ow];
  // Each kernel offset (i, j) adds its column block onto a strided window of the image; overlaps sum.
  for (let i = 0; i < g.kh; i++) {
    for (let j = 0; j < g.kw; j++) {
      const dst = { buf: out, dtype: dt, shape: window, strides: [C * H * W, H * W, g.sh * W, g.sw], offset: i * g.dh * W + j * g.dw };
      const src = { buf: cols.buf, dtype: dt, shape: window, strides: [s0, s1 * g.kh * g.kw, s2 * ow, s2], offset: cols.offset + (i * g.kw + j) * s1 };
      accumulateInto(dst, src);
    }
  }
  return out;
}
