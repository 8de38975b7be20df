// Recurrent layers (torch/nn/modules/rnn.py): RNNCell, LSTMCell, GRUCell and the multi-layer,
// optionally bidirectional RNN, LSTM and GRU, with PyTorch's parameter names, gate order, shapes and
// initialization. Built from differentiable composites (linear, sigmoid, tanh, relu, where, stack,
// cat), so eager autograd, grad, vmap and functionalCall work through them unchanged. Variable-length
// batches use the `lengths` forward option, the equivalent of pack_padded_sequence.
import { checkOptions } from '../core/options.js';
import type { DType } from '../core/dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import { empty, tensor, zeros } from '../ops/creation.js';
import { relu, sigmoid, tanh, where } from '../ops/elementwise.js';
import { cat, stack } from '../ops/shape.js';
import { dropout, linear } from '../ops/nn/index.js';
import { valuesIfConcrete } from '../ops/nn/_util.js';
import { checkFeatures } from './linear.js';
import * as init from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { py, pyFloat } from './repr.js';

/** The recurrence of a layer: PyTorch's `mode` ('RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'). */
export type RNNMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

/** The nonlinearity of nn.RNN and nn.RNNCell. */
export type RNNNonlinearity = 'tanh' | 'relu';

const GATES: Record<RNNMode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

function param(m: Module, name: string): Tensor | null {
  return (m as unknown as Record<string, Tensor | null>)[name] ?? null;
}

/**
 * One step of the recurrence. `gi` is the input projection `x W_ih^T + b_ih` [N, G*H]; `h` [N, Hout]
 * and (LSTM) `c` [N, H] are the previous state. Returns the new `[h, c]` (c is null but for LSTM).
 */
function cellStep(
  mode: RNNMode, gi: Tensor, h: Tensor, c: Tensor | null, wHH: Tensor, bHH: Tensor | null, wHR: Tensor | null,
): [Tensor, Tensor | null] {
  const gh = linear(h, wHH, bHH);
  switch (mode) {
    case 'RNN_TANH':
      return [tanh(gi.add(gh)), null];
    case 'RNN_RELU':
      return [relu(gi.add(gh)), null];
    case 'LSTM': {
      const H = gh.shape[gh.ndim - 1]! / 4;
      const gates = gi.add(gh);
      const i = sigmoid(gates.narrow(-1, 0, H));
      const f = sigmoid(gates.narrow(-1, H, H));
      const g = tanh(gates.narrow(-1, 2 * H, H));
      const o = sigmoid(gates.narrow(-1, 3 * H, H));
      const cy = f.mul(c!).add(i.mul(g));
      let hy = o.mul(tanh(cy));
      if (wHR) hy = linear(hy, wHR, null);
      return [hy, cy];
    }
    case 'GRU': {
      const H = gh.shape[gh.ndim - 1]! / 3;
      const r = sigmoid(gi.narrow(-1, 0, H).add(gh.narrow(-1, 0, H)));
      const z = sigmoid(gi.narrow(-1, H, H).add(gh.narrow(-1, H, H)));
      const n = tanh(gi.narrow(-1, 2 * H, H).add(r.mul(gh.narrow(-1, 2 * H, H))));
      return [n.add(z.mul(h.sub(n))), null];
    }
  }
}

function checkDropout(cls: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new ValueError(`${cls}(): dropout should be a number in range [0, 1] representing the probability of an element being zeroed, got ${String(p)}`);
  }
  return p;
}

function checkPositive(cls: string, name: string, v: unknown): number {
  const n = checkFeatures(cls, name, v);
  if (n <= 0) throw new ValueError(`${cls}(): ${name} must be greater than zero, got ${n}`);
  return n;
}

function checkNonlinearity(cls: string, v: unknown): RNNNonlinearity {
  if (v !== 'tanh' && v !== 'relu') throw new ValueError(`${cls}(): Unknown nonlinearity '${String(v)}'. Select from 'tanh' or 'relu'.`);
  return v;
}

