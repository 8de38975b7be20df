// torch.compile and its helpers: tracing to a graph, passes, fusion, and the graph runner.
import { isCompiling } from './compile.js';
export { compile, type CompileOptions, type Compiled, type CompileInfo, type CompiledGraphInfo, type GraphCompiler, type ModuleLike } from './compile.js';
export { aotFunction, type AotOptions } from './aot_function.js';
export { printGraph, type Graph, type GraphNode } from './graph.js';

/**
 * torch.compiler: questions about compilation.
 * @example if (!torch.compiler.isCompiling()) console.log('eager');
 */
export const compiler = {
  /** Whether the caller runs inside compile's tracing (torch.compiler.is_compiling). */
  isCompiling,
};
