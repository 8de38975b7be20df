// LU with partial pivoting on the GPU (the reference's getrf in f32): linear solve, sign and log-|det|,
// the never-throwing luFactor, and the permutation LAPACK pivots encode.
import type { DType } from '../../core/dtype.js';
import { checkGpuDType, errorReporter,  type Access, type GpuContext, type GpuStorage } from './context.js';
import { bindings, broadcastTo, kindOf, load, toKind, LINEAR_MAIN, numel } from './codegen.js';
import type { GView } from './elementwise.js';
import { WGSL_MATH } from './wgsl_math.js';
import { batchLayout, checkSquare, ld, RW, withBatch } from './linalg_common.js';

/**
 * LU with partial pivoting of each n x n matrix of `a` into scratch [nb, n*n + n + 2]: the compact LU,
 * the permutation (u32), info (first zero pivot, 1-based, or 0) and the number of row swaps. With
 * `report`, a zero pivot is reported as linalgSolve's LinAlgError.
 */
function luSquare(ctx: GpuContext, fn: string, a: GView, batch: readonly number[], report: boolean): GpuStorage {
  const r = a.shape.length;
  const n = a.shape[r - 1]!;
  const nb = numel(batch);
  const per = n * n + n + 2;
  const scratch = ctx.alloc(nb * per);
  const L = batchLayout(fn, [a], [2], batch);
  const b = withBatch(nb, [n, a.strides[r - 2]!, a.strides[r - 1]!, a.offset, batch.length > 0 ? 1 : 0], L, ['ao']);
  const access: Access[] = report ? ['write', 'read', 'atomic'] : ['write', 'read'];
  const k = ctx.kernel(`lu_square:${a.dtype}:${report}:${b.cap}`, access, b.vec4s, () => `${WGSL_MATH}${bindings(access.slice(0, 2))}${report ? errorReporter('linalgSolve', 3) : ''}${RW}
${LINEAR_MAIN}
  let n = u32(P(1u));
  let rs = P(2u); let cs = P(3u);
  var ao = P(4u);
  var br = i;
  ${b.code}
  let wb = i * (n * n + n + 2u);
  let pb = wb + n * n;
  for (var r: u32 = 0u; r < n; r++) {
    b0[pb + r] = r;
    for (var c: u32 = 0u; c < n; c++) { S(wb + r * n + c, ${ld('b1', 'ao + i32(r) * rs + i32(c) * cs', a.dtype)}); }
  }
  var info = 0u;
  var swaps = 0u;
  for (var j: u32 = 0u; j < n; j++) {
    var p = j;
    var best = abs(W(wb + j * n + j));
    for (var r: u32 = j + 1u; r < n; r++) {
      let v = abs(W(wb + r * n + j));
      if (v > best) { best = v; p = r; }
    }
    if (best == 0.0) { info = j + 1u; break; }
    if (p != j) {
      swaps++;
      let t = b0[pb + p]; b0[pb + p] = b0[pb + j]; b0[pb + j] = t;
      for (var c: u32 = 0u; c < n; c++) {
        let x = b0[wb + p * n + c]; b0[wb + p * n + c] = b0[wb + j * n + c]; b0[wb + j * n + c] = x;
      }
    }
    let piv = W(wb + j * n + j);
    for (var r: u32 = j + 1u; r < n; r++) {
      let l = W(wb + r * n + j) / piv;
      S(wb + r * n + j, l);
      if (l == 0.0) { continue; }
      for (var c: u32 = j + 1u; c < n; c++) { S(wb + r * n + c, W(wb + r * n + c) - l * W(wb + j * n + c)); }
    }
  }
  b0[pb + n] = info;
  b0[pb + n + 1u] = swaps;
  ${report ? 'if (info > 0u) { report(i32(info), select(-1, i32(i), P(5u) != 0), 0); }' : ''}
}`);
  const bufs = [scratch.buffer, a.buf.buffer, ...(report ? [ctx.errorFlag] : [])];
  ctx.dispatch(k, access, bufs, b.params, Math.ceil(nb / 256));
  return scratch;
}

