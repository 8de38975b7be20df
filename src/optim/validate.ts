// Option checks shared by the stateful optimizers and the functional aliases, with torch.optim's
// wording ("Invalid learning rate: -1"). Every check runs before anything is built or changed.
import { ValueError } from '../core/errors.js';
import { checkOptions } from '../core/options.js';

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

/**
 * The options argument of an optimizer, checked: a number is the learning rate (`new SGD(params, 0.1)`, as
 * torch.optim takes `lr` positionally); an object may hold only known names (a PyTorch spelling such as
 * `weight_decay` would otherwise be ignored; the error suggests `weightDecay`).
 */
export function optimizerOptions<O extends object>(cls: string, options: Partial<O> | number | undefined, known: readonly string[]): Partial<O> {
  if (typeof options === 'number') return { lr: options } as unknown as Partial<O>;
  checkOptions(cls, options, known);
  return options ?? {};
}

export { fmt as formatOption };
