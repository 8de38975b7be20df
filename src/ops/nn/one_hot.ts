// torch.nn.functional.one_hot: class indices to int32 one-hot vectors, as an equality against a range
// (so it batches under vmap without a loop).
import { DTypeError, DeviceError, IndexError, TransformError, ValueError } from '../../core/errors.js';
import { INT_HINT } from '../../core/dtype.js';
import type { Tensor } from '../../primitives/index.js';
import { arange } from '../creation.js';
import * as E from '../elementwise.js';
import { unsqueeze } from '../shape.js';
import { checkTensor } from '../scalars.js';
import { valuesIfConcrete } from './_util.js';

/**
 * [*] int32 class indices → [*, numClasses] int32 one-hot (PyTorch gives int64). numClasses = -1 (the
 * default) takes max + 1, which needs the values: under vmap pass numClasses.
 * @example torch.oneHot(torch.tensor([0, 2], { dtype: 'int32' }), 3) // [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot(x: Tensor, numClasses = -1): Tensor {
  checkTensor('oneHot', 'tensor', x);
  if (x.dtype !== 'int32') throw new DTypeError(`oneHot(): one_hot is only applicable to index tensor (int32), got ${x.dtype}${INT_HINT}`);
  if (!Number.isInteger(numClasses) || numClasses < -1) throw new ValueError(`oneHot(): numClasses must be a non-negative integer or -1, got ${String(numClasses)}`);
  const values = valuesIfConcrete(x);
  if (values !== null) {
    let max = -1;
    for (let i = 0; i < values.length; i++) {
      if (values[i]! < 0) throw new IndexError('oneHot(): Class values must be non-negative.');
      max = Math.max(max, values[i]!);
    }
    if (numClasses === -1) numClasses = max + 1;
    else if (max >= numClasses) throw new IndexError('oneHot(): Class values must be smaller than num_classes.');
  } else if (numClasses === -1 && x.device !== 'cpu') {
    throw new DeviceError(`oneHot(): numClasses = -1 reads the values (max + 1), which a tensor on '${x.device}' cannot give synchronously; pass numClasses`);
  } else if (numClasses === -1) {
    throw new TransformError('oneHot(): numClasses = -1 reads the values (max + 1), which vmap cannot; pass numClasses');
  }
  return E.cast(E.eq(unsqueeze(x, -1), arange(0, numClasses, { dtype: 'int32', device: x.device })), 'int32');
}
