// TransformerEncoderLayer and TransformerEncoder (torch/nn/modules/transformer.py): PyTorch's
// submodule names (self_attn, linear1, dropout, linear2, norm1, norm2, dropout1, dropout2; layers.N
// and norm), so PyTorch state_dicts load with loadStateDict; post-norm and pre-norm (normFirst)
// paths, masks, batchFirst and unbatched inputs. Dropout is active only in training mode.
import { checkOptions } from '../core/options.js';
import type { DType } from '../core/dtype.js';
import { TorchTypeError, ValueError } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { gelu, relu } from '../ops/nn/index.js';
import { MultiheadAttention } from './attention.js';
import { ModuleList } from './container.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { LayerNorm } from './normalization.js';

/** The feed-forward activation of a TransformerEncoderLayer. */
export type TransformerActivation = 'relu' | 'gelu';

/** Options of nn.TransformerEncoderLayer (PyTorch's keyword arguments, camelCased). */
export interface TransformerEncoderLayerOptions {
  /** Hidden size of the feed-forward network (default 2048). */
  dimFeedforward?: number;
  /** Dropout probability of the attention weights, the feed-forward hidden layer and both residual branches, while training (default 0.1). */
  dropout?: number;
  /** Activation of the feed-forward hidden layer, 'relu' or 'gelu' (default 'relu'). */
  activation?: TransformerActivation;
  /** eps of both LayerNorms (default 1e-5). */
  layerNormEps?: number;
  /** Inputs and outputs are [N, S, E] instead of [S, N, E] (default false). */
  batchFirst?: boolean;
  /** Pre-norm: LayerNorm before the attention and feed-forward blocks instead of after the residual adds (default false). */
  normFirst?: boolean;
  /** Biases in the Linear layers, the attention projections and the LayerNorms (default true). */
  bias?: boolean;
  /** dtype of the parameters (default 'float32'). */
  dtype?: DType;
}

/** Options of TransformerEncoderLayer.forward (PyTorch's keyword arguments). */
export interface TransformerEncoderLayerForwardOptions {
  /** [S, S] or [N * nhead, S, S] attention mask: bool (true = not allowed) or float (added to the scores). */
  srcMask?: Tensor | null;
  /** [N, S] (or [S] unbatched): true (or -inf) marks padding keys to ignore. */
  srcKeyPaddingMask?: Tensor | null;
  /** Apply a causal mask when srcMask is not given (with a srcMask, a hint that it is causal; it is used as given). */
  isCausal?: boolean;
}

/** The resolved constructor options of a TransformerEncoderLayer (every option has its value). */
export type TransformerEncoderLayerConfig = Required<TransformerEncoderLayerOptions>;

const LAYER_OPTIONS = ['dimFeedforward', 'dropout', 'activation', 'layerNormEps', 'batchFirst', 'normFirst', 'bias', 'dtype'] as const;

/**
 * One Transformer encoder layer: self-attention and a feed-forward network (linear1, activation,
 * dropout, linear2), each in a residual branch with dropout and a LayerNorm. Post-norm (default):
 * `x = norm1(x + sa(x)); x = norm2(x + ff(x))`; pre-norm (`normFirst`):
 * `x = x + sa(norm1(x)); x = x + ff(norm2(x))`.
 * @example
 * const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true });
 * const y = layer.call(torch.randn([4, 5, 8])); // [4, 5, 8]
 * layer.call(x, { srcKeyPaddingMask: pad, isCausal: true });
 */
