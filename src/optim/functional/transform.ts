// Gradient transformations in the style of optax and torchopt: a pair of pure functions
// init(params) -> state and update(updates, state, params?) -> [updates, state], composed with chain.
// Everything is written with out-of-place differentiable tensor ops and never reads tensor values,
// so an update runs under func.grad (meta-gradients through updates) and func.vmap (ensembles).
// The step count is a plain number inside the (pure) state; vmap it with in/out dim null (vmapDims).
import { ValueError } from '../../core/errors.js';
import type { Tensor } from '../../tensor.js';
import { fullLike, zerosLike } from '../../ops/creation.js';
import { checkBetas, checkEps, checkNonNegative } from '../validate.js';
import { treeUnflatten } from '../../core/pytree.js';
import { mapTrees, zipLeaves } from './tree.js';

/**
 * A gradient transformation: `init` builds the state for a params pytree; `update` maps updates
 * (gradients at the start of a chain) and the state to new updates and a new state, never mutating
 * its inputs. `params` is needed by transformations that read the parameters (weight decay).
 * @example
 * const tx = optim.functional.adam({ lr: 0.1 });
 * let state = tx.init(params);
 * const [updates, next] = tx.update(grads, state, params);
 * params = optim.functional.applyUpdates(params, updates);
 */
export interface GradientTransformation<S = unknown> {
  /** The initial state for a pytree of parameters (moment buffers shaped like them, step counts). */
  init(params: unknown): S;
  /**
   * New updates and the new state from `updates` (a pytree like the params) and the state; `params` for
   * transformations that read them.
   */
  update<T>(updates: T, state: S, params?: T): [T, S];
}

/** A function of the step count (0 at the first update) giving a value, such as a learning rate. */
export type Schedule = (count: number) => number;
/** A constant or a schedule. */
export type ScalarOrSchedule = number | Schedule;

/** The state of a transformation that keeps none (optax's EmptyState). */
export type EmptyState = Record<string, never>;
const empty = (): EmptyState => ({});

/** A state holding only the step count. */
export interface CountState {
  /** Updates done so far. */
  count: number;
}

export const NEEDS_PARAMS =
  'You are using a transformation that requires the current value of parameters, but you are not passing `params` when calling `update`.';

const zerosTree = (fn: string, params: unknown): unknown => mapTrees(fn, ['params'], [params], (p) => zerosLike(p));

function checkCount(fn: string, state: unknown): number {
  const c = (state as CountState | null)?.count;
  if (typeof c !== 'number') throw new ValueError(`${fn}: the state has no step count; pass the state returned by init()/update()`);
  return c;
}

function evalSchedule(fn: string, s: ScalarOrSchedule, count: number): number {
  const v = typeof s === 'function' ? s(count) : s;
  if (typeof v !== 'number' || Number.isNaN(v)) throw new ValueError(`${fn}: the schedule gave ${String(v)} at count ${count}, expected a number`);
  return v;
}

/**
 * Leaves updates unchanged.
 * @example optim.functional.identity()
 */
export function identity(): GradientTransformation<EmptyState> {
  return { init: empty, update: (u, s) => [u, s] };
}

/**
 * Multiplies updates by `step`.
 * @example optim.functional.scale(-1) // maximize instead of minimize
 */
export function scale(step: number): GradientTransformation<EmptyState> {
  if (typeof step !== 'number') throw new ValueError(`scale: step must be a number, got ${typeof step}`);
  return {
    init: empty,
    update: <T>(u: T, s: EmptyState) => [mapTrees('scale', ['updates'], [u], (x) => x.mul(step)) as T, s],
  };
}

/**
 * Multiplies updates by schedule(count); count starts at 0 and grows by one per update.
 * @example optim.functional.scaleBySchedule((n) => -0.1 * 0.99 ** n)
 */
