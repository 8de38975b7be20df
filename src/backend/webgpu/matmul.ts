// Batched matmul: each workgroup computes a 64 x 64 output tile, each of its 256 threads a 4 x 4
// block (rows ty + 16 r, columns tx + 16 c, so shared-memory reads and output writes are coalesced),
// stepping through k in tiles of 16 staged in workgroup memory. Operands are strided views; when a
// row-major operand's rows are 16-byte aligned its tile is loaded as vec4 words. Batch dims broadcast
// through per-operand batch strides; batches beyond the grid limit take several dispatches.
import type { DType } from '../../core/dtype.js';
import { ShapeError } from '../../core/errors.js';
import { checkGpuDType, type Access, type GpuContext, type GpuStorage } from './context.js';
import { bindings, broadcastTo, collapse, LINEAR_MAIN, isIntDType, kindOf, load, numel, storeWord, toDType, toKind, vec4s, wgslType, type Kind } from './codegen.js';
import type { GView } from './elementwise.js';
import { WGSL_MATH } from './wgsl_math.js';

const TILE = 64;
const TK = 16;
/**
 * Below this many rows or columns a 64 x 64 tile would mostly idle, and below TK steps of k (outer
 * products, as per-sample weight gradients make) most of its multiply-adds would be padding: a
 * thread per output instead.
 */
const SMALL = 16;

/** WGSL: adds batch element `br`'s offsets to aoff / boff; rank at P(at), then shape, a and b strides. */
function batchOffsets(at: number): string {
  return `let rb = P(${at}u);
  for (var d: i32 = rb - 1; d >= 0; d--) {
    let sz = u32(P(${at + 1}u + u32(d)));
    let bc = i32(br % sz);
    br = br / sz;
    aoff += bc * P(${at + 1}u + u32(rb + d));
    boff += bc * P(${at + 1}u + u32(2 * rb + d));
  }`;
}

/** Columns each thread of the small kernel computes: the row's operand and the index math are shared. */
const COLS = 4;

/**
 * Skinny or tiny matrices (matrix-vector products, batches of small matrices, the outer products of
 * per-sample weight gradients): a thread per COLS adjacent outputs of a row.
 */
function matmulSmall(
  ctx: GpuContext, a: GView, b: GView, out: GpuStorage, dims: readonly number[], nb: number,
  L: { shape: number[]; strides: number[][] }, k: Kind, outDtype: DType,
): GpuStorage {
  const [M, N] = dims as [number, number];
  const total = nb * M * Math.ceil(N / COLS);
  const rb = L.shape.length;
  const cap = Math.max(4, rb);
  // Params: threads, M, N, K, ars, acs, brs, bcs, aoff, boff, rb, batch shape, a batch strides, b batch strides.
  const params = [total, ...dims, a.offset, b.offset, rb, ...L.shape, ...L.strides[0]!, ...L.strides[1]!];
  const access: Access[] = ['write', 'read', 'read'];
  const T = wgslType(k);
  const cols = [...Array(COLS).keys()];
  const kernel = ctx.kernel(`matmul_small:${a.dtype}:${b.dtype}:${outDtype}:${cap}`, access, vec4s(11 + 3 * cap), () => `${WGSL_MATH}${bindings(access)}
${LINEAR_MAIN}
  let M = u32(P(1u)); let N = u32(P(2u)); let K = P(3u);
  let NC = (N + ${COLS - 1}u) / ${COLS}u;
  let c = i32((i % NC) * ${COLS}u);
  let r = i32((i / NC) % M);
  let br0 = i / (M * NC);
  var br = br0;
  var aoff = P(8u); var boff = P(9u);
  ${batchOffsets(10)}
  aoff += r * P(4u);
  boff += c * P(7u);
  let bcs = P(7u);
  let live = min(N - u32(c), ${COLS}u);
  ${cols.map((q) => `var acc${q}: ${T} = ${k === 'f' ? '0.0' : '0'};`).join(' ')}
  for (var t: i32 = 0; t < K; t++) {
    let av = ${toKind(load('b1', 'u32(aoff + t * P(5u))', a.dtype), kindOf(a.dtype), k)};
    let bo = boff + t * P(6u);
    ${cols.map((q) => `${q ? `if (live > ${q}u) { ` : ''}acc${q} += av * ${toKind(load('b2', `u32(bo + ${q} * bcs)`, b.dtype), kindOf(b.dtype), k)};${q ? ' }' : ''}`).join('\n    ')}
  }
  let o = ((br0 * M + u32(r)) * N) + u32(c);
  ${cols.map((q) => `${q ? `if (live > ${q}u) { ` : ''}b0[o + ${q}u] = ${storeWord(toDType(`acc${q}`, k, outDtype), outDtype)};${q ? ' }' : ''}`).join('\n  ')}
}`);
  ctx.dispatch(kernel, access, [out.buffer, a.buf.buffer, b.buf.buffer], params, Math.ceil(total / 256));
  return out;
}

