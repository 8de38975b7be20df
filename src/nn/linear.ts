// Identity, Linear and Bilinear (torch/nn/modules/linear.py), with PyTorch's parameter names and
// default initialization.
import { checkOptions } from '../core/options.js';
import type { DType } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { empty } from '../ops/creation.js';
import { bilinear, linear } from '../ops/nn/index.js';
import * as init from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { py } from './repr.js';

/** A layer size argument: a non-negative integer (internal helper of the layers). */
export function checkFeatures(cls: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new ValueError(`${cls}(): ${name} must be a non-negative integer, got ${String(v)}`);
  }
  return v;
}

/**
 * The identity: returns its input (any extra arguments are ignored).
 * @example new nn.Identity().call(x) === x
 */
export class Identity extends Module {
  static override readonly displayName: string = 'Identity';
  /** Returns `input` unchanged. */
  override forward(input: Tensor, ..._rest: unknown[]): Tensor {
    return input;
  }
}

/** Options of nn.Linear and nn.Bilinear. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** dtype of weight and bias (default 'float32'). */
  dtype?: DType;
}

/**
 * y = x W^T + b with weight [out, in] and bias [out], initialized from U(-1/sqrt(in), 1/sqrt(in))
 * as PyTorch does (kaiming_uniform_ with a = sqrt(5)).
 * @example
 * const lin = new nn.Linear(3, 2);                 // Linear(in_features=3, out_features=2, bias=True)
 * const y = lin.call(torch.randn([4, 3]));          // [4, 2]
 * new nn.Linear(3, 2, { bias: false, dtype: 'float64' });
 */
export class Linear extends Module {
  static override readonly displayName: string = 'Linear';
  /** The learned matrix W, [outFeatures, inFeatures]. */
  declare weight: Parameter;
  /** The learned bias b, [outFeatures], or null with `bias: false`. */
  declare bias: Parameter | null;
  /** Size of each input sample. */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;

  /** Maps `inFeatures` to `outFeatures`; options bias (true) and dtype ('float32'). */
  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    checkOptions('nn.Linear', opts, ['bias', 'dtype']);
    super();
    this.inFeatures = checkFeatures('Linear', 'in_features', inFeatures);
    this.outFeatures = checkFeatures('Linear', 'out_features', outFeatures);
    const dtype = opts.dtype ?? 'float32';
    this.weight = Parameter(empty([outFeatures, inFeatures], { dtype }));
    if (opts.bias ?? true) this.bias = Parameter(empty([outFeatures], { dtype }));
    else this.registerParameter('bias', null);
    this.resetParameters();
  }

  /** Re-draws weight and bias with PyTorch's default initialization. @example lin.resetParameters() */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const fanIn = this.inFeatures;
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  /** `input @ weight.T + bias` for input [*, inFeatures], giving [*, outFeatures]. */
  override forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${py(this.bias !== null)}`;
  }
}

/**
 * y = x1^T A x2 + b with weight [out, in1, in2] and bias [out], both from U(-1/sqrt(in1), 1/sqrt(in1)).
 * @example
 * const bil = new nn.Bilinear(2, 3, 4);
 * const y = bil.call(torch.randn([5, 2]), torch.randn([5, 3])); // [5, 4]
 */
export class Bilinear extends Module {
  static override readonly displayName: string = 'Bilinear';
  /** The learned tensor A, [outFeatures, in1Features, in2Features]. */
  declare weight: Parameter;
  /** The learned bias b, [outFeatures], or null with `bias: false`. */
  declare bias: Parameter | null;
  /** Size of each first input sample. */
  readonly in1Features: number;
  /** Size of each second input sample. */
  readonly in2Features: number;
  /** Size of each output sample. */
  readonly outFeatures: number;

  /**
   * Combines inputs of `in1Features` and `in2Features` into `outFeatures`; options bias (true) and
   * dtype ('float32').
   */
  constructor(in1Features: number, in2Features: number, outFeatures: number, opts: LinearOptions = {}) {
    checkOptions('nn.Bilinear', opts, ['bias', 'dtype']);
    super();
    this.in1Features = checkFeatures('Bilinear', 'in1_features', in1Features);
    this.in2Features = checkFeatures('Bilinear', 'in2_features', in2Features);
    this.outFeatures = checkFeatures('Bilinear', 'out_features', outFeatures);
    const dtype = opts.dtype ?? 'float32';
    this.weight = Parameter(empty([outFeatures, in1Features, in2Features], { dtype }));
    if (opts.bias ?? true) this.bias = Parameter(empty([outFeatures], { dtype }));
    else this.registerParameter('bias', null);
    this.resetParameters();
  }

  /** Re-draws weight and bias. @example bil.resetParameters() */
  resetParameters(): void {
    const bound = this.in1Features > 0 ? 1 / Math.sqrt(this.in1Features) : 0;
    init.uniform_(this.weight, -bound, bound);
    if (this.bias) init.uniform_(this.bias, -bound, bound);
  }

  /**
   * `y_k = input1 A_k input2^T + b_k` for inputs [*, in1Features] and [*, in2Features], giving [*,
   * outFeatures].
   */
  override forward(input1: Tensor, input2: Tensor): Tensor {
    return bilinear(input1, input2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${py(this.bias !== null)}`;
  }
}
