// Elementwise kernels (unary, binary, where, copy / cast, copyInto, full) built on one generator: a
// "map" over an output shape whose operands are strided views broadcast to it. The output is a new
// contiguous buffer, or a strided window of an existing one (copyInto, concat, pad).
import type { DType } from '../../core/dtype.js';
import type { BinaryOp, UnaryOp, View } from '../backend.js';
import { checkGpuDType, GpuStorage, type Access, type GpuContext } from './context.js';
import {
  bindings, broadcastTo, collapse, isIntDType, kindOf, LINEAR_MAIN, load, nonzero, numel, offsetCode, rowMajor, storeWord,
  toDType, toKind, vec4s, type Kind,
} from './codegen.js';
import { WGSL_MATH } from './wgsl_math.js';

/** A view of this backend's storage. */
export type GView = View<GpuStorage>;

/** Where a map writes: a fresh contiguous buffer, or a strided window of `buf`. */
export interface Window {
  /** The storage written. */
  buf: GpuStorage;
  /** Element strides of the window. */
  strides: readonly number[];
  /** Element offset of the window's first element. */
  offset: number;
}

/**
 * Runs a generated map: out[idx] = body(inputs at idx), inputs broadcast to `shape`. `body` gets one
 * WGSL variable name per input (its value already loaded as its dtype's kind) and returns a WGSL
 * expression, its kind and optionally statements that precede it; `key` must name the body exactly (it keys the kernel cache). Writes into
 * `into` when given (and returns its storage), else into a new contiguous buffer of `outDtype`.
 */
export function runMap(
  ctx: GpuContext,
  fn: string,
  key: string,
  inputs: readonly GView[],
  shape: readonly number[],
  outDtype: DType,
  body: (vals: readonly string[]) => [string, Kind] | [string, Kind, string],
  into?: Window,
): GpuStorage {
  checkGpuDType(fn, outDtype);
  for (const x of inputs) checkGpuDType(fn, x.dtype);
  const n = numel(shape);
  const out = into?.buf ?? ctx.alloc(n);
  if (n === 0) return out;
  const strides = [into ? [...into.strides] : rowMajor(shape), ...inputs.map((x) => broadcastTo(fn, shape, x.shape, x.strides))];
  // An input in the window's own buffer is read through the window's binding (a buffer cannot be bound
  // read-only and writable at once), which is safe only where each thread reads the element it writes.
  const aliased = inputs.map((x, k) => {
    if (into === undefined || x.buf.buffer !== into.buf.buffer) return false;
    if (x.offset !== into.offset || strides[k + 1]!.some((st, d) => st !== strides[0]![d])) throw new Error(`webgpu ${fn}: an input overlaps the window it is written into`);
    return true;
  });
  const L = collapse(shape, strides);
  const r = L.shape.length;
  const windowed = into !== undefined;
  const nops = inputs.length + 1;
  // Parameters: n, shape[r], then per operand: offset, strides[r].
  const params: number[] = [n, ...L.shape];
  const opAt: number[] = [];
  for (let k = 0; k < nops; k++) {
    opAt.push(params.length);
    params.push(k === 0 ? (into?.offset ?? 0) : inputs[k - 1]!.offset, ...L.strides[k]!);
  }
  const access: Access[] = ['write', ...inputs.filter((_, k) => !aliased[k]).map((): Access => 'read')];
  // Each input's binding: b0 when it is the window's own buffer, else the next read-only one.
  let nextBinding = 1;
  const binding = aliased.map((a) => (a ? 0 : nextBinding++));
  const fullKey = `map:${key}:${r}:${windowed ? 'w' : 'c'}:${inputs.map((x, k) => `${x.dtype}${aliased[k] ? '@0' : ''}`).join(',')}:${outDtype}`;
  const kernel = ctx.kernel(fullKey, access, vec4s(params.length), () => {
    const names = inputs.map((_, k) => `v${k}`);
    const offs = windowed ? [0, ...inputs.map((_, k) => k + 1)] : inputs.map((_, k) => k + 1);
    const offNames = offs.map((k) => `o${k}`);
    const [e, kind, pre = ''] = body(names);
    return `${WGSL_MATH}${bindings(access)}
${LINEAR_MAIN}
  ${offsetCode('i', r, 1, offs.map((k) => opAt[k]!), offNames)}
  ${inputs.map((x, k) => `let v${k} = ${load(`b${binding[k]}`, `u32(o${aliased[k] ? 0 : k + 1})`, x.dtype)};`).join('\n  ')}
  ${pre}
  b0[${windowed ? 'u32(o0)' : 'i'}] = ${storeWord(toDType(e, kind, outDtype), outDtype)};
}`;
  });
  ctx.dispatch(kernel, access, [out.buffer, ...inputs.filter((_, k) => !aliased[k]).map((x) => x.buf.buffer)], params, Math.ceil(n / 256));
  return out;
}

