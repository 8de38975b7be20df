// Copies and casts: full, fromArray, copy (contiguous copy / cast), copyInto and a strided-window writer.
import { arrayFor, type DType, type TypedArray } from '../../core/dtype.js';
import type { View } from './view.js';
import { broadcastStrides, getKernel, isContiguousView, rowMajor, runKernel, sizeOf, storeExpr } from './strided.js';

export function full(dtype: DType, size: number, value: number): TypedArray {
  const out = arrayFor(dtype, size);
  if (value !== 0) out.fill(dtype === 'bool' ? (value ? 1 : 0) : value);
  return out;
}

export function fromArray(dtype: DType, data: ArrayLike<number>): TypedArray {
  const n = data.length;
  const out = arrayFor(dtype, n);
  if (dtype === 'bool') {
    for (let i = 0; i < n; i++) out[i] = Number(data[i]) !== 0 ? 1 : 0;
  } else if (ArrayBuffer.isView(data) || Array.isArray(data)) {
    out.set(data as ArrayLike<number>);
  } else {
    for (let i = 0; i < n; i++) out[i] = Number(data[i]);
  }
  return out;
}

function copyKernel(dstDtype: DType, srcDtype: DType) {
  return getKernel(`c:${dstDtype}:${srcDtype}`, { nops: 2, body: `b0[p0] = ${storeExpr(dstDtype, 'b1[p1]')};` });
}

/**
 * Writes `src` (broadcast to `shape`) into the window (`dst`, `dstDtype`, `shape`, `dstStrides`, `dstOffset`).
 * Iterates in the order of the destination's memory layout.
 */
export function writeStrided(
  dst: TypedArray,
  dstDtype: DType,
  shape: readonly number[],
  dstStrides: readonly number[],
  dstOffset: number,
  src: View,
): void {
  const ss = broadcastStrides('copy', src, shape);
  runKernel(copyKernel(dstDtype, src.dtype), shape, [dst, src.buf], [dstStrides, ss], [dstOffset, src.offset], 0);
}

export function copy(x: View, outDtype: DType): TypedArray {
  const n = sizeOf(x.shape);
  if (isContiguousView(x) && outDtype !== 'bool') {
    const sub = x.buf.subarray(x.offset, x.offset + n);
    if (outDtype === x.dtype) return sub.slice();
    const out = arrayFor(outDtype, n);
    out.set(sub);
    return out;
  }
  const out = arrayFor(outDtype, n);
  writeStrided(out, outDtype, x.shape, rowMajor(x.shape), 0, x);
  return out;
}

export function copyInto(dst: View, src: View): void {
  let s = src;
  // If the two windows share memory, snapshot src first so overlapping reads see the old values.
  if (src.buf.buffer === dst.buf.buffer) {
    s = { buf: copy(src, src.dtype), dtype: src.dtype, shape: src.shape, strides: rowMajor(src.shape), offset: 0 };
  }
  writeStrided(dst.buf, dst.dtype, dst.shape, dst.strides, dst.offset, s);
}
