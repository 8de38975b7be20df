// nn.utils: gradient clipping and flattening parameters to one vector (torch.nn.utils), and nn.utils.rnn.
import { checkOptions } from '../core/options.js';
import { DeviceError, ShapeError, TorchfnError, ValueError, fmtShape } from '../core/errors.js';
import { div } from '../ops/elementwise.js';
import { Tensor } from '../tensor.js';
import { noGrad } from '../ops/autograd.js';
import { zeros } from '../ops/creation.js';
import { cat, stack } from '../ops/shape.js';

/** nn.utils.rnn: padSequence, PackedSequence, packPaddedSequence, padPackedSequence and their kin. */
export * as rnn from './utils_rnn.js';

function asList(fn: string, parameters: Tensor | Iterable<Tensor>): Tensor[] {
  const list = parameters instanceof Tensor ? [parameters] : [...parameters];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new ValueError(`${fn}(): parameters[${i}] is not a Tensor (got ${typeof p})`);
  });
  return list;
}

/** Options of clipGradNorm_ (a number is taken as `normType`). */
export interface ClipGradNormOptions {
  /** Order of the norm (default 2; Infinity for the max norm). */
  normType?: number;
  /** Throw when the total norm is NaN or infinite (default false). */
  errorIfNonfinite?: boolean;
}

/**
 * Scales the gradients in place so that their total norm (of all gradients together) is at most
 * maxNorm; returns the total norm before clipping, as a 0-d tensor on the gradients' device. The
 * scaling is computed on that device, so nothing is read back; `errorIfNonfinite` has to read the norm,
 * so on a device the host cannot read synchronously ('webgpu') it is a DeviceError (check
 * `await norm.itemAsync()` instead).
 * @example
 * loss.backward();
 * const norm = nn.utils.clipGradNorm_(model.parameters(), 1.0);
 * opt.step();
 */
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number, opts: ClipGradNormOptions | number = {}): Tensor {
  if (typeof opts !== 'number') checkOptions('clipGradNorm_()', opts, ['normType', 'errorIfNonfinite']);
  const o = typeof opts === 'number' ? { normType: opts } : opts;
  const p = o.normType ?? 2;
  if (typeof maxNorm !== 'number' || Number.isNaN(maxNorm)) throw new ValueError(`clipGradNorm_(): max_norm must be a number, got ${String(maxNorm)}`);
  const grads = asList('clipGradNorm_', parameters).map((t) => t.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return zeros([]);
  return noGrad(() => {
    const dtype = grads.some((g) => g.dtype === 'float64') ? 'float64' : 'float32';
    const norms = grads.map((g) => g.norm(p).to(dtype));
    const total = stack(norms).norm(p);
    if (o.errorIfNonfinite) {
      if (total.device !== 'cpu') {
        throw new DeviceError(
          `clipGradNorm_(): errorIfNonfinite reads the total norm, which a tensor on '${total.device}' cannot give synchronously; leave it off and check \`await norm.itemAsync()\``,
        );
      }
      if (!Number.isFinite(total.item())) {
        throw new TorchfnError(
          `The total norm of order ${p} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set errorIfNonfinite: false`,
        );
      }
    }
    // PyTorch's clip_coef_clamped, as a tensor: max_norm / (total + 1e-6), at most 1.
    const coef = div(maxNorm, total.add(1e-6)).clamp({ max: 1 });
    for (const g of grads) g.mul_(coef.to(g.dtype));
    return total;
  });
}

/**
 * Clamps every gradient in place into [-clipValue, clipValue].
 * @example nn.utils.clipGradValue_(model.parameters(), 0.5)
 */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number): void {
  if (typeof clipValue !== 'number' || Number.isNaN(clipValue)) throw new ValueError(`clipGradValue_(): clip_value must be a number, got ${String(clipValue)}`);
  const grads = asList('clipGradValue_', parameters).map((t) => t.grad).filter((g): g is Tensor => g !== null);
  noGrad(() => {
    for (const g of grads) g.clamp_({ min: -clipValue, max: clipValue });
  });
}

/**
 * All parameters flattened and concatenated into one vector.
 * @example const v = nn.utils.parametersToVector(model.parameters());
 */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  const list = asList('parametersToVector', parameters);
  if (list.length === 0) throw new ValueError('parametersToVector(): expected at least one parameter');
  return cat(list.map((p) => p.reshape(-1)));
}

/**
 * Copies consecutive slices of `vec` into the parameters (in place, without gradient).
 * @example nn.utils.vectorToParameters(v, model.parameters());
 */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  if (!(vec instanceof Tensor)) throw new ValueError(`vectorToParameters(): expected 'vec' to be a Tensor, but got: ${typeof vec}`);
  if (vec.ndim !== 1) throw new ShapeError(`vectorToParameters(): expected 'vec' to be 1-D, got ${fmtShape(vec.shape)}`);
  const list = asList('vectorToParameters', parameters);
  const total = list.reduce((a, p) => a + p.numel(), 0);
  if (total !== vec.shape[0]) {
    throw new ShapeError(`vectorToParameters(): 'vec' has ${vec.shape[0]} elements but the parameters hold ${total}`);
  }
  noGrad(() => {
    let off = 0;
    for (const p of list) {
      const n = p.numel();
      p.copy_(vec.narrow(0, off, n).reshape(p.shape));
      off += n;
    }
  });
}
