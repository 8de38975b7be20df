// Embedding (torch/nn/modules/sparse.py): a [numEmbeddings, embeddingDim] lookup table.
import { checkOptions } from '../core/options.js';
import type { DType } from '../core/dtype.js';
import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { noGrad } from '../ops/autograd.js';
import { empty } from '../ops/creation.js';
import { embedding } from '../ops/nn/index.js';
import * as init from './init.js';
import { checkFeatures } from './linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of nn.Embedding. */
export interface EmbeddingOptions {
  /** This row is zero-initialized and gets no gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Use this [numEmbeddings, embeddingDim] tensor as the weight instead of N(0, 1) values. */
  weight?: Tensor;
  /** Train the weight (default true). */
  requiresGrad?: boolean;
  /** dtype of the weight (default 'float32'). */
  dtype?: DType;
}

/**
 * A lookup table: int32 indices of any shape give rows of weight [numEmbeddings, embeddingDim],
 * initialized from N(0, 1) (the paddingIdx row zero).
 * @example
 * const emb = new nn.Embedding(10, 3, { paddingIdx: 0 }); // Embedding(10, 3, padding_idx=0)
 * emb.call(torch.tensor([[1, 2], [4, 0]])).shape         // [2, 2, 3]
 */
export class Embedding extends Module {
  static override readonly displayName: string = 'Embedding';
  /** The table [numEmbeddings, embeddingDim]. */
  declare weight: Parameter;
  /** The number of rows (the vocabulary size). */
  readonly numEmbeddings: number;
  /** The size of each row. */
  readonly embeddingDim: number;
  /** The row that gets no gradient (normalized to be non-negative), or null. */
  readonly paddingIdx: number | null;

  /**
   * A table of `numEmbeddings` rows of `embeddingDim`; options paddingIdx, weight, requiresGrad (true),
   * dtype.
   */
  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingOptions = {}) {
    checkOptions('nn.Embedding', opts, ['paddingIdx', 'weight', 'requiresGrad', 'dtype']);
    super();
    this.numEmbeddings = checkFeatures('Embedding', 'num_embeddings', numEmbeddings);
    this.embeddingDim = checkFeatures('Embedding', 'embedding_dim', embeddingDim);
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad >= numEmbeddings || pad < -numEmbeddings) {
        throw new ValueError(`Embedding(): Padding_idx must be within num_embeddings (got padding_idx=${pad} for ${numEmbeddings} embeddings)`);
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    if (opts.weight !== undefined) {
      if (opts.weight.ndim !== 2 || opts.weight.shape[0] !== numEmbeddings || opts.weight.shape[1] !== embeddingDim) {
        throw new ShapeError(`Embedding(): Shape of weight does not match num_embeddings and embedding_dim (got ${fmtShape(opts.weight.shape)}, expected [${numEmbeddings}, ${embeddingDim}])`);
      }
      this.weight = Parameter(opts.weight, opts.requiresGrad ?? true);
    } else {
      this.weight = Parameter(empty([numEmbeddings, embeddingDim], { dtype: opts.dtype ?? 'float32' }), opts.requiresGrad ?? true);
      this.resetParameters();
    }
  }

  /**
   * An Embedding holding `embeddings` (frozen unless `freeze: false`).
   * @example const emb = nn.Embedding.fromPretrained(vectors, { freeze: false });
   */
  static fromPretrained(embeddings: Tensor, opts: { freeze?: boolean; paddingIdx?: number | null } = {}): Embedding {
    checkOptions('nn.Embedding.fromPretrained', opts, ['freeze', 'paddingIdx']);
    if (embeddings.ndim !== 2) throw new ShapeError(`Embedding.fromPretrained(): Embeddings parameter is expected to be 2-dimensional, got ${fmtShape(embeddings.shape)}`);
    const [n, d] = embeddings.shape as [number, number];
    return new Embedding(n, d, { weight: embeddings, requiresGrad: !(opts.freeze ?? true), paddingIdx: opts.paddingIdx });
  }

  /** Re-draws the weight from N(0, 1), zeroing the paddingIdx row. @example emb.resetParameters() */
  resetParameters(): void {
    init.normal_(this.weight);
    if (this.paddingIdx !== null) {
      const p = this.paddingIdx;
      noGrad(() => this.weight.select(0, p).fill_(0));
    }
  }

  /** The rows of weight at the int32 indices `input` (any shape): [...input.shape, embeddingDim]. */
  override forward(input: Tensor): Tensor {
    return embedding(input, this.weight, { paddingIdx: this.paddingIdx });
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    return s;
  }
}
