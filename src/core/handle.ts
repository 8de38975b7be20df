/// <reference lib="esnext.disposable" preserve="true" />
// RemovableHandle: what every hook registration returns. remove() is idempotent; `using` removes it
// at block end.
let nextId = 0;

/**
 * What every hook registration returns (torch.utils.hooks.RemovableHandle): `remove()` unregisters
 * the hook; with `using`, it is removed at the end of the block.
 * @example
 * {
 *   using h = model.registerForwardHook((m, args, out) => console.log(out.shape));
 *   model.call(x); // the hook runs
 * } // removed here
 */
export class RemovableHandle {
  /** A number unique to this handle. */
  readonly id = nextId++;
  private removers: (() => void)[];
  /** A handle whose `remove()` runs each of `removers` once. */
  constructor(...removers: (() => void)[]) {
    this.removers = removers;
  }
  /** Unregisters the hook; calling it again does nothing. */
  remove(): void {
    const r = this.removers;
    this.removers = [];
    for (const f of r) f();
  }
  /** `remove()`, for `using` declarations. */
  [Symbol.dispose](): void {
    this.remove();
  }
}
