// Reductions: reduce (sum/prod/max/min), argReduce (argmax/argmin) and cumsum.
import { arrayFor, type DType, type TypedArray } from '../../core/dtype.js';
import type { ReduceOp } from '../backend.js';
import type { View } from './view.js';
import { copy } from './copy.js';
import { getKernel, rowMajor, Rows, runKernel, sizeOf } from './strided.js';

const accExpr: Record<ReduceOp, string> = {
  sum: 'a + v',
  prod: 'a * v',
  max: 'Math.max(a, v)',
  min: 'Math.min(a, v)',
};
const identity: Record<ReduceOp, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };

/** Output shape and accumulator strides (0 on reduced axes) for reducing `shape` over `axes`. */
function reducedLayout(shape: readonly number[], axes: readonly number[]): { outShape: number[]; accStrides: number[] } {
  const reduced = new Array<boolean>(shape.length).fill(false);
  for (const a of axes) {
    if (!Number.isInteger(a) || a < 0 || a >= shape.length) throw new Error(`reduce: axis ${a} out of range for rank ${shape.length}`);
    reduced[a] = true;
  }
  const outShape: number[] = [];
  for (let d = 0; d < shape.length; d++) if (!reduced[d]) outShape.push(shape[d]!);
  const os = rowMajor(outShape);
  const accStrides = new Array<number>(shape.length);
  let k = 0;
  for (let d = 0; d < shape.length; d++) accStrides[d] = reduced[d] ? 0 : os[k++]!;
  return { outShape, accStrides };
}

export function reduce(op: ReduceOp, x: View, axes: readonly number[], outDtype: DType): TypedArray {
  const { outShape, accStrides } = reducedLayout(x.shape, axes);
  const outSize = sizeOf(outShape);
  const inSize = sizeOf(x.shape);
  if (inSize === 0 && outSize > 0 && (op === 'max' || op === 'min')) {
    throw new Error(`${op}(): cannot reduce over an empty dimension (input shape [${x.shape.join(', ')}]) without an identity`);
  }
  const acc = new Float64Array(outSize).fill(identity[op]);
  // Integer products wrap exactly (Math.imul) instead of losing digits in a double past 2^53.
  const expr = op === 'prod' && (x.dtype === 'int32' || x.dtype === 'bool') ? 'Math.imul(a, v)' : accExpr[op];
  const kernel = getKernel(`r:${op}:${x.dtype}:${expr === accExpr[op] ? 'f' : 'i'}`, {
    nops: 2,
    body: `{ const a = b0[p0], v = b1[p1]; b0[p0] = ${expr}; }`,
    acc: expr,
  });
  // Iterate in the input's memory order; the accumulator is tiny or follows along.
  runKernel(kernel, x.shape, [acc, x.buf], [accStrides, x.strides], [0, x.offset], 1);
  if (outDtype === 'float64') return acc;
  const out = arrayFor(outDtype, outSize);
  if (outDtype === 'bool') for (let i = 0; i < outSize; i++) out[i] = acc[i] !== 0 ? 1 : 0;
  else out.set(acc);
  return out;
}

export function argReduce(op: 'argmax' | 'argmin', x: View, axis: number): Int32Array {
  const shape = x.shape;
  if (!Number.isInteger(axis) || axis < 0 || axis >= Math.max(shape.length, 1)) {
    throw new Error(`${op}: axis ${axis} out of range for rank ${shape.length}`);
  }
  if (shape.length === 0) return new Int32Array(1);
  const { outShape, accStrides } = reducedLayout(shape, [axis]);
  const outSize = sizeOf(outShape);
  const out = new Int32Array(outSize);
  if (outSize === 0) return out;
  if (shape[axis] === 0) throw new Error(`${op}(): cannot reduce over an empty dimension of size 0 (axis ${axis})`);
  const best = new Float64Array(outSize).fill(op === 'argmax' ? -Infinity : Infinity);
  // Operand 2 is a "counter" whose offset equals the coordinate along `axis`.
  const kStrides = new Array<number>(shape.length).fill(0);
  kStrides[axis] = 1;
  const it = new Rows(shape, [accStrides, x.strides, kStrides], [0, x.offset, 0], 1);
  const [ta, tx, tk] = it.innerStrides as [number, number, number];
  const n = it.inner;
  const buf = x.buf;
  const isMax = op === 'argmax';
  for (let r = 0; r < it.rows; r++) {
    let pa = it.base[0]!, px = it.base[1]!, pk = it.base[2]!;
    if (isMax) {
      for (let i = 0; i < n; i++) {
        const v = buf[px]!;
        const b = best[pa]!;
        if (v > b || (v !== v && b === b)) {
          best[pa] = v;
          out[pa] = pk;
        }
        pa += ta; px += tx; pk += tk;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = buf[px]!;
        const b = best[pa]!;
        if (v < b || (v !== v && b === b)) {
          best[pa] = v;
          out[pa] = pk;
        }
        pa += ta; px += tx; pk += tk;
      }
    }
    it.step();
  }
  return out;
}

export function cumsum(x: View, axis: number, outDtype: DType): TypedArray {
  const shape = x.shape;
  if (shape.length === 0) return copy(x, outDtype);
  if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length) throw new Error(`cumsum: axis ${axis} out of range for rank ${shape.length}`);
  const t = copy(x, 'float64') as Float64Array;
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d]!;
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  const len = shape[axis]!;
  const block = len * inner;
  for (let o = 0; o < outer; o++) {
    const base = o * block;
    if (inner === 1) {
      let s = 0;
      for (let i = 0; i < len; i++) {
        s += t[base + i]!;
        t[base + i] = s;
      }
    } else {
      for (let i = 1; i < len; i++) {
        const p = base + i * inner;
        const q = p - inner;
        for (let j = 0; j < inner; j++) t[p + j] = t[p + j]! + t[q + j]!;
      }
    }
  }
  if (outDtype === 'float64') return t;
  const out = arrayFor(outDtype, t.length);
  if (outDtype === 'bool') for (let i = 0; i < t.length; i++) out[i] = t[i] !== 0 ? 1 : 0;
  else out.set(t);
  return out;
}

