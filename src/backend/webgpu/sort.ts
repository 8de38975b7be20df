// argsort: a bitonic sort of (key, index) pairs per slice. Keys are the values mapped to u32 so that
// unsigned order is numeric order (NaN largest, -0 = +0, flipped for descending); comparing the index
// when keys tie makes the sort stable. Slices up to 1024 sort in workgroup memory; longer ones in
// global scratch buffers, one dispatch per bitonic stage.
import { ValueError } from '../../core/errors.js';
import { checkGpuDType, type Access, type GpuContext, type GpuStorage } from './context.js';
import { bindings, collapse, LINEAR_MAIN, numel, offsetCode, rowMajor, vec4s } from './codegen.js';
import type { GView } from './elementwise.js';

const SHARED_MAX = 1024;

/**
 * WGSL: the sort key of raw word `w`; the dtype (0 float32, 1 int32, 2 bool) and the direction are
 * parameters rather than baked in, so one pipeline serves them all (compiling is the slow part).
 */
const KEY_FN = `fn sort_key(w: u32, dtype: i32, desc: bool) -> u32 {
  var b = w;
  if (dtype == 0) {
    if ((b & 0x7fffffffu) > 0x7f800000u) { b = 0xffffffffu; }
    else {
      if ((b & 0x7fffffffu) == 0u) { b = 0u; }
      b = select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
    }
  } else if (dtype == 1) {
    b = b ^ 0x80000000u;
  }
  return select(b, ~b, desc);
}
// (ka, ia) sorts before (kb, ib).
fn before(ka: u32, ia: u32, kb: u32, ib: u32) -> bool { return ka < kb || (ka == kb && ia < ib); }
`;

const DTYPE_CODE = { float32: 0, int32: 1, bool: 2, float64: -1 } as const;

