// TransformerEncoderLayer and TransformerEncoder (torch/nn/modules/transformer.py): PyTorch's
// submodule names (self_attn, linear1, dropout, linear2, norm1, norm2, dropout1, dropout2; layers.N
// and norm), so PyTorch state_dicts load with loadStateDict; post-norm and pre-norm (normFirst)
// paths, masks, batchFirst and unbatched inputs. Dropout is active only in training mode.
import { checkOptions } from '../core/options.js';
import type { DType } from '../core/dtype.js';
import { TorchTypeError, ValueError } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { gelu, relu } from '../ops/nn/index.js';
import { full } from '../ops/creation.js';
import { where } from '../ops/elementwise.js';
import { xavierUniform_ } from './init.js';
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

/** A layer's options with PyTorch's defaults filled in (both layer kinds take the same ones). */
function resolveLayerConfig(cls: string, opts: TransformerEncoderLayerOptions): TransformerEncoderLayerConfig {
  checkOptions(`nn.${cls}`, opts, LAYER_OPTIONS);
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
    throw new ValueError(`${cls}(): activation should be relu/gelu, not ${String(config.activation)}`);
  }
  return config;
}

function checkPaddingMask(where: string, kpm: Tensor | null): void {
  if (kpm !== null && kpm.dtype !== 'bool' && kpm.dtype !== 'float32' && kpm.dtype !== 'float64') {
    throw new TorchTypeError(`${where}: only bool and floating types of key_padding_mask are supported, got ${kpm.dtype}`);
  }
}

/**
 * `numLayers` independent copies of `layer` that start equal to it, as PyTorch's deepcopy: each is
 * built from the layer's resolved config and loaded with its state.
 */
function layerCopies<L extends Module & { dModel: number; nhead: number; config: Readonly<TransformerEncoderLayerConfig> }>(
  cls: string, layer: L, numLayers: number, make: (dModel: number, nhead: number, config: TransformerEncoderLayerConfig) => L,
): ModuleList {
  if (!Number.isInteger(numLayers) || numLayers < 0) {
    throw new ValueError(`${cls}(): num_layers must be a non-negative integer, got ${String(numLayers)}`);
  }
  const state = layer.stateDict();
  const copies: L[] = [];
  for (let i = 0; i < numLayers; i++) {
    const copy = make(layer.dModel, layer.nhead, { ...layer.config });
    copy.loadStateDict(state);
    copy.train(layer.training);
    copies.push(copy);
  }
  return new ModuleList(copies);
}

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
    const config = resolveLayerConfig('TransformerEncoderLayer', opts);
    super();
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
    checkPaddingMask('TransformerEncoderLayer.forward()', kpm);
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
    this.layers = layerCopies('TransformerEncoder', encoderLayer, numLayers, (d, h, config) => new TransformerEncoderLayer(d, h, config));
    this.numLayers = numLayers;
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

/** Options of nn.TransformerDecoderLayer (PyTorch's keyword arguments, camelCased; the same as the encoder layer's). */
export type TransformerDecoderLayerOptions = TransformerEncoderLayerOptions;

/** The resolved constructor options of a TransformerDecoderLayer (every option has its value). */
export type TransformerDecoderLayerConfig = Required<TransformerDecoderLayerOptions>;

/** Options of TransformerDecoderLayer.forward and TransformerDecoder.forward (PyTorch's keyword arguments). */
export interface TransformerDecoderLayerForwardOptions {
  /** [T, T] or [N * nhead, T, T] self-attention mask: bool (true = not allowed) or float (added to the scores). */
  tgtMask?: Tensor | null;
  /** [T, S] or [N * nhead, T, S] mask of the attention over memory: bool (true = not allowed) or float. */
  memoryMask?: Tensor | null;
  /** [N, T] (or [T] unbatched): true (or -inf) marks padding target positions to ignore as keys. */
  tgtKeyPaddingMask?: Tensor | null;
  /** [N, S] (or [S] unbatched): true (or -inf) marks padding memory positions to ignore. */
  memoryKeyPaddingMask?: Tensor | null;
  /** Apply a causal self-attention mask when tgtMask is not given (with a tgtMask, a hint that it is causal; it is used as given). */
  tgtIsCausal?: boolean;
  /** Apply a causal mask to the attention over memory when memoryMask is not given (with a memoryMask, a hint). */
  memoryIsCausal?: boolean;
}

const DECODER_FORWARD_OPTIONS = ['tgtMask', 'memoryMask', 'tgtKeyPaddingMask', 'memoryKeyPaddingMask', 'tgtIsCausal', 'memoryIsCausal'] as const;

