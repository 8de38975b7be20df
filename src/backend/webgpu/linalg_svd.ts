// Reduced SVD by one-sided Jacobi rotations, and the pseudo-inverse built on it, on the GPU in f32.
import type { DType } from '../../core/dtype.js';
import { checkGpuDType,  type Access, type GpuContext, type GpuStorage } from './context.js';
import { bindings,  LINEAR_MAIN, numel } from './codegen.js';
import type { GView } from './elementwise.js';
import { WGSL_MATH } from './wgsl_math.js';
import { batchLayout, ld, withBatch, HYPOT } from './linalg_common.js';

/**
 * Backend.svd: reduced SVD per matrix by one-sided Jacobi rotations (the reference's algorithm, with
 * f32's tolerance): output [..., m + 1 + n, k], U, the singular values (descending), then V; each
 * pair's sign makes u's largest entry positive; U's columns for zero singular values are completed.
 */
export function svd(ctx: GpuContext, a: GView, outDtype: DType): GpuStorage {
  checkGpuDType('svd', a.dtype);
  checkGpuDType('svd', outDtype);
  const rank = a.shape.length;
  const [m, n] = a.shape.slice(rank - 2) as [number, number];
  const kk = Math.min(m, n);
  const M = Math.max(m, n);
  const batch = a.shape.slice(0, rank - 2);
  const nb = numel(batch);
  const per = (m + 1 + n) * kk;
  const out = ctx.alloc(nb * per);
  if (nb * kk === 0) return out;
  // Scratch per matrix: the tall matrix's columns as rows (k x M), V^T (k x k), norms, order (k), x, best (M).
  const sper = kk * M + kk * kk + 2 * kk + 2 * M;
  const scratch = ctx.alloc(nb * sper);
  const L = batchLayout('svd', [a], [2], batch);
  // A wide matrix is decomposed through its transpose: swap the strides and the roles of U and V.
  const wide = m < n;
  const [rs, cs] = [a.strides[rank - 2]!, a.strides[rank - 1]!];
  const b = withBatch(nb, [M, kk, wide ? cs : rs, wide ? rs : cs, a.offset, m, n], L, ['ao']);
  const access: Access[] = ['write', 'write', 'read'];
  const k = ctx.kernel(`svd:${a.dtype}:${b.cap}`, access, b.vec4s, () => `${WGSL_MATH}${bindings(access)}
fn rd(i: u32) -> f32 { return bitcast<f32>(b1[i]); }
fn wr(i: u32, v: f32) { b1[i] = bitcast<u32>(v); }
fn O(i: u32) -> f32 { return bitcast<f32>(b0[i]); }
fn SO(i: u32, v: f32) { b0[i] = bitcast<u32>(v); }
${HYPOT}
${LINEAR_MAIN}
  let M = u32(P(1u)); let N = u32(P(2u));
  let m = u32(P(6u)); let n = u32(P(7u));
  var ao = P(5u);
  var br = i;
  ${b.code}
  let AT = i * (N * M + N * N + 2u * N + 2u * M);
  let VT = AT + N * M; let NR = VT + N * N; let OR = NR + N; let XV = OR + N; let BV = XV + M;
  let ob = i * (m + 1u + n) * N;
  let wide = m < n;
  let UB = select(ob, ob + (m + 1u) * N, wide);
  let VB = select(ob + (m + 1u) * N, ob, wide);
  let SB = ob + m * N;
  for (var r: u32 = 0u; r < M; r++) {
    for (var c: u32 = 0u; c < N; c++) { wr(AT + c * M + r, ${ld('b2', 'ao + i32(r) * P(3u) + i32(c) * P(4u)', a.dtype)}); }
  }
  for (var t: u32 = 0u; t < N * N; t++) { wr(VT + t, select(0.0, 1.0, t % (N + 1u) == 0u)); }
  let tol = sqrt(f32(M)) * 1.2e-7;
  for (var sweep: u32 = 0u; sweep < 100u; sweep++) {
    var rotated = false;
    for (var p: u32 = 0u; p + 1u < N; p++) {
      for (var q: u32 = p + 1u; q < N; q++) {
        var alpha = 0.0; var beta = 0.0; var gamma = 0.0;
        for (var r: u32 = 0u; r < M; r++) {
          let x = rd(AT + p * M + r); let y = rd(AT + q * M + r);
          alpha += x * x; beta += y * y; gamma += x * y;
        }
        if (gamma == 0.0 || !(abs(gamma) > tol * sqrt(alpha * beta))) { continue; }
        rotated = true;
        let zeta = (beta - alpha) / (2.0 * gamma);
        let t = select(-1.0, 1.0, zeta >= 0.0) / (abs(zeta) + sqrt(1.0 + zeta * zeta));
        let c = 1.0 / sqrt(1.0 + t * t);
        let sn = c * t;
        for (var r: u32 = 0u; r < M; r++) {
          let x = rd(AT + p * M + r); let y = rd(AT + q * M + r);
          wr(AT + p * M + r, c * x - sn * y); wr(AT + q * M + r, sn * x + c * y);
        }
        for (var r: u32 = 0u; r < N; r++) {
          let x = rd(VT + p * N + r); let y = rd(VT + q * N + r);
          wr(VT + p * N + r, c * x - sn * y); wr(VT + q * N + r, sn * x + c * y);
        }
      }
    }
    if (!rotated) { break; }
  }
  for (var j: u32 = 0u; j < N; j++) {
    var t = 0.0;
    for (var r: u32 = 0u; r < M; r++) { t = hyp(t, rd(AT + j * M + r)); }
    wr(NR + j, t);
  }
  // Stable insertion sort, descending norms.
  for (var j: u32 = 0u; j < N; j++) {
    var t = j;
    let nj = rd(NR + j);
    loop {
      if (t == 0u) { break; }
      let prev = b1[OR + t - 1u];
      if (!(rd(NR + prev) < nj)) { break; }
      b1[OR + t] = prev;
      t--;
    }
    b1[OR + t] = j;
  }
  for (var j: u32 = 0u; j < N; j++) {
    let src = b1[OR + j];
    let sj = rd(NR + src);
    SO(SB + j, sj);
    for (var r: u32 = 0u; r < N; r++) { SO(VB + r * N + j, rd(VT + src * N + r)); }
    for (var r: u32 = 0u; r < M; r++) { SO(UB + r * N + j, select(0.0, rd(AT + src * M + r) / sj, sj > 0.0)); }
  }
  // Columns of U for zero singular values: the unit vector with the largest residual after two
  // Gram-Schmidt passes against the other columns.
  for (var j: u32 = 0u; j < N; j++) {
    if (O(SB + j) > 0.0) { continue; }
    var bestNorm = -1.0;
    for (var e: u32 = 0u; e < M; e++) {
      for (var r: u32 = 0u; r < M; r++) { wr(XV + r, select(0.0, 1.0, r == e)); }
      for (var gs: u32 = 0u; gs < 2u; gs++) {
        for (var c: u32 = 0u; c < N; c++) {
          if (c == j) { continue; }
          var d = 0.0;
          for (var r: u32 = 0u; r < M; r++) { d += O(UB + r * N + c) * rd(XV + r); }
          if (d != 0.0) { for (var r: u32 = 0u; r < M; r++) { wr(XV + r, rd(XV + r) - d * O(UB + r * N + c)); } }
        }
      }
      var nrm = 0.0;
      for (var r: u32 = 0u; r < M; r++) { nrm = hyp(nrm, rd(XV + r)); }
      if (nrm > bestNorm) {
        bestNorm = nrm;
        for (var r: u32 = 0u; r < M; r++) { wr(BV + r, rd(XV + r)); }
      }
    }
    for (var r: u32 = 0u; r < M; r++) { SO(UB + r * N + j, rd(BV + r) / bestNorm); }
  }
  for (var j: u32 = 0u; j < N; j++) {
    var big = 0u;
    for (var r: u32 = 0u; r < M; r++) { if (abs(O(UB + r * N + j)) > abs(O(UB + big * N + j))) { big = r; } }
    if (O(UB + big * N + j) < 0.0) {
      for (var r: u32 = 0u; r < M; r++) { SO(UB + r * N + j, -O(UB + r * N + j)); }
      for (var r: u32 = 0u; r < N; r++) { SO(VB + r * N + j, -O(VB + r * N + j)); }
    }
  }
}`);
  ctx.dispatch(k, access, [out.buffer, scratch.buffer, a.buf.buffer], b.params, Math.ceil(nb / 256));
  ctx.release(scratch);
  return out;
}

