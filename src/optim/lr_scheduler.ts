// torch.optim.lr_scheduler: schedulers that set each parameter group's `lr` once per step(), with
// PyTorch's recursive ("chainable") forms for step() and closed forms where SequentialLR jumps to a
// milestone. The constructor performs the initial step (lastEpoch -1 -> 0), as in PyTorch.
import { classNameOf, nameOfClass } from '../core/names.js';
import { ValueError } from '../core/errors.js';
import type { Optimizer, ParamGroup } from './optimizer.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOptimizer = Optimizer<any>;
type Group = ParamGroup<Record<string, unknown> & { lr: number }>;

function checkEpoch(cls: string, lastEpoch: number): void {
  if (!Number.isInteger(lastEpoch) || lastEpoch < -1) throw new ValueError(`${cls}: lastEpoch must be an integer >= -1, got ${lastEpoch}`);
}

/**
 * Base of the learning-rate schedulers. A subclass computes the next lrs in `getLr()` (recursive
 * form) and, optionally, `closedFormLr()`.
 * @example
 * const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); opt.step(); sched.step(); }
 */
export abstract class LRScheduler {
  /** The class name printed in reprs and errors (declared, so minified bundles keep it). */
  static readonly displayName: string = 'LRScheduler';
  /** The optimizer whose groups' `lr` this scheduler sets. */
  readonly optimizer: AnyOptimizer;
  /** Each group's initialLr when the scheduler was created. */
  baseLrs: number[];
  /** The index of the last step (0 after construction). */
  lastEpoch: number;
  /** @internal */
  protected stepCount = 0;
  /** @internal */
  protected isInitial = false;
  /** @internal */
  protected lastLr: number[] = [];

  /** Sets groups' initialLr (if absent) and baseLrs; the subclass calls initialStep() when ready. */
  constructor(optimizer: AnyOptimizer, lastEpoch = -1) {
    const cls = nameOfClass(new.target);
    checkEpoch(cls, lastEpoch);
    const groups = optimizer.paramGroups as Group[];
    if (lastEpoch === -1) {
      for (const g of groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined) throw new ValueError(`${cls}: param 'initialLr' is not specified in paramGroups[${i}] when resuming an optimizer`);
      });
    }
    this.optimizer = optimizer;
    this.baseLrs = groups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
  }

  /** The optimizer's parameter groups. */
  protected get groups(): Group[] {
    return this.optimizer.paramGroups as Group[];
  }

  /** The recursive form: next lrs from the groups' current lrs (this.lastEpoch already advanced). */
  protected abstract getLr(): number[];

  /** The closed form at this.lastEpoch, where there is one. */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** PyTorch's _initial_step: the step that brings lastEpoch from -1 to 0. */
  initialStep(): void {
    this.stepCount = 0;
    this.isInitial = true;
    try {
      this.step();
    } finally {
      this.isInitial = false;
    }
  }

  /** Advances one step and sets every group's lr. @example sched.step() */
  step(): void {
    this.stepCount += 1;
    try {
      this.updateLr(undefined);
    } catch (e) {
      this.stepCount -= 1;
      throw e;
    }
  }

  /**
   * Sets lrs for the next step (epoch undefined), or jumps to `epoch` with the closed form (used by
   * SequentialLR at its milestones). Nothing changes when computing the lrs throws.
   */
  updateLr(epoch: number | undefined): void {
    const prev = this.lastEpoch;
    let values: number[];
    try {
      if (epoch === undefined) {
        this.lastEpoch += 1;
        values = this.getLr();
      } else {
        this.lastEpoch = epoch;
        values = this.closedFormLr() ?? this.getLr();
      }
    } catch (e) {
      this.lastEpoch = prev;
      throw e;
    }
    this.groups.forEach((g, i) => (g.lr = values[i]!));
    this.lastLr = this.groups.map((g) => g.lr);
  }

  /** The lrs set by the last step. @example sched.getLastLr() // [0.1] */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's state (everything but the optimizer). */
  stateDict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) {
      if (k === 'optimizer' || typeof v === 'function') continue;
      out[k] = v instanceof Map ? new Map(v) : Array.isArray(v) ? [...v] : v;
    }
    return out;
  }

  /** Restores a stateDict() (the optimizer is left as it is). */
  loadStateDict(sd: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(sd)) {
      if (k === 'optimizer') continue;
      (this as Record<string, unknown>)[k] = v instanceof Map ? new Map(v) : Array.isArray(v) ? [...v] : v;
    }
  }
}