/** Options shared by nn.RNNCell, nn.LSTMCell and nn.GRUCell. */
export interface RNNCellOptions {
  /** Learn the biases bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** dtype of the parameters (default 'float32'). */
  dtype?: DType;
}

/** Options of nn.RNNCell. */
export interface RNNCellWithNonlinearityOptions extends RNNCellOptions {
  /** The activation: 'tanh' (default) or 'relu'. */
  nonlinearity?: RNNNonlinearity;
}

/**
 * The base of RNNCell, LSTMCell and GRUCell (torch.nn.RNNCellBase): parameters weight_ih [G*H, in],
 * weight_hh [G*H, H], bias_ih and bias_hh [G*H] (G = 1, 4, 3 gates), all drawn from
 * U(-1/sqrt(H), 1/sqrt(H)).
 */
export class RNNCellBase extends Module {
  static override readonly displayName: string = 'RNNCellBase';
  /** The input-to-hidden weights [G*hiddenSize, inputSize] (gates stacked as PyTorch orders them). */
  declare weight_ih: Parameter;
  /** The hidden-to-hidden weights [G*hiddenSize, hiddenSize]. */
  declare weight_hh: Parameter;
  /** The input-to-hidden bias [G*hiddenSize], or null with `bias: false`. */
  declare bias_ih: Parameter | null;
  /** The hidden-to-hidden bias [G*hiddenSize], or null with `bias: false`. */
  declare bias_hh: Parameter | null;
  /** Features of the input x. */
  readonly inputSize: number;
  /** Features of the hidden state h. */
  readonly hiddenSize: number;
  /** Whether the cell has biases. */
  readonly bias: boolean;

  /** A cell with `numChunks` gates (1 for RNN, 4 for LSTM, 3 for GRU). */
  constructor(inputSize: number, hiddenSize: number, bias: boolean, numChunks: number, dtype: DType = 'float32') {
    super();
    const cls = (this.constructor as typeof Module).displayName;
    this.inputSize = checkFeatures(cls, 'input_size', inputSize);
    this.hiddenSize = checkPositive(cls, 'hidden_size', hiddenSize);
    this.bias = bias;
    this.weight_ih = Parameter(empty([numChunks * hiddenSize, inputSize], { dtype }));
    this.weight_hh = Parameter(empty([numChunks * hiddenSize, hiddenSize], { dtype }));
    if (bias) {
      this.bias_ih = Parameter(empty([numChunks * hiddenSize], { dtype }));
      this.bias_hh = Parameter(empty([numChunks * hiddenSize], { dtype }));
    } else {
      this.registerParameter('bias_ih', null);
      this.registerParameter('bias_hh', null);
    }
    this.resetParameters();
  }

  /** Re-draws every weight and bias from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)). @example cell.resetParameters() */
  resetParameters(): void {
    const stdv = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) init.uniform_(p, -stdv, stdv);
  }

  /** Checks input [N, inputSize] or [inputSize] and a state of the matching shape; returns [batched input, batched states]. */
  protected _prepare(input: Tensor, states: (Tensor | null | undefined)[], stateNames: string[]): [Tensor, Tensor[], boolean] {
    const cls = (this.constructor as typeof Module).displayName;
    if (!(input instanceof Tensor)) throw new ValueError(`${cls}.forward(): input must be a Tensor`);
    if (input.ndim !== 1 && input.ndim !== 2) throw new ShapeError(`${cls}: Expected input to be 1D or 2D, got ${input.ndim}D instead`);
    if (input.shape[input.ndim - 1] !== this.inputSize) {
      throw new ShapeError(`${cls}: input has inconsistent input_size: got ${input.shape[input.ndim - 1]} expected ${this.inputSize} (input ${fmtShape(input.shape)})`);
    }
    const batched = input.ndim === 2;
    const x = batched ? input : input.unsqueeze(0);
    const N = x.shape[0]!;
    const out = states.map((s, k) => {
      if (s === null || s === undefined) return zeros([N, this.hiddenSize], { dtype: input.dtype, device: input.device });
      if (!(s instanceof Tensor)) throw new ValueError(`${cls}.forward(): ${stateNames[k]} must be a Tensor`);
      if (s.ndim !== input.ndim) {
        throw new ShapeError(`${cls}: Expected ${stateNames[k]} to be ${batched ? '2D' : '1D'} for ${batched ? 'batched' : 'unbatched'} input, got ${s.ndim}D instead`);
      }
      if (s.dtype !== input.dtype) throw new DTypeError(`${cls}: ${stateNames[k]} dtype ${s.dtype} does not match input dtype ${input.dtype}`);
      const sb = batched ? s : s.unsqueeze(0);
      if (sb.shape[0] !== N || sb.shape[1] !== this.hiddenSize) {
        throw new ShapeError(`${cls}: Expected ${stateNames[k]} of shape ${fmtShape(batched ? [N, this.hiddenSize] : [this.hiddenSize])}, got ${fmtShape(s.shape)}`);
      }
      return sb;
    });
    return [x, out, batched];
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (!this.bias) s += `, bias=${py(false)}`;
    const nl = (this as { nonlinearity?: string }).nonlinearity;
    if (nl !== undefined && nl !== 'tanh') s += `, nonlinearity=${nl}`;
    return s;
  }
}

