// Batched matmul on the generated GEMM: operands are read through their strides (transposed,
// broadcast and batch-broadcast operands are packed directly, never copied first), and batch dims
// that merge into one stride run as a single gemm call.
import type { DType } from '../../core/dtype.js';
import type { View } from '../backend.js';
import { broadcastStrides, simplify } from '../cpu/strided.js';
import { ELEM_BYTES, WasmBuf, acquire, free, settle } from './buffers.js';
import { gemm, gemmScratchBytes } from './gemm.js';

export function matmul(a: View<WasmBuf>, b: View<WasmBuf>, outShape: readonly number[], outDtype: DType): WasmBuf | null {
  if ((outDtype !== 'float32' && outDtype !== 'float64') || a.dtype !== outDtype || b.dtype !== outDtype) return null;
  const r = outShape.length;
  const m = outShape[r - 2]!;
  const n = outShape[r - 1]!;
  const k = a.shape[a.shape.length - 1]!;
  const batchShape = outShape.slice(0, r - 2);
  const batchOf = (v: View<WasmBuf>) => ({ shape: v.shape.slice(0, -2), strides: v.strides.slice(0, -2) });
  const sb = simplify(batchShape, [broadcastStrides('matmul', batchOf(a), batchShape), broadcastStrides('matmul', batchOf(b), batchShape)]);
  const total = outShape.reduce((x, d) => x * d, 1);
  const out = new WasmBuf(outDtype, total);
  const scratch = new WasmBuf('bool', gemmScratchBytes(outDtype, m, n, k));
  acquire([a.buf, b.buf], [out, scratch]);
  try {
    if (total === 0) return out;
    const es = ELEM_BYTES[outDtype];
    const ar = a.strides[a.shape.length - 2]!;
    const ac = a.strides[a.shape.length - 1]!;
    const br = b.strides[b.shape.length - 2]!;
    const bc = b.strides[b.shape.length - 1]!;
    // The innermost merged batch dim goes to gemm; any outer ones are walked here.
    const dims = sb.shape.length;
    const inner = dims === 0 ? 1 : sb.shape[dims - 1]!;
    const outerShape = sb.shape.slice(0, Math.max(0, dims - 1));
    const outer = outerShape.reduce((x, d) => x * d, 1);
    const idx = new Array<number>(outerShape.length).fill(0);
    for (let o = 0; o < outer; o++) {
      let offA = a.offset;
      let offB = b.offset;
      for (let d = 0; d < idx.length; d++) {
        offA += idx[d]! * sb.strides[0]![d]!;
        offB += idx[d]! * sb.strides[1]![d]!;
      }
      const sA = dims === 0 ? 0 : sb.strides[0]![dims - 1]!;
      const sB = dims === 0 ? 0 : sb.strides[1]![dims - 1]!;
      gemm(
        outDtype, m, n, k,
        { ptr: a.buf.ptr + offA * es, batchStride: sA, rowStride: ar, colStride: ac },
        { ptr: b.buf.ptr + offB * es, batchStride: sB, rowStride: br, colStride: bc },
        out.ptr + o * inner * m * n * es, 0, inner, 0, m, scratch.ptr,
      );
      for (let d = idx.length - 1; d >= 0; d--) {
        if (++idx[d]! < outerShape[d]!) break;
        idx[d] = 0;
      }
    }
    return out;
  } finally {
    settle();
    free(scratch);
  }
}
