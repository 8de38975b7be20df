// AdaptiveLogSoftmaxWithLoss (Grave et al. 2016, torch/nn/modules/adaptive.py): a head over the
// frequent classes plus one cluster token per tail cluster, each tail cluster a low-rank projection
// and its own softmax. PyTorch's forward selects each cluster's rows by target value (a data-dependent
// shape); here every row goes through every tail cluster and the row's own cluster is picked with
// masks, which gives PyTorch's values and gradients and keeps the module batchable by vmap.
import { checkOptions } from '../core/options.js';
import type { DType } from '../core/dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape, fmtValue } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { zeros } from '../ops/creation.js';
import { cat, gather } from '../ops/shape.js';
import { logSoftmax } from '../ops/softmax.js';
import { valuesIfConcrete } from '../ops/nn/_util.js';
import { Sequential, ModuleList } from './container.js';
import { Linear } from './linear.js';
import { Module } from './module.js';

/** Options of nn.AdaptiveLogSoftmaxWithLoss. */
export interface AdaptiveLogSoftmaxOptions {
  /** Each tail cluster's projection is inFeatures / divValue^(i+1) wide (default 4). */
  divValue?: number;
  /** A bias on the head (default false). */
  headBias?: boolean;
  /** dtype of the parameters (default 'float32'). */
  dtype?: DType;
}

/** The output of AdaptiveLogSoftmaxWithLoss.forward: the target log-probabilities [N] and their negated mean. */
export type ASMOutput = [Tensor, Tensor] & {
  /** log p(target) per row. */
  output: Tensor;
  /** −mean(output). */
  loss: Tensor;
};

/**
 * Efficient softmax over many classes: the first cutoffs[0] classes in the head, the rest in tail
 * clusters [cutoffs[i], cutoffs[i+1]).
 * @example
 * const asm = new nn.AdaptiveLogSoftmaxWithLoss(16, 1000, [50, 200]);
 * const { output, loss } = asm.call(torch.randn([8, 16]), torch.randint(0, 1000, [8]));
 * asm.logProb(torch.randn([2, 16])).shape // [2, 1000]
 */
export class AdaptiveLogSoftmaxWithLoss extends Module {
  static override readonly displayName: string = 'AdaptiveLogSoftmaxWithLoss';
  /** The head: inFeatures → shortlist + one token per cluster. */
  declare head: Linear;
  /** One Sequential(Linear(in, h, no bias), Linear(h, cluster size, no bias)) per tail cluster. */
  declare tail: ModuleList;
  /** Input features. */
  readonly inFeatures: number;
  /** Number of classes. */
  readonly nClasses: number;
  /** The cluster boundaries, with nClasses appended. */
  readonly cutoffs: number[];
  /** The projection-width divisor. */
  readonly divValue: number;
  /** Whether the head has a bias. */
  readonly headBias: boolean;
  /** Classes in the head (cutoffs[0]). */
  readonly shortlistSize: number;
  /** Tail clusters. */
  readonly nClusters: number;
  /** Head outputs: shortlist + one per cluster. */
  readonly headSize: number;

  /** @param inFeatures Input size. @param nClasses Classes. @param cutoffs Increasing cluster boundaries in (0, nClasses). @param opts divValue (4), headBias (false), dtype. */
  constructor(inFeatures: number, nClasses: number, cutoffs: number[], opts: AdaptiveLogSoftmaxOptions = {}) {
    checkOptions('nn.AdaptiveLogSoftmaxWithLoss', opts, ['divValue', 'headBias', 'dtype']);
    super();
    const sorted = [...cutoffs].sort((a, b) => a - b);
    if (
      !Array.isArray(cutoffs) || cutoffs.length === 0 || cutoffs.some((c, i) => c !== sorted[i] || !Number.isInteger(c)) || sorted[0]! <= 0 ||
      sorted.at(-1)! > nClasses - 1 || new Set(cutoffs).size !== cutoffs.length
    ) {
      throw new ValueError(
        `AdaptiveLogSoftmaxWithLoss(): cutoffs should be a sequence of unique, positive integers sorted in an increasing order, where each value is between 1 and n_classes-1 (got ${fmtValue(cutoffs)} for ${nClasses} classes)`,
      );
    }
    this.inFeatures = inFeatures;
    this.nClasses = nClasses;
    this.cutoffs = [...cutoffs, nClasses];
    this.divValue = opts.divValue ?? 4;
    this.headBias = opts.headBias ?? false;
    this.shortlistSize = this.cutoffs[0]!;
    this.nClusters = this.cutoffs.length - 1;
    this.headSize = this.shortlistSize + this.nClusters;
    const dtype = opts.dtype ?? 'float32';
    this.head = new Linear(inFeatures, this.headSize, { bias: this.headBias, dtype });
    this.tail = new ModuleList(
      Array.from({ length: this.nClusters }, (_, i) => {
        const hsz = Math.floor(inFeatures / this.divValue ** (i + 1));
        const osz = this.cutoffs[i + 1]! - this.cutoffs[i]!;
        return new Sequential(new Linear(inFeatures, hsz, { bias: false, dtype }), new Linear(hsz, osz, { bias: false, dtype }));
      }),
    );
  }