/**
 * One Transformer decoder layer: self-attention, attention over the encoder output (`memory`) and a
 * feed-forward network (linear1, activation, dropout, linear2), each in a residual branch with
 * dropout and a LayerNorm. Post-norm (default): `x = norm1(x + sa(x)); x = norm2(x + mha(x, mem));
 * x = norm3(x + ff(x))`; pre-norm (`normFirst`): `x = x + sa(norm1(x)); x = x + mha(norm2(x), mem);
 * x = x + ff(norm3(x))`.
 * @example
 * const layer = new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true });
 * const y = layer.call(torch.randn([4, 5, 8]), torch.randn([4, 7, 8])); // [4, 5, 8]
 * layer.call(tgt, memory, { tgtIsCausal: true, memoryKeyPaddingMask: pad });
 */
export class TransformerDecoderLayer extends Module {
  static override readonly displayName: string = 'TransformerDecoderLayer';
  /** Multi-head self-attention over the target, MultiheadAttention(dModel, nhead). */
  declare self_attn: MultiheadAttention;
  /** Multi-head attention of the target over memory, MultiheadAttention(dModel, nhead). */
  declare multihead_attn: MultiheadAttention;
  /** First feed-forward layer, Linear(dModel, dimFeedforward). */
  declare linear1: Linear;
  /** Dropout after the feed-forward activation. */
  declare dropout: Dropout;
  /** Second feed-forward layer, Linear(dimFeedforward, dModel). */
  declare linear2: Linear;
  /** LayerNorm of the self-attention block. */
  declare norm1: LayerNorm;
  /** LayerNorm of the memory-attention block. */
  declare norm2: LayerNorm;
  /** LayerNorm of the feed-forward block. */
  declare norm3: LayerNorm;
  /** Dropout on the self-attention branch. */
  declare dropout1: Dropout;
  /** Dropout on the memory-attention branch. */
  declare dropout2: Dropout;
  /** Dropout on the feed-forward branch. */
  declare dropout3: Dropout;
  /** Model size E. */
  readonly dModel: number;
  /** Number of attention heads. */
  readonly nhead: number;
  /** Whether the norms come first (pre-norm). */
  readonly normFirst: boolean;
  /** Whether inputs and outputs are [N, T, E] rather than [T, N, E]. */
  readonly batchFirst: boolean;
  /** The feed-forward activation. */
  readonly activation: TransformerActivation;
  /** The constructor options, resolved (TransformerDecoder builds its copies from these). */
  readonly config: Readonly<TransformerDecoderLayerConfig>;