/**
 * An Elman RNN cell: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu).
 * @example
 * const cell = new nn.RNNCell(3, 4);                   // RNNCell(3, 4)
 * let h = torch.zeros([2, 4]);
 * for (const x of torch.randn([5, 2, 3]).unbind(0)) h = cell.call(x, h); // [2, 4]
 */
export class RNNCell extends RNNCellBase {
  static override readonly displayName: string = 'RNNCell';
  /** The activation, 'tanh' or 'relu'. */
  readonly nonlinearity: RNNNonlinearity;

  /** A cell from `inputSize` to `hiddenSize` features; options bias (true), nonlinearity ('tanh'), dtype. */
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellWithNonlinearityOptions = {}) {
    checkOptions('nn.RNNCell', opts, ['bias', 'nonlinearity', 'dtype']);
    super(inputSize, hiddenSize, opts.bias ?? true, 1, opts.dtype);
    this.nonlinearity = checkNonlinearity('RNNCell', opts.nonlinearity ?? 'tanh');
  }

  /** The next hidden state for input [N, inputSize] (or [inputSize]) and hx [N, hiddenSize] (zeros when omitted). */
  override forward(input: Tensor, hx?: Tensor | null): Tensor {
    const [x, [h], batched] = this._prepare(input, [hx], ['hx']);
    const gi = linear(x, this.weight_ih, this.bias_ih);
    const [hy] = cellStep(this.nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', gi, h!, null, this.weight_hh, this.bias_hh, null);
    return batched ? hy : hy.squeeze(0);
  }
}

/**
 * A long short-term memory cell with PyTorch's gate order (input, forget, cell, output):
 * i, f, o = sigmoid(...), g = tanh(...), c' = f c + i g, h' = o tanh(c').
 * @example
 * const cell = new nn.LSTMCell(3, 4);
 * const [h, c] = cell.call(torch.randn([2, 3]));            // both [2, 4]
 * const [h2, c2] = cell.call(torch.randn([2, 3]), [h, c]);
 */
export class LSTMCell extends RNNCellBase {
  static override readonly displayName: string = 'LSTMCell';

  /** A cell from `inputSize` to `hiddenSize` features; options bias (true), dtype. */
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    checkOptions('nn.LSTMCell', opts, ['bias', 'dtype']);
    super(inputSize, hiddenSize, opts.bias ?? true, 4, opts.dtype);
  }

  /**
   * The next `[h, c]` for input [N, inputSize] (or [inputSize]) and hx = [h, c], each [N, hiddenSize]
   * (zeros when omitted).
   */
  override forward(input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, Tensor] {
    if (hx !== null && hx !== undefined && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new ValueError('LSTMCell.forward(): hx must be a pair [h_0, c_0]');
    }
    const [x, [h, c], batched] = this._prepare(input, [hx?.[0], hx?.[1]], ['hx[0]', 'hx[1]']);
    const gi = linear(x, this.weight_ih, this.bias_ih);
    const [hy, cy] = cellStep('LSTM', gi, h!, c!, this.weight_hh, this.bias_hh, null);
    return batched ? [hy, cy!] : [hy.squeeze(0), cy!.squeeze(0)];
  }
}