/** Backend.linalgSolve: LU (a thread per matrix), then substitution (a thread per right-hand column). */
export function linalgSolve(ctx: GpuContext, a: GView, b: GView, outShape: readonly number[], outDtype: DType): GpuStorage {
  for (const d of [a.dtype, b.dtype, outDtype]) checkGpuDType('linalgSolve', d);
  checkSquare('linalgSolve', a);
  const r = outShape.length;
  const n = outShape[r - 2]!, k = outShape[r - 1]!;
  const batch = outShape.slice(0, r - 2);
  const nb = numel(batch);
  const out = ctx.alloc(nb * n * k);
  if (nb * n * k === 0) return out;
  const abatch = { ...a, shape: [...batch, n, n], strides: [...broadcastTo('linalgSolve', batch, a.shape.slice(0, -2), a.strides.slice(0, -2)), ...a.strides.slice(-2)] };
  const lu = luSquare(ctx, 'linalgSolve', abatch, batch, true);
  const L = batchLayout('linalgSolve', [b], [2], batch);
  const rb = b.shape.length;
  const bb = withBatch(nb * k, [n, k, b.strides[rb - 2]!, b.strides[rb - 1]!, b.offset], L, ['bo']);
  const access: Access[] = ['write', 'read', 'read'];
  const kernel = ctx.kernel(`lu_solve:${b.dtype}:${bb.cap}`, access, bb.vec4s, () => `${WGSL_MATH}${bindings(access)}
fn W(i: u32) -> f32 { return bitcast<f32>(b0[i]); }
fn S(i: u32, v: f32) { b0[i] = bitcast<u32>(v); }
fn A(i: u32) -> f32 { return bitcast<f32>(b1[i]); }
${LINEAR_MAIN}
  let n = u32(P(1u)); let k = u32(P(2u));
  let e = i / k; let c = i % k;
  var bo = P(5u);
  var br = e;
  ${bb.code}
  let wb = e * (n * n + n + 2u);
  let pb = wb + n * n;
  let ob = e * n * k + c;
  if (b1[pb + n] != 0u) {
    for (var r: u32 = 0u; r < n; r++) { S(ob + r * k, nan_f()); }
    return;
  }
  for (var r: u32 = 0u; r < n; r++) { S(ob + r * k, ${ld('b2', 'bo + i32(b1[pb + r]) * P(3u) + i32(c) * P(4u)', b.dtype)}); }
  for (var r: u32 = 0u; r < n; r++) {
    var x = W(ob + r * k);
    for (var j: u32 = 0u; j < r; j++) { x -= A(wb + r * n + j) * W(ob + j * k); }
    S(ob + r * k, x);
  }
  for (var t: u32 = 0u; t < n; t++) {
    let r = n - 1u - t;
    var x = W(ob + r * k);
    for (var j: u32 = r + 1u; j < n; j++) { x -= A(wb + r * n + j) * W(ob + j * k); }
    S(ob + r * k, x / A(wb + r * n + r));
  }
}`);
  ctx.dispatch(kernel, access, [out.buffer, lu.buffer, b.buf.buffer], bb.params, Math.ceil((nb * k) / 256));
  ctx.release(lu);
  return out;
}

/** Backend.slogdet: (sign, log|det|) per matrix from its LU; (0, -inf) when singular. */
export function slogdet(ctx: GpuContext, a: GView, outDtype: DType): GpuStorage {
  checkGpuDType('slogdet', a.dtype);
  checkGpuDType('slogdet', outDtype);
  checkSquare('slogdet', a);
  const r = a.shape.length;
  const n = a.shape[r - 1]!;
  const batch = a.shape.slice(0, r - 2);
  const nb = numel(batch);
  const out = ctx.alloc(nb * 2);
  if (nb === 0) return out;
  const lu = luSquare(ctx, 'slogdet', a, batch, false);
  const access: Access[] = ['write', 'read'];
  const k = ctx.kernel('slogdet', access, 1, () => `${WGSL_MATH}${bindings(access)}
${LINEAR_MAIN}
  let n = u32(P(1u));
  let wb = i * (n * n + n + 2u);
  let pb = wb + n * n;
  var sign = select(1.0, -1.0, (b1[pb + n + 1u] & 1u) == 1u);
  var lad = 0.0;
  if (b1[pb + n] != 0u) {
    sign = 0.0;
    lad = -inf_f();
  } else {
    for (var j: u32 = 0u; j < n; j++) {
      let d = bitcast<f32>(b1[wb + j * n + j]);
      if (d < 0.0) { sign = -sign; } else if (isnan_f(d)) { sign = nan_f(); }
      lad += m_log(abs(d));
    }
  }
  b0[2u * i] = bitcast<u32>(sign);
  b0[2u * i + 1u] = bitcast<u32>(lad);
}`);
  ctx.dispatch(k, access, [out.buffer, lu.buffer], [nb, n], Math.ceil(nb / 256));
  ctx.release(lu);
  return out;
}