/** Backend.argsort. */
export function argsort(ctx: GpuContext, x: GView, axis: number, descending: boolean): GpuStorage {
  checkGpuDType('argsort', x.dtype);
  const shape = x.shape;
  const total = numel(shape);
  const out = ctx.alloc(total);
  if (total === 0) return out;
  if (shape.length === 0) {
    ctx.clear(out.buffer, 4);
    return out;
  }
  if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length) throw new ValueError(`argsort: axis ${axis} out of range for rank ${shape.length}`);
  const n = shape[axis]!;
  const P2 = 2 ** Math.ceil(Math.log2(Math.max(n, 2)));
  const os = rowMajor(shape);
  const L = collapse(shape.filter((_, d) => d !== axis), [x.strides.filter((_, d) => d !== axis), os.filter((_, d) => d !== axis)]);
  const rk = L.shape.length;
  const nSlices = total / n;
  // Params: nSlices, n, x axis stride, out axis stride, P2, dtype code, descending, kept shape[rk], x: offset,
  // strides, out: 0, strides.
  const params = [nSlices, n, x.strides[axis]!, os[axis]!, P2, DTYPE_CODE[x.dtype], descending ? 1 : 0, ...L.shape, x.offset, ...L.strides[0]!, 0, ...L.strides[1]!];
  const xAt = 7 + rk, oAt = xAt + 1 + rk;
  const offs = offsetCode('s', rk, 7, [xAt, oAt], ['xb', 'ob']);
  const head = KEY_FN;
  const key = 'sort_key(b1[u32(xb + i32(t) * P(2u))], P(5u), P(6u) != 0)';
  if (P2 <= SHARED_MAX) {
    const access: Access[] = ['write', 'read'];
    const k = ctx.kernel(`argsort:${rk}`, access, vec4s(params.length), () => `${head}${bindings(access)}
var<workgroup> sk: array<u32, ${SHARED_MAX}>;
var<workgroup> si: array<u32, ${SHARED_MAX}>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let s = wid.y * nwg.x + wid.x;
  if (s >= u32(P(0u))) { return; }
  ${offs}
  let n = u32(P(1u));
  let p2 = u32(P(4u));
  for (var t: u32 = li; t < p2; t += 256u) {
    if (t < n) { sk[t] = ${key}; si[t] = t; }
    else { sk[t] = 0xffffffffu; si[t] = 0xffffffffu; }
  }
  workgroupBarrier();
  for (var k: u32 = 2u; k <= p2; k = k << 1u) {
    for (var j: u32 = k >> 1u; j > 0u; j = j >> 1u) {
      for (var q: u32 = li; q < p2 / 2u; q += 256u) {
        let a = 2u * j * (q / j) + (q % j);
        let b = a + j;
        let up = (a & k) == 0u;
        if (before(sk[b], si[b], sk[a], si[a]) == up) {
          let tk = sk[a]; sk[a] = sk[b]; sk[b] = tk;
          let ti = si[a]; si[a] = si[b]; si[b] = ti;
        }
      }
      workgroupBarrier();
    }
  }
  for (var t: u32 = li; t < n; t += 256u) { b0[u32(ob + i32(t) * P(3u))] = si[t]; }
}`);
    ctx.dispatch(k, access, [out.buffer, x.buf.buffer], params, nSlices);
    return out;
  }
  // Global variant: scratch keys and indices [nSlices, P2].
  const keys = ctx.alloc(nSlices * P2);
  const idx = ctx.alloc(nSlices * P2);
  const acc3: Access[] = ['write', 'write', 'read'];
  const init = ctx.kernel(`argsort_init:${rk}`, acc3, vec4s(params.length + 1), () => `${head}${bindings(acc3)}
${LINEAR_MAIN.replace('u32(P(0u))', `u32(P(${params.length}u))`)}
  let p2 = u32(P(4u));
  let s = i / p2;
  let t = i % p2;
  ${offs}
  if (t < u32(P(1u))) { b0[i] = ${key.replace('b1[', 'b2[')}; b1[i] = t; }
  else { b0[i] = 0xffffffffu; b1[i] = 0xffffffffu; }
}`);
  ctx.dispatch(init, acc3, [keys.buffer, idx.buffer, x.buf.buffer], [...params, nSlices * P2], Math.ceil((nSlices * P2) / 256));
  // Bitonic stages with j < 1024 run inside workgroup memory, 1024 elements a block; only the longer
  // strides of the merges (j >= 1024) take a global pass each.
  const acc2: Access[] = ['write', 'write'];
  const local = ctx.kernel('argsort_local', acc2, 1, () => `${KEY_FN}${bindings(acc2)}
var<workgroup> sk: array<u32, ${SHARED_MAX}>;
var<workgroup> si: array<u32, ${SHARED_MAX}>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let blk = wid.y * nwg.x + wid.x;
  if (blk >= u32(P(0u))) { return; }
  let base = blk * ${SHARED_MAX}u;
  let pos = base % u32(P(1u));
  for (var t: u32 = li; t < ${SHARED_MAX}u; t += 256u) { sk[t] = b0[base + t]; si[t] = b1[base + t]; }
  workgroupBarrier();
  for (var k: u32 = u32(P(2u)); k <= u32(P(3u)); k = k << 1u) {
    for (var j: u32 = min(k >> 1u, ${SHARED_MAX / 2}u); j > 0u; j = j >> 1u) {
      for (var q: u32 = li; q < ${SHARED_MAX / 2}u; q += 256u) {
        let a = 2u * j * (q / j) + (q % j);
        let b = a + j;
        let up = ((pos + a) & k) == 0u;
        if (before(sk[b], si[b], sk[a], si[a]) == up) {
          let tk = sk[a]; sk[a] = sk[b]; sk[b] = tk;
          let ti = si[a]; si[a] = si[b]; si[b] = ti;
        }
      }
      workgroupBarrier();
    }
  }
  for (var t: u32 = li; t < ${SHARED_MAX}u; t += 256u) { b0[base + t] = sk[t]; b1[base + t] = si[t]; }
}`);
  const stage = ctx.kernel('argsort_stage', acc2, 1, () => `${KEY_FN}${bindings(acc2)}
${LINEAR_MAIN}
  let p2 = u32(P(1u)); let k = u32(P(2u)); let j = u32(P(3u));
  let half = p2 / 2u;
  let s = i / half;
  let q = i % half;
  let a = s * p2 + 2u * j * (q / j) + (q % j);
  let b = a + j;
  let up = ((a - s * p2) & k) == 0u;
  if (before(b0[b], b1[b], b0[a], b1[a]) == up) {
    let tk = b0[a]; b0[a] = b0[b]; b0[b] = tk;
    let ti = b1[a]; b1[a] = b1[b]; b1[b] = ti;
  }
}`);
  const pairs = (nSlices * P2) / 2;
  const blocks = (nSlices * P2) / SHARED_MAX;
  const bufs = [keys.buffer, idx.buffer];
  ctx.dispatch(local, acc2, bufs, [blocks, P2, 2, SHARED_MAX], blocks);
  for (let kk = 2 * SHARED_MAX; kk <= P2; kk *= 2) {
    for (let j = kk / 2; j >= SHARED_MAX; j /= 2) ctx.dispatch(stage, acc2, bufs, [pairs, P2, kk, j], Math.ceil(pairs / 256));
    ctx.dispatch(local, acc2, bufs, [blocks, P2, kk, kk], blocks);
  }
  const acc2r: Access[] = ['write', 'read'];
  const fin = ctx.kernel(`argsort_out:${rk}`, acc2r, vec4s(params.length), () => `${bindings(acc2r)}
${LINEAR_MAIN.replace('u32(P(0u))', 'u32(P(0u)) * u32(P(1u))')}
  let n = u32(P(1u));
  let s = i / n;
  let t = i % n;
  ${offs}
  b0[u32(ob + i32(t) * P(3u))] = b1[s * u32(P(4u)) + t];
}`);
  ctx.dispatch(fin, acc2r, [out.buffer, idx.buffer], params, Math.ceil(total / 256));
  ctx.release(keys);
  ctx.release(idx);
  return out;
}