/** Options of StepLR. */
export interface StepLROptions {
  /** The period, in steps, of the decay. */
  stepSize: number;
  /** The factor applied every stepSize steps (default 0.1). */
  gamma?: number;
  /** Index of the last step when resuming a schedule (default -1: start fresh). */
  lastEpoch?: number;
}

/**
 * Multiplies lr by gamma every stepSize steps: lr = base·gamma^⌊epoch/stepSize⌋.
 * @example new optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 })
 */
export class StepLR extends LRScheduler {
  static override readonly displayName: string = 'StepLR';
  /** The period, in steps, of the decay. */
  stepSize: number;
  /** The decay factor. */
  gamma: number;
  /** Schedules `optimizer`'s groups; options stepSize, gamma (0.1), lastEpoch (-1). Sets the initial lrs. */
  constructor(optimizer: AnyOptimizer, opts: StepLROptions) {
    if (!Number.isInteger(opts?.stepSize) || opts.stepSize <= 0) throw new ValueError(`StepLR: stepSize must be a positive integer, got ${opts?.stepSize}`);
    super(optimizer, opts.lastEpoch ?? -1);
    this.stepSize = opts.stepSize;
    this.gamma = opts.gamma ?? 0.1;
    this.initialStep();
  }
  protected getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

/** Options of MultiStepLR. */
export interface MultiStepLROptions {
  /** The steps at which lr is multiplied by gamma (a repeated milestone applies gamma again). */
  milestones: number[];
  /** The factor applied at each milestone (default 0.1). */
  gamma?: number;
  /** Index of the last step when resuming a schedule (default -1: start fresh). */
  lastEpoch?: number;
}

/**
 * Multiplies lr by gamma at each milestone: lr = base·gamma^(number of milestones ≤ epoch).
 * @example new optim.lrScheduler.MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 })
 */
export class MultiStepLR extends LRScheduler {
  static override readonly displayName: string = 'MultiStepLR';
  /** Milestone -> how many times it was given. */
  milestones: Map<number, number>;
  /** The decay factor. */
  gamma: number;
  /** Schedules `optimizer`'s groups; options milestones, gamma (0.1), lastEpoch (-1). */
  constructor(optimizer: AnyOptimizer, opts: MultiStepLROptions) {
    if (!Array.isArray(opts?.milestones) || opts.milestones.some((m) => !Number.isInteger(m))) {
      throw new ValueError(`MultiStepLR: milestones must be a list of integers, got ${String(opts?.milestones)}`);
    }
    super(optimizer, opts.lastEpoch ?? -1);
    this.milestones = new Map();
    for (const m of opts.milestones) this.milestones.set(m, (this.milestones.get(m) ?? 0) + 1);
    this.gamma = opts.gamma ?? 0.1;
    this.initialStep();
  }
  protected getLr(): number[] {
    const n = this.milestones.get(this.lastEpoch);
    if (n === undefined) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma ** n);
  }
  protected override closedFormLr(): number[] {
    let passed = 0;
    for (const [m, n] of this.milestones) if (m <= this.lastEpoch) passed += n;
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }
}

/** Options of ExponentialLR. */
export interface ExponentialLROptions {
  /** The factor applied every step. */
  gamma: number;
  /** Index of the last step when resuming a schedule (default -1: start fresh). */
  lastEpoch?: number;
}

/**
 * Multiplies lr by gamma every step: lr = base·gamma^epoch.
 * @example new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.95 })
 */
