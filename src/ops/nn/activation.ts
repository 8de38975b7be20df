// Small activations for nn that are not in ../elementwise.ts: relu6, hardsigmoid, hardswish, glu.
import { ShapeError, fmtShape } from '../../core/errors.js';
import { normDim } from '../../core/shape.js';
import type { Tensor } from '../../primitives/index.js';
import * as E from '../elementwise.js';
import { split } from '../shape.js';
import { floatArg } from './_util.js';

/** min(max(x, 0), 6). @example torch.relu6(torch.tensor([-1, 3, 8])) // [0, 3, 6] */
export function relu6(x: Tensor): Tensor {
  return E.hardtanh(x, 0, 6);
}

/** relu6(x + 3) / 6. @example torch.hardsigmoid(torch.tensor([-4, 0, 1.5])) // [0, 0.5, 0.75] */
export function hardsigmoid(x: Tensor): Tensor {
  return E.div(relu6(E.add(floatArg('hardsigmoid', 'input', x), 3)), 6);
}

/** x * relu6(x + 3) / 6. @example torch.hardswish(torch.tensor([-4, 1, 4])) // [0, 0.6667, 4] */
export function hardswish(x: Tensor): Tensor {
  return E.mul(x, hardsigmoid(floatArg('hardswish', 'input', x)));
}

/**
 * Gated linear unit: splits x in halves a, b along dim and returns a * sigmoid(b).
 * @example torch.glu(torch.randn([4, 6])) // [4, 3]
 */
export function glu(x: Tensor, dim = -1): Tensor {
  floatArg('glu', 'input', x);
  if (x.ndim === 0) throw new ShapeError('glu(): glu does not support scalars because halving size must be even');
  const d = normDim('glu', dim, x.ndim);
  const n = x.shape[d]!;
  if (n % 2 !== 0) throw new ShapeError(`glu(): Halving dimension must be even, but dimension ${d} is size ${n} (input ${fmtShape(x.shape)})`);
  const [a, b] = split(x, n / 2, d) as [Tensor, Tensor];
  return E.mul(a, E.sigmoid(b));
}
