// nn.init: in-place initializers (torch.nn.init), run without gradient recording, drawing from the
// generator seeded by torch.manualSeed. Fan computations and gains follow PyTorch exactly.
import { checkOptions } from '../core/options.js';
import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { numel } from '../core/shape.js';
import type { Tensor } from '../tensor.js';
import { noGrad } from '../ops/autograd.js';
import { eye } from '../ops/creation.js';

/** The nonlinearity names calculateGain and the Kaiming initializers accept (PyTorch's spellings). */
export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

const LINEAR_FNS = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'];

/**
 * The recommended gain for a nonlinearity (torch.nn.init.calculate_gain): 1 for linear/conv/sigmoid,
 * 5/3 for tanh, sqrt(2) for relu, sqrt(2 / (1 + slope^2)) for leaky_relu, 3/4 for selu.
 * @example nn.init.calculateGain('leaky_relu', 0.2) // 1.3867504905630728
 */
export function calculateGain(nonlinearity: Nonlinearity | 'leakyRelu', param?: number | null): number {
  if (LINEAR_FNS.includes(nonlinearity) || nonlinearity === 'sigmoid') return 1;
  if (nonlinearity === 'tanh') return 5 / 3;
  if (nonlinearity === 'relu') return Math.SQRT2;
  if (nonlinearity === 'leaky_relu' || nonlinearity === 'leakyRelu') {
    let slope = 0.01;
    if (param !== undefined && param !== null) {
      if (typeof param !== 'number' || Number.isNaN(param)) throw new ValueError(`calculateGain(): negative_slope ${String(param)} not a valid number`);
      slope = param;
    }
    return Math.sqrt(2 / (1 + slope ** 2));
  }
  if (nonlinearity === 'selu') return 3 / 4;
  throw new ValueError(`calculateGain(): Unsupported nonlinearity ${String(nonlinearity)}`);
}

/**
 * [fanIn, fanOut] of a weight: size(1) and size(0) times the receptive field (the trailing dims).
 * @example nn.init.calculateFanInAndFanOut(torch.empty([4, 3, 5, 5])) // [75, 100]
 */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.ndim < 2) {
    throw new ValueError(`Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got shape ${fmtShape(t.shape)})`);
  }
  const receptive = numel(t.shape.slice(2));
  return [t.shape[1]! * receptive, t.shape[0]! * receptive];
}

function fan(t: Tensor, mode: 'fan_in' | 'fan_out' | 'fanIn' | 'fanOut'): number {
  const [fi, fo] = calculateFanInAndFanOut(t);
  if (mode === 'fan_in' || mode === 'fanIn') return fi;
  if (mode === 'fan_out' || mode === 'fanOut') return fo;
  throw new ValueError(`Mode ${String(mode)} not supported, please use one of fan_in, fan_out`);
}

/** Fills t with U(a, b) in place; returns t. @example nn.init.uniform_(w, -0.1, 0.1) */
export function uniform_(t: Tensor, a = 0, b = 1): Tensor {
  return noGrad(() => t.uniform_(a, b));
}

/** Fills t with N(mean, std^2) in place; returns t. @example nn.init.normal_(w, 0, 0.02) */
export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  return noGrad(() => t.normal_(mean, std));
}

// On a device the host cannot read synchronously, whether any value is still out of range is not known
// without waiting, so a fixed number of redraws is made: an element stays out of [a, b] after them with
// probability P(out)^ROUNDS (about 1e-16 for the default ±2 std), and the final clamp bounds it anyway.
const DEVICE_ROUNDS = 12;

/**
 * Fills t with N(mean, std^2) values redrawn until they lie in [a, b]; returns t. On 'webgpu' a fixed
 * number of redraws replaces the check, so no value is read back.
 * @example nn.init.truncNormal_(w, 0, 0.02, -0.04, 0.04)
 */