export class ExponentialLR extends LRScheduler {
  static override readonly displayName: string = 'ExponentialLR';
  /** The decay factor per step. */
  gamma: number;
  /** Schedules `optimizer`'s groups; options gamma, lastEpoch (-1). */
  constructor(optimizer: AnyOptimizer, opts: ExponentialLROptions) {
    if (typeof opts?.gamma !== 'number') throw new ValueError(`ExponentialLR: gamma must be a number, got ${String(opts?.gamma)}`);
    super(optimizer, opts.lastEpoch ?? -1);
    this.gamma = opts.gamma;
    this.initialStep();
  }
  protected getLr(): number[] {
    if (this.isInitial) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}

/** Options of CosineAnnealingLR. */
export interface CosineAnnealingLROptions {
  /** T_max: the number of steps of a half cosine period. */
  TMax: number;
  /** eta_min, default 0. */
  etaMin?: number;
  /** Index of the last step when resuming a schedule (default -1: start fresh). */
  lastEpoch?: number;
}

/**
 * Cosine annealing without restarts: lr = etaMin + (base − etaMin)(1 + cos(π·epoch/TMax))/2
 * (computed recursively from the current lr, as PyTorch).
 * @example new optim.lrScheduler.CosineAnnealingLR(opt, { TMax: 100, etaMin: 1e-5 })
 */
export class CosineAnnealingLR extends LRScheduler {
  static override readonly displayName: string = 'CosineAnnealingLR';
  /** Steps of a half cosine period. */
  TMax: number;
  /** The minimum learning rate. */
  etaMin: number;
  /** Schedules `optimizer`'s groups; options TMax, etaMin (0), lastEpoch (-1). */
  constructor(optimizer: AnyOptimizer, opts: CosineAnnealingLROptions) {
    if (typeof opts?.TMax !== 'number' || !(opts.TMax > 0)) throw new ValueError(`CosineAnnealingLR: TMax must be a positive number, got ${String(opts?.TMax)}`);
    super(optimizer, opts.lastEpoch ?? -1);
    this.TMax = opts.TMax;
    this.etaMin = opts.etaMin ?? 0;
    this.initialStep();
  }
  protected getLr(): number[] {
    const { TMax: T, etaMin: eta, lastEpoch: e } = this;
    if (this.isInitial) return this.groups.map((g) => g.lr);
    if (this.stepCount === 1 && e > 0) {
      return this.baseLrs.map((b) => eta + ((b - eta) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    }
    if ((e - 1 - T) % (2 * T) === 0) {
      return this.groups.map((g, i) => g.lr + ((this.baseLrs[i]! - eta) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return this.groups.map(
      (g) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (g.lr - eta) + eta,
    );
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.TMax))) / 2);
  }
}

/** Options of LinearLR. */
export interface LinearLROptions {
  /** The factor at the first step; default 1/3, in (0, 1]. */
  startFactor?: number;
  /** The factor from totalIters on; default 1, in [0, 1]. */
  endFactor?: number;
  /** The steps over which the factor moves; default 5. */
  totalIters?: number;
  /** Index of the last step when resuming a schedule (default -1: start fresh). */
  lastEpoch?: number;
}

/**
 * Scales lr by a factor going linearly from startFactor to endFactor over totalIters steps (warm-up).
 * @example new optim.lrScheduler.LinearLR(opt, { startFactor: 0.1, totalIters: 5 })
 */
export class LinearLR extends LRScheduler {
  static override readonly displayName: string = 'LinearLR';
  /** The factor at the first step. */
  startFactor: number;
  /** The factor from totalIters on. */
  endFactor: number;
  /** The steps over which the factor moves. */
  totalIters: number;
  /**
   * Schedules `optimizer`'s groups; options startFactor (1/3), endFactor (1), totalIters (5), lastEpoch
   * (-1).
   */
  constructor(optimizer: AnyOptimizer, opts: LinearLROptions = {}) {
    const startFactor = opts.startFactor ?? 1 / 3;
    const endFactor = opts.endFactor ?? 1;
    const totalIters = opts.totalIters ?? 5;
    if (!(startFactor > 0 && startFactor <= 1)) throw new ValueError('Starting multiplicative factor expected to be greater than 0 and less or equal to 1.');
    if (!(endFactor >= 0 && endFactor <= 1)) throw new ValueError('Ending multiplicative factor expected to be between 0 and 1.');
    if (!Number.isInteger(totalIters) || totalIters <= 0) throw new ValueError(`LinearLR: totalIters must be a positive integer, got ${totalIters}`);
    super(optimizer, opts.lastEpoch ?? -1);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }
  protected getLr(): number[] {
    const { startFactor: s, endFactor: f, totalIters: n, lastEpoch: e } = this;
    if (e === 0) return this.groups.map((g) => g.lr * s);
    if (this.isInitial || e > n) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * (1 + (f - s) / (n * s + (e - 1) * (f - s))));
  }
  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: f, totalIters: n } = this;
    return this.baseLrs.map((b) => b * (s + ((f - s) * Math.min(n, this.lastEpoch)) / n));
  }
}