export function scaleBySchedule(schedule: Schedule): GradientTransformation<CountState> {
  if (typeof schedule !== 'function') throw new ValueError('scaleBySchedule: schedule must be a function of the step count');
  return {
    init: () => ({ count: 0 }),
    update: <T>(u: T, s: CountState): [T, CountState] => {
      const count = checkCount('scaleBySchedule', s);
      const f = evalSchedule('scaleBySchedule', schedule, count);
      return [mapTrees('scaleBySchedule', ['updates'], [u], (x) => x.mul(f)) as T, { count: count + 1 }];
    },
  };
}

/**
 * Scales by −lr (flipSign, default) or lr; lr a number or a schedule of the step count.
 * @example optim.functional.scaleByLearningRate(0.1)
 */
export function scaleByLearningRate(lr: ScalarOrSchedule, opts: { flipSign?: boolean } = {}): GradientTransformation<EmptyState | CountState> {
  const m = (opts.flipSign ?? true) ? -1 : 1;
  if (typeof lr === 'function') return scaleBySchedule((n) => m * evalSchedule('scaleByLearningRate', lr, n)) as GradientTransformation<EmptyState | CountState>;
  checkNonNegative('learning rate', lr);
  return scale(m * lr) as GradientTransformation<EmptyState | CountState>;
}

/**
 * Adds weightDecay·params to the updates. Before scaleByAdam this is L2 regularization (Adam's
 * weightDecay); after it, decoupled decay (AdamW, optax.add_decayed_weights).
 * @example optim.functional.chain(optim.functional.scaleByAdam(), optim.functional.addDecayedWeights(1e-2), optim.functional.scale(-1e-3))
 */
export function addDecayedWeights(weightDecay = 0): GradientTransformation<EmptyState> {
  checkNonNegative('weight_decay value', weightDecay);
  return {
    init: empty,
    update: <T>(u: T, s: EmptyState, params?: T): [T, EmptyState] => {
      if (params === undefined || params === null) throw new ValueError(`addDecayedWeights: ${NEEDS_PARAMS}`);
      return [mapTrees('addDecayedWeights', ['updates', 'params'], [u, params], (g, p) => g.add(p.mul(weightDecay))) as T, s];
    },
  };
}

/** Options of scaleByAdam (optax's names). */
export interface ScaleByAdamOptions {
  /** β1, default 0.9. */
  b1?: number;
  /** β2, default 0.999. */
  b2?: number;
  /** Added to the root's result, default 1e-8. */
  eps?: number;
  /**
   * Added inside the root, default 0 (use a small value to differentiate through updates with zero
   * gradients).
   */
  epsRoot?: number;
  /** Normalize by the running max of the raw second moment (PyTorch's amsgrad). */
  amsgrad?: boolean;
}

/** The state of scaleByAdam. */
export interface ScaleByAdamState {
  /** Updates done so far (for the bias corrections). */
  count: number;
  /** First moments, a pytree like the params. */
  mu: unknown;
  /** Second moments, a pytree like the params. */
  nu: unknown;
  /** The running max of nu (amsgrad only). */
  nuMax?: unknown;
}

/**
 * Adam's scaling (optax.scale_by_adam): mu = b1·mu + (1 − b1)·g; nu = b2·nu + (1 − b2)·g²;
 * update = mû / (√(nû + epsRoot) + eps) with the bias corrections 1 − bᵗ.
 * @example optim.functional.chain(optim.functional.scaleByAdam({ b1: 0.9 }), optim.functional.scale(-0.1))
 */
