// detach(): the same value cut from the autograd graph of the innermost reverse-mode level it lives on
// (and from forward-mode tangents), sharing storage.
import { Tensor, viewOf } from '../primitives/index.js';
import { makeBatched, type BatchLevel } from './levels_impl.js';
import type { TraceLevel } from './trace_level.js';

/** A tensor sharing `x`'s storage but cut from the autograd graph (torch.detach, `x.detach()`). */
export function detach(x: Tensor): Tensor {
  const l = x._level;
  if (l === null || !l.alive) {
    if (l !== null) return detach(x._inner!);
    return viewOf(x, x.shape, x._strides, x._offset);
  }
  if (l.kind === 'trace') return (l as TraceLevel).alias(x);
  if (l.kind === 'batch') return makeBatched(l as BatchLevel, detach(x._inner!), x._bdim);
  return x._inner!;
}
