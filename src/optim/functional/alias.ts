// Ready-made functional optimizers, as chains of the building blocks (torchopt.sgd/adam/adamw/
// rmsprop/adagrad, optax.sgd/adam/adamw). Their updates are the negated steps, so
// applyUpdates(params, updates) is p − lr·(...); trajectories equal torch.optim's.
import { checkOptions } from '../../core/options.js';
import { ValueError } from '../../core/errors.js';
import { checkBetas, checkBoolean, checkEps, checkLr, checkMomentum, checkNonNegative, checkWeightDecay } from '../validate.js';
import { chain } from './chain.js';
import {
  addDecayedWeights, scale, scaleByAdam, scaleByLearningRate, scaleByRms, scaleByRss, scaleByStddev, trace,
  type GradientTransformation, type ScalarOrSchedule,
} from './transform.js';

type Tx = GradientTransformation<any>;

function prelude(maximize: boolean, weightDecay: number): Tx[] {
  const out: Tx[] = [];
  if (maximize) out.push(scale(-1));
  if (weightDecay !== 0) out.push(addDecayedWeights(weightDecay));
  return out;
}

/** Options of functional.sgd. */
export interface SgdOptions {
  /** Learning rate or schedule, default 1e-3. */
  lr?: ScalarOrSchedule;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Dampening of the momentum (default 0). */
  dampening?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/**
 * SGD with torch.optim.SGD's momentum (first trace = g), dampening, nesterov and L2 weight decay.
 * @example const tx = optim.functional.sgd({ lr: 0.05, momentum: 0.9 })
 */
export function sgd(o: SgdOptions = {}): GradientTransformation<unknown[]> {
  checkOptions('sgd', o, ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', 'maximize']);
  const { lr = 1e-3, momentum = 0, dampening = 0, nesterov = false, weightDecay = 0, maximize = false } = o;
  checkLr(lr);
  checkMomentum(momentum);
  checkNonNegative('dampening value', dampening);
  checkWeightDecay(weightDecay);
  checkBoolean('nesterov', nesterov);
  checkBoolean('maximize', maximize);
  if (nesterov && (momentum <= 0 || dampening !== 0)) throw new ValueError('Nesterov momentum requires a momentum and zero dampening');
  return chain(
    ...prelude(maximize, weightDecay),
    ...(momentum !== 0 ? [trace({ decay: momentum, dampening, nesterov })] : []),
    scaleByLearningRate(lr),
  );
}

/** Options of functional.adam and functional.adamw. */
export interface AdamOptions {
  /** Learning rate or schedule, default 1e-3. */
  lr?: ScalarOrSchedule;
  /** Decay rates [β1, β2] of the moment averages (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added outside the root, to the denominator (default 1e-8). */
  eps?: number;
  /** Added inside the root; > 0 keeps meta-gradients finite where gradients vanish. */
  epsRoot?: number;
  /** adam: L2 penalty added to the gradient; adamw: decoupled decay (default 1e-2). */
  weightDecay?: number;
  /** AMSGrad: divide by the running maximum of the second moment (default false). */
  amsgrad?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}
const ADAM_KEYS = ['lr', 'betas', 'eps', 'epsRoot', 'weightDecay', 'amsgrad', 'maximize'];

function adamParts(fn: string, o: AdamOptions, defaultWd: number) {
  checkOptions(fn, o, ADAM_KEYS);
  const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, epsRoot = 0, weightDecay = defaultWd, amsgrad = false, maximize = false } = o;
  checkLr(lr);
  checkEps(eps);
  checkBetas(betas);
  checkWeightDecay(weightDecay);
  checkBoolean('amsgrad', amsgrad);
  checkBoolean('maximize', maximize);
  return { lr, weightDecay, maximize, adam: scaleByAdam({ b1: betas[0], b2: betas[1], eps, epsRoot, amsgrad }) };
}

/**
 * Adam (torch.optim.Adam, optax.adam); weightDecay is L2 added to the gradient before the moments.
 * @example const tx = optim.functional.adam({ lr: 0.1 })
 */
export function adam(o: AdamOptions = {}): GradientTransformation<unknown[]> {
  const { lr, weightDecay, maximize, adam: core } = adamParts('adam', o, 0);
  return chain(...prelude(maximize, weightDecay), core, scaleByLearningRate(lr));
}

/**
 * AdamW (torch.optim.AdamW, optax.adamw): Adam with decoupled weight decay, default 1e-2.
 * @example const tx = optim.functional.adamw({ lr: 0.1, weightDecay: 0.01 })
 */
export function adamw(o: AdamOptions = {}): GradientTransformation<unknown[]> {
  const { lr, weightDecay, maximize, adam: core } = adamParts('adamw', o, 1e-2);
  return chain(...prelude(maximize, 0), core, addDecayedWeights(weightDecay), scaleByLearningRate(lr));
}

/** Options of functional.rmsprop. */
export interface RmspropOptions {
  /** Learning rate or schedule, default 1e-2. */
  lr?: ScalarOrSchedule;
  /** Smoothing constant of the running mean of g² (default 0.99). */
  alpha?: number;
  /** Added to the denominator, outside the root (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Normalize by an estimate of the variance of g (default false). */
  centered?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/**
 * RMSprop as torch.optim.RMSprop (eps outside the root, optional centering and momentum).
 * @example const tx = optim.functional.rmsprop({ lr: 0.01, centered: true, momentum: 0.5 })
 */
export function rmsprop(o: RmspropOptions = {}): GradientTransformation<unknown[]> {
  checkOptions('rmsprop', o, ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize']);
  const { lr = 1e-2, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0, centered = false, maximize = false } = o;
  checkLr(lr);
  checkEps(eps);
  checkMomentum(momentum);
  checkWeightDecay(weightDecay);
  checkNonNegative('alpha value', alpha);
  checkBoolean('centered', centered);
  checkBoolean('maximize', maximize);
  return chain(
    ...prelude(maximize, weightDecay),
    centered ? scaleByStddev({ alpha, eps }) : scaleByRms({ alpha, eps }),
    ...(momentum > 0 ? [trace({ decay: momentum })] : []),
    scaleByLearningRate(lr),
  );
}

/** Options of functional.adagrad. */
export interface AdagradOptions {
  /** Learning rate or schedule, default 1e-2. */
  lr?: ScalarOrSchedule;
  /** lr / (1 + count·lrDecay) (default 0). */
  lrDecay?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue?: number;
  /** Added to the denominator (default 1e-10). */
  eps?: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/**
 * Adagrad as torch.optim.Adagrad (lr decayed as lr / (1 + (step − 1)·lrDecay)).
 * @example const tx = optim.functional.adagrad({ lr: 0.1 })
 */
export function adagrad(o: AdagradOptions = {}): GradientTransformation<unknown[]> {
  checkOptions('adagrad', o, ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'maximize']);
  const { lr = 1e-2, lrDecay = 0, weightDecay = 0, initialAccumulatorValue = 0, eps = 1e-10, maximize = false } = o;
  checkLr(lr);
  checkNonNegative('lr_decay value', lrDecay);
  checkWeightDecay(weightDecay);
  checkNonNegative('initial_accumulator_value value', initialAccumulatorValue);
  checkEps(eps);
  checkBoolean('maximize', maximize);
  const rate: ScalarOrSchedule =
    lrDecay === 0 ? lr : (n: number) => (typeof lr === 'function' ? lr(n) : lr) / (1 + n * lrDecay);
  return chain(...prelude(maximize, weightDecay), scaleByRss({ initialAccumulatorValue, eps }), scaleByLearningRate(rate));
}