/** WGSL of unary `op` on value `x` of `xDtype` for an `outDtype` result, and the kind it computes in. */
export function unaryExpr(op: UnaryOp, x: string, xDtype: DType, outDtype: DType): [string, Kind] {
  const xk = kindOf(xDtype);
  if (op === 'logicalNot') return [`select(0, 1, !${nonzero(x, xk)})`, 'i'];
  if (op === 'isnan') return [xk === 'f' ? `select(0, 1, isnan_f(${x}))` : '0', 'i'];
  // Integer in, int32 out: exact integer arithmetic, as the reference (which wraps like i32).
  if (isIntDType(xDtype) && outDtype === 'int32') {
    switch (op) {
      case 'neg': return [`(-${x})`, 'i'];
      case 'abs': return [`abs(${x})`, 'i'];
      case 'sign': return [`sign(${x})`, 'i'];
      case 'square': return [`(${x} * ${x})`, 'i'];
      case 'floor': case 'ceil': case 'round': return [x, 'i'];
      case 'relu': return [`max(${x}, 0)`, 'i'];
      default: break;
    }
  }
  const f = toKind(x, xk, 'f');
  const e = ((): string => {
    switch (op) {
      case 'neg': return `(-${f})`;
      case 'abs': return `abs(${f})`;
      case 'sign': return `m_sign(${f})`;
      case 'exp': return `m_exp(${f})`;
      case 'log': return `m_log(${f})`;
      case 'log1p': return `m_log1p(${f})`;
      case 'expm1': return `m_expm1(${f})`;
      case 'sqrt': return `m_sqrt(${f})`;
      case 'rsqrt': return `(1.0 / m_sqrt(${f}))`;
      case 'sin': return `m_sin(${f})`;
      case 'cos': return `m_cos(${f})`;
      case 'tan': return `m_tan(${f})`;
      case 'tanh': return `m_tanh(${f})`;
      case 'sigmoid': return `m_sigmoid(${f})`;
      case 'erf': return `m_erf(${f})`;
      case 'floor': return `floor(${f})`;
      case 'ceil': return `ceil(${f})`;
      case 'round': return `round(${f})`; // WGSL's round is ties-to-even, as torch.round
      case 'relu': return `select(0.0, ${f}, ${f} > 0.0 || isnan_f(${f}))`;
      case 'reciprocal': return `(1.0 / ${f})`;
      case 'square': return `(${f} * ${f})`;
      case 'asin': return `m_asin(${f})`;
      case 'acos': return `m_acos(${f})`;
      case 'atan': return `m_atan(${f})`;
      case 'sinh': return `m_sinh(${f})`;
      case 'cosh': return `m_cosh(${f})`;
      default: throw new Error(`webgpu unary: unknown op '${String(op)}'`);
    }
  })();
  return [e, 'f'];
}

const CMP: Partial<Record<BinaryOp, string>> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

/** WGSL of binary `op` on values x (of ad) and y (of bd) for an `outDtype` result, and its kind. */
export function binaryExpr(op: BinaryOp, x: string, y: string, ad: DType, bd: DType, outDtype: DType): [string, Kind] {
  const ak = kindOf(ad), bk = kindOf(bd);
  const cmp = CMP[op];
  if (cmp !== undefined) {
    const k: Kind = ak === 'i' && bk === 'i' ? 'i' : 'f';
    const X = toKind(x, ak, k), Y = toKind(y, bk, k);
    // NaN compares unequal to everything; tested on the bits so that no fast-math assumption drops it.
    const nan = k === 'f' ? `(isnan_f(${X}) || isnan_f(${Y}))` : 'false';
    const c = op === 'ne' ? `(${nan} || ${X} != ${Y})` : `(!${nan} && ${X} ${cmp} ${Y})`;
    return [`select(0, 1, ${c})`, 'i'];
  }
  if (op === 'logicalAnd') return [`select(0, 1, ${nonzero(x, ak)} && ${nonzero(y, bk)})`, 'i'];
  if (op === 'logicalOr') return [`select(0, 1, ${nonzero(x, ak)} || ${nonzero(y, bk)})`, 'i'];
  if (op === 'logicalXor') return [`select(0, 1, ${nonzero(x, ak)} != ${nonzero(y, bk)})`, 'i'];
  if (isIntDType(ad) && isIntDType(bd) && outDtype === 'int32') {
    switch (op) {
      case 'add': return [`(${x} + ${y})`, 'i'];
      case 'sub': return [`(${x} - ${y})`, 'i'];
      case 'mul': return [`(${x} * ${y})`, 'i'];
      case 'div': return [`i_div(${x}, ${y})`, 'i'];
      case 'pow': return [`i_pow(${x}, ${y})`, 'i'];
      case 'maximum': return [`max(${x}, ${y})`, 'i'];
      case 'minimum': return [`min(${x}, ${y})`, 'i'];
      case 'remainder': return [`i_rem(${x}, ${y})`, 'i'];
      default: break;
    }
  }
  const X = toKind(x, ak, 'f'), Y = toKind(y, bk, 'f');
  switch (op) {
    case 'add': return [`(${X} + ${Y})`, 'f'];
    case 'sub': return [`(${X} - ${Y})`, 'f'];
    case 'mul': return [`(${X} * ${Y})`, 'f'];
    case 'div': return [`(${X} / ${Y})`, 'f'];
    case 'pow': return [`m_pow(${X}, ${Y})`, 'f'];
    case 'maximum': return [`fmax_p(${X}, ${Y})`, 'f'];
    case 'minimum': return [`fmin_p(${X}, ${Y})`, 'f'];
    case 'atan2': return [`m_atan2(${X}, ${Y})`, 'f'];
    case 'remainder': return [`m_rem(${X}, ${Y})`, 'f'];
    default: throw new Error(`webgpu binary: unknown op '${String(op)}'`);
  }
}