/** Backend.luFactor: [..., m*n + m + k] per matrix (compact LU, permutation, 1-based pivots), never throws. */
export function luFactor(ctx: GpuContext, a: GView, outDtype: DType): GpuStorage {
  checkGpuDType('luFactor', a.dtype);
  checkGpuDType('luFactor', outDtype);
  const r = a.shape.length;
  const [m, n] = a.shape.slice(r - 2) as [number, number];
  const kk = Math.min(m, n);
  const batch = a.shape.slice(0, r - 2);
  const nb = numel(batch);
  const per = m * n + m + kk;
  const out = ctx.alloc(nb * per);
  if (nb * per === 0) return out;
  const L = batchLayout('luFactor', [a], [2], batch);
  const b = withBatch(nb, [m, n, a.strides[r - 2]!, a.strides[r - 1]!, a.offset], L, ['ao']);
  const access: Access[] = ['write', 'read'];
  const k = ctx.kernel(`lu_factor:${a.dtype}:${b.cap}`, access, b.vec4s, () => `${WGSL_MATH}${bindings(access)}${RW}
${LINEAR_MAIN}
  let m = u32(P(1u)); let n = u32(P(2u));
  let kk = min(m, n);
  var ao = P(5u);
  var br = i;
  ${b.code}
  let wb = i * (m * n + m + kk);
  let pb = wb + m * n;
  let vb = pb + m;
  for (var r: u32 = 0u; r < m; r++) {
    S(pb + r, f32(r));
    for (var c: u32 = 0u; c < n; c++) { S(wb + r * n + c, ${ld('b1', 'ao + i32(r) * P(3u) + i32(c) * P(4u)', a.dtype)}); }
  }
  for (var j: u32 = 0u; j < kk; j++) {
    var p = j;
    var best = abs(W(wb + j * n + j));
    for (var r: u32 = j + 1u; r < m; r++) {
      let v = abs(W(wb + r * n + j));
      if (v > best) { best = v; p = r; }
    }
    S(vb + j, f32(p + 1u));
    if (p != j) {
      let t = b0[pb + p]; b0[pb + p] = b0[pb + j]; b0[pb + j] = t;
      for (var c: u32 = 0u; c < n; c++) {
        let x = b0[wb + p * n + c]; b0[wb + p * n + c] = b0[wb + j * n + c]; b0[wb + j * n + c] = x;
      }
    }
    let d = W(wb + j * n + j);
    if (d == 0.0) { continue; }
    for (var r: u32 = j + 1u; r < m; r++) {
      let l = W(wb + r * n + j) / d;
      S(wb + r * n + j, l);
      if (l == 0.0) { continue; }
      for (var c: u32 = j + 1u; c < n; c++) { S(wb + r * n + c, W(wb + r * n + c) - l * W(wb + j * n + c)); }
    }
  }
}`);
  ctx.dispatch(k, access, [out.buffer, a.buf.buffer], b.params, Math.ceil(nb / 256));
  return out;
}

/** Backend.luPermutation: LAPACK pivots (int32 [..., k], 1-based) to permutations (int32 [..., m]). */
export function luPermutation(ctx: GpuContext, pivots: GView, m: number): GpuStorage {
  checkGpuDType('luPermutation', pivots.dtype);
  const r = pivots.shape.length;
  const k = pivots.shape[r - 1]!;
  const batch = pivots.shape.slice(0, r - 1);
  const nb = numel(batch);
  const out = ctx.alloc(nb * m);
  if (nb * m === 0) return out;
  const L = batchLayout('luPermutation', [pivots], [1], batch);
  const b = withBatch(nb, [m, k, pivots.strides[r - 1]!, pivots.offset], L, ['po']);
  const access: Access[] = ['write', 'read', 'atomic'];
  const kernel = ctx.kernel(`lu_permutation:${pivots.dtype}:${b.cap}`, access, b.vec4s, () => `${WGSL_MATH}${bindings(access.slice(0, 2))}${errorReporter('luPermutation', 3)}
${LINEAR_MAIN}
  let m = u32(P(1u)); let k = u32(P(2u));
  var po = P(4u);
  var br = i;
  ${b.code}
  let ob = i * m;
  for (var r: u32 = 0u; r < m; r++) { b0[ob + r] = r; }
  for (var j: u32 = 0u; j < k; j++) {
    let p = ${toKind(load('b1', 'u32(po + i32(j) * P(3u))', pivots.dtype), kindOf(pivots.dtype), 'i')} - 1;
    if (p < 0 || p >= i32(m)) { report(p + 1, i32(m), i32(j)); return; }
    let t = b0[ob + u32(p)]; b0[ob + u32(p)] = b0[ob + j]; b0[ob + j] = t;
  }
}`);
  ctx.dispatch(kernel, access, [out.buffer, pivots.buf.buffer, ctx.errorFlag], b.params, Math.ceil(nb / 256));
  return out;
}

