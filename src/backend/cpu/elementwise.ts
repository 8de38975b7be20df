// Elementwise kernels (unary, binary, where): per-op specialized loops generated once and cached.
import { arrayFor, type DType, type TypedArray } from '../../core/dtype.js';
import type { BinaryOp, UnaryOp } from '../backend.js';
import type { View } from './view.js';
import { mathHelpers } from './math.js';
import { broadcastStrides, getKernel, rowMajor, runKernel, sizeOf, storeExpr } from './strided.js';

export const isInt = (d: DType) => d === 'int32' || d === 'bool';

/** Unary op expressions of `x` (a double); `intMath` when input and output are integral. */
export function unaryExpr(op: UnaryOp, intMath: boolean): string {
  switch (op) {
    case 'neg': return '-x';
    case 'abs': return 'Math.abs(x)';
    case 'sign': return '(x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : x)';
    case 'exp': return 'Math.exp(x)';
    case 'log': return 'Math.log(x)';
    case 'log1p': return 'Math.log1p(x)';
    case 'expm1': return 'Math.expm1(x)';
    case 'sqrt': return 'Math.sqrt(x)';
    case 'rsqrt': return '1 / Math.sqrt(x)';
    case 'sin': return 'Math.sin(x)';
    case 'cos': return 'Math.cos(x)';
    case 'tan': return 'Math.tan(x)';
    case 'tanh': return 'Math.tanh(x)';
    case 'sigmoid': return 'sigmoid(x)';
    case 'erf': return 'erf(x)';
    case 'floor': return 'Math.floor(x)';
    case 'ceil': return 'Math.ceil(x)';
    case 'round': return 'roundHalfEven(x)';
    case 'relu': return '(x > 0 || x !== x ? x : 0)'; // NaN propagates, as torch.relu
    case 'logicalNot': return '(x === 0 ? 1 : 0)';
    case 'reciprocal': return '1 / x';
    case 'square': return intMath ? 'Math.imul(x, x)' : 'x * x';
    case 'asin': return 'Math.asin(x)';
    case 'acos': return 'Math.acos(x)';
    case 'atan': return 'Math.atan(x)';
    case 'sinh': return 'Math.sinh(x)';
    case 'cosh': return 'Math.cosh(x)';
    case 'isnan': return '(x !== x ? 1 : 0)';
    default: throw new Error(`unary: unknown op '${String(op)}'`);
  }
}

/** Binary op expressions of `x`, `y` (doubles). */
export function binaryExpr(op: BinaryOp, intMath: boolean): string {
  switch (op) {
    case 'add': return 'x + y';
    case 'sub': return 'x - y';
    case 'mul': return intMath ? 'Math.imul(x, y)' : 'x * y';
    case 'div': return 'x / y';
    case 'pow': return intMath ? 'Math.pow(x, y)' : 'powC99(x, y)';
    case 'maximum': return 'Math.max(x, y)';
    case 'minimum': return 'Math.min(x, y)';
    case 'atan2': return 'Math.atan2(x, y)';
    case 'remainder': return 'pyRemainder(x, y)';
    case 'eq': return '(x === y ? 1 : 0)';
    case 'ne': return '(x !== y ? 1 : 0)';
    case 'lt': return '(x < y ? 1 : 0)';
    case 'le': return '(x <= y ? 1 : 0)';
    case 'gt': return '(x > y ? 1 : 0)';
    case 'ge': return '(x >= y ? 1 : 0)';
    case 'logicalAnd': return '(x !== 0 && y !== 0 ? 1 : 0)';
    case 'logicalOr': return '(x !== 0 || y !== 0 ? 1 : 0)';
    case 'logicalXor': return '((x !== 0) !== (y !== 0) ? 1 : 0)';
    default: throw new Error(`binary: unknown op '${String(op)}'`);
  }
}

export function unary(op: UnaryOp, x: View, outDtype: DType): TypedArray {
  const shape = x.shape;
  const out = arrayFor(outDtype, sizeOf(shape));
  const e = unaryExpr(op, isInt(x.dtype) && outDtype === 'int32');
  const kernel = getKernel(
    `u:${op}:${outDtype}:${x.dtype}`,
    { nops: 2, body: `{ const x = b1[p1]; b0[p0] = ${storeExpr(outDtype, e)}; }` },
    mathHelpers,
  );
  runKernel(kernel, shape, [out, x.buf], [rowMajor(shape), x.strides], [0, x.offset]);
  return out;
}

export function binary(op: BinaryOp, a: View, b: View, outShape: readonly number[], outDtype: DType): TypedArray {
  const out = arrayFor(outDtype, sizeOf(outShape));
  const sa = broadcastStrides(op, a, outShape);
  const sb = broadcastStrides(op, b, outShape);
  const e = binaryExpr(op, isInt(a.dtype) && isInt(b.dtype) && outDtype === 'int32');
  const kernel = getKernel(
    `b:${op}:${outDtype}:${a.dtype}:${b.dtype}`,
    { nops: 3, body: `{ const x = b1[p1], y = b2[p2]; b0[p0] = ${storeExpr(outDtype, e)}; }` },
    mathHelpers,
  );
  runKernel(kernel, outShape, [out, a.buf, b.buf], [rowMajor(outShape), sa, sb], [0, a.offset, b.offset]);
  return out;
}

export function where(cond: View, a: View, b: View, outShape: readonly number[], outDtype: DType): TypedArray {
  const out = arrayFor(outDtype, sizeOf(outShape));
  const sc = broadcastStrides('where', cond, outShape);
  const sa = broadcastStrides('where', a, outShape);
  const sb = broadcastStrides('where', b, outShape);
  const kernel = getKernel(`w:${outDtype}:${cond.dtype}:${a.dtype}:${b.dtype}`, {
    nops: 4,
    body: `b0[p0] = ${storeExpr(outDtype, 'b1[p1] !== 0 ? b2[p2] : b3[p3]')};`,
  });
  runKernel(
    kernel,
    outShape,
    [out, cond.buf, a.buf, b.buf],
    [rowMajor(outShape), sc, sa, sb],
    [0, cond.offset, a.offset, b.offset],
  );
  return out;
}
