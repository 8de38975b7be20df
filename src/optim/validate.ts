// Option checks shared by the stateful optimizers and the functional aliases, with torch.optim's
// wording ("Invalid learning rate: -1"). Every check runs before anything is built or changed.
import { ValueError } from '../core/errors.js';

const fmt = (v: unknown): string => (Array.isArray(v) ? `[${v.map(fmt).join(', ')}]` : String(v));

/** `value` must be a number >= 0 (NaN fails): `Invalid ${what}: ${value}`. */
export function checkNonNegative(what: string, value: unknown): void {
  if (typeof value !== 'number' || !(value >= 0)) throw new ValueError(`Invalid ${what}: ${fmt(value)}`);
}

export const checkLr = (lr: unknown): void => {
  // A schedule (count => lr) is checked when it is evaluated, not here.
  if (typeof lr === 'function') return;
  checkNonNegative('learning rate', lr);
};
export const checkEps = (eps: unknown): void => checkNonNegative('epsilon value', eps);
export const checkWeightDecay = (wd: unknown): void => checkNonNegative('weight_decay value', wd);
export const checkMomentum = (m: unknown): void => checkNonNegative('momentum value', m);

/** Each beta in [0, 1): `Invalid beta parameter at index 0: 1.5`. */
export function checkBetas(betas: unknown): void {
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new ValueError(`Invalid betas: expected a pair [beta1, beta2], got ${fmt(betas)}`);
  }
  betas.forEach((b, i) => {
    if (typeof b !== 'number' || !(b >= 0 && b < 1)) throw new ValueError(`Invalid beta parameter at index ${i}: ${fmt(b)}`);
  });
}

export function checkBoolean(what: string, v: unknown): void {
  if (typeof v !== 'boolean') throw new ValueError(`Invalid ${what}: expected a boolean, got ${fmt(v)}`);
}

/** Rejects option names the optimizer does not know (a typo such as `weight_decay` would otherwise be ignored). */
export function checkKnownKeys(fn: string, opts: object, known: readonly string[], what = 'option'): void {
  for (const k of Object.keys(opts)) {
    if (!known.includes(k)) throw new ValueError(`${fn}: unknown ${what} '${k}' (expected one of ${known.join(', ')})`);
  }
}

export { fmt as formatOption };