export class TransformerEncoderLayer extends Module {
  static override readonly displayName: string = 'TransformerEncoderLayer';
  /** Multi-head self-attention, MultiheadAttention(dModel, nhead). */
  declare self_attn: MultiheadAttention;
  /** First feed-forward layer, Linear(dModel, dimFeedforward). */
  declare linear1: Linear;
  /** Dropout after the feed-forward activation. */
  declare dropout: Dropout;
  /** Second feed-forward layer, Linear(dimFeedforward, dModel). */
  declare linear2: Linear;
  /** LayerNorm of the attention block (after the residual add, or before the block with normFirst). */
  declare norm1: LayerNorm;
  /** LayerNorm of the feed-forward block (after the residual add, or before the block with normFirst). */
  declare norm2: LayerNorm;
  /** Dropout on the attention branch. */
  declare dropout1: Dropout;
  /** Dropout on the feed-forward branch. */
  declare dropout2: Dropout;
  /** Model size E. */
  readonly dModel: number;
  /** Number of attention heads. */
  readonly nhead: number;
  /** Whether the norms come first (pre-norm). */
  readonly normFirst: boolean;
  /** Whether inputs and outputs are [N, S, E] rather than [S, N, E]. */
  readonly batchFirst: boolean;
  /** The feed-forward activation. */
  readonly activation: TransformerActivation;
  /** The constructor options, resolved (TransformerEncoder builds its copies from these). */
  readonly config: Readonly<TransformerEncoderLayerConfig>;

  /**
   * `dModel` features split over `nhead` heads; options dimFeedforward (2048), dropout (0.1),
   * activation ('relu'), layerNormEps (1e-5), batchFirst (false), normFirst (false), bias (true), dtype.
   */
  constructor(dModel: number, nhead: number, opts: TransformerEncoderLayerOptions = {}) {
    checkOptions('nn.TransformerEncoderLayer', opts, LAYER_OPTIONS);
    super();
    const config: TransformerEncoderLayerConfig = {
      dimFeedforward: opts.dimFeedforward ?? 2048,
      dropout: opts.dropout ?? 0.1,
      activation: opts.activation ?? 'relu',
      layerNormEps: opts.layerNormEps ?? 1e-5,
      batchFirst: opts.batchFirst ?? false,
      normFirst: opts.normFirst ?? false,
      bias: opts.bias ?? true,
      dtype: opts.dtype ?? 'float32',
    };
    if (config.activation !== 'relu' && config.activation !== 'gelu') {
      throw new ValueError(`TransformerEncoderLayer(): activation should be relu/gelu, not ${String(config.activation)}`);
    }
    const { dimFeedforward, dropout, layerNormEps: eps, batchFirst, bias, dtype } = config;
    this.dModel = dModel;
    this.nhead = nhead;
    this.normFirst = config.normFirst;
    this.batchFirst = batchFirst;
    this.activation = config.activation;
    this.config = Object.freeze(config);
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout, bias, batchFirst, dtype });
    this.linear1 = new Linear(dModel, dimFeedforward, { bias, dtype });
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(dimFeedforward, dModel, { bias, dtype });
    this.norm1 = new LayerNorm(dModel, { eps, bias, dtype });
    this.norm2 = new LayerNorm(dModel, { eps, bias, dtype });
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
  }

  /**
   * The layer on `src` [S, N, E] ([N, S, E] with batchFirst; unbatched [S, E] too), same shape out.
   * Options srcMask, srcKeyPaddingMask and isCausal as in PyTorch.
   */
  override forward(src: Tensor, opts: TransformerEncoderLayerForwardOptions = {}): Tensor {
    checkOptions('TransformerEncoderLayer.forward()', opts, ['srcMask', 'srcKeyPaddingMask', 'isCausal']);
    const kpm = opts.srcKeyPaddingMask ?? null;
    if (kpm !== null && kpm.dtype !== 'bool' && kpm.dtype !== 'float32' && kpm.dtype !== 'float64') {
      throw new TorchTypeError(`TransformerEncoderLayer.forward(): only bool and floating types of key_padding_mask are supported, got ${kpm.dtype}`);
    }
    const mask = opts.srcMask ?? null;
    const causal = opts.isCausal ?? false;
    let x = src;
    if (this.normFirst) {
      x = x.add(this.saBlock(this.norm1.call(x), mask, kpm, causal));
      x = x.add(this.ffBlock(this.norm2.call(x)));
    } else {
      x = this.norm1.call(x.add(this.saBlock(x, mask, kpm, causal)));
      x = this.norm2.call(x.add(this.ffBlock(x)));
    }
    return x;
  }

  /** Self-attention then dropout1 (PyTorch's _sa_block). */
  private saBlock(x: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null, isCausal: boolean): Tensor {
    const [out] = this.self_attn.call(x, x, x, { attnMask, keyPaddingMask, needWeights: false, isCausal });
    return this.dropout1.call(out);
  }

  /** linear1, activation, dropout, linear2, dropout2 (PyTorch's _ff_block). */
  private ffBlock(x: Tensor): Tensor {
    const h = this.linear1.call(x);
    const a = this.activation === 'gelu' ? gelu(h) : relu(h);
    return this.dropout2.call(this.linear2.call(this.dropout.call(a)));
  }
}