  /**
   * `dModel` features split over `nhead` heads; options dimFeedforward (2048), dropout (0.1),
   * activation ('relu'), layerNormEps (1e-5), batchFirst (false), normFirst (false), bias (true), dtype.
   */
  constructor(dModel: number, nhead: number, opts: TransformerDecoderLayerOptions = {}) {
    const config = resolveLayerConfig('TransformerDecoderLayer', opts);
    super();
    const { dimFeedforward, dropout, layerNormEps: eps, batchFirst, bias, dtype } = config;
    this.dModel = dModel;
    this.nhead = nhead;
    this.normFirst = config.normFirst;
    this.batchFirst = batchFirst;
    this.activation = config.activation;
    this.config = Object.freeze(config);
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout, bias, batchFirst, dtype });
    this.multihead_attn = new MultiheadAttention(dModel, nhead, { dropout, bias, batchFirst, dtype });
    this.linear1 = new Linear(dModel, dimFeedforward, { bias, dtype });
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(dimFeedforward, dModel, { bias, dtype });
    this.norm1 = new LayerNorm(dModel, { eps, bias, dtype });
    this.norm2 = new LayerNorm(dModel, { eps, bias, dtype });
    this.norm3 = new LayerNorm(dModel, { eps, bias, dtype });
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this.dropout3 = new Dropout(dropout);
  }

  /**
   * The layer on `tgt` [T, N, E] ([N, T, E] with batchFirst; unbatched [T, E] too) attending to
   * `memory` [S, N, E] (likewise), same shape as `tgt` out. Options tgtMask, memoryMask,
   * tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal and memoryIsCausal as in PyTorch.
   */
  override forward(tgt: Tensor, memory: Tensor, opts: TransformerDecoderLayerForwardOptions = {}): Tensor {
    checkOptions('TransformerDecoderLayer.forward()', opts, DECODER_FORWARD_OPTIONS);
    const tgtKpm = opts.tgtKeyPaddingMask ?? null;
    const memKpm = opts.memoryKeyPaddingMask ?? null;
    checkPaddingMask('TransformerDecoderLayer.forward()', tgtKpm);
    checkPaddingMask('TransformerDecoderLayer.forward()', memKpm);
    const tgtMask = opts.tgtMask ?? null;
    const memMask = opts.memoryMask ?? null;
    const tgtCausal = opts.tgtIsCausal ?? false;
    const memCausal = opts.memoryIsCausal ?? false;
    let x = tgt;
    if (this.normFirst) {
      x = x.add(this.saBlock(this.norm1.call(x), tgtMask, tgtKpm, tgtCausal));
      x = x.add(this.mhaBlock(this.norm2.call(x), memory, memMask, memKpm, memCausal));
      x = x.add(this.ffBlock(this.norm3.call(x)));
    } else {
      x = this.norm1.call(x.add(this.saBlock(x, tgtMask, tgtKpm, tgtCausal)));
      x = this.norm2.call(x.add(this.mhaBlock(x, memory, memMask, memKpm, memCausal)));
      x = this.norm3.call(x.add(this.ffBlock(x)));
    }
    return x;
  }

  /** Self-attention then dropout1 (PyTorch's _sa_block). */
  private saBlock(x: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null, isCausal: boolean): Tensor {
    const [out] = this.self_attn.call(x, x, x, { attnMask, keyPaddingMask, needWeights: false, isCausal });
    return this.dropout1.call(out);
  }

  /** Attention over memory then dropout2 (PyTorch's _mha_block). */
  private mhaBlock(x: Tensor, mem: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null, isCausal: boolean): Tensor {
    const [out] = this.multihead_attn.call(x, mem, mem, { attnMask, keyPaddingMask, needWeights: false, isCausal });
    return this.dropout2.call(out);
  }

  /** linear1, activation, dropout, linear2, dropout3 (PyTorch's _ff_block). */
  private ffBlock(x: Tensor): Tensor {
    const h = this.linear1.call(x);
    const a = this.activation === 'gelu' ? gelu(h) : relu(h);
    return this.dropout3.call(this.linear2.call(this.dropout.call(a)));
  }
}

/** Options of nn.TransformerDecoder. */
export interface TransformerDecoderOptions {
  /** A final normalization applied to the last layer's output (PyTorch's `norm`, e.g. a LayerNorm; default none). */
  norm?: Module | null;
}

/** Options of TransformerDecoder.forward (PyTorch's keyword arguments; the same as a decoder layer's). */
export type TransformerDecoderForwardOptions = TransformerDecoderLayerForwardOptions;

/**
 * A stack of `numLayers` TransformerDecoderLayers, then an optional `norm`. As PyTorch deep-copies
 * `decoderLayer`, the layers are independent copies that start equal to it (built from its
 * `config`, then loaded with its state); `decoderLayer` itself is not registered.
 * @example
 * const layer = new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
 * const dec = new nn.TransformerDecoder(layer, 3, { norm: new nn.LayerNorm(8) });
 * Object.keys(dec.stateDict())[0] // 'layers.0.self_attn.in_proj_weight'
 * dec.call(torch.randn([5, 2, 8]), memory, { tgtIsCausal: true }); // [5, 2, 8]
 */
export class TransformerDecoder extends Module {
  static override readonly displayName: string = 'TransformerDecoder';
  /** The layers, named '0', '1', ... */
  declare layers: ModuleList;
  /** The final normalization, or null. */
  declare norm: Module | null;
  /** Number of layers. */
  readonly numLayers: number;

