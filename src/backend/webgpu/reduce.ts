// Reductions (sum / prod / max / min), argmax / argmin and cumsum. Long reductions give each output a
// workgroup that strides over the reduced elements and combines its 256 partials by a tree in
// workgroup memory; short ones give each output a thread. cumsum scans long slices in 256-element
// chunks with a Hillis-Steele scan in workgroup memory, carrying the running total between chunks.
import type { DType } from '../../core/dtype.js';
import { ValueError } from '../../core/errors.js';
import type { ReduceOp } from '../backend.js';
import { checkGpuDType, type Access, type GpuContext, type GpuStorage } from './context.js';
import { bindings, collapse, isIntDType, kindOf, LINEAR_MAIN, load, numel, offsetCode, rowMajor, storeWord, toDType, toKind, vec4s, wgslType, type Kind } from './codegen.js';
import { copy, type GView } from './elementwise.js';
import { WGSL_MATH } from './wgsl_math.js';

/**
 * Whether a reduction of `len` elements into `nOut` outputs gets a workgroup per output (a tree in
 * workgroup memory) rather than a thread per output (a serial loop): for long reductions, or
 * moderately long ones with too few outputs to fill the GPU thread by thread.
 */
function wideReduction(len: number, nOut: number): boolean {
  return len >= 1024 || (len >= 64 && nOut <= 4096);
}

function combine(op: ReduceOp, k: Kind, a: string, b: string): string {
  switch (op) {
    case 'sum': return `(${a} + ${b})`;
    case 'prod': return `(${a} * ${b})`;
    case 'max': return k === 'f' ? `fmax_p(${a}, ${b})` : `max(${a}, ${b})`;
    case 'min': return k === 'f' ? `fmin_p(${a}, ${b})` : `min(${a}, ${b})`;
  }
}

function identity(op: ReduceOp, k: Kind): string {
  if (op === 'sum') return k === 'f' ? '0.0' : '0';
  if (op === 'prod') return k === 'f' ? '1.0' : '1';
  if (k === 'i') return op === 'max' ? 'i32(-2147483647 - 1)' : '2147483647';
  return op === 'max' ? '-inf_f()' : 'inf_f()';
}

/** Splits x's dims into kept (output) and reduced ones, each simplified. */
function split(x: GView, axes: readonly number[]): { kept: { shape: number[]; strides: number[] }; red: { shape: number[]; strides: number[] } } {
  const isRed = x.shape.map((_, d) => axes.includes(d));
  const pick = (want: boolean) => {
    const shape = x.shape.filter((_, d) => isRed[d] === want);
    const strides = x.strides.filter((_, d) => isRed[d] === want);
    const L = collapse(shape, want ? [strides] : [strides, rowMajor(shape)]);
    return { shape: L.shape, strides: L.strides[0]! };
  };
  return { kept: pick(false), red: pick(true) };
}

