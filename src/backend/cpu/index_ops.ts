// Indexing and layout kernels: gather, scatter (write / accumulate), indexSelect, concat and constant pad.
import { arrayFor, type DType, type TypedArray } from '../../core/dtype.js';
import { IndexError } from '../../core/errors.js';
import type { View } from './view.js';
import { copy, writeStrided } from './copy.js';
import { rowMajor, Rows, sizeOf } from './strided.js';

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

function checkDim(fn: string, dim: number, rank: number): void {
  if (!Number.isInteger(dim) || dim < 0 || dim >= Math.max(rank, 1)) throw new Error(`${fn}: dim ${dim} out of range for rank ${rank}`);
}

// Index values are only known here, so the kernel reports them, as the IndexError PyTorch users catch.
function outOfRange(fn: string, j: number, dim: number, size: number): Error {
  return new IndexError(`${fn}(): index ${j} is out of bounds for dimension ${dim} with size ${size}`);
}

/** Checks that `index` has x's rank and index.shape[d] <= x.shape[d] for d != dim (torch.gather / scatter rule). */
function checkIndexShape(fn: string, x: View, dim: number, index: View, what = 'input'): void {
  if (index.shape.length !== x.shape.length) {
    throw new Error(`${fn}: index ${fmt(index.shape)} must have the same number of dims as ${what} ${fmt(x.shape)}`);
  }
  for (let d = 0; d < x.shape.length; d++) {
    if (d !== dim && index.shape[d]! > x.shape[d]!) {
      throw new Error(`${fn}: index ${fmt(index.shape)} is larger than ${what} ${fmt(x.shape)} in dimension ${d}`);
    }
  }
}

export function gather(x: View, dim: number, index: View): TypedArray {
  const rank = x.shape.length;
  checkDim('gather', dim, rank);
  checkIndexShape('gather', x, dim, index);
  const ishape = index.shape;
  const out = arrayFor(x.dtype, sizeOf(ishape));
  if (out.length === 0) return out;
  const size = rank === 0 ? 1 : x.shape[dim]!;
  const sd = rank === 0 ? 0 : x.strides[dim]!;
  const xs = x.strides.slice();
  if (rank > 0) xs[dim] = 0;
  const it = new Rows(ishape, [rowMajor(ishape), index.strides, xs], [0, index.offset, x.offset]);
  const [to, ti, tx] = it.innerStrides as [number, number, number];
  const n = it.inner;
  const ib = index.buf, xb = x.buf;
  for (let r = 0; r < it.rows; r++) {
    let po = it.base[0]!, pi = it.base[1]!, px = it.base[2]!;
    for (let i = 0; i < n; i++) {
      const j = ib[pi]!;
      if (!(j >= 0 && j < size)) throw outOfRange('gather', j, dim, size);
      out[po] = xb[px + j * sd]!;
      po += to; pi += ti; px += tx;
    }
    it.step();
  }
  return out;
}

export function scatter(x: View, dim: number, index: View, src: View, accumulate: boolean): TypedArray {
  const fn = accumulate ? 'scatterAdd' : 'scatter';
  const rank = x.shape.length;
  checkDim(fn, dim, rank);
  checkIndexShape(fn, x, dim, index);
  if (src.shape.length !== index.shape.length) {
    throw new Error(`${fn}: src ${fmt(src.shape)} must have the same number of dims as index ${fmt(index.shape)}`);
  }
  for (let d = 0; d < index.shape.length; d++) {
    if (index.shape[d]! > src.shape[d]!) throw new Error(`${fn}: index ${fmt(index.shape)} is larger than src ${fmt(src.shape)} in dimension ${d}`);
  }
  const out = copy(x, x.dtype);
  const ishape = index.shape;
  if (sizeOf(ishape) === 0) return out;
  const os = rowMajor(x.shape);
  const size = rank === 0 ? 1 : x.shape[dim]!;
  const sd = rank === 0 ? 0 : os[dim]!;
  if (rank > 0) os[dim] = 0;
  const it = new Rows(ishape, [os, index.strides, src.strides], [0, index.offset, src.offset]);
  const [to, ti, ts] = it.innerStrides as [number, number, number];
  const n = it.inner;
  const ib = index.buf, sb = src.buf;
  const toBool = x.dtype === 'bool';
  for (let r = 0; r < it.rows; r++) {
    let po = it.base[0]!, pi = it.base[1]!, ps = it.base[2]!;
    for (let i = 0; i < n; i++) {
      const j = ib[pi]!;
      if (!(j >= 0 && j < size)) throw outOfRange(fn, j, dim, size);
      const p = po + j * sd;
      const v = accumulate ? out[p]! + sb[ps]! : sb[ps]!;
      out[p] = toBool ? (v !== 0 ? 1 : 0) : v;
      po += to; pi += ti; ps += ts;
    }
    it.step();
  }
  return out;
}

