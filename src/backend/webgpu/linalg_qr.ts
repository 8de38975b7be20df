// Householder QR (geqrf + orgqr, LAPACK's sign convention) on the GPU, in f32.
import type { DType } from '../../core/dtype.js';
import { checkGpuDType,  type Access, type GpuContext, type GpuStorage } from './context.js';
import { bindings,  LINEAR_MAIN, numel } from './codegen.js';
import type { GView } from './elementwise.js';
import { WGSL_MATH } from './wgsl_math.js';
import { batchLayout, ld, withBatch, HYPOT } from './linalg_common.js';

/**
 * Backend.qr: Householder QR per matrix with LAPACK's signs (R's diagonal k is -sign(a_kk) times the
 * column norm), as the reference; output [..., m*mq + mq*n], Q then R.
 */
export function qr(ctx: GpuContext, a: GView, complete: boolean, outDtype: DType): GpuStorage {
  checkGpuDType('qr', a.dtype);
  checkGpuDType('qr', outDtype);
  const rank = a.shape.length;
  const [m, n] = a.shape.slice(rank - 2) as [number, number];
  const batch = a.shape.slice(0, rank - 2);
  const nb = numel(batch);
  const kk = Math.min(m, n);
  const mq = complete ? m : kk;
  const per = m * mq + mq * n;
  const out = ctx.alloc(nb * per);
  if (nb * per === 0) return out;
  // Scratch per matrix: A (m x n; the Householder vectors below the diagonal, v[0] = 1 implied), then taus.
  const sper = m * n + kk;
  const scratch = ctx.alloc(nb * sper);
  const L = batchLayout('qr', [a], [2], batch);
  const b = withBatch(nb, [m, n, a.strides[rank - 2]!, a.strides[rank - 1]!, a.offset, mq], L, ['ao']);
  const access: Access[] = ['write', 'write', 'read'];
  const k = ctx.kernel(`qr:${a.dtype}:${b.cap}`, access, b.vec4s, () => `${WGSL_MATH}${bindings(access)}
fn A(i: u32) -> f32 { return bitcast<f32>(b1[i]); }
fn SA(i: u32, v: f32) { b1[i] = bitcast<u32>(v); }
fn SO(i: u32, v: f32) { b0[i] = bitcast<u32>(v); }
fn O(i: u32) -> f32 { return bitcast<f32>(b0[i]); }
${HYPOT}
${LINEAR_MAIN}
  let m = u32(P(1u)); let n = u32(P(2u)); let mq = u32(P(6u));
  let kk = min(m, n);
  var ao = P(5u);
  var br = i;
  ${b.code}
  let wb = i * (m * n + kk);
  let tb = wb + m * n;
  let qb = i * (m * mq + mq * n);
  let rb0 = qb + m * mq;
  for (var r: u32 = 0u; r < m; r++) {
    for (var c: u32 = 0u; c < n; c++) { SA(wb + r * n + c, ${ld('b2', 'ao + i32(r) * P(3u) + i32(c) * P(4u)', a.dtype)}); }
  }
  for (var j: u32 = 0u; j < kk; j++) {
    let alpha = A(wb + j * n + j);
    var xnorm = 0.0;
    for (var r: u32 = j + 1u; r < m; r++) { xnorm = hyp(xnorm, A(wb + r * n + j)); }
    if (xnorm == 0.0) { SA(tb + j, 0.0); continue; }
    let nrm = hyp(alpha, xnorm);
    let beta = select(nrm, -nrm, alpha >= 0.0);
    let tau = (beta - alpha) / beta;
    SA(tb + j, tau);
    let scale = 1.0 / (alpha - beta);
    for (var r: u32 = j + 1u; r < m; r++) { SA(wb + r * n + j, A(wb + r * n + j) * scale); }
    SA(wb + j * n + j, beta);
    for (var c: u32 = j + 1u; c < n; c++) {
      var s = A(wb + j * n + c);
      for (var r: u32 = j + 1u; r < m; r++) { s += A(wb + r * n + j) * A(wb + r * n + c); }
      s *= tau;
      if (s != 0.0) {
        SA(wb + j * n + c, A(wb + j * n + c) - s);
        for (var r: u32 = j + 1u; r < m; r++) { SA(wb + r * n + c, A(wb + r * n + c) - s * A(wb + r * n + j)); }
      }
    }
  }
  for (var r: u32 = 0u; r < mq; r++) {
    for (var c: u32 = 0u; c < n; c++) { SO(rb0 + r * n + c, select(0.0, A(wb + r * n + c), c >= r && r < m)); }
  }
  for (var r: u32 = 0u; r < m; r++) {
    for (var c: u32 = 0u; c < mq; c++) { SO(qb + r * mq + c, select(0.0, 1.0, r == c)); }
  }
  for (var t: u32 = 0u; t < kk; t++) {
    let j = kk - 1u - t;
    let tau = A(tb + j);
    if (tau == 0.0) { continue; }
    for (var c: u32 = 0u; c < mq; c++) {
      var s = O(qb + j * mq + c);
      for (var r: u32 = j + 1u; r < m; r++) { s += A(wb + r * n + j) * O(qb + r * mq + c); }
      s *= tau;
      if (s != 0.0) {
        SO(qb + j * mq + c, O(qb + j * mq + c) - s);
        for (var r: u32 = j + 1u; r < m; r++) { SO(qb + r * mq + c, O(qb + r * mq + c) - s * A(wb + r * n + j)); }
      }
    }
  }
}`);
  ctx.dispatch(k, access, [out.buffer, scratch.buffer, a.buf.buffer], b.params, Math.ceil(nb / 256));
  ctx.release(scratch);
  return out;
}