/**
 * A gated recurrent unit cell with PyTorch's gate order (reset, update, new):
 * r, z = sigmoid(...), n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h' = (1 - z) n + z h.
 * @example
 * const cell = new nn.GRUCell(3, 4);
 * const h = cell.call(torch.randn([2, 3]));  // [2, 4]
 */
export class GRUCell extends RNNCellBase {
  static override readonly displayName: string = 'GRUCell';

  /** A cell from `inputSize` to `hiddenSize` features; options bias (true), dtype. */
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    checkOptions('nn.GRUCell', opts, ['bias', 'dtype']);
    super(inputSize, hiddenSize, opts.bias ?? true, 3, opts.dtype);
  }

  /** The next hidden state for input [N, inputSize] (or [inputSize]) and hx [N, hiddenSize] (zeros when omitted). */
  override forward(input: Tensor, hx?: Tensor | null): Tensor {
    const [x, [h], batched] = this._prepare(input, [hx], ['hx']);
    const gi = linear(x, this.weight_ih, this.bias_ih);
    const [hy] = cellStep('GRU', gi, h!, null, this.weight_hh, this.bias_hh, null);
    return batched ? hy : hy.squeeze(0);
  }
}

/** Options of nn.RNN, nn.LSTM and nn.GRU (PyTorch's keyword arguments in camelCase). */
export interface RNNBaseOptions {
  /** Number of stacked layers (default 1). */
  numLayers?: number;
  /** Learn the biases bias_ih_l* and bias_hh_l* (default true). */
  bias?: boolean;
  /** Input and output are [N, L, *] instead of [L, N, *] (default false; the states stay [layers, N, H]). */
  batchFirst?: boolean;
  /** Dropout on the outputs of every layer but the last, while training (default 0). */
  dropout?: number;
  /** Add a direction running from the end of each sequence to its start (default false). */
  bidirectional?: boolean;
  /** dtype of the parameters (default 'float32'). */
  dtype?: DType;
}

/** Options of nn.RNN. */
export interface RNNOptions extends RNNBaseOptions {
  /** The activation: 'tanh' (default) or 'relu'. */
  nonlinearity?: RNNNonlinearity;
}

/** Options of nn.LSTM. */
export interface LSTMOptions extends RNNBaseOptions {
  /** When > 0, h is projected to projSize features by weight_hr_l* (an LSTM with projections; default 0). */
  projSize?: number;
}

/** Options of the forward of nn.RNN, nn.LSTM and nn.GRU. */
export interface RNNForwardOptions {
  /**
   * The valid length of each sequence of the batch ([N] numbers or an int tensor; for unbatched input,
   * one number or a 0-d tensor). Sequence b stops updating its state after `lengths[b]` steps: its
   * outputs beyond are zeros, its h_n (and c_n) are taken at its last valid step, and the backward
   * direction starts at its own end. This is PyTorch's `pack_padded_sequence(x, lengths,
   * enforce_sorted=False)` → RNN → `pad_packed_sequence(out, total_length=L)`, on the padded tensor.
   */
  lengths?: Tensor | readonly number[] | number;
}

/**
 * The base of RNN, LSTM and GRU (torch.nn.RNNBase): per layer k and direction (suffix '' or
 * '_reverse') the parameters weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k} (and
 * weight_hr_l{k} for an LSTM with projections), all drawn from U(-1/sqrt(H), 1/sqrt(H)).
 */
