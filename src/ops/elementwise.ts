// Elementwise functions with broadcasting, scalar operands and PyTorch's type promotion.
import { checkOptions } from '../core/options.js';
import { DTypeError } from '../core/errors.js';
import { checkDType, isFloating } from '../core/dtype.js';
import { Tensor, bind, lax, scalar, type Primitive } from '../primitives/index.js';
import * as P from '../primitives/elementwise.js';
import { asTensor, checkOperand, checkTensor, floatOf, isTensor, promote, resultDType, type TensorLike } from './scalars.js';

const bin = (name: string, prim: Primitive<void>, float = false) =>
  (a: TensorLike, b: TensorLike): Tensor => {
    const [x, y] = promote(name, a, b, float);
    return bind(prim, [x, y], undefined);
  };

/**
 * `a + b`, broadcasting, with PyTorch's type promotion (numbers adopt the tensor's dtype kind).
 * For `alpha`, use the method: `a.add(b, { alpha })`.
 * @example torch.add(x, 1)
 */
export const add = bin('add', P.addP);
/** `a - b`, broadcasting. @example torch.sub(x, y) */
export const sub = bin('sub', P.subP);
/** `a * b` elementwise, broadcasting. @example torch.mul(x, 2) */
export const mul = bin('mul', P.mulP);
/** True division: integer inputs give float32. */
export const div = bin('div', P.divP, true);
/** `a ** b` elementwise, broadcasting (either may be a number). @example torch.pow(x, 2) ; torch.pow(2, x) */
export const pow = bin('pow', P.powP);
/** Elementwise maximum of a and b, broadcasting (NaN propagates). @example torch.maximum(x, y) */
export const maximum = bin('maximum', P.maximumP);
/** Elementwise minimum of a and b, broadcasting (NaN propagates). @example torch.minimum(x, y) */
export const minimum = bin('minimum', P.minimumP);
/**
 * Elementwise arctangent of a / b using the signs of both to pick the quadrant (torch.atan2); integers
 * compute in float32.
 */
export const atan2 = bin('atan2', P.atan2P, true);
/**
 * Python-style modulus, broadcasting: the result has the sign of the divisor (torch.remainder).
 * @example torch.remainder(torch.tensor([-3, 3]), 2) // [1, 1]
 */
export const remainder = bin('remainder', P.remainderP);
/** `a == b` elementwise, as a bool tensor. @example torch.eq(pred, target).sum() */
export const eq = bin('eq', P.eqP);
/** `a != b` elementwise, as a bool tensor. */
export const ne = bin('ne', P.neP);
/** `a < b` elementwise, as a bool tensor. */
export const lt = bin('lt', P.ltP);
/** `a <= b` elementwise, as a bool tensor. */
export const le = bin('le', P.leP);
/** `a > b` elementwise, as a bool tensor. @example torch.gt(x, 0) */
export const gt = bin('gt', P.gtP);
/** `a >= b` elementwise, as a bool tensor. */
export const ge = bin('ge', P.geP);

const logical = (name: string, prim: Primitive<void>) => (a: TensorLike, b: TensorLike): Tensor => {
  resultDType(name, a, b);
  return bind(prim, [asTensor(a, 'bool'), asTensor(b, 'bool')], undefined);
};
/** Elementwise logical and (non-zero is true), broadcasting, as a bool tensor (torch.logical_and). */
export const logicalAnd = logical('logicalAnd', P.logicalAndP);
/** Elementwise logical or, broadcasting, as a bool tensor (torch.logical_or). */
export const logicalOr = logical('logicalOr', P.logicalOrP);
/** Elementwise logical exclusive or, broadcasting, as a bool tensor (torch.logical_xor). */
export const logicalXor = logical('logicalXor', P.logicalXorP);
/** Elementwise logical not (true where x is zero), as a bool tensor (torch.logical_not). */
export const logicalNot = (x: Tensor) => bind(P.logicalNotP, [lax.cast(checkTensor('logicalNot', 'input', x), 'bool')], undefined);
/** A bool tensor, true where x is NaN. @example torch.isnan(x).any() */
export const isnan = (x: Tensor) => bind(P.isnanP, [floatOf(checkTensor('isnan', 'input', x))], undefined);