/** Options of nn.TransformerEncoder. */
export interface TransformerEncoderOptions {
  /** A final normalization applied to the last layer's output (PyTorch's `norm`, e.g. a LayerNorm; default none). */
  norm?: Module | null;
}

/** Options of TransformerEncoder.forward (PyTorch's keyword arguments). */
export interface TransformerEncoderForwardOptions {
  /** [S, S] or [N * nhead, S, S] attention mask for every layer: bool (true = not allowed) or float. */
  mask?: Tensor | null;
  /** [N, S] (or [S] unbatched): true (or -inf) marks padding keys to ignore. */
  srcKeyPaddingMask?: Tensor | null;
  /** Apply a causal mask when no mask is given (with a mask, a hint that it is causal). */
  isCausal?: boolean;
}

/**
 * A stack of `numLayers` TransformerEncoderLayers, then an optional `norm`. As PyTorch deep-copies
 * `encoderLayer`, the layers are independent copies that start equal to it (built from its
 * `config`, then loaded with its state); `encoderLayer` itself is not registered.
 * @example
 * const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
 * const enc = new nn.TransformerEncoder(layer, 3, { norm: new nn.LayerNorm(8) });
 * Object.keys(enc.stateDict())[0] // 'layers.0.self_attn.in_proj_weight'
 * enc.call(torch.randn([5, 2, 8]), { isCausal: true }); // [5, 2, 8]
 */
export class TransformerEncoder extends Module {
  static override readonly displayName: string = 'TransformerEncoder';
  /** The layers, named '0', '1', ... */
  declare layers: ModuleList;
  /** The final normalization, or null. */
  declare norm: Module | null;
  /** Number of layers. */
  readonly numLayers: number;

  /** `numLayers` copies of `encoderLayer`; option norm (none). */
  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, opts: TransformerEncoderOptions = {}) {
    checkOptions('nn.TransformerEncoder', opts, ['norm']);
    super();
    if (!(encoderLayer instanceof TransformerEncoderLayer)) {
      throw new TorchTypeError('TransformerEncoder(): encoderLayer must be a TransformerEncoderLayer');
    }
    if (!Number.isInteger(numLayers) || numLayers < 0) {
      throw new ValueError(`TransformerEncoder(): num_layers must be a non-negative integer, got ${String(numLayers)}`);
    }
    this.numLayers = numLayers;
    const state = encoderLayer.stateDict();
    const copies: TransformerEncoderLayer[] = [];
    for (let i = 0; i < numLayers; i++) {
      const copy = new TransformerEncoderLayer(encoderLayer.dModel, encoderLayer.nhead, { ...encoderLayer.config });
      copy.loadStateDict(state);
      copy.train(encoderLayer.training);
      copies.push(copy);
    }
    this.layers = new ModuleList(copies);
    if (opts.norm) this.norm = opts.norm;
    else this.registerModule('norm', null);
  }

  /**
   * The layers in turn on `src` ([S, N, E], [N, S, E] with batchFirst, or unbatched [S, E]), then
   * norm. Options mask, srcKeyPaddingMask and isCausal, passed to every layer.
   */
  override forward(src: Tensor, opts: TransformerEncoderForwardOptions = {}): Tensor {
    checkOptions('TransformerEncoder.forward()', opts, ['mask', 'srcKeyPaddingMask', 'isCausal']);
    const layerOpts: TransformerEncoderLayerForwardOptions = {
      srcMask: opts.mask ?? null, srcKeyPaddingMask: opts.srcKeyPaddingMask ?? null, isCausal: opts.isCausal ?? false,
    };
    let x = src;
    for (const layer of this.layers) x = (layer as TransformerEncoderLayer).call(x, layerOpts);
    if (this.norm) x = this.norm.call(x) as Tensor;
    return x;
  }
}