export class RNNBase extends Module {
  static override readonly displayName: string = 'RNNBase';
  /** The recurrence: 'RNN_TANH', 'RNN_RELU', 'LSTM' or 'GRU'. */
  readonly mode: RNNMode;
  /** Features of the input x. */
  readonly inputSize: number;
  /** Features of the hidden state h (of the cell state c for an LSTM with projections). */
  readonly hiddenSize: number;
  /** Number of stacked layers. */
  readonly numLayers: number;
  /** Whether the layers have biases. */
  readonly bias: boolean;
  /** Whether input and output are [N, L, *]. */
  readonly batchFirst: boolean;
  /** Dropout probability between layers while training. */
  readonly dropout: number;
  /** Whether each layer also runs backwards in time. */
  readonly bidirectional: boolean;
  /** Projected size of h for an LSTM with projections (0: none). */
  readonly projSize: number;
  /** The parameter names in PyTorch's order, per layer and direction ([w_ih, w_hh, b_ih, b_hh, w_hr]). */
  readonly _allWeightNames: string[][];

  /** Builds the parameters of `mode` (the subclasses' constructors are the public entry points). */
  constructor(mode: RNNMode, inputSize: number, hiddenSize: number, opts: LSTMOptions & RNNOptions = {}) {
    super();
    const cls = (this.constructor as typeof Module).displayName;
    this.mode = mode;
    this.inputSize = checkFeatures(cls, 'input_size', inputSize);
    this.hiddenSize = checkPositive(cls, 'hidden_size', hiddenSize);
    this.numLayers = checkPositive(cls, 'num_layers', opts.numLayers ?? 1);
    this.bias = opts.bias ?? true;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = checkDropout(cls, opts.dropout ?? 0);
    this.bidirectional = opts.bidirectional ?? false;
    this.projSize = checkFeatures(cls, 'proj_size', opts.projSize ?? 0);
    if (this.projSize > 0 && mode !== 'LSTM') throw new ValueError(`${cls}(): proj_size argument is only supported for LSTM, not RNN or GRU`);
    if (this.projSize >= hiddenSize) throw new ValueError(`${cls}(): proj_size has to be smaller than hidden_size`);
    const dtype = opts.dtype ?? 'float32';
    const G = GATES[mode];
    const D = this.bidirectional ? 2 : 1;
    const realH = this.projSize > 0 ? this.projSize : hiddenSize;
    this._allWeightNames = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let dir = 0; dir < D; dir++) {
        const inL = layer === 0 ? inputSize : realH * D;
        const sfx = `_l${layer}${dir === 1 ? '_reverse' : ''}`;
        const names: string[] = [];
        const add = (name: string, shape: number[]): void => {
          this.registerParameter(name + sfx, Parameter(empty(shape, { dtype })));
          names.push(name + sfx);
        };
        add('weight_ih', [G * hiddenSize, inL]);
        add('weight_hh', [G * hiddenSize, realH]);
        if (this.bias) {
          add('bias_ih', [G * hiddenSize]);
          add('bias_hh', [G * hiddenSize]);
        }
        if (this.projSize > 0) add('weight_hr', [this.projSize, hiddenSize]);
        this._allWeightNames.push(names);
      }
    }
    this.resetParameters();
  }

  /** The parameters per layer and direction, as PyTorch's `all_weights`. @example rnn.allWeights[0][0] // weight_ih_l0 */
  get allWeights(): Tensor[][] {
    return this._allWeightNames.map((names) => names.map((n) => param(this, n)!));
  }

  /** Re-draws every weight and bias from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)). @example rnn.resetParameters() */
  resetParameters(): void {
    const stdv = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) init.uniform_(p, -stdv, stdv);
  }

  /**
   * Runs every layer and direction over input [L, N, inputSize] ([N, L, inputSize] with batchFirst,
   * [L, inputSize] unbatched) from the initial states `hx` (each [numLayers * D, N, H*], zeros when
   * null). Returns the output [L, N, D * Hout] (in the input's layout) and the final states.
   */
  protected _run(input: Tensor, hx: (Tensor | null)[] | null, opts: RNNForwardOptions): [Tensor, Tensor[]] {
    const cls = (this.constructor as typeof Module).displayName;
    checkOptions(`${cls}.forward()`, opts, ['lengths']);
    if (!(input instanceof Tensor)) throw new ValueError(`${cls}.forward(): input must be a Tensor`);
    if (input.ndim !== 2 && input.ndim !== 3) throw new ShapeError(`${cls}: Expected input to be 2D or 3D, got ${input.ndim}D instead`);
    const batched = input.ndim === 3;
    if (input.shape[input.ndim - 1] !== this.inputSize) {
      throw new ShapeError(`${cls}: input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${input.shape[input.ndim - 1]}`);
    }
    let x = !batched ? input.unsqueeze(1) : this.batchFirst ? input.transpose(0, 1) : input;
    const L = x.shape[0]!;
    const N = x.shape[1]!;
    const D = this.bidirectional ? 2 : 1;
    const realH = this.projSize > 0 ? this.projSize : this.hiddenSize;
    const dtype = input.dtype;

    // Initial states, as [numLayers * D, N, H*].
    const stateSizes = this.mode === 'LSTM' ? [realH, this.hiddenSize] : [realH];
    const states = stateSizes.map((H, k) => {
      const s = hx?.[k] ?? null;
      const want = batched ? [this.numLayers * D, N, H] : [this.numLayers * D, H];
      if (s === null) return zeros([this.numLayers * D, N, H], { dtype, device: input.device });
      const name = this.mode === 'LSTM' ? `hx[${k}]` : 'hx';
      if (!(s instanceof Tensor)) throw new ValueError(`${cls}.forward(): ${name} must be a Tensor`);
      if (s.ndim !== want.length) {
        throw new ShapeError(`${cls}: For ${batched ? 'batched 3-D' : 'unbatched 2-D'} input, ${name} should also be ${want.length}-D but got ${s.ndim}-D tensor`);
      }
      if (s.shape.some((d, i) => d !== want[i])) throw new ShapeError(`${cls}: Expected hidden size ${fmtShape(want)}, got ${fmtShape(s.shape)}`);
      if (s.dtype !== dtype) throw new DTypeError(`${cls}: ${name} dtype ${s.dtype} does not match input dtype ${dtype}`);
      return batched ? s : s.unsqueeze(1);
    });

    // Per-step masks (true while t < length) for variable-length batches.
    let masks: Tensor[] | null = null;
    if (opts.lengths !== undefined && opts.lengths !== null) {
      const lens = this._lengths(opts.lengths, N, L, batched, input.device);
      masks = Array.from({ length: L }, (_, t) => lens.gt(t).unsqueeze(-1));
    }

    const hOut: Tensor[][] = stateSizes.map(() => []);
    for (let layer = 0; layer < this.numLayers; layer++) {
      const dirOutputs: Tensor[] = [];
      for (let dir = 0; dir < D; dir++) {
        const sfx = `_l${layer}${dir === 1 ? '_reverse' : ''}`;
        const wIH = param(this, `weight_ih${sfx}`)!;
        const wHH = param(this, `weight_hh${sfx}`)!;
        const bIH = param(this, `bias_ih${sfx}`);
        const bHH = param(this, `bias_hh${sfx}`);
        const wHR = param(this, `weight_hr${sfx}`);
        const gi = linear(x, wIH, bIH); // [L, N, G*H], all steps at once
        const idx = layer * D + dir;
        let h = states[0]!.select(0, idx);
        let c = this.mode === 'LSTM' ? states[1]!.select(0, idx) : null;
        const outs: Tensor[] = new Array<Tensor>(L);
        for (let s = 0; s < L; s++) {
          const t = dir === 0 ? s : L - 1 - s;
          const [hy, cy] = cellStep(this.mode, gi.select(0, t), h, c, wHH, bHH, wHR);
          if (masks) {
            const m = masks[t]!;
            h = where(m, hy, h);
            if (c) c = where(m, cy!, c);
            outs[t] = where(m, hy, 0);
          } else {
            h = hy;
            c = cy;
            outs[t] = hy;
          }
        }
        hOut[0]!.push(h);
        if (c) hOut[1]!.push(c);
        dirOutputs.push(stack(outs));
      }
      x = D === 1 ? dirOutputs[0]! : cat(dirOutputs, -1);
      if (this.dropout > 0 && this.training && layer < this.numLayers - 1) x = dropout(x, this.dropout, true);
    }
    let output = x;
    let finals = hOut.map((hs) => stack(hs));
    if (!batched) {
      output = output.squeeze(1);
      finals = finals.map((f) => f.squeeze(1));
    } else if (this.batchFirst) {
      output = output.transpose(0, 1);
    }
    return [output, finals];
  }

  /** The `lengths` option as an int tensor [N] (checked against the sequence length when readable). */
  private _lengths(lengths: Tensor | readonly number[] | number, N: number, L: number, batched: boolean, device: Tensor['device']): Tensor {
    const cls = (this.constructor as typeof Module).displayName;
    let t: Tensor;
    if (lengths instanceof Tensor) {
      if (lengths.dtype !== 'int32' && lengths.dtype !== 'float32' && lengths.dtype !== 'float64') {
        throw new DTypeError(`${cls}.forward(): lengths must be an int32 (or float) tensor, got ${lengths.dtype}`);
      }
      t = lengths.reshape(-1);
    } else if (typeof lengths === 'number') {
      t = tensor([lengths], { dtype: 'int32' });
    } else if (Array.isArray(lengths)) {
      t = tensor(lengths as number[], { dtype: 'int32' });
    } else {
      throw new ValueError(`${cls}.forward(): lengths must be a Tensor, an array of numbers or a number`);
    }
    if (t.shape[0] !== N) {
      throw new ShapeError(`${cls}.forward(): expected ${batched ? `${N} lengths (one per sequence of the batch)` : 'one length for unbatched input'}, got ${t.shape[0]}`);
    }
    const vals = valuesIfConcrete(t);
    if (vals) {
      for (let i = 0; i < vals.length; i++) {
        const v = vals[i]!;
        if (!Number.isInteger(v) || v < 1 || v > L) {
          throw new ValueError(`${cls}.forward(): lengths[${i}] = ${v} must be an integer in [1, ${L}] (the sequence length)`);
        }
      }
    }
    // Checked where given (CPU lengths, as PyTorch takes them), used where the input is.
    return t.to(device);
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize !== 0) s += `, proj_size=${this.projSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (!this.bias) s += `, bias=${py(false)}`;
    if (this.batchFirst) s += `, batch_first=${py(true)}`;
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional) s += `, bidirectional=${py(true)}`;
    return s;
  }
}

/**
 * A multi-layer Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (or relu), each layer
 * fed the previous layer's outputs. `forward(input, hx?, { lengths }?)` returns `[output, h_n]`.
 * @example
 * const rnn = new nn.RNN(3, 4, { numLayers: 2, bidirectional: true }); // RNN(3, 4, num_layers=2, bidirectional=True)
 * const [out, hN] = rnn.call(torch.randn([5, 2, 3]));  // out [5, 2, 8], hN [4, 2, 4]
 * rnn.namedParameters().map(([n]) => n)[0]              // 'weight_ih_l0'
 */
export class RNN extends RNNBase {
  static override readonly displayName: string = 'RNN';
  /** The activation, 'tanh' or 'relu'. */
  readonly nonlinearity: RNNNonlinearity;

  /**
   * `inputSize` to `hiddenSize` features; options numLayers (1), nonlinearity ('tanh'), bias (true),
   * batchFirst (false), dropout (0), bidirectional (false), dtype.
   */
  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) {
    checkOptions('nn.RNN', opts, ['numLayers', 'nonlinearity', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'dtype']);
    const nonlinearity = checkNonlinearity('RNN', opts.nonlinearity ?? 'tanh');
    super(nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, opts);
    this.nonlinearity = nonlinearity;
  }

  /**
   * input [L, N, inputSize] ([N, L, inputSize] with batchFirst, [L, inputSize] unbatched) and hx
   * [numLayers * D, N, hiddenSize] ([numLayers * D, hiddenSize] unbatched; zeros when omitted), D = 2
   * when bidirectional. Returns `[output [L, N, D * hiddenSize], h_n [numLayers * D, N, hiddenSize]]`.
   * `opts.lengths` handles a padded batch of variable-length sequences (see {@link RNNForwardOptions}).
   */
  override forward(input: Tensor, hx?: Tensor | null, opts: RNNForwardOptions = {}): [Tensor, Tensor] {
    const [out, [h]] = this._run(input, hx === undefined || hx === null ? null : [hx], opts);
    return [out, h!];
  }
}

/**
 * A multi-layer LSTM with PyTorch's gate order (input, forget, cell, output) and optional projections
 * (projSize). `forward(input, [h_0, c_0]?, { lengths }?)` returns `[output, [h_n, c_n]]`.
 * @example
 * const lstm = new nn.LSTM(3, 4, { batchFirst: true });
 * const [out, [hN, cN]] = lstm.call(torch.randn([2, 5, 3]));   // out [2, 5, 4], hN and cN [1, 2, 4]
 * // variable-length sequences in a padded batch (pack_padded_sequence):
 * const [packedOut] = lstm.call(torch.randn([2, 5, 3]), null, { lengths: [5, 3] }); // packedOut[1, 3:] is 0
 */
export class LSTM extends RNNBase {
  static override readonly displayName: string = 'LSTM';

  /**
   * `inputSize` to `hiddenSize` features; options numLayers (1), bias (true), batchFirst (false),
   * dropout (0), bidirectional (false), projSize (0), dtype.
   */
  constructor(inputSize: number, hiddenSize: number, opts: LSTMOptions = {}) {
    checkOptions('nn.LSTM', opts, ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'projSize', 'dtype']);
    super('LSTM', inputSize, hiddenSize, opts);
  }

  /**
   * input [L, N, inputSize] ([N, L, inputSize] with batchFirst, [L, inputSize] unbatched) and hx =
   * [h_0 [numLayers * D, N, Hout], c_0 [numLayers * D, N, hiddenSize]] (zeros when omitted), Hout =
   * projSize || hiddenSize. Returns `[output [L, N, D * Hout], [h_n, c_n]]`. `opts.lengths` handles a
   * padded batch of variable-length sequences (see {@link RNNForwardOptions}).
   */
  override forward(input: Tensor, hx?: [Tensor, Tensor] | null, opts: RNNForwardOptions = {}): [Tensor, [Tensor, Tensor]] {
    if (hx !== null && hx !== undefined && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new ValueError('LSTM.forward(): hx must be a pair [h_0, c_0]');
    }
    const [out, [h, c]] = this._run(input, hx ?? null, opts);
    return [out, [h!, c!]];
  }
}

/**
 * A multi-layer GRU with PyTorch's gate order (reset, update, new):
 * n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h' = (1 - z) n + z h. `forward(input, hx?, { lengths }?)`
 * returns `[output, h_n]`.
 * @example
 * const gru = new nn.GRU(3, 4, { numLayers: 2 });
 * const [out, hN] = gru.call(torch.randn([5, 3]));  // unbatched: out [5, 4], hN [2, 4]
 */
export class GRU extends RNNBase {
  static override readonly displayName: string = 'GRU';

  /**
   * `inputSize` to `hiddenSize` features; options numLayers (1), bias (true), batchFirst (false),
   * dropout (0), bidirectional (false), dtype.
   */
  constructor(inputSize: number, hiddenSize: number, opts: RNNBaseOptions = {}) {
    checkOptions('nn.GRU', opts, ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'dtype']);
    super('GRU', inputSize, hiddenSize, opts);
  }

  /**
   * input [L, N, inputSize] ([N, L, inputSize] with batchFirst, [L, inputSize] unbatched) and hx
   * [numLayers * D, N, hiddenSize] (zeros when omitted). Returns `[output [L, N, D * hiddenSize], h_n
   * [numLayers * D, N, hiddenSize]]`. `opts.lengths` handles a padded batch of variable-length
   * sequences (see {@link RNNForwardOptions}).
   */
  override forward(input: Tensor, hx?: Tensor | null, opts: RNNForwardOptions = {}): [Tensor, Tensor] {
    const [out, [h]] = this._run(input, hx === undefined || hx === null ? null : [hx], opts);
    return [out, h!];
  }
}