/** Backend.matmul. */
export function matmul(ctx: GpuContext, a: GView, b: GView, outShape: readonly number[], outDtype: DType): GpuStorage {
  checkGpuDType('matmul', a.dtype);
  checkGpuDType('matmul', b.dtype);
  checkGpuDType('matmul', outDtype);
  const ar = a.shape.length, br = b.shape.length, r = outShape.length;
  if (ar < 2 || br < 2 || r < 2) throw new ShapeError(`matmul: operands must have at least 2 dims, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  let M = a.shape[ar - 2]!;
  const K = a.shape[ar - 1]!, N = b.shape[br - 1]!;
  if (b.shape[br - 2] !== K || outShape[r - 2] !== M || outShape[r - 1] !== N) {
    throw new ShapeError(`matmul: shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] do not multiply into [${outShape.join(', ')}]`);
  }
  const batchShape = outShape.slice(0, r - 2);
  let nb = numel(batchShape);
  const out = ctx.alloc(nb * M * N);
  if (nb * M * N === 0) return out;
  if (K === 0) {
    ctx.clear(out.buffer, nb * M * N * 4);
    return out;
  }
  const asb = broadcastTo('matmul', batchShape, a.shape.slice(0, ar - 2), a.strides.slice(0, ar - 2));
  const bsb = broadcastTo('matmul', batchShape, b.shape.slice(0, br - 2), b.strides.slice(0, br - 2));
  let L = collapse(batchShape, [asb, bsb]);
  let ars = a.strides[ar - 2]!;
  const acs = a.strides[ar - 1]!;
  // A batch of A's against one B (vmap of x @ W) is one taller product when A's rows continue evenly
  // across its batches: a single GEMM instead of many thin ones.
  if (L.shape.length === 1 && L.strides[1]![0] === 0 && (M === 1 || L.strides[0]![0] === M * ars)) {
    if (M === 1) ars = L.strides[0]![0]!;
    M *= nb;
    nb = 1;
    L = { shape: [], strides: [[], []] };
  }
  const rb = L.shape.length;
  const [brs, bcs] = [b.strides[br - 2]!, b.strides[br - 1]!];
  const aligned4 = (off: number, rs: number, cs: number, inner: number, bstr: readonly number[]) =>
    cs === 1 && rs % 4 === 0 && off % 4 === 0 && inner % 4 === 0 && bstr.every((s) => s % 4 === 0);
  // M = 1 makes the row stride meaningless, so any value works; likewise K = 1 for B.
  const vecA = aligned4(a.offset, M === 1 ? 0 : ars, K === 1 ? 1 : acs, K, L.strides[0]!);
  const vecB = aligned4(b.offset, K === 1 ? 0 : brs, N === 1 ? 1 : bcs, N, L.strides[1]!);
  const k: Kind = isIntDType(a.dtype) && isIntDType(b.dtype) && outDtype === 'int32' ? 'i' : 'f';
  const T = wgslType(k);
  if (M < SMALL || N < SMALL || K < TK) return matmulSmall(ctx, a, b, out, [M, N, K, ars, acs, brs, bcs], nb, L, k, outDtype);
  const zero = k === 'f' ? '0.0' : '0';
  // Params: M, N, K, ars, acs, brs, bcs, aoff, boff, batchBase, rb, batch shape[rb], a batch strides, b batch
  // strides. The batch rank is read at run time (up to `cap` dims per uniform size), to keep variants few.
  const head = [M, N, K, ars, acs, brs, bcs, a.offset, b.offset];
  const cap = Math.max(4, rb);
  const nParams = head.length + 2 + 3 * cap;
  const access: Access[] = ['write', 'read', 'read', ...(vecA ? ['read' as const] : []), ...(vecB ? ['read' as const] : [])];
  const key = `matmul:${a.dtype}:${b.dtype}:${outDtype}:${cap}:${vecA ? 'va' : 'sa'}:${vecB ? 'vb' : 'sb'}`;
  const kernel = ctx.kernel(key, access, vec4s(nParams), () => {
    const av = (off: string) => toKind(load('b1', off, a.dtype), kindOf(a.dtype), k);
    const bv = (off: string) => toKind(load('b2', off, b.dtype), kindOf(b.dtype), k);
    const word = (w: string, dt: DType) => (dt === 'float32' ? `bitcast<f32>(${w})` : dt === 'int32' ? `bitcast<i32>(${w})` : `i32(${w})`);
    const conv = (w: string, dt: DType) => toKind(word(w, dt), kindOf(dt), k);
    const loadA = vecA
      ? `{
      let mm = li / 4u; let kq = li % 4u;
      let gr = row0 + mm; let gk = t + kq * 4u;
      var w = vec4<u32>(0u);
      if (gr < M && gk < K) { w = a4[u32(aoff + i32(gr) * ars + i32(gk)) / 4u]; }
      As[(kq * 4u) * 64u + mm] = ${conv('w.x', a.dtype)}; As[(kq * 4u + 1u) * 64u + mm] = ${conv('w.y', a.dtype)};
      As[(kq * 4u + 2u) * 64u + mm] = ${conv('w.z', a.dtype)}; As[(kq * 4u + 3u) * 64u + mm] = ${conv('w.w', a.dtype)};
    }`
      : `for (var q: u32 = 0u; q < 4u; q++) {
      let e = li + q * 256u; let mm = e / 16u; let kk = e % 16u;
      let gr = row0 + mm; let gk = t + kk;
      var v: ${T} = ${zero};
      if (gr < M && gk < K) { v = ${av('u32(aoff + i32(gr) * ars + i32(gk) * acs)')}; }
      As[kk * 64u + mm] = v;
    }`;
    const loadB = vecB
      ? `{
      let kk = li / 16u; let nq = li % 16u;
      let gk = t + kk; let gc = col0 + nq * 4u;
      var w = vec4<u32>(0u);
      if (gk < K && gc < N) { w = b4[u32(boff + i32(gk) * brs + i32(gc)) / 4u]; }
      Bs[kk * 64u + nq * 4u] = ${conv('w.x', b.dtype)}; Bs[kk * 64u + nq * 4u + 1u] = ${conv('w.y', b.dtype)};
      Bs[kk * 64u + nq * 4u + 2u] = ${conv('w.z', b.dtype)}; Bs[kk * 64u + nq * 4u + 3u] = ${conv('w.w', b.dtype)};
    }`
      : `for (var q: u32 = 0u; q < 4u; q++) {
      let e = li + q * 256u; let kk = e / 64u; let nn = e % 64u;
      let gk = t + kk; let gc = col0 + nn;
      var v: ${T} = ${zero};
      if (gk < K && gc < N) { v = ${bv('u32(boff + i32(gk) * brs + i32(gc) * bcs)')}; }
      Bs[kk * 64u + nn] = v;
    }`;
    const writeOut = [0, 1, 2, 3].map((r) => `if (row0 + ty + ${16 * r}u < M) {
    let o = obase + (row0 + ty + ${16 * r}u) * N + col0 + tx;
    ${[0, 1, 2, 3].map((c) => `if (col0 + tx + ${16 * c}u < N) { b0[o + ${16 * c}u] = ${storeWord(toDType(`acc${r}[${c}]`, k, outDtype), outDtype)}; }`).join('\n    ')}
  }`).join('\n  ');
    // The vec4 variants bind the same buffers a second time as arrays of vec4<u32>.
    const vecDecl = `${vecA ? '@group(0) @binding(4) var<storage, read> a4: array<vec4<u32>>;\n' : ''}${vecB ? `@group(0) @binding(${vecA ? 5 : 4}) var<storage, read> b4: array<vec4<u32>>;\n` : ''}`;
    // The math helpers are only needed for a float accumulator stored as int32 / bool.
    return `${k === 'f' && outDtype !== 'float32' ? WGSL_MATH : ''}
@group(0) @binding(1) var<storage, read_write> b0: array<u32>;
@group(0) @binding(2) var<storage, read> b1: array<u32>;
@group(0) @binding(3) var<storage, read> b2: array<u32>;
${vecDecl}
var<workgroup> As: array<${T}, ${TILE * TK}>;
var<workgroup> Bs: array<${T}, ${TILE * TK}>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let M = u32(P(0u)); let N = u32(P(1u)); let K = u32(P(2u));
  let ars = P(3u); let acs = P(4u); let brs = P(5u); let bcs = P(6u);
  var aoff = P(7u); var boff = P(8u);
  let batch = wid.z + u32(P(9u));
  var br: u32 = batch;
  ${batchOffsets(10)}
  let row0 = wid.y * 64u; let col0 = wid.x * 64u;
  let tx = li % 16u; let ty = li / 16u;
  // Four vec4 accumulators (rows ty + 16 r, columns tx + 16 c) stay in registers.
  var acc0 = vec4<${T}>(${zero}); var acc1 = vec4<${T}>(${zero}); var acc2 = vec4<${T}>(${zero}); var acc3 = vec4<${T}>(${zero});
  for (var t: u32 = 0u; t < K; t += ${TK}u) {
    ${loadA}
    ${loadB}
    workgroupBarrier();
    for (var kk: u32 = 0u; kk < ${TK}u; kk++) {
      let bv = vec4<${T}>(Bs[kk * 64u + tx], Bs[kk * 64u + tx + 16u], Bs[kk * 64u + tx + 32u], Bs[kk * 64u + tx + 48u]);
      acc0 += As[kk * 64u + ty] * bv;
      acc1 += As[kk * 64u + ty + 16u] * bv;
      acc2 += As[kk * 64u + ty + 32u] * bv;
      acc3 += As[kk * 64u + ty + 48u] * bv;
    }
    workgroupBarrier();
  }
  let obase = batch * M * N;
  ${writeOut}
}`;
  });
  const gx = Math.ceil(N / TILE), gy = Math.ceil(M / TILE);
  const lim = ctx.maxGroups;
  if (gx > lim || gy > lim) throw new ShapeError(`matmul: [${M}, ${N}] output is too large for one dispatch on 'webgpu'`);
  const buffers = [out.buffer, a.buf.buffer, b.buf.buffer, ...(vecA ? [a.buf.buffer] : []), ...(vecB ? [b.buf.buffer] : [])];
  for (let base = 0; base < nb; base += lim) {
    const params = [...head, base, rb, ...L.shape, ...L.strides[0]!, ...L.strides[1]!];
    ctx.dispatch(kernel, access, buffers, params, [gx, gy, Math.min(lim, nb - base)]);
  }
  return out;
}