/** Options of OneCycleLR. */
export interface OneCycleLROptions {
  /** The peak lr (one per group, or one for all). */
  maxLr: number | number[];
  /** The number of steps; or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  /** The number of epochs (with stepsPerEpoch, instead of totalSteps). */
  epochs?: number;
  /** Steps per epoch (with epochs, instead of totalSteps). */
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing lr, default 0.3. */
  pctStart?: number;
  /** How lr moves within a phase: cosine ('cos', default) or linear. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (SGD, RMSprop) or beta1 (Adam) inversely to lr, default true. */
  cycleMomentum?: boolean;
  /** The lowest momentum, reached at the lr peak (default 0.85; per group or one for all). */
  baseMomentum?: number | number[];
  /** The highest momentum, at the start and end (default 0.95; per group or one for all). */
  maxMomentum?: number | number[];
  /** initialLr = maxLr / divFactor, default 25. */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor, default 1e4. */
  finalDivFactor?: number;
  /** Use a third phase that anneals from initialLr down to minLr, as fastai (default false). */
  threePhase?: boolean;
  /** Index of the last step when resuming a schedule (default -1: start fresh). */
  lastEpoch?: number;
}

type Phase = { endStep: number; startLr: keyof Group; endLr: keyof Group; startMomentum: keyof Group; endMomentum: keyof Group };

function perGroup(cls: string, name: string, v: number | number[], n: number): number[] {
  if (Array.isArray(v)) {
    if (v.length !== n) throw new ValueError(`${cls}: ${name} must have the same length as optimizer.paramGroups. ${name} has ${v.length} values, paramGroups has ${n}.`);
    return [...v];
  }
  return new Array(n).fill(v);
}

/**
 * The 1cycle policy: lr from maxLr/divFactor up to maxLr (pctStart of the steps), then down to
 * initialLr/finalDivFactor; momentum (or Adam's beta1) cycles the other way. Step it every batch.
 * @example new optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.01, totalSteps: 1000 })
 */
