// Batched matmul on the generated GEMM: operands are read through their strides (transposed,
// broadcast and batch-broadcast operands are packed directly, never copied first), and batch dims
// that merge into one stride run as a single gemm call.
import { numel } from '../../core/shape.js';
import type { DType } from '../../core/dtype.js';
import type { View } from '../backend.js';
import { broadcastStrides, simplify } from '../cpu/strided.js';
import { ELEM_BYTES, WasmBuf, acquire, free, settle } from './buffers.js';
import { gemmScratchBytes } from './gemm.js';
import { JS_TASKS } from './js_tasks.js';
import { getNumThreads, parallelTasks, shouldSplit, splitBounds } from './threads.js';

/** A rough single-thread GEMM rate (flop per ns), to judge whether splitting pays. */
const GFLOPS = 30;

export function matmul(a: View<WasmBuf>, b: View<WasmBuf>, outShape: readonly number[], outDtype: DType): WasmBuf | null {
  if ((outDtype !== 'float32' && outDtype !== 'float64') || a.dtype !== outDtype || b.dtype !== outDtype) return null;
  const r = outShape.length;
  const m = outShape[r - 2]!;
  const n = outShape[r - 1]!;
  const k = a.shape[a.shape.length - 1]!;
  const batchShape = outShape.slice(0, r - 2);
  const batchOf = (v: View<WasmBuf>) => ({ shape: v.shape.slice(0, -2), strides: v.strides.slice(0, -2) });
  const sb = simplify(batchShape, [broadcastStrides('matmul', batchOf(a), batchShape), broadcastStrides('matmul', batchOf(b), batchShape)]);
  const total = numel(outShape);
  const es = ELEM_BYTES[outDtype];
  const ar = a.strides[a.shape.length - 2]!;
  const ac = a.strides[a.shape.length - 1]!;
  const br = b.strides[b.shape.length - 2]!;
  const bc = b.strides[b.shape.length - 1]!;
  // The innermost merged batch dim goes to one gemm call; any outer ones are walked here.
  const dims = sb.shape.length;
  const inner = dims === 0 ? 1 : sb.shape[dims - 1]!;
  const outerShape = sb.shape.slice(0, Math.max(0, dims - 1));
  const outer = numel(outerShape);
  // Split into tasks (batch ranges, else row blocks of whole micro-tiles) when the work is worth a round trip.
  const threads = shouldSplit((2 * m * n * k * inner * outer) / GFLOPS) ? getNumThreads() : 1;
  const pieces = threads === 1 ? 1 : 2 * threads;
  // Batches when there are enough; else columns of a wide product (each task packs only its part of
  // B), else rows (whole micro-tiles of 4 rows and 8 columns).
  const split: 'batch' | 'cols' | 'rows' = inner >= pieces ? 'batch' : n >= m && n > 1 ? 'cols' : 'rows';
  const parts = split === 'batch' ? pieces : Math.min(pieces, Math.ceil(split === 'cols' ? n / 8 : m / 4));
  const cuts = split === 'batch' ? splitBounds(inner, parts, 1) : split === 'cols' ? splitBounds(n, parts, 8) : splitBounds(m, parts, 4);
  const nTasks = outer * parts;
  const out = new WasmBuf(outDtype, total);
  const scratchBytes = gemmScratchBytes(outDtype, m, n, k);
  const scratch = new WasmBuf('bool', scratchBytes * Math.min(nTasks, threads === 1 ? 1 : nTasks));
  acquire([a.buf, b.buf], [out, scratch]);
  try {
    if (total === 0) return out;
    const tasks: number[][] = [];
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
      for (let p = 0; p < parts; p++) {
        const piece = [cuts[p]!, cuts[p + 1]!];
        const [b0, b1] = split === 'batch' ? piece : [0, inner];
        const [r0, r1] = split === 'rows' ? piece : [0, m];
        const [c0, c1] = split === 'cols' ? piece : [0, n];
        if (b1 <= b0 || r1 <= r0 || c1 <= c0) continue;
        tasks.push([
          outDtype === 'float64' ? 1 : 0, m, n, k,
          a.buf.ptr + offA * es, sA, ar, ac,
          b.buf.ptr + offB * es, sB, br, bc,
          out.ptr + o * inner * m * n * es, b0, b1, r0, r1,
          scratch.ptr + (threads === 1 ? 0 : tasks.length * scratchBytes), c0, c1,
        ]);
      }
      for (let d = idx.length - 1; d >= 0; d--) {
        if (++idx[d]! < outerShape[d]!) break;
        idx[d] = 0;
      }
    }
    if (threads === 1) for (const t of tasks) JS_TASKS[0]!(...t);
    else parallelTasks('gemm', tasks);
    return out;
  } finally {
    settle();
    free(scratch);
  }
}
