// Activation modules (torch/nn/modules/activation.py): thin modules over the functional ops.
import { checkOptions } from '../core/options.js';
import type { Tensor } from '../tensor.js';
import {
  elu, gelu, hardtanh, leakyRelu, logSigmoid, logSoftmax, mish, relu, relu6, sigmoid, silu, softmax, softplus, tanh,
} from '../ops/nn/index.js';
import { Module } from './module.js';
import { py, pyFloat } from './repr.js';

/** max(0, x). @example new nn.ReLU().call(torch.tensor([-1, 2])) // [0, 2] */
export class ReLU extends Module {
  static override readonly displayName: string = 'ReLU';
  override forward(input: Tensor): Tensor {
    return relu(input);
  }
}

/** min(max(0, x), 6). @example new nn.ReLU6().call(x) */
export class ReLU6 extends Module {
  static override readonly displayName: string = 'ReLU6';
  override forward(input: Tensor): Tensor {
    return relu6(input);
  }
}

/**
 * x where x > 0, negativeSlope * x elsewhere.
 * @example new nn.LeakyReLU(0.2) // LeakyReLU(negative_slope=0.2)
 */
export class LeakyReLU extends Module {
  static override readonly displayName: string = 'LeakyReLU';
  /** @param negativeSlope The slope for x < 0 (default 0.01). */
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return leakyRelu(input, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }
}

/**
 * Gaussian error linear unit, exact ('none') or the tanh approximation.
 * @example new nn.GELU({ approximate: 'tanh' }) // GELU(approximate='tanh')
 */
export class GELU extends Module {
  static override readonly displayName: string = 'GELU';
  /** 'none' for the exact erf form, 'tanh' for the approximation. */
  readonly approximate: 'none' | 'tanh';
  /** Option approximate: 'none' (default) or 'tanh'. */
  constructor(opts: { approximate?: 'none' | 'tanh' } = {}) {
    checkOptions('nn.GELU', opts, ['approximate']);
    super();
    this.approximate = opts.approximate ?? 'none';
  }
  override forward(input: Tensor): Tensor {
    return gelu(input, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate=${py(this.approximate)}`;
  }
}

/** x * sigmoid(x) (swish). @example new nn.SiLU().call(x) */
export class SiLU extends Module {
  static override readonly displayName: string = 'SiLU';
  override forward(input: Tensor): Tensor {
    return silu(input);
  }
}

/** x * tanh(softplus(x)). @example new nn.Mish().call(x) */
export class Mish extends Module {
  static override readonly displayName: string = 'Mish';
  override forward(input: Tensor): Tensor {
    return mish(input);
  }
}

/** x where x > 0, alpha * (exp(x) - 1) elsewhere. @example new nn.ELU(1) // ELU(alpha=1.0) */
export class ELU extends Module {
  static override readonly displayName: string = 'ELU';
  /** @param alpha The scale of the negative part (default 1). */
  constructor(readonly alpha = 1) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return elu(input, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

/** log(1 + exp(beta x)) / beta, linear above threshold. @example new nn.Softplus({ beta: 2 }) */
export class Softplus extends Module {
  static override readonly displayName: string = 'Softplus';
  /** The sharpness β of the curve. */
  readonly beta: number;
  /** Where `beta * x > threshold` the output is x itself. */
  readonly threshold: number;
  /** Options: beta (default 1), threshold (default 20). */
  constructor(opts: { beta?: number; threshold?: number } = {}) {
    checkOptions('nn.Softplus', opts, ['beta', 'threshold']);
    super();
    this.beta = opts.beta ?? 1;
    this.threshold = opts.threshold ?? 20;
  }
  override forward(input: Tensor): Tensor {
    return softplus(input, { beta: this.beta, threshold: this.threshold });
  }
  override extraRepr(): string {
    return `beta=${pyFloat(this.beta)}, threshold=${pyFloat(this.threshold)}`;
  }
}

/** clamp(x, minVal, maxVal). @example new nn.Hardtanh(-2, 2) // Hardtanh(min_val=-2.0, max_val=2.0) */
export class Hardtanh extends Module {
  static override readonly displayName: string = 'Hardtanh';
  /**
   * @param minVal The lower bound (default -1).
   * @param maxVal The upper bound (default 1).
   */
  constructor(readonly minVal = -1, readonly maxVal = 1) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return hardtanh(input, this.minVal, this.maxVal);
  }
  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}`;
  }
}

/** tanh(x). @example new nn.Tanh().call(x) */
export class Tanh extends Module {
  static override readonly displayName: string = 'Tanh';
  override forward(input: Tensor): Tensor {
    return tanh(input);
  }
}

/** 1 / (1 + exp(-x)). @example new nn.Sigmoid().call(x) */
export class Sigmoid extends Module {
  static override readonly displayName: string = 'Sigmoid';
  override forward(input: Tensor): Tensor {
    return sigmoid(input);
  }
}

/** log(sigmoid(x)). @example new nn.LogSigmoid().call(x) */
export class LogSigmoid extends Module {
  static override readonly displayName: string = 'LogSigmoid';
  override forward(input: Tensor): Tensor {
    return logSigmoid(input);
  }
}

/** PyTorch's legacy implicit softmax dim (dim=None): 0 for 0-, 1- and 3-D inputs, else 1. */
function implicitDim(x: Tensor): number {
  return x.ndim === 0 || x.ndim === 1 || x.ndim === 3 ? 0 : 1;
}

/**
 * softmax along `dim`.
 * @example new nn.Softmax(-1).call(logits) // Softmax(dim=-1)
 */
export class Softmax extends Module {
  static override readonly displayName: string = 'Softmax';
  /**
   * @param dim The dim to normalize along; null (default) picks PyTorch's legacy implicit dim (0 for
   * 0-, 1- and 3-D inputs, else 1).
   */
  constructor(readonly dim: number | null = null) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return softmax(input, this.dim ?? implicitDim(input));
  }
  override extraRepr(): string {
    return `dim=${py(this.dim)}`;
  }
}

/**
 * log(softmax) along `dim`, computed stably.
 * @example new nn.LogSoftmax(1).call(logits) // LogSoftmax(dim=1)
 */
export class LogSoftmax extends Module {
  static override readonly displayName: string = 'LogSoftmax';
  /**
   * @param dim The dim to normalize along; null (default) picks PyTorch's legacy implicit dim (0 for
   * 0-, 1- and 3-D inputs, else 1).
   */
  constructor(readonly dim: number | null = null) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return logSoftmax(input, this.dim ?? implicitDim(input));
  }
  override extraRepr(): string {
    return `dim=${py(this.dim)}`;
  }
}