/** Backend.pinv: V diag(1 / s) U^T from the SVD, singular values <= max(atol, rtol * largest) dropped. */
export function pinv(ctx: GpuContext, a: GView, rtol: number, atol: number, outDtype: DType): GpuStorage {
  checkGpuDType('pinv', outDtype);
  const rank = a.shape.length;
  const [m, n] = a.shape.slice(rank - 2) as [number, number];
  const kk = Math.min(m, n);
  const nb = numel(a.shape.slice(0, rank - 2));
  const out = ctx.alloc(nb * n * m);
  if (nb * n * m === 0) return out;
  if (kk === 0) {
    ctx.clear(out.buffer, nb * n * m * 4);
    return out;
  }
  const usv = svd(ctx, a, 'float32');
  const f32bits = (v: number) => new Int32Array(Float32Array.of(v).buffer)[0]!;
  const access: Access[] = ['write', 'read'];
  const k = ctx.kernel('pinv', access, 2, () => `${bindings(access)}
fn X(i: u32) -> f32 { return bitcast<f32>(b1[i]); }
${LINEAR_MAIN}
  let m = u32(P(1u)); let n = u32(P(2u)); let k = u32(P(3u));
  let rtol = bitcast<f32>(P(4u)); let atol = bitcast<f32>(P(5u));
  let c = i % m;
  let r = (i / m) % n;
  let e = i / (m * n);
  let ob = e * (m + 1u + n) * k;
  let sb = ob + m * k;
  let vb = sb + k;
  let cut = max(atol, rtol * X(sb));
  var acc = 0.0;
  for (var j: u32 = 0u; j < k; j++) {
    let s = X(sb + j);
    if (s > cut) { acc += X(vb + r * k + j) / s * X(ob + c * k + j); }
  }
  b0[i] = bitcast<u32>(acc);
}`);
  ctx.dispatch(k, access, [out.buffer, usv.buffer], [nb * n * m, m, n, kk, f32bits(rtol), f32bits(atol)], Math.ceil((nb * n * m) / 256));
  ctx.release(usv);
  return out;
}
