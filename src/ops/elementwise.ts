// Elementwise functions with broadcasting, scalar operands and PyTorch's type promotion.
import { DTypeError } from '../core/errors.js';
import { isFloating } from '../core/dtype.js';
import { Tensor, bind, lax, scalar, type Primitive } from '../primitives/index.js';
import * as P from '../primitives/elementwise.js';
import { asTensor, checkTensor, floatOf, promote, resultDType, type TensorLike } from './scalars.js';

const bin = (name: string, prim: Primitive<void>, float = false) =>
  (a: TensorLike, b: TensorLike): Tensor => {
    const [x, y] = promote(name, a, b, float);
    return bind(prim, [x, y], undefined);
  };

/** @example torch.add(x, 1) */
export const add = bin('add', P.addP);
export const sub = bin('sub', P.subP);
export const mul = bin('mul', P.mulP);
/** True division: integer inputs give float32. */
export const div = bin('div', P.divP, true);
export const pow = bin('pow', P.powP);
export const maximum = bin('maximum', P.maximumP);
export const minimum = bin('minimum', P.minimumP);
export const atan2 = bin('atan2', P.atan2P, true);
export const remainder = bin('remainder', P.remainderP);
export const eq = bin('eq', P.eqP);
export const ne = bin('ne', P.neP);
export const lt = bin('lt', P.ltP);
export const le = bin('le', P.leP);
export const gt = bin('gt', P.gtP);
export const ge = bin('ge', P.geP);

const logical = (name: string, prim: Primitive<void>) => (a: TensorLike, b: TensorLike): Tensor => {
  resultDType(name, a, b);
  return bind(prim, [asTensor(a, 'bool'), asTensor(b, 'bool')], undefined);
};
export const logicalAnd = logical('logicalAnd', P.logicalAndP);
export const logicalOr = logical('logicalOr', P.logicalOrP);
export const logicalXor = logical('logicalXor', P.logicalXorP);
export const logicalNot = (x: Tensor) => bind(P.logicalNotP, [lax.cast(checkTensor('logicalNot', 'input', x), 'bool')], undefined);
export const isnan = (x: Tensor) => bind(P.isnanP, [floatOf(checkTensor('isnan', 'input', x))], undefined);

/** Unary op keeping the dtype (ints allowed). */
const same = (name: string, prim: Primitive<void>) => (x: Tensor): Tensor => bind(prim, [checkTensor(name, 'input', x)], undefined);
/** Unary op computing in floating point (ints become float32). */
const flt = (name: string, prim: Primitive<void>) => (x: Tensor): Tensor => bind(prim, [floatOf(checkTensor(name, 'input', x))], undefined);

export const neg = same('neg', P.negP);
export const abs = same('abs', P.absP);
export const sign = same('sign', P.signP);
export const relu = same('relu', P.reluP);
export const square = same('square', P.squareP);
export const floor = same('floor', P.floorP);
export const ceil = same('ceil', P.ceilP);
export const round = same('round', P.roundP);
export const exp = flt('exp', P.expP);
export const log = flt('log', P.logP);
export const log1p = flt('log1p', P.log1pP);
export const expm1 = flt('expm1', P.expm1P);
export const sqrt = flt('sqrt', P.sqrtP);
export const rsqrt = flt('rsqrt', P.rsqrtP);
export const sin = flt('sin', P.sinP);
export const cos = flt('cos', P.cosP);
export const tan = flt('tan', P.tanP);
export const tanh = flt('tanh', P.tanhP);
export const sigmoid = flt('sigmoid', P.sigmoidP);
export const erf = flt('erf', P.erfP);
export const reciprocal = flt('reciprocal', P.reciprocalP);
export const asin = flt('asin', P.asinP);
export const acos = flt('acos', P.acosP);
export const atan = flt('atan', P.atanP);
export const sinh = flt('sinh', P.sinhP);
export const cosh = flt('cosh', P.coshP);