export class OneCycleLR extends LRScheduler {
  static override readonly displayName: string = 'OneCycleLR';
  /** The length of the cycle in steps. */
  totalSteps: number;
  /** How lr moves within a phase. */
  annealStrategy: 'cos' | 'linear';
  /** Whether momentum (or beta1) cycles inversely to lr. */
  cycleMomentum: boolean;
  /** Whether the optimizer has betas (Adam), whose beta1 cycles instead of momentum. */
  useBeta1: boolean;
  /** @internal */
  phases: Phase[];
  /**
   * Schedules `optimizer`'s groups: options maxLr and totalSteps (or epochs and stepsPerEpoch), plus
   * pctStart (0.3), annealStrategy ('cos'), cycleMomentum (true), baseMomentum (0.85),
   * maxMomentum (0.95), divFactor (25), finalDivFactor (1e4), threePhase (false), lastEpoch (-1).
   */
  constructor(optimizer: AnyOptimizer, opts: OneCycleLROptions) {
    const cls = 'OneCycleLR';
    let totalSteps: number;
    if (opts?.totalSteps !== undefined) {
      if (!Number.isInteger(opts.totalSteps) || opts.totalSteps <= 0) throw new ValueError(`Expected positive integer total_steps, but got ${opts.totalSteps}`);
      totalSteps = opts.totalSteps;
    } else if (opts?.epochs !== undefined && opts.stepsPerEpoch !== undefined) {
      if (!Number.isInteger(opts.epochs) || opts.epochs <= 0) throw new ValueError(`Expected positive integer epochs, but got ${opts.epochs}`);
      if (!Number.isInteger(opts.stepsPerEpoch) || opts.stepsPerEpoch <= 0) throw new ValueError(`Expected positive integer steps_per_epoch, but got ${opts.stepsPerEpoch}`);
      totalSteps = opts.epochs * opts.stepsPerEpoch;
    } else {
      throw new ValueError('You must define either total_steps OR (epochs AND steps_per_epoch)');
    }
    const pct = opts.pctStart ?? 0.3;
    if (typeof pct !== 'number' || !(pct >= 0 && pct <= 1)) throw new ValueError(`Expected float between 0 and 1 pct_start, but got ${pct}`);
    const anneal = opts.annealStrategy ?? 'cos';
    if (anneal !== 'cos' && anneal !== 'linear') throw new ValueError(`anneal_strategy must be one of 'cos' or 'linear', instead got ${String(anneal)}`);
    const groups = optimizer.paramGroups as Group[];
    const divFactor = opts.divFactor ?? 25;
    const finalDivFactor = opts.finalDivFactor ?? 1e4;
    const maxLrs = perGroup(cls, 'maxLr', opts.maxLr, groups.length);
    const cycle = opts.cycleMomentum ?? true;
    const useBeta1 = 'betas' in optimizer.defaults;
    let maxM: number[] = [];
    let baseM: number[] = [];
    if (cycle) {
      if (!('momentum' in optimizer.defaults) && !useBeta1) {
        throw new ValueError('optimizer must support momentum or beta1 with `cycle_momentum` option enabled');
      }
      maxM = perGroup(cls, 'maxMomentum', opts.maxMomentum ?? 0.95, groups.length);
      baseM = perGroup(cls, 'baseMomentum', opts.baseMomentum ?? 0.85, groups.length);
    }
    const lastEpoch = opts.lastEpoch ?? -1;
    checkEpoch(cls, lastEpoch);
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i]! / divFactor;
        g.maxLr = maxLrs[i]!;
        g.minLr = g.initialLr / finalDivFactor;
        if (cycle) {
          if (useBeta1) g.betas = [maxM[i]!, ...(g.betas as number[]).slice(1)];
          else g.momentum = maxM[i]!;
          g.maxMomentum = maxM[i]!;
          g.baseMomentum = baseM[i]!;
        }
      });
    }
    super(optimizer, lastEpoch);
    this.totalSteps = totalSteps;
    this.annealStrategy = anneal;
    this.cycleMomentum = cycle;
    this.useBeta1 = useBeta1;
    this.phases = opts.threePhase
      ? [
          { endStep: pct * totalSteps - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: 2 * pct * totalSteps - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
          { endStep: totalSteps - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [
          { endStep: pct * totalSteps - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: totalSteps - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        ];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'cos') return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
    return (end - start) * pct + start;
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new ValueError(`Tried to step ${stepNum} times. The specified number of total steps is ${this.totalSteps}`);
    }
    return this.groups.map((g) => {
      let start = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const ph = this.phases[i]!;
        if (stepNum <= ph.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - start) / (ph.endStep - start);
          const lr = this.anneal(g[ph.startLr] as number, g[ph.endLr] as number, pct);
          if (this.cycleMomentum) {
            const m = this.anneal(g[ph.startMomentum] as number, g[ph.endMomentum] as number, pct);
            if (this.useBeta1) g.betas = [m, ...(g.betas as number[]).slice(1)];
            else g.momentum = m;
          }
          return lr;
        }
        start = ph.endStep;
      }
      return g.lr;
    });
  }
}

