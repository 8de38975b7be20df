// Everyday names: torch.pi / e / inf / nan, and the comparisons isclose, allclose, equal
// (PyTorch's formula |a - b| <= atol + rtol * |b|, with its NaN and infinity rules).
import { DTypeError, DeviceError, ValueError } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import { broadcastShapes, shapesEqual } from '../core/shape.js';
import { isFloating } from '../core/dtype.js';
import { lax, type Tensor } from '../primitives/index.js';
import { checkTensor } from './scalars.js';
import * as E from './elementwise.js';
import { all } from './reduce.js';

/** π (torch.pi). @example torch.pi // 3.141592653589793 */
export const pi = Math.PI;
/** Euler's number (torch.e). @example torch.e // 2.718281828459045 */
export const e = Math.E;
/** Positive infinity (torch.inf). @example torch.full([2], -torch.inf) */
export const inf = Infinity;
/** Not a number (torch.nan). @example torch.tensor([1, torch.nan]).isnan() */
export const nan = NaN;

/** Options of isclose / allclose (PyTorch's defaults: rtol 1e-5, atol 1e-8, equalNan false). */
export interface CloseOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** Whether NaN equals NaN (default false). */
  equalNan?: boolean;
}

function closeArgs(fn: string, a: Tensor, b: Tensor, opts: CloseOptions): [number, number, boolean] {
  checkTensor(fn, 'input', a);
  checkTensor(fn, 'other', b);
  checkOptions(`${fn}()`, opts, ['rtol', 'atol', 'equalNan']);
  if (a.dtype !== b.dtype) throw new DTypeError(`${fn}(): ${a.dtype} did not match ${b.dtype}`);
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-8;
  if (!(rtol >= 0)) throw new ValueError(`${fn}(): rtol must be greater than or equal to zero, but got ${rtol}`);
  if (!(atol >= 0)) throw new ValueError(`${fn}(): atol must be greater than or equal to zero, but got ${atol}`);
  broadcastShapes(fn, a.shape, b.shape);
  return [rtol, atol, opts.equalNan ?? false];
}

/**
 * Elementwise closeness (torch.isclose): `a == b`, or both finite-distance and
 * `|a - b| <= atol + rtol * |b|`; NaNs are equal only with equalNan. Not symmetric (b is the
 * reference). Returns a bool tensor of the broadcast shape.
 * @example torch.isclose(torch.tensor([1, 1.1]), torch.tensor([1, 1])) // tensor([ True, False])
 */
export function isclose(a: Tensor, b: Tensor, opts: CloseOptions = {}): Tensor {
  return iscloseAs('isclose', a, b, opts);
}

/** isclose's mask, with bad arguments reported under `fn` (isclose or allclose). */
function iscloseAs(fn: string, a: Tensor, b: Tensor, opts: CloseOptions): Tensor {
  const [rtol, atol, equalNan] = closeArgs(fn, a, b, opts);
  let close = E.eq(a, b);
  if (a.dtype === 'bool') return close;
  if (equalNan && isFloating(a.dtype)) close = E.logicalOr(close, E.logicalAnd(E.isnan(a), E.isnan(b)));
  if (rtol === 0 && atol === 0) return close;
  const fa = isFloating(a.dtype) ? a : lax.cast(a, 'float64');
  const fb = isFloating(b.dtype) ? b : lax.cast(b, 'float64');
  const diff = E.abs(E.sub(fa, fb));
  const allowed = E.add(E.mul(E.abs(fb), rtol), atol);
  const finite = E.eq(E.sub(diff, diff), 0); // false for inf and NaN
  const within = E.logicalAnd(finite, E.le(diff, allowed));
  return E.logicalOr(close, within);
}

/**
 * Whether every element is close (torch.allclose): `isclose(a, b, opts).all()` as a boolean.
 * @example torch.allclose(x, y, { atol: 1e-6 })
 */
export function allclose(a: Tensor, b: Tensor, opts: CloseOptions = {}): boolean {
  return boolOf('allclose', all(iscloseAs('allclose', a, b, opts)), '`await torch.isclose(a, b).all().itemAsync()`');
}

/** The value of a 0-d bool result as a boolean; on a device the host cannot read synchronously, a DeviceError naming `fn`. */
function boolOf(fn: string, t: Tensor, instead: string): boolean {
  if (t.device !== 'cpu') throw new DeviceError(`${fn}(): returns a boolean, which needs the values of tensors on '${t.device}' synchronously; use ${instead}`);
  return t.item() !== 0;
}

/**
 * Same shape and the same values (torch.equal); NaN equals nothing. Values of different dtypes are
 * compared after promotion.
 * @example torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2])) // true
 */
export function equal(a: Tensor, b: Tensor): boolean {
  checkTensor('equal', 'input', a);
  checkTensor('equal', 'other', b);
  if (!shapesEqual(a.shape, b.shape)) return false;
  if (a.shape.includes(0)) return true;
  return boolOf('equal', all(E.eq(a, b)), '`await a.eq(b).all().itemAsync()`');
}