  /** `numLayers` copies of `decoderLayer`; option norm (none). */
  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, opts: TransformerDecoderOptions = {}) {
    checkOptions('nn.TransformerDecoder', opts, ['norm']);
    super();
    if (!(decoderLayer instanceof TransformerDecoderLayer)) {
      throw new TorchTypeError('TransformerDecoder(): decoderLayer must be a TransformerDecoderLayer');
    }
    this.layers = layerCopies('TransformerDecoder', decoderLayer, numLayers, (d, h, config) => new TransformerDecoderLayer(d, h, config));
    this.numLayers = numLayers;
    if (opts.norm) this.norm = opts.norm;
    else this.registerModule('norm', null);
  }

  /**
   * The layers in turn on `tgt` ([T, N, E], [N, T, E] with batchFirst, or unbatched [T, E]), each
   * attending to `memory`, then norm. Options tgtMask, memoryMask, tgtKeyPaddingMask,
   * memoryKeyPaddingMask, tgtIsCausal and memoryIsCausal, passed to every layer.
   */
  override forward(tgt: Tensor, memory: Tensor, opts: TransformerDecoderForwardOptions = {}): Tensor {
    checkOptions('TransformerDecoder.forward()', opts, DECODER_FORWARD_OPTIONS);
    const layerOpts: TransformerDecoderLayerForwardOptions = {
      tgtMask: opts.tgtMask ?? null, memoryMask: opts.memoryMask ?? null,
      tgtKeyPaddingMask: opts.tgtKeyPaddingMask ?? null, memoryKeyPaddingMask: opts.memoryKeyPaddingMask ?? null,
      tgtIsCausal: opts.tgtIsCausal ?? false, memoryIsCausal: opts.memoryIsCausal ?? false,
    };
    let x = tgt;
    for (const layer of this.layers) x = (layer as TransformerDecoderLayer).call(x, memory, layerOpts);
    if (this.norm) x = this.norm.call(x) as Tensor;
    return x;
  }
}

/** Options of nn.Transformer (PyTorch's keyword arguments, camelCased). */
export interface TransformerOptions extends TransformerEncoderLayerOptions {
  /** Model size E (default 512). */
  dModel?: number;
  /** Number of attention heads (default 8). */
  nhead?: number;
  /** Number of encoder layers (default 6). */
  numEncoderLayers?: number;
  /** Number of decoder layers (default 6). */
  numDecoderLayers?: number;
}

/** Options of Transformer.forward (PyTorch's keyword arguments). */
export interface TransformerForwardOptions {
  /** [S, S] or [N * nhead, S, S] encoder self-attention mask: bool (true = not allowed) or float. */
  srcMask?: Tensor | null;
  /** [T, T] or [N * nhead, T, T] decoder self-attention mask, e.g. Transformer.generateSquareSubsequentMask(T). */
  tgtMask?: Tensor | null;
  /** [T, S] or [N * nhead, T, S] mask of the decoder's attention over the encoder output. */
  memoryMask?: Tensor | null;
  /** [N, S] (or [S] unbatched): true (or -inf) marks padding source positions. */
  srcKeyPaddingMask?: Tensor | null;
  /** [N, T] (or [T] unbatched): true (or -inf) marks padding target positions. */
  tgtKeyPaddingMask?: Tensor | null;
  /** [N, S] (or [S] unbatched): true (or -inf) marks padding memory positions (usually srcKeyPaddingMask). */
  memoryKeyPaddingMask?: Tensor | null;
  /** Apply a causal encoder mask when srcMask is not given (with a srcMask, a hint). */
  srcIsCausal?: boolean;
  /** Apply a causal decoder self-attention mask when tgtMask is not given (with a tgtMask, a hint). */
  tgtIsCausal?: boolean;
  /** Apply a causal mask over memory when memoryMask is not given (with a memoryMask, a hint). */
  memoryIsCausal?: boolean;
}

/** Options of Transformer.generateSquareSubsequentMask. */
export interface SquareSubsequentMaskOptions {
  /** dtype of the mask (default 'float32'). */
  dtype?: DType;
  /** Device of the mask (default: the default device). */
  device?: Tensor['device'];
}

const TRANSFORMER_OPTIONS = ['dModel', 'nhead', 'numEncoderLayers', 'numDecoderLayers', ...LAYER_OPTIONS] as const;

/**
 * The full encoder-decoder Transformer ("Attention Is All You Need"): a TransformerEncoder of
 * `numEncoderLayers` layers with a final LayerNorm (`encoder`, `encoder.norm`) and a
 * TransformerDecoder of `numDecoderLayers` layers with a final LayerNorm (`decoder`,
 * `decoder.norm`), PyTorch's submodule names. As in PyTorch, every parameter with more than one
 * dimension is re-initialised with xavierUniform_ after construction.
 * @example
 * const model = new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 16 });
 * const tgtMask = nn.Transformer.generateSquareSubsequentMask(4);
 * const out = model.call(torch.randn([5, 2, 8]), torch.randn([4, 2, 8]), { tgtMask }); // [4, 2, 8]
 */
export class Transformer extends Module {
  static override readonly displayName: string = 'Transformer';
  /** The encoder: TransformerEncoder with a final LayerNorm. */
  declare encoder: TransformerEncoder;
  /** The decoder: TransformerDecoder with a final LayerNorm. */
  declare decoder: TransformerDecoder;
  /** Model size E. */
  readonly dModel: number;
  /** Number of attention heads. */
  readonly nhead: number;
  /** Whether inputs and outputs are [N, S, E] rather than [S, N, E]. */
  readonly batchFirst: boolean;

