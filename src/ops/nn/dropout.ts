// dropout: a uniform random keep-mask scaled by 1 / (1 - p), as torch.nn.functional.dropout.
import { ValueError } from '../../core/errors.js';
import { Tensor, lax } from '../../primitives/index.js';
import { rand } from '../creation.js';
import { floatArg } from './_util.js';

/** Options of dropout. */
export interface DropoutOptions {
  /** Probability of zeroing an element (default 0.5). */
  p?: number;
  /** Off: the identity (default true). */
  training?: boolean;
}

/**
 * Zeroes each element with probability p and scales the rest by 1 / (1 - p) while training; the
 * identity otherwise. Randomness follows torch.manualSeed.
 * @example
 * const y = torch.dropout(x, 0.2) ; const z = torch.dropout(x, { p: 0.2, training: model.training })
 */
export function dropout(x: Tensor, p: number | DropoutOptions = 0.5, training = true): Tensor {
  const fn = 'dropout';
  const o: DropoutOptions = typeof p === 'number' ? { p, training } : { training, ...p };
  const prob = o.p ?? 0.5;
  floatArg(fn, 'input', x);
  if (typeof prob !== 'number' || !(prob >= 0 && prob <= 1)) {
    throw new ValueError(`${fn}(): dropout probability has to be between 0 and 1, but got ${prob}`);
  }
  if (o.training === false || prob === 0) return x;
  if (prob === 1) return lax.mul(x, lax.scalarLike(x, 0));
  const keep = lax.lt(rand(x.shape, { dtype: x.dtype, device: x.device }), lax.scalarLike(x, 1 - prob));
  return lax.where(keep, lax.mul(x, lax.scalarLike(x, 1 / (1 - prob))), lax.zerosLike(x));
}
