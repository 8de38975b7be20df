// chain: composes gradient transformations; its state is the array of their states (optax.chain).
import { ValueError } from '../../core/errors.js';
import type { GradientTransformation } from './transform.js';

/**
 * Applies transformations in order, each to the previous one's updates. The state is an array
 * holding each one's state.
 * @example
 * const tx = optim.functional.chain(optim.functional.clipByGlobalNorm(1), optim.functional.sgd({ lr:
 * 0.05 }));
 */
export function chain(...transforms: GradientTransformation<any>[]): GradientTransformation<unknown[]> {
  transforms.forEach((t, i) => {
    if (!t || typeof t.init !== 'function' || typeof t.update !== 'function') {
      throw new ValueError(`chain: argument ${i} is not a gradient transformation (an object with init and update)`);
    }
  });
  return {
    init: (params) => transforms.map((t) => t.init(params)),
    update: <T>(updates: T, state: unknown[], params?: T): [T, unknown[]] => {
      if (!Array.isArray(state) || state.length !== transforms.length) {
        throw new ValueError(
          `The number of updates and states has to be the same in chain! Make sure you have called init first! (${transforms.length} transformations, ${Array.isArray(state) ? state.length : 'no'} states)`,
        );
      }
      let u = updates;
      const next: unknown[] = [];
      transforms.forEach((t, i) => {
        const [nu, ns] = t.update(u, state[i], params);
        u = nu;
        next.push(ns);
      });
      return [u, next];
    },
  };
}