/** cond ? a : b converted to outDtype, as WGSL. */
export function whereExpr(c: string, a: string, b: string, cd: DType, ad: DType, bd: DType, outDtype: DType): [string, Kind] {
  const A = toDType(a, kindOf(ad), outDtype), B = toDType(b, kindOf(bd), outDtype);
  return [`select(${B}, ${A}, ${nonzero(c, kindOf(cd))})`, kindOf(outDtype)];
}

/** Backend.unary. */
export function unary(ctx: GpuContext, op: UnaryOp, x: GView, outDtype: DType): GpuStorage {
  return runMap(ctx, op, `u:${op}`, [x], x.shape, outDtype, ([v]) => unaryExpr(op, v!, x.dtype, outDtype));
}

/** Backend.binary. */
export function binary(ctx: GpuContext, op: BinaryOp, a: GView, b: GView, outShape: readonly number[], outDtype: DType): GpuStorage {
  return runMap(ctx, op, `b:${op}`, [a, b], outShape, outDtype, ([x, y]) => binaryExpr(op, x!, y!, a.dtype, b.dtype, outDtype));
}

/** Backend.where. */
export function where(ctx: GpuContext, cond: GView, a: GView, b: GView, outShape: readonly number[], outDtype: DType): GpuStorage {
  return runMap(ctx, 'where', 'w', [cond, a, b], outShape, outDtype, ([c, x, y]) =>
    whereExpr(c!, x!, y!, cond.dtype, a.dtype, b.dtype, outDtype));
}

/** Whether the view's elements lie in row-major order from its offset (size-1 dims aside). */
export function isRowMajor(x: GView): boolean {
  let acc = 1;
  for (let d = x.shape.length - 1; d >= 0; d--) {
    if (x.shape[d] !== 1 && x.strides[d] !== acc) return false;
    acc *= x.shape[d]!;
  }
  return true;
}

/** Backend.copy: a contiguous copy, converted to outDtype (a plain buffer copy when nothing changes). */
export function copy(ctx: GpuContext, x: GView, outDtype: DType): GpuStorage {
  checkGpuDType('copy', x.dtype);
  checkGpuDType('copy', outDtype);
  const n = numel(x.shape);
  if (outDtype === x.dtype && isRowMajor(x)) {
    const out = ctx.alloc(n);
    ctx.copyBuffer(x.buf.buffer, x.offset * 4, out.buffer, 0, n * 4);
    return out;
  }
  return runMap(ctx, 'copy', 'c', [x], x.shape, outDtype, ([v]) => [v!, kindOf(x.dtype)]);
}

/** Writes `src` broadcast to `shape` and converted to the window's dtype into the window. */
export function writeWindow(ctx: GpuContext, fn: string, win: Window, winDtype: DType, shape: readonly number[], src: GView): void {
  runMap(ctx, fn, 'c', [src], shape, winDtype, ([v]) => [v!, kindOf(src.dtype)], win);
}

/** Backend.copyInto. */
export function copyInto(ctx: GpuContext, dst: GView, src: GView): void {
  let s = src;
  // A source sharing the destination's memory is snapshotted first, so overlapping reads see old values
  // (and one buffer is never bound both read-only and writable).
  if (src.buf === dst.buf || src.buf.buffer === dst.buf.buffer) {
    s = { buf: copy(ctx, src, src.dtype), dtype: src.dtype, shape: src.shape, strides: rowMajor(src.shape), offset: 0 };
  }
  writeWindow(ctx, 'copyInto', { buf: dst.buf, strides: dst.strides, offset: dst.offset }, dst.dtype, dst.shape, s);
  if (s !== src) ctx.release(s.buf);
}

/** A buffer of `size` elements of `dtype`, all holding the word `bits`. */
export function fill(ctx: GpuContext, size: number, bits: number): GpuStorage {
  const out = ctx.alloc(size);
  if (size === 0) return out;
  if (bits === 0) {
    ctx.clear(out.buffer, size * 4);
    return out;
  }
  const access: Access[] = ['write'];
  const k = ctx.kernel('fill', access, 1, () => `${bindings(access)}
${LINEAR_MAIN}
  b0[i] = bitcast<u32>(P(1u));
}`);
  ctx.dispatch(k, access, [out.buffer], [size, bits], Math.ceil(size / 256));
  return out;
}