/** Options of SequentialLR. */
export interface SequentialLROptions {
  /** The schedulers, all on the same optimizer, in the order they run. */
  schedulers: LRScheduler[];
  /** Steps at which to switch to the next scheduler (one fewer than schedulers). */
  milestones: number[];
  /** Index of the last step when resuming a schedule (default -1: start fresh). */
  lastEpoch?: number;
}

/**
 * Runs schedulers one after another, switching at the milestones (e.g. LinearLR warm-up, then cosine).
 * @example
 * const warm = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const cos = new CosineAnnealingLR(opt, { TMax: 95 });
 * const sched = new SequentialLR(opt, { schedulers: [warm, cos], milestones: [5] });
 */
export class SequentialLR extends LRScheduler {
  static override readonly displayName: string = 'SequentialLR';
  /** The schedulers, in the order they run. */
  schedulers: LRScheduler[];
  /** The steps at which the next scheduler takes over. */
  milestones: number[];
  /** Chains `opts.schedulers` (built on `optimizer`), switching at `opts.milestones`; lastEpoch (-1). */
  constructor(optimizer: AnyOptimizer, opts: SequentialLROptions) {
    const cls = 'SequentialLR';
    const scheds = opts?.schedulers;
    if (!Array.isArray(scheds) || scheds.length < 1) throw new ValueError(`${cls} expects at least one scheduler, but got no scheduler.`);
    scheds.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) throw new ValueError(`${cls} at index ${i} should be an LRScheduler`);
      if (s.optimizer !== optimizer) {
        throw new ValueError(`${cls} expects all schedulers to belong to the same optimizer, but got scheduler ${classNameOf(s)} at index ${i} has a different optimizer from ${classNameOf(optimizer)}.`);
      }
    });
    const milestones = opts.milestones;
    if (!Array.isArray(milestones) || milestones.length !== scheds.length - 1) {
      throw new ValueError(
        `Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${scheds.length} and the number of milestones to be equal to ${Array.isArray(milestones) ? milestones.length : 0}`,
      );
    }
    super(optimizer, opts.lastEpoch ?? -1);
    this.schedulers = scheds;
    this.milestones = [...milestones];
    this.lastEpoch += 1;
    // Reset lrs, undo the sub-schedulers' initial steps, and start the first one.
    for (const g of this.groups) g.lr = g.initialLr!;
    const undo = (s: LRScheduler): void => {
      if (s instanceof SequentialLR) s.schedulers.forEach(undo);
      else s.lastEpoch -= 1;
    };
    scheds.forEach(undo);
    scheds[0]!.initialStep();
    this.lastLr = scheds[0]!.getLastLr();
  }

  protected getLr(): number[] {
    return this.groups.map((g) => g.lr);
  }

  override step(): void {
    this.lastEpoch += 1;
    const e = this.lastEpoch;
    let idx = 0;
    while (idx < this.milestones.length && this.milestones[idx]! <= e) idx++;
    const s = this.schedulers[idx]!;
    try {
      if (idx > 0 && this.milestones[idx - 1] === e) s.updateLr(0);
      else s.step();
    } catch (err) {
      this.lastEpoch -= 1;
      throw err;
    }
    this.lastLr = s.getLastLr();
  }

  override stateDict(): Record<string, unknown> {
    const sd = super.stateDict();
    sd.schedulers = this.schedulers.map((s) => s.stateDict());
    return sd;
  }

  override loadStateDict(sd: Record<string, unknown>): void {
    const { schedulers, ...rest } = sd;
    super.loadStateDict(rest);
    (schedulers as Record<string, unknown>[]).forEach((s, i) => this.schedulers[i]!.loadStateDict(s));
  }
}