export function scaleByAdam(opts: ScaleByAdamOptions = {}): GradientTransformation<ScaleByAdamState> {
  const b1 = opts.b1 ?? 0.9;
  const b2 = opts.b2 ?? 0.999;
  const eps = opts.eps ?? 1e-8;
  const epsRoot = opts.epsRoot ?? 0;
  const amsgrad = opts.amsgrad ?? false;
  checkBetas([b1, b2]);
  checkEps(eps);
  checkNonNegative('eps_root value', epsRoot);
  const fn = 'scaleByAdam';
  return {
    init: (params) => {
      const s: ScaleByAdamState = { count: 0, mu: zerosTree(fn, params), nu: zerosTree(fn, params) };
      if (amsgrad) s.nuMax = zerosTree(fn, params);
      return s;
    },
    update: <T>(u: T, state: ScaleByAdamState): [T, ScaleByAdamState] => {
      const count = checkCount(fn, state) + 1;
      const bc1 = 1 - b1 ** count;
      const bc2 = 1 - b2 ** count;
      const trees = [u, state.mu, state.nu, ...(amsgrad ? [state.nuMax] : [])];
      const names = ['updates', 'state.mu', 'state.nu', 'state.nuMax'];
      const mus: Tensor[] = [];
      const nus: Tensor[] = [];
      const maxes: Tensor[] = [];
      const [def, out] = zipLeaves(fn, names, trees, (g, mu, nu, nuMax) => {
        const m = mu!.mul(b1).add(g!.mul(1 - b1));
        const v = nu!.mul(b2).add(g!.mul(g!).mul(1 - b2));
        mus.push(m);
        nus.push(v);
        let vHat: Tensor;
        if (amsgrad) {
          const vm = nuMax!.maximum(v);
          maxes.push(vm);
          vHat = vm.div(bc2);
        } else vHat = v.div(bc2);
        const root = epsRoot === 0 ? vHat.sqrt() : vHat.add(epsRoot).sqrt();
        return m.div(bc1).div(root.add(eps));
      });
      const next: ScaleByAdamState = { count, mu: treeUnflatten(def, mus), nu: treeUnflatten(def, nus) };
      if (amsgrad) next.nuMax = treeUnflatten(def, maxes);
      return [treeUnflatten(def, out) as T, next];
    },
  };
}

/** The state of scaleByRms. */
export interface ScaleByRmsState {
  /** Running means of g², a pytree like the params. */
  nu: unknown;
}

/**
 * RMSprop's scaling as torch.optim.RMSprop: nu = α·nu + (1 − α)·g²; update = g / (√nu + eps).
 * @example optim.functional.scaleByRms({ alpha: 0.99, eps: 1e-8 })
 */
export function scaleByRms(opts: { alpha?: number; eps?: number; initialScale?: number } = {}): GradientTransformation<ScaleByRmsState> {
  const alpha = opts.alpha ?? 0.99;
  const eps = opts.eps ?? 1e-8;
  const init = opts.initialScale ?? 0;
  checkNonNegative('alpha value', alpha);
  checkEps(eps);
  const fn = 'scaleByRms';
  return {
    init: (params) => ({ nu: mapTrees(fn, ['params'], [params], (p) => fullLike(p, init)) }),
    update: <T>(u: T, state: ScaleByRmsState): [T, ScaleByRmsState] => {
      const nus: Tensor[] = [];
      const [def, out] = zipLeaves(fn, ['updates', 'state.nu'], [u, state?.nu], (g, nu) => {
        const v = nu!.mul(alpha).add(g!.mul(g!).mul(1 - alpha));
        nus.push(v);
        return g!.div(v.sqrt().add(eps));
      });
      return [treeUnflatten(def, out) as T, { nu: treeUnflatten(def, nus) }];
    },
  };
}

/** The state of scaleByStddev. */
export interface ScaleByStddevState {
  /** Running means of g, a pytree like the params. */
  mu: unknown;
  /** Running means of g², a pytree like the params. */
  nu: unknown;
}

/**
 * Centered RMSprop's scaling as torch.optim.RMSprop(centered): mu and nu running means of g and g²;
 * update = g / (√(nu − mu²) + eps).
 * @example optim.functional.scaleByStddev({ alpha: 0.99 })
 */
