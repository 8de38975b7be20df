/// <reference lib="esnext.disposable" preserve="true" />
// RemovableHandle: what every hook registration returns. remove() is idempotent; `using` removes it
// at block end.
let nextId = 0;

export class RemovableHandle {
  readonly id = nextId++;
  private removers: (() => void)[];
  constructor(...removers: (() => void)[]) {
    this.removers = removers;
  }
  remove(): void {
    const r = this.removers;
    this.removers = [];
    for (const f of r) f();
  }
  [Symbol.dispose](): void {
    this.remove();
  }
}