export const log2 = (x: Tensor) => div(log(x), Math.LN2);
export const log10 = (x: Tensor) => div(log(x), Math.LN10);
export const exp2 = (x: Tensor) => pow(2, floatOf(x));
export const trunc = (x: Tensor) => mul(sign(x), floor(abs(x)));
export const frac = (x: Tensor) => sub(x, trunc(x));

/**
 * cond ? input : other, broadcasting all three.
 * @example torch.where(x.gt(0), x, 0)
 */
export function where(cond: Tensor, input: TensorLike, other: TensorLike): Tensor {
  checkTensor('where', 'condition', cond);
  if (cond.dtype !== 'bool') throw new DTypeError(`where(): expected condition to be a bool tensor, got ${cond.dtype}`);
  const [a, b] =
    input instanceof Tensor || other instanceof Tensor
      ? promote('where', input, other)
      : [input, other].map((v) => scalar(Number(v), [input, other].every((u) => Number.isInteger(Number(u))) ? 'int32' : 'float32'));
  return bind(P.whereP, [cond, a!, b!], undefined);
}

/**
 * x with `value` where mask is true (torch.Tensor.masked_fill).
 * @example scores.maskedFill(mask, -Infinity)
 */
export function maskedFill(x: Tensor, mask: Tensor, value: TensorLike): Tensor {
  return where(mask, asTensor(value, x.dtype), x);
}

/**
 * Clamps into [min, max]; the gradient passes where min <= x <= max, as in PyTorch.
 * @example torch.clamp(x, { min: 0, max: 1 })
 */
export function clamp(x: Tensor, opts: { min?: TensorLike; max?: TensorLike } | number, max?: TensorLike): Tensor {
  const o = typeof opts === 'number' ? { min: opts, max } : opts;
  let r = x;
  if (o.min !== undefined && o.min !== null) r = where(lt(r, o.min), asTensor(o.min, resultDType('clamp', r, o.min)), r);
  if (o.max !== undefined && o.max !== null) r = where(gt(r, o.max), asTensor(o.max, resultDType('clamp', r, o.max)), r);
  return r;
}

/** GELU, exact (erf) or with approximate: 'tanh'. */
export function gelu(x: Tensor, opts?: { approximate?: 'none' | 'tanh' }): Tensor {
  if (opts?.approximate === 'tanh') {
    const inner = mul(Math.sqrt(2 / Math.PI), add(x, mul(0.044715, pow(x, 3))));
    return mul(mul(0.5, x), add(1, tanh(inner)));
  }
  return mul(mul(x, 0.5), add(1, erf(mul(x, Math.SQRT1_2))));
}

/** log(1 + exp(beta x)) / beta, linear above `threshold` as in PyTorch. */
export function softplus(x: Tensor, opts?: { beta?: number; threshold?: number }): Tensor {
  const beta = opts?.beta ?? 1;
  const threshold = opts?.threshold ?? 20;
  const bx = mul(x, beta);
  // Stable form: max(bx, 0) + log1p(exp(-|bx|)).
  const soft = div(add(relu(bx), log1p(exp(neg(abs(bx))))), beta);
  return where(gt(bx, threshold), x, soft);
}

export const silu = (x: Tensor) => mul(x, sigmoid(x));
export const mish = (x: Tensor) => mul(x, tanh(softplus(x)));
export const leakyRelu = (x: Tensor, slope = 0.01) => where(gt(x, 0), x, mul(x, slope));
export const elu = (x: Tensor, alpha = 1) => where(gt(x, 0), x, mul(alpha, expm1(x)));
export const logSigmoid = (x: Tensor) => neg(softplus(neg(x)));
export const hardtanh = (x: Tensor, min = -1, max = 1) => clamp(x, { min, max });

/** x.to(dtype): a copy in the new dtype (the same tensor when the dtype already matches). */
export function cast(x: Tensor, dtype: Tensor['dtype']): Tensor {
  return lax.cast(x, dtype);
}

export function isFloatingPoint(x: Tensor): boolean {
  return isFloating(x.dtype);
}

export { scalar };