/** Unary op keeping the dtype (ints allowed). */
const same = (name: string, prim: Primitive<void>) => (x: Tensor): Tensor => bind(prim, [checkTensor(name, 'input', x)], undefined);
/** Unary op computing in floating point (ints become float32). */
const flt = (name: string, prim: Primitive<void>) => (x: Tensor): Tensor => bind(prim, [floatOf(checkTensor(name, 'input', x))], undefined);

/** `-x` elementwise. */
export const neg = same('neg', P.negP);
/** Elementwise absolute value. */
export const abs = same('abs', P.absP);
/** Elementwise sign: -1, 0 or 1. */
export const sign = same('sign', P.signP);
/** Elementwise `max(x, 0)` (torch.relu). @example torch.relu(torch.tensor([-1, 2])) // [0, 2] */
export const relu = same('relu', P.reluP);
/** Elementwise `x * x`. */
export const square = same('square', P.squareP);
/** Elementwise floor (largest integer <= x). */
export const floor = same('floor', P.floorP);
/** Elementwise ceiling (smallest integer >= x). */
export const ceil = same('ceil', P.ceilP);
/**
 * Elementwise rounding to the nearest integer, halves to even (torch.round).
 * @example torch.round(torch.tensor([0.5, 1.5])) // [0, 2]
 */
export const round = same('round', P.roundP);
/** Elementwise `e ** x` (integer inputs compute in float32). */
export const exp = flt('exp', P.expP);
/** Elementwise natural logarithm (-Infinity at 0, NaN below). */
export const log = flt('log', P.logP);
/** Elementwise `log(1 + x)`, accurate for small x. */
export const log1p = flt('log1p', P.log1pP);
/** Elementwise `exp(x) - 1`, accurate for small x. */
export const expm1 = flt('expm1', P.expm1P);
/** Elementwise square root. */
export const sqrt = flt('sqrt', P.sqrtP);
/** Elementwise reciprocal square root `1 / sqrt(x)`. */
export const rsqrt = flt('rsqrt', P.rsqrtP);
/** Elementwise sine (radians). */
export const sin = flt('sin', P.sinP);
/** Elementwise cosine (radians). */
export const cos = flt('cos', P.cosP);
/** Elementwise tangent (radians). */
export const tan = flt('tan', P.tanP);
/** Elementwise hyperbolic tangent. */
export const tanh = flt('tanh', P.tanhP);
/** Elementwise logistic sigmoid `1 / (1 + exp(-x))`, computed stably. */
export const sigmoid = flt('sigmoid', P.sigmoidP);
/** Elementwise Gauss error function. */
export const erf = flt('erf', P.erfP);
/** Elementwise `1 / x` (integer inputs give float32). */
export const reciprocal = flt('reciprocal', P.reciprocalP);
/** Elementwise arcsine. */
export const asin = flt('asin', P.asinP);
/** Elementwise arccosine. */
export const acos = flt('acos', P.acosP);
/** Elementwise arctangent. */
export const atan = flt('atan', P.atanP);
/** Elementwise hyperbolic sine. */
export const sinh = flt('sinh', P.sinhP);
/** Elementwise hyperbolic cosine. */
export const cosh = flt('cosh', P.coshP);

/** Elementwise base-2 logarithm. */
export const log2 = (x: Tensor) => div(log(x), Math.LN2);
/** Elementwise base-10 logarithm. */
export const log10 = (x: Tensor) => div(log(x), Math.LN10);
/** Elementwise `2 ** x`. */
export const exp2 = (x: Tensor) => pow(2, floatOf(checkTensor('exp2', 'input', x)));
/** Elementwise rounding toward zero (the integer part). */
export const trunc = (x: Tensor) => mul(sign(checkTensor('trunc', 'input', x)), floor(abs(x)));
/** Elementwise fractional part `x - trunc(x)` (keeps the sign of x). */
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
  checkTensor('maskedFill', 'input', x);
  checkTensor('maskedFill', 'mask', mask);
  checkOperand('maskedFill', value);
  return where(mask, asTensor(value, x.dtype), x);
}

/**
 * Clamps into [min, max]; the gradient passes where min <= x <= max, as in PyTorch.
 * @example torch.clamp(x, { min: 0, max: 1 })
 */
