// The static types of the transforms: which arguments argnums selects, and the structure of
// gradients, cotangents and Jacobians. Types only; nothing here exists at run time.
import type { Tensor } from '../primitives/index.js';
import type { Argnums } from './wrap.js';

/**
 * A value a transform can take apart as a pytree of Tensors: a Tensor, an array or tuple, a plain
 * object or a Map (so not a number). The `[]` member makes TypeScript type an array literal that f
 * returns as a tuple (`(x) => [x.sin(), x.cos()]` returns `[Tensor, Tensor]`, not `Tensor[]`).
 */
export type TreeLike = [] | object;

/**
 * Element K of the tuple A counted from the end (K = 1 is the last): argument `-K` for {@link ArgAt}.
 * @example type T = ArgFromEnd<[Tensor, number], 1> // number
 * @typeParam A - an argument list.
 * @typeParam K - the position from the end, 1 for the last.
 * @typeParam C - counts the elements dropped so far (leave it out).
 */
export type ArgFromEnd<A extends readonly unknown[], K extends number, C extends unknown[] = [unknown]> =
  A extends readonly [...infer Rest, infer Last]
    ? C['length'] extends K ? Last : ArgFromEnd<Rest, K, [...C, unknown]>
    : A[number];

/**
 * The type of argument `N` of an argument list `A`; a negative `N` counts from the end, as
 * argnums does (`-1` is the last argument). A non-literal `N` gives the union of all arguments.
 * @example type T = ArgAt<[x: Tensor, n: number], -1> // number
 * @typeParam A - an argument list.
 * @typeParam N - the index, negative from the end.
 */
export type ArgAt<A extends readonly unknown[], N extends number> =
  number extends N ? A[number]
  : `${N}` extends `-${infer K extends number}` ? ArgFromEnd<A, K>
  : `${N}` extends keyof A ? A[N & keyof A]
  : number extends A['length'] ? A[number]
  : never;

/**
 * The differentiated arguments selected by `argnums` out of the argument list `A`: one argument
 * for a number, a tuple of them for a tuple of numbers. This is the structure of `grad`'s result
 * and of the inner level of a Jacobian.
 * @example type G = SelectArgs<[a: Tensor, b: number, c: Tensor], readonly [0, 2]> // [Tensor, Tensor]
 * @typeParam A - an argument list.
 * @typeParam N - the type of argnums.
 */
export type SelectArgs<A extends readonly unknown[], N extends Argnums> =
  N extends number ? ArgAt<A, N>
  : N extends readonly number[] ? { -readonly [K in keyof N]: ArgAt<A, N[K] & number> }
  : never;

/**
 * The Jacobian of an output pytree `Out` with respect to the input pytree `In`: the output's
 * structure with each output Tensor replaced by the input's structure (`jac[out][in]`, as
 * torch.func). For a Tensor-to-Tensor function it is a Tensor.
 * @example type J = Jacobian<[Tensor, Tensor], { w: Tensor }> // [{ w: Tensor }, { w: Tensor }]
 * @typeParam Out - the function's output type.
 * @typeParam In - the differentiated arguments' type ({@link SelectArgs}).
 */
export type Jacobian<Out, In> =
  0 extends 1 & Out ? any // eslint-disable-line @typescript-eslint/no-explicit-any -- f's output is any
  : Out extends Tensor ? In
  : Out extends ReadonlyMap<infer K, infer V> ? Map<K, Jacobian<V, In>>
  : Out extends readonly unknown[] ? { -readonly [I in keyof Out]: Jacobian<Out[I], In> }
  : Out extends object ? { -readonly [P in keyof Out]: Jacobian<Out[P], In> }
  : never;

/**
 * The arguments a `vjpFn` accepts for an output of type `Out`: one cotangent shaped like the
 * output, or, for a tuple output, also one cotangent per element.
 * @typeParam Out - the function's output type.
 */
export type Cotangents<Out> =
  | [cotangents: Out]
  | (0 extends 1 & Out ? never : Out extends readonly unknown[] ? [...Out] : never);