  /** Re-draws every Linear (PyTorch's reset_parameters). @example asm.resetParameters() */
  resetParameters(): void {
    for (const m of this.modules()) if (m instanceof Linear) m.resetParameters();
  }

  private batched(fn: string, input: Tensor): Tensor {
    if (input.ndim !== 1 && input.ndim !== 2) throw new ShapeError(`${fn}: input should be 1D or 2D, got ${fmtShape(input.shape)}`);
    if (input.shape.at(-1) !== this.inFeatures) {
      throw new ShapeError(`${fn}: Input should have ${this.inFeatures} features (the last dim), got ${fmtShape(input.shape)}`);
    }
    return input.ndim === 1 ? input.unsqueeze(0) : input;
  }

  /**
   * log p(target) per row and the loss −mean(log p): `{ output, loss }` (also `[output, loss]`) for
   * input [N, inFeatures] and int32 target [N] (or [inFeatures] and a 0-d target).
   */
  override forward(input: Tensor, target: Tensor): ASMOutput {
    const fn = 'AdaptiveLogSoftmaxWithLoss.forward()';
    if (target.dtype !== 'int32') throw new DTypeError(`${fn}: target must be an int32 tensor, got ${target.dtype}`);
    const x = this.batched(fn, input);
    const n = x.shape[0]!;
    if ((input.ndim === 1 && target.ndim !== 0) || (input.ndim === 2 && (target.ndim !== 1 || target.shape[0] !== n))) {
      throw new ShapeError(`${fn}: Input and target should have the same size in the batch dimension (input ${fmtShape(input.shape)}, target ${fmtShape(target.shape)})`);
    }
    const t = target.reshape([n]);
    const vals = valuesIfConcrete(t);
    if (vals) {
      const arr = Array.from(vals);
      const lo = Math.min(...arr);
      const hi = Math.max(...arr);
      if (lo < 0 || hi >= this.nClasses) throw new ValueError(`${fn}: Target values should be in [0, ${this.nClasses - 1}], but values in range [${lo}, ${hi}] were found.`);
    }
    const headLogprob = logSoftmax(this.head.call(x) as Tensor, 1);
    // The head column each row reads (its class in the shortlist, else its cluster's token), and the
    // in-cluster log-probability of tail targets.
    let headCol = t;
    let output = zeros([n], { dtype: x.dtype, device: x.device });
    for (let i = 0; i < this.nClusters; i++) {
      const low = this.cutoffs[i]!;
      const high = this.cutoffs[i + 1]!;
      const inCluster = t.ge(low).logicalAnd(t.lt(high));
      const clusterLogprob = logSoftmax((this.tail.get(i) as Module).call(x) as Tensor, 1);
      const rel = t.sub(low).clamp({ min: 0, max: high - low - 1 });
      const local = gather(clusterLogprob, 1, rel.unsqueeze(1)).squeeze(1);
      output = output.add(local.where(inCluster, 0));
      headCol = headCol.where(inCluster.logicalNot(), this.shortlistSize + i);
    }
    output = output.add(gather(headLogprob, 1, headCol.unsqueeze(1)).squeeze(1));
    const loss = output.neg().mean();
    const out = input.ndim === 1 ? output.squeeze(0) : output;
    return Object.assign([out, loss] as [Tensor, Tensor], { output: out, loss });
  }

  /**
   * The log-probabilities of every class, [N, nClasses] (or [nClasses]).
   * @example asm.logProb(x).exp().sum(1) // ones
   */
  logProb(input: Tensor): Tensor {
    const x = this.batched('AdaptiveLogSoftmaxWithLoss.logProb()', input);
    const headLogprob = logSoftmax(this.head.call(x) as Tensor, 1);
    const parts = [headLogprob.narrow(1, 0, this.shortlistSize)];
    for (let i = 0; i < this.nClusters; i++) {
      const clusterLogprob = logSoftmax((this.tail.get(i) as Module).call(x) as Tensor, 1);
      parts.push(clusterLogprob.add(headLogprob.narrow(1, this.shortlistSize + i, 1)));
    }
    const all = cat(parts, 1);
    return input.ndim === 1 ? all.squeeze(0) : all;
  }

  /**
   * The most likely class of each row, int32 [N] (or a 0-d tensor).
   * @example asm.predict(x)
   */
  predict(input: Tensor): Tensor {
    return this.logProb(input).argmax(-1);
  }
}
