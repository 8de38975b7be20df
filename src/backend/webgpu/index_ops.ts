// Indexing and layout kernels: gather, scatter (write, or accumulate with atomics), indexSelect,
// concat and constant pad. Index values live on the GPU, so an out-of-range index cannot throw here:
// the kernel skips it and records it in the context's error flag, and the next readAsync / synchronize
// throws the IndexError.
import type { DType } from '../../core/dtype.js';
import { ShapeError, ValueError } from '../../core/errors.js';
import { checkGpuDType, errorReporter, type Access, type GpuContext, type GpuStorage } from './context.js';
import { bindings, collapse, kindOf, LINEAR_MAIN, load, numel, offsetCode, rowMajor, scalarBits, storeWord, toDType, toKind, vec4s } from './codegen.js';
import { copy, fill, writeWindow, type GView } from './elementwise.js';
import { WGSL_MATH } from './wgsl_math.js';

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

function checkDim(fn: string, dim: number, rank: number): void {
  if (!Number.isInteger(dim) || dim < 0 || dim >= Math.max(rank, 1)) throw new ValueError(`${fn}: dim ${dim} out of range for rank ${rank}`);
}

function checkIndexShape(fn: string, x: GView, dim: number, index: GView): void {
  if (index.shape.length !== x.shape.length) throw new ShapeError(`${fn}: index ${fmt(index.shape)} must have the same number of dims as input ${fmt(x.shape)}`);
  for (let d = 0; d < x.shape.length; d++) {
    if (d !== dim && index.shape[d]! > x.shape[d]!) throw new ShapeError(`${fn}: index ${fmt(index.shape)} is larger than input ${fmt(x.shape)} in dimension ${d}`);
  }
}

/** The index value (as i32) at `off` of an index view of `dtype`. */
const indexValue = (off: string, dtype: DType) => toKind(load('b2', off, dtype), kindOf(dtype), 'i');

/** Backend.gather. */
export function gather(ctx: GpuContext, x: GView, dim: number, index: GView): GpuStorage {
  checkGpuDType('gather', x.dtype);
  const rank = x.shape.length;
  checkDim('gather', dim, rank);
  checkIndexShape('gather', x, dim, index);
  const n = numel(index.shape);
  const out = ctx.alloc(n);
  if (n === 0) return out;
  const size = rank === 0 ? 1 : x.shape[dim]!;
  const sd = rank === 0 ? 0 : x.strides[dim]!;
  const xs = x.strides.slice();
  if (rank > 0) xs[dim] = 0;
  const L = collapse(index.shape, [rowMajor(index.shape), index.strides, xs]);
  const r = L.shape.length;
  // Params: n, shape[r], index: offset, strides[r], x: offset, strides[r], size, sd, dim.
  const params = [n, ...L.shape, index.offset, ...L.strides[1]!, x.offset, ...L.strides[2]!, size, sd, dim];
  const iAt = 1 + r, xAt = iAt + 1 + r, tail = xAt + 1 + r;
  const access: Access[] = ['write', 'read', 'read', 'atomic'];
  const k = ctx.kernel(`gather:${x.dtype}:${index.dtype}:${r}`, access, vec4s(params.length), () => `${WGSL_MATH}${bindings(access.slice(0, 3))}${errorReporter('gather', 4)}
${LINEAR_MAIN}
  ${offsetCode('i', r, 1, [iAt, xAt], ['io', 'xo'])}
  let j = ${indexValue('u32(io)', index.dtype)};
  let size = P(${tail}u);
  if (j < 0 || j >= size) { report(j, size, P(${tail + 2}u)); b0[i] = 0u; return; }
  b0[i] = b1[u32(xo + j * P(${tail + 1}u))];
}`);
  ctx.dispatch(k, access, [out.buffer, x.buf.buffer, index.buf.buffer, ctx.errorFlag], params, Math.ceil(n / 256));
  return out;
}