/** Backend.reduce. */
export function reduce(ctx: GpuContext, op: ReduceOp, x: GView, axes: readonly number[], outDtype: DType): GpuStorage {
  checkGpuDType(op, x.dtype);
  checkGpuDType(op, outDtype);
  for (const a of axes) if (!Number.isInteger(a) || a < 0 || a >= x.shape.length) throw new ValueError(`${op}: axis ${a} out of range for rank ${x.shape.length}`);
  const { kept, red } = split(x, axes);
  const nOut = numel(kept.shape);
  const R = numel(red.shape);
  const out = ctx.alloc(nOut);
  if (nOut === 0) return out;
  if (R === 0 && (op === 'max' || op === 'min')) {
    throw new ValueError(`${op}(): cannot reduce over an empty dimension (input shape [${x.shape.join(', ')}]) without an identity`);
  }
  // Integer in and integer out: exact wrapping i32 arithmetic, as the reference's double (then ToInt32) gives.
  const k: Kind = isIntDType(x.dtype) && isIntDType(outDtype) ? 'i' : 'f';
  const T = wgslType(k);
  const rk = kept.shape.length, rr = red.shape.length;
  // Params: nOut, R, offset, kept shape, kept strides, red shape, red strides.
  const params = [nOut, R, x.offset, ...kept.shape, ...kept.strides, ...red.shape, ...red.strides];
  const keptAt = 3, redAt = 3 + 2 * rk;
  // offsetCode wants [offset, strides...] per operand; emit the two decompositions by hand instead.
  const decomp = (idx: string, rank: number, at: number, name: string, tag: string) => {
    const lines = [`var ${name}: i32 = 0;`];
    if (rank > 0) lines.push(`var ${tag}r: u32 = ${idx};`);
    for (let d = rank - 1; d >= 0; d--) {
      if (d > 0) lines.push(`let ${tag}s${d} = u32(P(${at + d}u)); let ${tag}c${d} = i32(${tag}r % ${tag}s${d}); ${tag}r = ${tag}r / ${tag}s${d};`);
      else lines.push(`let ${tag}c0 = i32(${tag}r);`);
      lines.push(`${name} += ${tag}c${d} * P(${at + rank + d}u);`);
    }
    return lines.join('\n  ');
  };
  const wide = wideReduction(R, nOut);
  const access: Access[] = ['write', 'read'];
  const key = `reduce:${op}:${x.dtype}:${outDtype}:${rk}:${rr}:${wide ? 'wg' : 't'}`;
  const kernel = ctx.kernel(key, access, vec4s(params.length), () => {
    const val = (off: string) => toKind(load('b1', off, x.dtype), kindOf(x.dtype), k);
    const store = (e: string) => `b0[o] = ${storeWord(toDType(e, k, outDtype), outDtype)};`;
    if (!wide) {
      return `${WGSL_MATH}${bindings(access)}
${LINEAR_MAIN}
  let o = i;
  ${decomp('o', rk, keptAt, 'base', 'k')}
  var acc: ${T} = ${identity(op, k)};
  let R = u32(P(1u));
  for (var r: u32 = 0u; r < R; r++) {
    ${decomp('r', rr, redAt, 'ro', 'x')}
    acc = ${combine(op, k, 'acc', val(`u32(P(2u) + base + ro)`))};
  }
  ${store('acc')}
}`;
    }
    return `${WGSL_MATH}${bindings(access)}
var<workgroup> sh: array<${T}, 256>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let o = wid.y * nwg.x + wid.x;
  if (o >= u32(P(0u))) { return; }
  ${decomp('o', rk, keptAt, 'base', 'k')}
  var acc: ${T} = ${identity(op, k)};
  let R = u32(P(1u));
  for (var r: u32 = li; r < R; r += 256u) {
    ${decomp('r', rr, redAt, 'ro', 'x')}
    acc = ${combine(op, k, 'acc', val(`u32(P(2u) + base + ro)`))};
  }
  sh[li] = acc;
  workgroupBarrier();
  for (var s: u32 = 128u; s > 0u; s = s >> 1u) {
    if (li < s) { sh[li] = ${combine(op, k, 'sh[li]', 'sh[li + s]')}; }
    workgroupBarrier();
  }
  if (li == 0u) { ${store('sh[0]')} }
}`;
  });
  ctx.dispatch(kernel, access, [out.buffer, x.buf.buffer], params, wide ? nOut : Math.ceil(nOut / 256));
  return out;
}

/** Backend.argReduce: the first index of the max / min (the first NaN wins over any number). */
export function argReduce(ctx: GpuContext, op: 'argmax' | 'argmin', x: GView, axis: number): GpuStorage {
  checkGpuDType(op, x.dtype);
  const shape = x.shape;
  if (!Number.isInteger(axis) || axis < 0 || axis >= Math.max(shape.length, 1)) throw new ValueError(`${op}: axis ${axis} out of range for rank ${shape.length}`);
  if (shape.length === 0) return ctx.fromWords(new Int32Array(1));
  const kshape = shape.filter((_, d) => d !== axis);
  const kstrides = x.strides.filter((_, d) => d !== axis);
  const L = collapse(kshape, [kstrides]);
  const nOut = numel(kshape);
  const out = ctx.alloc(nOut);
  if (nOut === 0) return out;
  const len = shape[axis]!;
  if (len === 0) throw new ValueError(`${op}(): cannot reduce over an empty dimension of size 0 (axis ${axis})`);
  const k = kindOf(x.dtype);
  const T = wgslType(k);
  const rk = L.shape.length;
  // Params: nOut, len, axis stride, kept shape[rk], offset, kept strides[rk].
  const params = [nOut, len, x.strides[axis]!, ...L.shape, x.offset, ...L.strides[0]!];
  const better = op === 'argmax' ? '>' : '<';
  // (va, ia) beats (vb, ib): a NaN beats a number, a strictly better value wins, ties go to the lower index.
  const nanA = k === 'f' ? 'isnan_f(va)' : 'false', nanB = k === 'f' ? 'isnan_f(vb)' : 'false';
  const wide = wideReduction(len, nOut);
  const access: Access[] = ['write', 'read'];
  const kernel = ctx.kernel(`arg:${op}:${x.dtype}:${rk}:${wide ? 'wg' : 't'}`, access, vec4s(params.length), () => {
    const beats = `fn beats(va: ${T}, ia: u32, vb: ${T}, ib: u32) -> bool {
  if (ia == 0xffffffffu) { return false; }
  if (ib == 0xffffffffu) { return true; }
  let na = ${nanA}; let nb = ${nanB};
  if (na || nb) { return select(na, ia < ib, na && nb); }
  if (va ${better} vb) { return true; }
  return va == vb && ia < ib;
}`;
    const scan = (start: string, step: string) => `let len = u32(P(1u));
  let st = P(2u);
  var bv: ${T} = ${k === 'f' ? '0.0' : '0'};
  var bi: u32 = 0xffffffffu;
  for (var r: u32 = ${start}; r < len; r += ${step}) {
    let v = ${load('b1', 'u32(base + i32(r) * st)', x.dtype)};
    if (beats(v, r, bv, bi)) { bv = v; bi = r; }
  }`;
    if (!wide) {
      return `${WGSL_MATH}${bindings(access)}${beats}
${LINEAR_MAIN}
  let o = i;
  ${offsetCode('o', rk, 3, [3 + rk], ['base'], 'k')}
  ${scan('0u', '1u')}
  b0[o] = bi;
}`;
    }
    return `${WGSL_MATH}${bindings(access)}${beats}
var<workgroup> sv: array<${T}, 256>;
var<workgroup> si: array<u32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let o = wid.y * nwg.x + wid.x;
  if (o >= u32(P(0u))) { return; }
  ${offsetCode('o', rk, 3, [3 + rk], ['base'], 'k')}
  ${scan('li', '256u')}
  sv[li] = bv; si[li] = bi;
  workgroupBarrier();
  for (var s: u32 = 128u; s > 0u; s = s >> 1u) {
    if (li < s && beats(sv[li + s], si[li + s], sv[li], si[li])) { sv[li] = sv[li + s]; si[li] = si[li + s]; }
    workgroupBarrier();
  }
  if (li == 0u) { b0[o] = si[0]; }
}`;
  });
  ctx.dispatch(kernel, access, [out.buffer, x.buf.buffer], params, wide ? nOut : Math.ceil(nOut / 256));
  return out;
}