  /**
   * Options dModel (512), nhead (8), numEncoderLayers (6), numDecoderLayers (6), dimFeedforward
   * (2048), dropout (0.1), activation ('relu'), layerNormEps (1e-5), batchFirst (false), normFirst
   * (false), bias (true), dtype.
   */
  constructor(opts: TransformerOptions = {}) {
    checkOptions('nn.Transformer', opts, TRANSFORMER_OPTIONS);
    super();
    const { dModel = 512, nhead = 8, numEncoderLayers = 6, numDecoderLayers = 6, ...layerOpts } = opts;
    const eps = layerOpts.layerNormEps ?? 1e-5;
    const bias = layerOpts.bias ?? true;
    const dtype = layerOpts.dtype ?? 'float32';
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = layerOpts.batchFirst ?? false;
    const encLayer = new TransformerEncoderLayer(dModel, nhead, layerOpts);
    this.encoder = new TransformerEncoder(encLayer, numEncoderLayers, { norm: new LayerNorm(dModel, { eps, bias, dtype }) });
    const decLayer = new TransformerDecoderLayer(dModel, nhead, layerOpts);
    this.decoder = new TransformerDecoder(decLayer, numDecoderLayers, { norm: new LayerNorm(dModel, { eps, bias, dtype }) });
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p);
  }

  /**
   * The encoder on `src` ([S, N, E], [N, S, E] with batchFirst, or unbatched [S, E]), then the
   * decoder on `tgt` ([T, N, E], [N, T, E], or [T, E]) attending to the encoder output; returns
   * the decoder output, shaped like `tgt`. Options srcMask, tgtMask, memoryMask, srcKeyPaddingMask,
   * tgtKeyPaddingMask, memoryKeyPaddingMask, srcIsCausal, tgtIsCausal and memoryIsCausal as in PyTorch.
   */
  override forward(src: Tensor, tgt: Tensor, opts: TransformerForwardOptions = {}): Tensor {
    checkOptions('Transformer.forward()', opts, [
      'srcMask', 'tgtMask', 'memoryMask', 'srcKeyPaddingMask', 'tgtKeyPaddingMask', 'memoryKeyPaddingMask', 'srcIsCausal',
      'tgtIsCausal', 'memoryIsCausal',
    ]);
    const batched = src.ndim === 3;
    if (batched && !this.batchFirst && src.shape[1] !== tgt.shape[1]) {
      throw new ValueError('Transformer.forward(): the batch number of src and tgt must be equal');
    }
    if (batched && this.batchFirst && src.shape[0] !== tgt.shape[0]) {
      throw new ValueError('Transformer.forward(): the batch number of src and tgt must be equal');
    }
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel) {
      throw new ValueError('Transformer.forward(): the feature number of src and tgt must be equal to d_model');
    }
    const memory = this.encoder.call(src, {
      mask: opts.srcMask ?? null, srcKeyPaddingMask: opts.srcKeyPaddingMask ?? null, isCausal: opts.srcIsCausal ?? false,
    });
    return this.decoder.call(tgt, memory, {
      tgtMask: opts.tgtMask ?? null, memoryMask: opts.memoryMask ?? null, tgtKeyPaddingMask: opts.tgtKeyPaddingMask ?? null,
      memoryKeyPaddingMask: opts.memoryKeyPaddingMask ?? null, tgtIsCausal: opts.tgtIsCausal ?? false,
      memoryIsCausal: opts.memoryIsCausal ?? false,
    });
  }

  /**
   * A [size, size] causal float mask: -inf above the diagonal (future positions), 0 elsewhere, to
   * pass as tgtMask. Option dtype ('float32').
   * @example nn.Transformer.generateSquareSubsequentMask(3) // [[0, -inf, -inf], [0, 0, -inf], [0, 0, 0]]
   */
  static generateSquareSubsequentMask(size: number, opts: SquareSubsequentMaskOptions = {}): Tensor {
    checkOptions('Transformer.generateSquareSubsequentMask()', opts, ['dtype', 'device']);
    const dtype = opts.dtype ?? 'float32';
    const device = opts.device;
    const future = full([size, size], true, { dtype: 'bool', device }).triu(1);
    return where(future, full([], -Infinity, { dtype, device }), full([], 0, { dtype, device }));
  }
}