/** Backend.scatter: writes (accumulate = false) or adds (true; atomics, so duplicates all count). */
export function scatter(ctx: GpuContext, x: GView, dim: number, index: GView, src: GView, accumulate: boolean): GpuStorage {
  const fn = accumulate ? 'scatterAdd' : 'scatter';
  checkGpuDType(fn, x.dtype);
  checkGpuDType(fn, src.dtype);
  const rank = x.shape.length;
  checkDim(fn, dim, rank);
  checkIndexShape(fn, x, dim, index);
  if (src.shape.length !== index.shape.length) throw new ShapeError(`${fn}: src ${fmt(src.shape)} must have the same number of dims as index ${fmt(index.shape)}`);
  for (let d = 0; d < index.shape.length; d++) {
    if (index.shape[d]! > src.shape[d]!) throw new ShapeError(`${fn}: index ${fmt(index.shape)} is larger than src ${fmt(src.shape)} in dimension ${d}`);
  }
  const out = copy(ctx, x, x.dtype);
  const n = numel(index.shape);
  if (n === 0) return out;
  const os = rowMajor(x.shape);
  const size = rank === 0 ? 1 : x.shape[dim]!;
  const sd = rank === 0 ? 0 : os[dim]!;
  if (rank > 0) os[dim] = 0;
  const L = collapse(index.shape, [os, index.strides, src.strides]);
  const r = L.shape.length;
  // Params: n, shape[r], out: 0, strides[r], index: offset, strides[r], src: offset, strides[r], size, sd, dim.
  const params = [n, ...L.shape, 0, ...L.strides[0]!, index.offset, ...L.strides[1]!, src.offset, ...L.strides[2]!, size, sd, dim];
  const oAt = 1 + r, iAt = oAt + 1 + r, sAt = iAt + 1 + r, tail = sAt + 1 + r;
  const access: Access[] = ['atomic', 'read', 'read', 'atomic'];
  const v = toDType(load('b3', 'u32(so)', src.dtype), kindOf(src.dtype), x.dtype);
  let update: string;
  if (!accumulate) update = `atomicStore(&b0[p], ${storeWord(v, x.dtype)});`;
  else if (x.dtype === 'float32') {
    // Float add by compare-and-swap on the bits: retry until no other thread changed the word in between.
    update = `let add = ${v};
  var old = atomicLoad(&b0[p]);
  loop {
    let r = atomicCompareExchangeWeak(&b0[p], old, bitcast<u32>(bitcast<f32>(old) + add));
    if (r.exchanged) { break; }
    old = r.old_value;
  }`;
  } else if (x.dtype === 'int32') update = `atomicAdd(&b0[p], bitcast<u32>(${v}));`;
  else update = `atomicOr(&b0[p], u32(${v}));`;
  const k = ctx.kernel(`scatter:${accumulate}:${x.dtype}:${index.dtype}:${src.dtype}:${r}`, access, vec4s(params.length), () => `${WGSL_MATH}
@group(0) @binding(1) var<storage, read_write> b0: array<atomic<u32>>;
@group(0) @binding(2) var<storage, read> b2: array<u32>;
@group(0) @binding(3) var<storage, read> b3: array<u32>;
${errorReporter(fn, 4)}
${LINEAR_MAIN}
  ${offsetCode('i', r, 1, [oAt, iAt, sAt], ['po', 'io', 'so'])}
  let j = ${indexValue('u32(io)', index.dtype)};
  let size = P(${tail}u);
  if (j < 0 || j >= size) { report(j, size, P(${tail + 2}u)); return; }
  let p = u32(po + j * P(${tail + 1}u));
  ${update}
}`);
  ctx.dispatch(k, access, [out.buffer, index.buf.buffer, src.buf.buffer, ctx.errorFlag], params, Math.ceil(n / 256));
  return out;
}

