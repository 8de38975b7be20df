// Schedules: plain functions of the step count (0 at the first update), as optax's schedules.
// Pass one as a functional optimizer's lr: optim.functional.adam({ lr: cosineDecaySchedule(...) }).
import { ValueError } from '../../core/errors.js';
import type { Schedule } from './transform.js';

function num(fn: string, name: string, v: unknown, opts: { positive?: boolean; integer?: boolean } = {}): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new ValueError(`${fn}: ${name} must be a number, got ${String(v)}`);
  if (opts.integer && !Number.isInteger(v)) throw new ValueError(`${fn}: ${name} must be an integer, got ${v}`);
  if (opts.positive && !(v > 0)) throw new ValueError(`${fn}: ${name} must be > 0, got ${v}`);
  return v;
}

/**
 * The same value at every step.
 * @example optim.functional.constantSchedule(0.1)(7) // 0.1
 */
export function constantSchedule(value: number): Schedule {
  num('constantSchedule', 'value', value);
  return () => value;
}

/**
 * From initValue to endValue linearly over transitionSteps, after transitionBegin steps
 * (optax.linear_schedule).
 * @example optim.functional.linearSchedule({ initValue: 0, endValue: 0.1, transitionSteps: 100 })
 */
export function linearSchedule(o: { initValue: number; endValue: number; transitionSteps: number; transitionBegin?: number }): Schedule {
  const fn = 'linearSchedule';
  const init = num(fn, 'initValue', o?.initValue);
  const end = num(fn, 'endValue', o.endValue);
  const steps = num(fn, 'transitionSteps', o.transitionSteps, { integer: true });
  const begin = num(fn, 'transitionBegin', o.transitionBegin ?? 0, { integer: true });
  if (steps <= 0) return () => init;
  return (count) => {
    const c = Math.min(Math.max(count - begin, 0), steps);
    return (init - end) * (1 - c / steps) + end;
  };
}

/**
 * initValue · decayRate^((count − transitionBegin) / transitionSteps), floored exponent with
 * staircase, bounded by endValue (optax.exponential_decay).
 * @example optim.functional.exponentialDecay({ initValue: 0.1, transitionSteps: 1000, decayRate: 0.5 })
 */
export function exponentialDecay(o: {
  initValue: number; transitionSteps: number; decayRate: number; transitionBegin?: number; staircase?: boolean; endValue?: number;
}): Schedule {
  const fn = 'exponentialDecay';
  const init = num(fn, 'initValue', o?.initValue);
  const steps = num(fn, 'transitionSteps', o.transitionSteps, { positive: true });
  const rate = num(fn, 'decayRate', o.decayRate, { positive: true });
  const begin = num(fn, 'transitionBegin', o.transitionBegin ?? 0, { integer: true });
  const end = o.endValue;
  return (count) => {
    const c = Math.max(count - begin, 0);
    const p = o.staircase ? Math.floor(c / steps) : c / steps;
    let v = init * rate ** p;
    if (end !== undefined) v = rate < 1 ? Math.max(v, end) : Math.min(v, end);
    return v;
  };
}

/**
 * initValue · ((1 − alpha)·(½(1 + cos(π·min(count, decaySteps)/decaySteps)))^exponent + alpha)
 * (optax.cosine_decay_schedule).
 * @example optim.functional.cosineDecaySchedule({ initValue: 0.1, decaySteps: 1000 })
 */
export function cosineDecaySchedule(o: { initValue: number; decaySteps: number; alpha?: number; exponent?: number }): Schedule {
  const fn = 'cosineDecaySchedule';
  const init = num(fn, 'initValue', o?.initValue);
  const steps = num(fn, 'decaySteps', o.decaySteps, { positive: true, integer: true });
  const alpha = num(fn, 'alpha', o.alpha ?? 0);
  const exponent = num(fn, 'exponent', o.exponent ?? 1);
  return (count) => {
    const c = Math.min(Math.max(count, 0), steps);
    const cos = 0.5 * (1 + Math.cos((Math.PI * c) / steps));
    return init * ((1 - alpha) * cos ** exponent + alpha);
  };
}

/**
 * initValue scaled by the product of the scales of all boundaries ≤ count
 * (optax.piecewise_constant_schedule).
 * @example optim.functional.piecewiseConstantSchedule(0.1, { 100: 0.1, 200: 0.1 })
 */
export function piecewiseConstantSchedule(initValue: number, boundariesAndScales: Record<number, number> = {}): Schedule {
  num('piecewiseConstantSchedule', 'initValue', initValue);
  const pairs = Object.entries(boundariesAndScales).map(([b, s]) => [Number(b), num('piecewiseConstantSchedule', `scale at ${b}`, s)] as const);
  pairs.sort((a, b) => a[0] - b[0]);
  return (count) => {
    let v = initValue;
    for (const [b, s] of pairs) if (count >= b) v *= s;
    return v;
  };
}

/**
 * Runs schedules in sequence: schedules[i] from boundaries[i − 1] on, counting from 0 again at each
 * boundary (optax.join_schedules).
 * @example optim.functional.joinSchedules([warmup, decay], [100])
 */
export function joinSchedules(schedules: Schedule[], boundaries: number[]): Schedule {
  if (!Array.isArray(schedules) || schedules.length === 0 || !Array.isArray(boundaries) || boundaries.length !== schedules.length - 1) {
    throw new ValueError(`joinSchedules: expected n schedules and n - 1 boundaries, got ${schedules?.length} and ${boundaries?.length}`);
  }
  return (count) => {
    let i = 0;
    while (i < boundaries.length && count >= boundaries[i]!) i++;
    return schedules[i]!(i === 0 ? count : count - boundaries[i - 1]!);
  };
}

/**
 * Linear warm-up from initValue to peakValue over warmupSteps, then cosine decay to endValue at
 * decaySteps (optax.warmup_cosine_decay_schedule).
 * @example optim.functional.warmupCosineDecaySchedule({ initValue: 0, peakValue: 0.1, warmupSteps: 100, decaySteps: 1000 })
 */
export function warmupCosineDecaySchedule(o: {
  initValue: number; peakValue: number; warmupSteps: number; decaySteps: number; endValue?: number; exponent?: number;
}): Schedule {
  const fn = 'warmupCosineDecaySchedule';
  const peak = num(fn, 'peakValue', o?.peakValue);
  const warm = num(fn, 'warmupSteps', o.warmupSteps, { integer: true });
  const decay = num(fn, 'decaySteps', o.decaySteps, { integer: true });
  const end = o.endValue ?? 0;
  if (decay <= warm) throw new ValueError(`${fn}: decaySteps (${decay}) must be greater than warmupSteps (${warm})`);
  const alpha = peak === 0 ? 0 : end / peak;
  return joinSchedules(
    [
      linearSchedule({ initValue: o.initValue, endValue: peak, transitionSteps: warm }),
      cosineDecaySchedule({ initValue: peak, decaySteps: decay - warm, alpha, exponent: o.exponent ?? 1 }),
    ],
    [warm],
  );
}
