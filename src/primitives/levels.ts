// The level stack: each active transform (vmap, jvp, grad/vjp, functionalize) pushes a Level.
// Values owned by a level are wrappers around values of lower levels; a primitive call goes to the
// innermost level that owns one of its inputs (functorch's dynamic layers, JAX's traces).
import type { Primitive } from './primitive.js';
import type { Tensor } from './value.js';

export type LevelKind = 'batch' | 'dual' | 'grad' | 'functionalize' | 'trace';

export abstract class Level {
  depth = 0;
  alive = true;
  abstract readonly kind: LevelKind;
  /** Applies the level's rule for `prim`; at least one input is a wrapper of this level. */
  abstract process(prim: Primitive, inputs: Tensor[], params: unknown): Tensor;
  /** A primitive with no tensor inputs (a random source): handle it, or return null to pass it down. */
  processNullary(_prim: Primitive, _params: unknown): Tensor | null {
    return null;
  }
  /**
   * Makes the wrapper `x` (owned by this level) hold `r`, for an in-place op. `own` says whether r is
   * also a wrapper of this level; otherwise r lives below.
   */
  abstract assign(fn: string, x: Tensor, r: Tensor, own: boolean, assignBelow: (x: Tensor, r: Tensor) => void): void;
  /** Brings a wrapper up to date before its value is read (functionalize's views of mutated bases). */
  sync(_x: Tensor): void {}
}

const stack: Level[] = [];
/** While a level's rule runs, dispatch must not re-enter it or anything above it. */
let ceiling = 0;

export function levelStack(): readonly Level[] {
  return stack;
}

export function currentCeiling(): number {
  return ceiling;
}

/** Runs fn with `level` pushed; pops it (and marks it dead) however fn exits. */
export function withLevel<L extends Level, R>(level: L, fn: (level: L) => R): R {
  level.depth = stack.length + 1;
  stack.push(level);
  const saved = ceiling;
  ceiling = level.depth;
  try {
    return fn(level);
  } finally {
    stack.pop();
    level.alive = false;
    ceiling = saved;
  }
}

/** Runs a level's rule with dispatch limited to the levels below it. */
export function below<R>(level: Level, fn: () => R): R {
  const saved = ceiling;
  ceiling = level.depth - 1;
  try {
    return fn();
  } finally {
    ceiling = saved;
  }
}

/**
 * The innermost tracing level (compile's), or null. It takes every primitive call whose inputs live
 * below it, constants included: a traced program must record what it computes from captured tensors,
 * not bake the values they had while tracing.
 */
let tracing: Level | null = null;

/** The innermost tracing level, or null when nothing is being traced. */
export function currentTracing(): Level | null {
  return tracing;
}

/** Runs fn with `level` pushed as the innermost tracing level. */
export function withTracing<L extends Level, R>(level: L, fn: (level: L) => R): R {
  const prev = tracing;
  tracing = level;
  try {
    return withLevel(level, fn);
  } finally {
    tracing = prev;
  }
}

/** Innermost live level that has a given kind, within the current ceiling. */
export function innermost(kind: LevelKind): Level | null {
  for (let i = Math.min(ceiling, stack.length) - 1; i >= 0; i--) if (stack[i]!.kind === kind) return stack[i]!;
  return null;
}