/** Backend.indexSelect. */
export function indexSelect(ctx: GpuContext, x: GView, dim: number, index: GView): GpuStorage {
  checkGpuDType('indexSelect', x.dtype);
  const rank = x.shape.length;
  checkDim('index_select', dim, rank);
  if (index.shape.length > 1) throw new ShapeError(`index_select: index must be 1-D, got shape ${fmt(index.shape)}`);
  const K = index.shape.length === 0 ? 1 : index.shape[0]!;
  const istride = index.shape.length === 0 ? 0 : index.strides[0]!;
  const xshape = rank === 0 ? [1] : x.shape;
  const xstrides = rank === 0 ? [0] : x.strides;
  const d = rank === 0 ? 0 : dim;
  const size = xshape[d]!;
  const sd = xstrides[d]!;
  const outShape = xshape.slice();
  outShape[d] = K;
  const n = numel(outShape);
  const out = ctx.alloc(n);
  if (n === 0) return out;
  const xs = xstrides.slice();
  xs[d] = 0;
  const ks = outShape.map((_, e) => (e === d ? 1 : 0)); // a counter: its offset is the position along dim
  const L = collapse(outShape, [rowMajor(outShape), xs, ks]);
  const r = L.shape.length;
  // Params: n, shape[r], x: offset, strides[r], counter: 0, strides[r], size, sd, index offset, index stride, dim.
  const params = [n, ...L.shape, x.offset, ...L.strides[1]!, 0, ...L.strides[2]!, size, sd, index.offset, istride, dim];
  const xAt = 1 + r, cAt = xAt + 1 + r, tail = cAt + 1 + r;
  const access: Access[] = ['write', 'read', 'read', 'atomic'];
  const k = ctx.kernel(`indexSelect:${x.dtype}:${index.dtype}:${r}`, access, vec4s(params.length), () => `${WGSL_MATH}${bindings(access.slice(0, 3))}${errorReporter('indexSelect', 4)}
${LINEAR_MAIN}
  ${offsetCode('i', r, 1, [xAt, cAt], ['xo', 'co'])}
  let j = ${indexValue(`u32(P(${tail + 2}u) + co * P(${tail + 3}u))`, index.dtype)};
  let size = P(${tail}u);
  if (j < 0 || j >= size) { report(j, size, P(${tail + 4}u)); b0[i] = 0u; return; }
  b0[i] = b1[u32(xo + j * P(${tail + 1}u))];
}`);
  ctx.dispatch(k, access, [out.buffer, x.buf.buffer, index.buf.buffer, ctx.errorFlag], params, Math.ceil(n / 256));
  return out;
}

/** Backend.concat. */
export function concat(ctx: GpuContext, xs: readonly GView[], dim: number, outShape: readonly number[], outDtype: DType): GpuStorage {
  checkGpuDType('cat', outDtype);
  const rank = outShape.length;
  checkDim('cat', dim, rank);
  const out = ctx.alloc(numel(outShape));
  const os = rowMajor(outShape);
  let at = 0;
  for (const x of xs) {
    if (x.shape.length !== rank) throw new ShapeError(`cat: tensor ${fmt(x.shape)} does not match output rank ${rank}`);
    for (let d = 0; d < rank; d++) {
      if (d !== dim && x.shape[d] !== outShape[d]) throw new ShapeError(`cat: sizes of tensors must match except in dimension ${dim}: got ${fmt(x.shape)} for output ${fmt(outShape)}`);
    }
    writeWindow(ctx, 'cat', { buf: out, strides: os, offset: at * (os[dim] ?? 1) }, outDtype, x.shape, x);
    at += x.shape[dim] ?? 1;
  }
  if (rank > 0 && at !== outShape[dim]) throw new ShapeError(`cat: inputs sum to ${at} along dim ${dim}, expected ${outShape[dim]}`);
  return out;
}

/** Backend.pad (constant value). */
export function pad(ctx: GpuContext, x: GView, pads: readonly (readonly [number, number])[], value: number): GpuStorage {
  checkGpuDType('pad', x.dtype);
  const rank = x.shape.length;
  if (pads.length !== rank) throw new ValueError(`pad: expected ${rank} [before, after] pairs, got ${pads.length}`);
  const outShape = x.shape.map((s, d) => {
    const [lo, hi] = pads[d]!;
    if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 0 && hi >= 0)) throw new ValueError(`pad: pads must be non-negative integers, got [${lo}, ${hi}] for dim ${d}`);
    return s + lo + hi;
  });
  const out = fill(ctx, numel(outShape), scalarBits(x.dtype, value));
  const os = rowMajor(outShape);
  let off = 0;
  for (let d = 0; d < rank; d++) off += pads[d]![0] * os[d]!;
  writeWindow(ctx, 'pad', { buf: out, strides: os, offset: off }, x.dtype, x.shape, x);
  return out;
}