/** Backend.cumsum (inclusive). */
export function cumsum(ctx: GpuContext, x: GView, axis: number, outDtype: DType): GpuStorage {
  checkGpuDType('cumsum', x.dtype);
  checkGpuDType('cumsum', outDtype);
  const shape = x.shape;
  if (shape.length === 0) return copy(ctx, x, outDtype);
  if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length) throw new ValueError(`cumsum: axis ${axis} out of range for rank ${shape.length}`);
  const n = numel(shape);
  const out = ctx.alloc(n);
  if (n === 0) return out;
  const len = shape[axis]!;
  const os = rowMajor(shape);
  const kshape = shape.filter((_, d) => d !== axis);
  const L = collapse(kshape, [x.strides.filter((_, d) => d !== axis), os.filter((_, d) => d !== axis)]);
  const rk = L.shape.length;
  const nSlices = n / len;
  const k: Kind = isIntDType(x.dtype) && isIntDType(outDtype) ? 'i' : 'f';
  const T = wgslType(k);
  // Params: nSlices, len, x axis stride, out axis stride, shape[rk], x: offset, strides[rk], out: 0, strides[rk].
  const params = [nSlices, len, x.strides[axis]!, os[axis]!, ...L.shape, x.offset, ...L.strides[0]!, 0, ...L.strides[1]!];
  const xAt = 4 + rk, oAt = xAt + 1 + rk;
  const wide = wideReduction(len, nSlices);
  const access: Access[] = ['write', 'read'];
  const val = (off: string) => toKind(load('b1', off, x.dtype), kindOf(x.dtype), k);
  const st = (e: string) => storeWord(toDType(e, k, outDtype), outDtype);
  const kernel = ctx.kernel(`cumsum:${x.dtype}:${outDtype}:${rk}:${wide ? 'wg' : 't'}`, access, vec4s(params.length), () => {
    const offs = offsetCode('s', rk, 4, [xAt, oAt], ['xb', 'ob']);
    if (!wide) {
      return `${WGSL_MATH}${bindings(access)}
${LINEAR_MAIN}
  let s = i;
  ${offs}
  var acc: ${T} = ${k === 'f' ? '0.0' : '0'};
  for (var a: i32 = 0; a < P(1u); a++) {
    acc = acc + ${val('u32(xb + a * P(2u))')};
    b0[u32(ob + a * P(3u))] = ${st('acc')};
  }
}`;
    }
    return `${WGSL_MATH}${bindings(access)}
var<workgroup> sh: array<${T}, 256>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let s = wid.y * nwg.x + wid.x;
  if (s >= u32(P(0u))) { return; }
  ${offs}
  let len = P(1u);
  var carry: ${T} = ${k === 'f' ? '0.0' : '0'};
  for (var c: i32 = 0; c < len; c += 256) {
    let a = c + i32(li);
    var v: ${T} = ${k === 'f' ? '0.0' : '0'};
    if (a < len) { v = ${val('u32(xb + a * P(2u))')}; }
    sh[li] = v;
    workgroupBarrier();
    for (var d: u32 = 1u; d < 256u; d = d << 1u) {
      var t: ${T} = sh[li];
      if (li >= d) { t = t + sh[li - d]; }
      workgroupBarrier();
      sh[li] = t;
      workgroupBarrier();
    }
    if (a < len) { b0[u32(ob + a * P(3u))] = ${st('carry + sh[li]')}; }
    carry = carry + sh[255];
    workgroupBarrier();
  }
}`;
  });
  ctx.dispatch(kernel, access, [out.buffer, x.buf.buffer], params, wide ? nSlices : Math.ceil(nSlices / 256));
  return out;
}