export function indexSelect(x: View, dim: number, index: View): TypedArray {
  const rank = x.shape.length;
  checkDim('index_select', dim, rank);
  if (index.shape.length > 1) throw new Error(`index_select: index must be 1-D, got shape ${fmt(index.shape)}`);
  const K = index.shape.length === 0 ? 1 : index.shape[0]!;
  const istride = index.shape.length === 0 ? 0 : index.strides[0]!;
  const size = rank === 0 ? 1 : x.shape[dim]!;
  const sd = rank === 0 ? 0 : x.strides[dim]!;
  // Validate once and turn indices into buffer offsets.
  const io = new Float64Array(K);
  for (let q = 0; q < K; q++) {
    const j = index.buf[index.offset + q * istride]!;
    if (!(j >= 0 && j < size)) throw outOfRange('indexSelect', j, dim, size);
    io[q] = j * sd;
  }
  if (rank === 0) return arrayFor(x.dtype, K).fill(copy(x, x.dtype)[0]!);
  const outShape = x.shape.slice();
  outShape[dim] = K;
  const out = arrayFor(x.dtype, sizeOf(outShape));
  if (out.length === 0) return out;
  const xs = x.strides.slice();
  xs[dim] = 0;
  const ks = new Array<number>(rank).fill(0);
  ks[dim] = 1; // operand 2 is a counter: its offset is the position along `dim`
  const it = new Rows(outShape, [rowMajor(outShape), xs, ks], [0, x.offset, 0]);
  const [to, tx, tk] = it.innerStrides as [number, number, number];
  const n = it.inner;
  const xb = x.buf;
  for (let r = 0; r < it.rows; r++) {
    let po = it.base[0]!, px = it.base[1]!, pk = it.base[2]!;
    if (tk === 0) {
      const src = px + io[pk]!;
      if (to === 1 && tx === 1) for (let i = 0; i < n; i++) out[po + i] = xb[src + i]!;
      else {
        let ps = src;
        for (let i = 0; i < n; i++) {
          out[po] = xb[ps]!;
          po += to; ps += tx;
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        out[po] = xb[px + io[pk]!]!;
        po += to; px += tx; pk += tk;
      }
    }
    it.step();
  }
  return out;
}

export function concat(xs: readonly View[], dim: number, outShape: readonly number[], outDtype: DType): TypedArray {
  const rank = outShape.length;
  checkDim('cat', dim, rank);
  const out = arrayFor(outDtype, sizeOf(outShape));
  const os = rowMajor(outShape);
  let at = 0;
  for (const x of xs) {
    if (x.shape.length !== rank) throw new Error(`cat: tensor ${fmt(x.shape)} does not match output rank ${rank}`);
    for (let d = 0; d < rank; d++) {
      if (d !== dim && x.shape[d] !== outShape[d]) {
        throw new Error(`cat: sizes of tensors must match except in dimension ${dim}: got ${fmt(x.shape)} for output ${fmt(outShape)}`);
      }
    }
    writeStrided(out, outDtype, x.shape, os, at * os[dim]!, x);
    at += x.shape[dim]!;
  }
  if (at !== outShape[dim]) throw new Error(`cat: inputs sum to ${at} along dim ${dim}, expected ${outShape[dim]}`);
  return out;
}

export function pad(x: View, pads: readonly (readonly [number, number])[], value: number): TypedArray {
  const rank = x.shape.length;
  if (pads.length !== rank) throw new Error(`pad: expected ${rank} [before, after] pairs, got ${pads.length}`);
  const outShape = x.shape.map((s, d) => {
    const [lo, hi] = pads[d]!;
    if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 0 && hi >= 0)) {
      throw new Error(`pad: pads must be non-negative integers, got [${lo}, ${hi}] for dim ${d}`);
    }
    return s + lo + hi;
  });
  const out = arrayFor(x.dtype, sizeOf(outShape));
  const fill = x.dtype === 'bool' ? (value !== 0 ? 1 : 0) : value;
  if (fill !== 0) out.fill(fill);
  const os = rowMajor(outShape);
  let off = 0;
  for (let d = 0; d < rank; d++) off += pads[d]![0] * os[d]!;
  writeStrided(out, x.dtype, x.shape, os, off, x);
  return out;
}
