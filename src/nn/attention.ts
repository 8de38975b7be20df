// MultiheadAttention (torch/nn/modules/activation.py and F.multi_head_attention_forward): PyTorch's
// parameter names (in_proj_weight, in_proj_bias, out_proj.*, or q/k/v_proj_weight when kdim/vdim
// differ), default initialization, batchFirst; the attention itself is ops/nn/multi_head_attention.ts.
import { checkOptions } from '../core/options.js';
import type { DType } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { empty } from '../ops/creation.js';
import { mhaForward } from '../ops/nn/multi_head_attention.js';
import * as init from './init.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/**
 * The output projection of MultiheadAttention (a Linear; the name is PyTorch's).
 * @example mha.out_proj.weight.shape // [E, E]
 */
export class NonDynamicallyQuantizableLinear extends Linear {
  static override readonly displayName: string = 'NonDynamicallyQuantizableLinear';
}

/** Options of nn.MultiheadAttention. */
export interface MultiheadAttentionOptions {
  /** Dropout on the attention weights while training (default 0). */
  dropout?: number;
  /** Biases on the input and output projections (default true). */
  bias?: boolean;
  /** Learned bias_k / bias_v rows appended to the keys and values (default false). */
  addBiasKv?: boolean;
  /** Append a zero key/value row (default false). */
  addZeroAttn?: boolean;
  /** Key feature size (default embedDim). */
  kdim?: number;
  /** Value feature size (default embedDim). */
  vdim?: number;
  /** Inputs are [N, L, E] instead of [L, N, E] (default false). */
  batchFirst?: boolean;
  /** dtype of the parameters (default 'float32'). */
  dtype?: DType;
}

/** Options of MultiheadAttention.forward (PyTorch's keyword arguments). */
export interface MultiheadAttentionForwardOptions {
  /** [N, S] (or [S] unbatched): true (or -inf) marks keys to ignore. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true). */
  needWeights?: boolean;
  /** [L, S] or [N * numHeads, L, S]: bool (true = not allowed) or float (added to the scores). */
  attnMask?: Tensor | null;
  /** Average the weights over heads (default true), else [N, numHeads, L, S]. */
  averageAttnWeights?: boolean;
  /** Apply a causal mask when no attnMask is given. */
  isCausal?: boolean;
}

/**
 * Multi-head scaled dot-product attention. `forward(query, key, value, opts)` returns
 * `[attnOutput, attnWeights | null]`.
 * @example
 * const mha = new nn.MultiheadAttention(8, 2, { batchFirst: true });
 * const x = torch.randn([4, 5, 8]);
 * const [out, weights] = mha.call(x, x, x); // out [4, 5, 8], weights [4, 5, 5]
 * Object.keys(mha.stateDict()) // ['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']
 */
export class MultiheadAttention extends Module {
  static override readonly displayName: string = 'MultiheadAttention';
  /** The stacked q, k, v projection weights [3E, E] (null when kdim or vdim differ from embedDim). */
  declare in_proj_weight: Parameter | null;
  /** The query projection [E, E], used instead of in_proj_weight when kdim or vdim differ (else null). */
  declare q_proj_weight: Parameter | null;
  /** The key projection [E, kdim], used when kdim or vdim differ (else null). */
  declare k_proj_weight: Parameter | null;
  /** The value projection [E, vdim], used when kdim or vdim differ (else null). */
  declare v_proj_weight: Parameter | null;
  /** The stacked q, k, v projection biases [3E] (null with `bias: false`). */
  declare in_proj_bias: Parameter | null;
  /** The output projection, a Linear(E, E). */
  declare out_proj: NonDynamicallyQuantizableLinear;
  /** Learned key row appended to the keys [1, 1, E] (with addBiasKv; else null). */
  declare bias_k: Parameter | null;
  /** Learned value row appended to the values [1, 1, E] (with addBiasKv; else null). */
  declare bias_v: Parameter | null;
  /** Model size E (query features). */
  readonly embedDim: number;
  /** Number of parallel heads; E divides evenly among them. */
  readonly numHeads: number;
  /** Features per head, E / numHeads. */
  readonly headDim: number;
  /** Dropout probability on the attention weights while training. */
  readonly dropout: number;
  /** Key feature size. */
  readonly kdim: number;
  /** Value feature size. */
  readonly vdim: number;
  /** Whether inputs and outputs are [N, L, E] rather than [L, N, E]. */
  readonly batchFirst: boolean;
  /** Whether a zero key/value row is appended. */
  readonly addZeroAttn: boolean;

  /**
   * `embedDim` E split over `numHeads` heads; options dropout (0), bias (true), addBiasKv (false),
   * addZeroAttn (false), kdim / vdim (E), batchFirst (false), dtype.
   */
  constructor(embedDim: number, numHeads: number, opts: MultiheadAttentionOptions = {}) {
    checkOptions('nn.MultiheadAttention', opts, ['dropout', 'bias', 'addBiasKv', 'addZeroAttn', 'kdim', 'vdim', 'batchFirst', 'dtype']);
    super();
    if (!Number.isInteger(embedDim) || embedDim <= 0 || !Number.isInteger(numHeads) || numHeads <= 0) {
      throw new ValueError(`MultiheadAttention(): embed_dim and num_heads must be greater than 0, got embed_dim=${embedDim} and num_heads=${numHeads} instead`);
    }
    if (embedDim % numHeads !== 0) throw new ValueError(`MultiheadAttention(): embed_dim must be divisible by num_heads (embed_dim=${embedDim}, num_heads=${numHeads})`);
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.dropout = opts.dropout ?? 0;
    this.kdim = opts.kdim ?? embedDim;
    this.vdim = opts.vdim ?? embedDim;
    this.batchFirst = opts.batchFirst ?? false;
    this.addZeroAttn = opts.addZeroAttn ?? false;
    const dtype = opts.dtype ?? 'float32';
    const bias = opts.bias ?? true;
    if (this.kdim === embedDim && this.vdim === embedDim) {
      this.in_proj_weight = Parameter(empty([3 * embedDim, embedDim], { dtype }));
      this.registerParameter('q_proj_weight', null);
      this.registerParameter('k_proj_weight', null);
      this.registerParameter('v_proj_weight', null);
    } else {
      this.q_proj_weight = Parameter(empty([embedDim, embedDim], { dtype }));
      this.k_proj_weight = Parameter(empty([embedDim, this.kdim], { dtype }));
      this.v_proj_weight = Parameter(empty([embedDim, this.vdim], { dtype }));
      this.registerParameter('in_proj_weight', null);
    }
    if (bias) this.in_proj_bias = Parameter(empty([3 * embedDim], { dtype }));
    else this.registerParameter('in_proj_bias', null);
    this.out_proj = new NonDynamicallyQuantizableLinear(embedDim, embedDim, { bias, dtype });
    if (opts.addBiasKv) {
      this.bias_k = Parameter(empty([1, 1, embedDim], { dtype }));
      this.bias_v = Parameter(empty([1, 1, embedDim], { dtype }));
    } else {
      this.registerParameter('bias_k', null);
      this.registerParameter('bias_v', null);
    }
    this.resetParameters();
  }

  /**
   * PyTorch's _reset_parameters: xavier_uniform_ projections, zero biases, xavier_normal_ bias_k/v.
   * @example mha.resetParameters()
   */
  resetParameters(): void {
    if (this.in_proj_weight) init.xavierUniform_(this.in_proj_weight);
    else for (const w of [this.q_proj_weight, this.k_proj_weight, this.v_proj_weight]) init.xavierUniform_(w!);
    if (this.in_proj_bias) {
      init.constant_(this.in_proj_bias, 0);
      if (this.out_proj.bias) init.constant_(this.out_proj.bias, 0);
    }
    if (this.bias_k) init.xavierNormal_(this.bias_k);
    if (this.bias_v) init.xavierNormal_(this.bias_v);
  }

  /**
   * Attention of `query` [L, N, E] over `key` [S, N, kdim] / `value` [S, N, vdim] ([N, L, E] ... with
   * batchFirst; unbatched [L, E] ... too): softmax(q k^T / sqrt(headDim) + masks) v per head, then
   * the output projection. Returns `[output, weights]`: weights [N, L, S] averaged over heads (or
   * [N, numHeads, L, S] with `averageAttnWeights: false`), null with `needWeights: false`.
   */
  override forward(query: Tensor, key: Tensor, value: Tensor, opts: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    checkOptions('MultiheadAttention.forward()', opts, ['keyPaddingMask', 'needWeights', 'attnMask', 'averageAttnWeights', 'isCausal']);
    const fn = 'MultiheadAttention.forward()';
    const batched = query.ndim === 3;
    const seqFirst = (t: Tensor) => (batched && this.batchFirst ? t.transpose(0, 1) : t);
    const [out, w] = mhaForward(
      fn, seqFirst(query), seqFirst(key), seqFirst(value), this.embedDim, this.numHeads, this.in_proj_weight, this.in_proj_bias, this.bias_k, this.bias_v,
      this.addZeroAttn, this.dropout, this.out_proj.weight, this.out_proj.bias,
      {
        training: this.training, keyPaddingMask: opts.keyPaddingMask, needWeights: opts.needWeights, attnMask: opts.attnMask,
        averageAttnWeights: opts.averageAttnWeights, isCausal: opts.isCausal, useSeparateProjWeight: this.in_proj_weight === null,
        qProjWeight: this.q_proj_weight, kProjWeight: this.k_proj_weight, vProjWeight: this.v_proj_weight,
      },
    );
    return [seqFirst(out), w];
  }
}
