// softmax and logSoftmax along a dim, computed stably.
import { normDim } from '../core/shape.js';
import type { Tensor } from '../primitives/index.js';
import { detach } from '../transforms/detach.js';
import { amax, logsumexp, sum } from './reduce.js';
import * as E from './elementwise.js';
import { checkTensor, floatOf } from './scalars.js';

/**
 * Softmax along `dim`: exp(x) / sum(exp(x)), computed stably (torch.softmax).
 * @example torch.softmax(logits, -1)
 */
export function softmax(x: Tensor, dim: number): Tensor {
  checkTensor('softmax', 'input', x);
  const d = normDim('softmax', dim, x.ndim);
  const xf = floatOf(x);
  const z = E.exp(E.sub(xf, detach(amax(xf, d, true))));
  return E.div(z, sum(z, d, true));
}

/** log(softmax(x)) along `dim`, computed stably (torch.log_softmax). @example torch.logSoftmax(logits, 1) */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  checkTensor('logSoftmax', 'input', x);
  const d = normDim('logSoftmax', dim, x.ndim);
  const xf = floatOf(x);
  return E.sub(xf, logsumexp(xf, d, true));
}

