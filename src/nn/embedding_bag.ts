// EmbeddingBag (torch/nn/modules/sparse.py): a [numEmbeddings, embeddingDim] table whose forward sums,
// averages or takes the maximum of bags of rows (embeddingBag), PyTorch's init (N(0, 1), the padding
// row zero) and repr.
import { checkOptions } from '../core/options.js';
import type { DType } from '../core/dtype.js';
import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { noGrad } from '../ops/autograd.js';
import { empty } from '../ops/creation.js';
import { embeddingBag } from '../ops/nn/index.js';
import * as init from './init.js';
import { checkFeatures } from './linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of nn.EmbeddingBag. */
export interface EmbeddingBagModuleOptions {
  /** 'sum', 'mean' (default) or 'max'. */
  mode?: 'sum' | 'mean' | 'max';
  /** offsets has B + 1 entries, the last the end of the last bag (default false). */
  includeLastOffset?: boolean;
  /** Indices equal to this are left out of their bag; the row starts at zero (negative counts from the end). */
  paddingIdx?: number | null;
  /** Use this [numEmbeddings, embeddingDim] tensor as the weight instead of N(0, 1) values. */
  weight?: Tensor;
  /** Train the weight (default true). */
  requiresGrad?: boolean;
  /** dtype of the weight (default 'float32'). */
  dtype?: DType;
}

/**
 * Sums, means or maxima of bags of embeddings without materializing each bag's rows.
 * @example
 * const bag = new nn.EmbeddingBag(10, 3, { mode: 'sum' }); // EmbeddingBag(10, 3, mode=sum)
 * const input = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9], { dtype: 'int32' });
 * bag.call(input, torch.tensor([0, 4], { dtype: 'int32' })).shape // [2, 3]
 */
export class EmbeddingBag extends Module {
  static override readonly displayName: string = 'EmbeddingBag';
  /** The table [numEmbeddings, embeddingDim]. */
  declare weight: Parameter;
  /** The number of rows. */
  readonly numEmbeddings: number;
  /** The size of each row. */
  readonly embeddingDim: number;
  /** How a bag's rows combine. */
  readonly mode: 'sum' | 'mean' | 'max';
  /** Whether offsets carry the end of the last bag. */
  readonly includeLastOffset: boolean;
  /** The index left out of bags (non-negative), or null. */
  readonly paddingIdx: number | null;

  /** A table of `numEmbeddings` rows of `embeddingDim`; options mode, includeLastOffset, paddingIdx, weight, requiresGrad, dtype. */
  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingBagModuleOptions = {}) {
    checkOptions('nn.EmbeddingBag', opts, ['mode', 'includeLastOffset', 'paddingIdx', 'weight', 'requiresGrad', 'dtype']);
    super();
    this.numEmbeddings = checkFeatures('EmbeddingBag', 'num_embeddings', numEmbeddings);
    this.embeddingDim = checkFeatures('EmbeddingBag', 'embedding_dim', embeddingDim);
    this.mode = opts.mode ?? 'mean';
    if (!['sum', 'mean', 'max'].includes(this.mode)) throw new ValueError(`EmbeddingBag(): mode has to be one of sum, mean or max, got '${String(this.mode)}'`);
    this.includeLastOffset = opts.includeLastOffset ?? false;
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad >= numEmbeddings || pad < -numEmbeddings) throw new ValueError(`EmbeddingBag(): padding_idx must be within num_embeddings (got ${pad} for ${numEmbeddings})`);
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    if (opts.weight !== undefined) {
      if (opts.weight.ndim !== 2 || opts.weight.shape[0] !== numEmbeddings || opts.weight.shape[1] !== embeddingDim) {
        throw new ShapeError(`EmbeddingBag(): Shape of weight does not match num_embeddings and embedding_dim (got ${fmtShape(opts.weight.shape)}, expected [${numEmbeddings}, ${embeddingDim}])`);
      }
      this.weight = Parameter(opts.weight, opts.requiresGrad ?? true);
    } else {
      this.weight = Parameter(empty([numEmbeddings, embeddingDim], { dtype: opts.dtype ?? 'float32' }), opts.requiresGrad ?? true);
      this.resetParameters();
    }
  }

  /**
   * An EmbeddingBag holding `embeddings` (frozen unless `freeze: false`).
   * @example const bag = nn.EmbeddingBag.fromPretrained(vectors, { mode: 'max' });
   */
  static fromPretrained(embeddings: Tensor, opts: Omit<EmbeddingBagModuleOptions, 'weight' | 'requiresGrad' | 'dtype'> & { freeze?: boolean } = {}): EmbeddingBag {
    const { freeze, ...rest } = opts;
    if (embeddings.ndim !== 2) throw new ShapeError(`EmbeddingBag.fromPretrained(): Embeddings parameter is expected to be 2-dimensional, got ${fmtShape(embeddings.shape)}`);
    const [n, d] = embeddings.shape as [number, number];
    return new EmbeddingBag(n, d, { ...rest, weight: embeddings, requiresGrad: !(freeze ?? true) });
  }

  /** Re-draws the weight from N(0, 1), zeroing the paddingIdx row. @example bag.resetParameters() */
  resetParameters(): void {
    init.normal_(this.weight);
    if (this.paddingIdx !== null) {
      const p = this.paddingIdx;
      noGrad(() => this.weight.select(0, p).fill_(0));
    }
  }

  /** embeddingBag of `input` (2-D [B, L], or 1-D with `offsets`) with optional perSampleWeights (mode 'sum'). */
  override forward(input: Tensor, offsets: Tensor | null = null, perSampleWeights: Tensor | null = null): Tensor {
    return embeddingBag(input, this.weight, { offsets, perSampleWeights, mode: this.mode, includeLastOffset: this.includeLastOffset, paddingIdx: this.paddingIdx });
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}, mode=${this.mode}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    return s;
  }
}