export function truncNormal_(t: Tensor, mean = 0, std = 1, a = -2, b = 2): Tensor {
  return noGrad(() => {
    t.normal_(mean, std);
    const onDevice = t.device !== 'cpu';
    for (let i = 0; i < (onDevice ? DEVICE_ROUNDS : 100); i++) {
      const bad = t.lt(a).logicalOr(t.gt(b));
      if (!onDevice && !bad.any().item()) break;
      const fresh = t.clone().normal_(mean, std);
      t.copy_(fresh.where(bad, t));
    }
    return t.clamp_({ min: a, max: b });
  });
}

/** Fills t with `value`; returns t. @example nn.init.constant_(bias, 0.1) */
export function constant_(t: Tensor, value: number): Tensor {
  return noGrad(() => t.fill_(value));
}

/** Fills t with zeros; returns t. @example nn.init.zeros_(lin.bias!) */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills t with ones; returns t. @example nn.init.ones_(norm.weight!) */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Fills a 2-D t with the identity matrix; returns t. @example nn.init.eye_(w) */
export function eye_(t: Tensor): Tensor {
  if (t.ndim !== 2) throw new ValueError(`eye_(): Only tensors with 2 dimensions are supported (got shape ${fmtShape(t.shape)})`);
  return noGrad(() => t.copy_(eye(t.shape[0]!, t.shape[1]!, { dtype: t.dtype, device: t.device })));
}

/**
 * Glorot uniform: U(-a, a) with a = gain * sqrt(6 / (fanIn + fanOut)); returns t.
 * @example nn.init.xavierUniform_(mha.in_proj_weight)
 */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  const [fi, fo] = calculateFanInAndFanOut(t);
  const std = gain * Math.sqrt(2 / (fi + fo));
  const a = Math.sqrt(3) * std;
  return uniform_(t, -a, a);
}

/**
 * Glorot normal: N(0, std^2) with std = gain * sqrt(2 / (fanIn + fanOut)); returns t.
 * @example nn.init.xavierNormal_(w, nn.init.calculateGain('tanh'))
 */
export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  const [fi, fo] = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fi + fo)));
}

/** Options of kaimingUniform_ / kaimingNormal_ (a number is taken as `a`). */
export interface KaimingOptions {
  /** Negative slope of the leaky_relu that follows (default 0). */
  a?: number;
  /** 'fan_in' (default) keeps the forward pass's variance, 'fan_out' the backward pass's. */
  mode?: 'fan_in' | 'fan_out' | 'fanIn' | 'fanOut';
  /** The nonlinearity the gain is computed for (default 'leaky_relu'). */
  nonlinearity?: Nonlinearity | 'leakyRelu';
}

function kaimingStd(fn: string, t: Tensor, o: KaimingOptions | number): number {
  if (typeof o !== 'number') checkOptions(`${fn}()`, o, ['a', 'mode', 'nonlinearity']);
  const opts = typeof o === 'number' ? { a: o } : o;
  if (numel(t.shape) === 0) throw new ShapeError(`${fn}(): Initializing zero-element tensors is a no-op`);
  return calculateGain(opts.nonlinearity ?? 'leaky_relu', opts.a ?? 0) / Math.sqrt(fan(t, opts.mode ?? 'fan_in'));
}

/**
 * He uniform: U(-b, b) with b = gain * sqrt(3 / fan); returns t.
 * @example nn.init.kaimingUniform_(w, { a: Math.sqrt(5) }) // PyTorch's Linear/Conv default
 */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions | number = {}): Tensor {
  if (numel(t.shape) === 0) return t;
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform_', t, opts);
  return uniform_(t, -bound, bound);
}

/**
 * He normal: N(0, std^2) with std = gain / sqrt(fan); returns t.
 * @example nn.init.kaimingNormal_(w, { mode: 'fan_out', nonlinearity: 'relu' })
 */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions | number = {}): Tensor {
  if (numel(t.shape) === 0) return t;
  return normal_(t, 0, kaimingStd('kaimingNormal_', t, opts));
}
