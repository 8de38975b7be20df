// aotFunction (functorch's aot_function): compile with your own forward and backward graph compilers,
// to see, check or rewrite what was traced.
import { ValueError } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import { compileWith, type Compiled, type GraphCompiler } from './compile.js';

/** Options of aotFunction. */
export interface AotOptions {
  /** Called with the forward graph (or, when nothing needs a gradient, the inference graph). */
  fwCompiler: GraphCompiler;
  /** Called with the backward graph, built at the first call whose inputs require grad. */
  bwCompiler: GraphCompiler;
  /** Fuse elementwise chains before the compilers see the graphs (default true). */
  fusion: boolean;
}

/**
 * Traces fn like compile and hands each graph to a compiler of yours before it runs: the forward (or
 * inference) graph to `fwCompiler` and, when a call needs gradients, the backward graph of the
 * traced joint program to `bwCompiler` (functorch's aot_function). A compiler may return a
 * replacement graph; returning nothing keeps the graph. Tracing is whole-graph: what cannot be
 * traced throws a CompileError.
 * @example
 * const f = torch.aotFunction((x: Tensor) => x.sin().mul(x).sum(), {
 *   fwCompiler: (g) => console.log(torch.printGraph(g, 'forward')),
 *   bwCompiler: (g) => console.log(torch.printGraph(g, 'backward')),
 * });
 * f(torch.randn([3], { requiresGrad: true })).backward();
 * @typeParam F - the function's type, kept by the compiled function.
 */
export function aotFunction<F extends (...args: any[]) => any>(fn: F, options: Partial<AotOptions> = {}): Compiled<F> {
  checkOptions('aotFunction()', options, ['fwCompiler', 'bwCompiler', 'fusion']);
  for (const k of ['fwCompiler', 'bwCompiler'] as const) {
    if (options[k] !== undefined && typeof options[k] !== 'function') throw new ValueError(`aotFunction(): ${k} must be a function, got ${typeof options[k]}`);
  }
  return compileWith('aotFunction()', fn, { fullgraph: true, fusion: options.fusion ?? true }, { fw: options.fwCompiler, bw: options.bwCompiler }) as Compiled<F>;
}
