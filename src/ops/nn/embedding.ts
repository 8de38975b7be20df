// embedding: a row lookup (indexSelect over the flattened indices), as torch.nn.functional.embedding.
import { INT_HINT } from '../../core/dtype.js';
import { checkOptions } from '../../core/options.js';
import { DTypeError, IndexError, ShapeError, fmtShape } from '../../core/errors.js';
import { numel } from '../../core/shape.js';
import { Tensor, lax } from '../../primitives/index.js';
import { detach } from '../../transforms/detach.js';
import { checkTensor } from '../scalars.js';
import { floatArg, valuesIfConcrete } from './_util.js';

/** Options of embedding (torch.nn.functional.embedding). */
export interface EmbeddingOptions {
  /** Rows looked up at this index get no gradient (negative counts from the end). */
  paddingIdx?: number | null;
}

/**
 * Looks up rows of weight [numEmbeddings, dim] for int32 indices of any shape: the result has shape
 * [...indices.shape, dim].
 * @example
 * const w = torch.randn([10, 3], { requiresGrad: true });
 * const e = torch.embedding(torch.tensor([[1, 2], [0, 0]]), w, { paddingIdx: 0 }); // [2, 2, 3]
 */
export function embedding(indices: Tensor, weight: Tensor, opts: EmbeddingOptions = {}): Tensor {
  checkOptions('embedding()', opts, ['paddingIdx']);
  const fn = 'embedding';
  checkTensor(fn, 'indices', indices);
  floatArg(fn, 'weight', weight);
  if (indices.dtype !== 'int32') {
    throw new DTypeError(`${fn}(): Expected tensor for argument 'indices' to have scalar type int32; but got ${indices.dtype} instead${INT_HINT}`);
  }
  if (weight.ndim !== 2) throw new ShapeError(`${fn}(): 'weight' must be 2-D [numEmbeddings, embeddingDim], got ${fmtShape(weight.shape)}`);
  const [v, dim] = weight.shape as [number, number];
  let pad = opts.paddingIdx ?? null;
  if (pad !== null) {
    if (!Number.isInteger(pad) || pad >= v || pad < -v) throw new IndexError(`${fn}(): Padding_idx must be within num_embeddings (got paddingIdx=${pad} for ${v} embeddings)`);
    if (pad < 0) pad += v;
  }
  const vals = valuesIfConcrete(indices);
  if (vals) {
    for (let i = 0; i < vals.length; i++) {
      if (vals[i]! < 0 || vals[i]! >= v) throw new IndexError(`${fn}(): index out of range in self (index ${vals[i]} for a weight of ${v} rows)`);
    }
  }
  const flat = lax.reshape(indices, [numel(indices.shape)]);
  let rows = lax.indexSelect(weight, flat, 0); // [M, dim]
  if (pad !== null) {
    // Looked-up padding rows are constants: the padding row of weight gets no gradient.
    const isPad = lax.reshape(lax.eq(flat, lax.scalarLike(flat, pad)), [flat.shape[0]!, 1]);
    rows = lax.where(lax.broadcastTo(isPad, rows.shape), detach(rows), rows);
  }
  return lax.reshape(rows, [...indices.shape, dim]);
}