export function clamp(x: Tensor, opts: { min?: TensorLike; max?: TensorLike } | number, max?: TensorLike): Tensor {
  checkTensor('clamp', 'input', x);
  if (typeof opts !== 'number') checkOptions('clamp()', opts, ['min', 'max']);
  const o = typeof opts === 'number' ? { min: opts, max } : (opts ?? {});
  for (const [name, v] of [['min', o.min], ['max', o.max]] as const) {
    if (v !== undefined && v !== null && typeof v !== 'number' && typeof v !== 'boolean' && !isTensor(v)) {
      throw new DTypeError(`clamp(): ${name} must be a number or a Tensor, got ${typeof v}`);
    }
  }
  let r = x;
  if (o.min !== undefined && o.min !== null) r = where(lt(r, o.min), asTensor(o.min, resultDType('clamp', r, o.min)), r);
  if (o.max !== undefined && o.max !== null) r = where(gt(r, o.max), asTensor(o.max, resultDType('clamp', r, o.max)), r);
  return r;
}

/** GELU, exact (erf) or with approximate: 'tanh'. */
export function gelu(x: Tensor, opts?: { approximate?: 'none' | 'tanh' }): Tensor {
  checkTensor('gelu', 'input', x);
  checkOptions('gelu()', opts, ['approximate']);
  if (opts?.approximate === 'tanh') {
    const inner = mul(Math.sqrt(2 / Math.PI), add(x, mul(0.044715, pow(x, 3))));
    return mul(mul(0.5, x), add(1, tanh(inner)));
  }
  return mul(mul(x, 0.5), add(1, erf(mul(x, Math.SQRT1_2))));
}

/** log(1 + exp(beta x)) / beta, linear above `threshold` as in PyTorch. */
export function softplus(x: Tensor, opts?: { beta?: number; threshold?: number }): Tensor {
  checkTensor('softplus', 'input', x);
  checkOptions('softplus()', opts, ['beta', 'threshold']);
  const beta = opts?.beta ?? 1;
  const threshold = opts?.threshold ?? 20;
  const bx = mul(x, beta);
  // Stable form: max(bx, 0) + log1p(exp(-|bx|)).
  const soft = div(add(relu(bx), log1p(exp(neg(abs(bx))))), beta);
  return where(gt(bx, threshold), x, soft);
}

/** SiLU / swish: `x * sigmoid(x)` (torch.nn.functional.silu). */
export const silu = (x: Tensor) => mul(x, sigmoid(x));
/** Mish: `x * tanh(softplus(x))`. */
export const mish = (x: Tensor) => mul(x, tanh(softplus(x)));
/**
 * x where x > 0, `slope * x` elsewhere (default slope 0.01; torch.nn.functional.leaky_relu).
 * @example torch.leakyRelu(x, 0.2)
 */
export const leakyRelu = (x: Tensor, slope = 0.01) => where(gt(x, 0), x, mul(x, slope));
/** ELU: x where x > 0, `alpha * (exp(x) - 1)` elsewhere (default alpha 1). */
export const elu = (x: Tensor, alpha = 1) => where(gt(x, 0), x, mul(alpha, expm1(x)));
/**
 * `log(sigmoid(x))`, computed stably as `min(x, 0) - log1p(exp(-|x|))` (PyTorch's form: no softplus
 * threshold, so float64 keeps full precision for x < -20).
 */
export const logSigmoid = (x: Tensor) => {
  checkTensor('logSigmoid', 'input', x);
  return sub(minimum(x, 0), log1p(exp(neg(abs(x)))));
};
/** Clamps into [min, max] (defaults -1 and 1; torch.nn.functional.hardtanh). */
export const hardtanh = (x: Tensor, min = -1, max = 1) => clamp(x, { min, max });

/** x.to(dtype): a copy in the new dtype (the same tensor when the dtype already matches). */
export function cast(x: Tensor, dtype: Tensor['dtype']): Tensor {
  checkTensor('cast', 'input', x);
  return lax.cast(x, checkDType('cast', 'dtype', dtype));
}

/** Whether x has a floating-point dtype (float32 or float64; torch.is_floating_point). */
export function isFloatingPoint(x: Tensor): boolean {
  checkTensor('isFloatingPoint', 'input', x);
  return isFloating(x.dtype);
}

export { scalar };