export function scaleByStddev(opts: { alpha?: number; eps?: number; initialScale?: number } = {}): GradientTransformation<ScaleByStddevState> {
  const alpha = opts.alpha ?? 0.99;
  const eps = opts.eps ?? 1e-8;
  const init = opts.initialScale ?? 0;
  checkNonNegative('alpha value', alpha);
  checkEps(eps);
  const fn = 'scaleByStddev';
  return {
    init: (params) => ({ mu: zerosTree(fn, params), nu: mapTrees(fn, ['params'], [params], (p) => fullLike(p, init)) }),
    update: <T>(u: T, state: ScaleByStddevState): [T, ScaleByStddevState] => {
      const mus: Tensor[] = [];
      const nus: Tensor[] = [];
      const [def, out] = zipLeaves(fn, ['updates', 'state.mu', 'state.nu'], [u, state?.mu, state?.nu], (g, mu, nu) => {
        const v = nu!.mul(alpha).add(g!.mul(g!).mul(1 - alpha));
        const m = mu!.mul(alpha).add(g!.mul(1 - alpha));
        mus.push(m);
        nus.push(v);
        return g!.div(v.sub(m.mul(m)).sqrt().add(eps));
      });
      return [treeUnflatten(def, out) as T, { mu: treeUnflatten(def, mus), nu: treeUnflatten(def, nus) }];
    },
  };
}

/** The state of scaleByRss. */
export interface ScaleByRssState {
  /** Sums of g², a pytree like the params. */
  sum: unknown;
}

/**
 * Adagrad's scaling as torch.optim.Adagrad: sum += g²; update = g / (√sum + eps). (optax's
 * scale_by_rss puts eps inside the root; this follows PyTorch.)
 * @example optim.functional.scaleByRss({ initialAccumulatorValue: 0.1 })
 */
export function scaleByRss(opts: { initialAccumulatorValue?: number; eps?: number } = {}): GradientTransformation<ScaleByRssState> {
  const init = opts.initialAccumulatorValue ?? 0;
  const eps = opts.eps ?? 1e-10;
  checkNonNegative('initial_accumulator_value value', init);
  checkEps(eps);
  const fn = 'scaleByRss';
  return {
    init: (params) => ({ sum: mapTrees(fn, ['params'], [params], (p) => fullLike(p, init)) }),
    update: <T>(u: T, state: ScaleByRssState): [T, ScaleByRssState] => {
      const sums: Tensor[] = [];
      const [def, out] = zipLeaves(fn, ['updates', 'state.sum'], [u, state?.sum], (g, sum) => {
        const s = sum!.add(g!.mul(g!));
        sums.push(s);
        return g!.div(s.sqrt().add(eps));
      });
      return [treeUnflatten(def, out) as T, { sum: treeUnflatten(def, sums) }];
    },
  };
}

/** The state of trace. */
export interface TraceState {
  /** Updates done so far (the first one seeds the trace with g). */
  count: number;
  /** The momentum buffers, a pytree like the params. */
  trace: unknown;
}

/**
 * Momentum as torch.optim.SGD: the first trace is g, then decay·trace + (1 − dampening)·g; the
 * update is the trace, or g + decay·trace with nesterov.
 * @example optim.functional.trace({ decay: 0.9, nesterov: true })
 */
export function trace(opts: { decay: number; dampening?: number; nesterov?: boolean }): GradientTransformation<TraceState> {
  const decay = opts?.decay;
  const dampening = opts.dampening ?? 0;
  const nesterov = opts.nesterov ?? false;
  checkNonNegative('momentum value', decay);
  checkNonNegative('dampening value', dampening);
  if (nesterov && (decay <= 0 || dampening !== 0)) throw new ValueError('Nesterov momentum requires a momentum and zero dampening');
  const fn = 'trace';
  return {
    init: (params) => ({ count: 0, trace: zerosTree(fn, params) }),
    update: <T>(u: T, state: TraceState): [T, TraceState] => {
      const count = checkCount(fn, state);
      const traces: Tensor[] = [];
      const [def, out] = zipLeaves(fn, ['updates', 'state.trace'], [u, state.trace], (g, t) => {
        const nt = count === 0 ? g! : t!.mul(decay).add(dampening === 0 ? g! : g!.mul(1 - dampening));
        traces.push(nt);
        return nesterov ? g!.add(nt.mul(decay)) : nt;
      });
      return [treeUnflatten(def, out) as T, { count: count + 1, trace: treeUnflatten(def, traces) }];
    },
  };
}
