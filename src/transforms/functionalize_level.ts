// The functionalize level: in-place ops become out-of-place, and a write through a view rebuilds its
// base with scatter-like inverses of the view steps (sliceScatter for slices, inverse permute or
// reshape), so the program seen below this level has no mutation and no aliasing.
import { Level, Tensor, below, bind, lax, replayViewSteps, scatterThroughView, type Primitive, type ViewStep } from '../primitives/index.js';

/**
 * What functionalize removes: in-place ops ('mutations'), or in-place ops and views, which become
 * copies ('mutationsAndViews').
 */
export type RemoveMode = 'mutations' | 'mutationsAndViews';

interface FState {
  /** The wrapper this one is a view of, with the steps from it. */
  base: Tensor | null;
  steps: ViewStep[];
  /** Mutation count of the base (or of this tensor when it is a base) this value reflects. */
  gen: number;
  mutations: number;
}

const state = new WeakMap<Tensor, FState>();

export class FunctionalizeLevel extends Level {
  readonly kind = 'functionalize' as const;
  constructor(readonly remove: RemoveMode) {
    super();
  }

  wrap(inner: Tensor, base: Tensor | null = null, steps: ViewStep[] = []): Tensor {
    const t = new Tensor(inner.shape, inner.dtype);
    t._level = this;
    t._inner = inner;
    state.set(t, { base, steps, gen: base ? state.get(base)!.mutations : 0, mutations: 0 });
    return t;
  }

  mutated(x: Tensor): boolean {
    return (state.get(x)?.mutations ?? 0) > 0;
  }

  override sync(x: Tensor): void {
    const s = state.get(x);
    if (!s?.base) return;
    const b = state.get(s.base)!;
    if (s.gen === b.mutations) return;
    x._inner = below(this, () => replayViewSteps(s.steps, s.base!._inner!));
    s.gen = b.mutations;
  }

  process(prim: Primitive, inputs: Tensor[], params: unknown): Tensor {
    const inners = inputs.map((x) => {
      if (x._level !== this) return x;
      this.sync(x);
      return x._inner!;
    });
    let out = below(this, () => bind(prim, inners, params));
    const src = inputs[0];
    if (prim.view && src && src._level === this) {
      if (this.remove === 'mutationsAndViews') out = below(this, () => lax.copyOf(out));
      const s = state.get(src)!;
      const base = s.base ?? src;
      return this.wrap(out, base, [...s.steps, { prim: prim.name, params }]);
    }
    return this.wrap(out);
  }

  assign(fn: string, x: Tensor, r: Tensor, own: boolean): void {
    const value = own ? (this.sync(r), r._inner!) : r;
    const s = state.get(x)!;
    if (s.base === null) {
      x._inner = value;
      s.mutations++;
      return;
    }
    const b = state.get(s.base)!;
    this.sync(s.base);
    s.base._inner = below(this, () => scatterThroughView(fn, s.steps, s.base!._inner!, value));
    b.mutations++;
    x._inner = value;
    s.gen = b.mutations;
  }
}
