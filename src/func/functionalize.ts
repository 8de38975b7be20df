// functionalize(f): runs f at a FunctionalizeLevel, so its in-place ops and views become out-of-place
// ops; mutations of the inputs are copied back into them at the end, as PyTorch does.
import { checkOptions } from '../core/options.js';
import { ValueError } from '../core/errors.js';
import { treeFlatten, treeUnflatten } from '../core/pytree.js';
import { Tensor, withLevel } from '../primitives/index.js';
import { FunctionalizeLevel, type RemoveMode } from '../transforms/functionalize_level.js';

export type { RemoveMode };

/**
 * Runs f with its in-place ops (and, with `remove: 'mutationsAndViews'`, its views) replaced by
 * out-of-place ones; mutations of the inputs are copied back into them at the end, as
 * torch.func.functionalize. The result has f's type.
 * @typeParam F - the type of f, kept by the functionalized function.
 * @example const g = torch.func.functionalize((x: Tensor) => { x.view(-1).add_(1); return x.mul(2); })
 */
export function functionalize<F extends (...args: any[]) => any>(f: F, opts: { remove?: RemoveMode } = {}): (...args: Parameters<F>) => ReturnType<F> {
  checkOptions('functionalize()', opts, ['remove']);
  const remove = opts.remove ?? 'mutations';
  if (remove !== 'mutations' && remove !== 'mutationsAndViews') {
    throw new ValueError(`functionalize(f, remove='mutations'): received invalid argument for remove=${String(remove)}. Valid options are:\n     remove='mutations': all inplace and out= operators will be removed from the program, and replaced with their out-of-place equivalents.\n     remove='mutationsAndViews': In addition to the above, all aliasing operators {view} will be replaced with their non-aliasing counterparts, {view}_copy.\n`);
  }
  return ((...args: unknown[]) =>
    withLevel(new FunctionalizeLevel(remove), (level) => {
      const [leaves, def] = treeFlatten(args);
      const wrapped = leaves.map((l) => (l instanceof Tensor ? level.wrap(l) : l));
      const out = f(...(treeUnflatten(def, wrapped) as unknown[]));
      const [ol, odef] = treeFlatten(out);
      const res = ol.map((o) => {
        if (!(o instanceof Tensor) || o._level !== level) return o;
        level.sync(o);
        return o._inner!;
      });
      // Input mutations are applied back, after the outputs are taken.
      wrapped.forEach((w, i) => {
        if (w instanceof Tensor && level.mutated(w)) (leaves[i] as Tensor).copy_(w._inner!);
      });
      return treeUnflatten(odef, res);
    })) as (...args: Parameters<F>) => ReturnType<F>;
}
