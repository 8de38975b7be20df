// vmap: runs f once on batched wrappers (a BatchLevel on the level stack); each primitive applies its
// batching rule, so no example loop is hidden. Errors follow torch.func's wording.
import { checkOptions } from '../core/options.js';
import { ValueError, IndexError, TransformError } from '../core/errors.js';
import { broadcastPrefix, isContainer, treeFlatten, treeUnflatten } from '../core/pytree.js';
import { Tensor, lax, withLevel } from '../primitives/index.js';
import { BatchLevel, makeBatched, type Randomness } from '../transforms/levels_impl.js';
import { cat } from '../ops/shape.js';

/**
 * Which dim of each input (or output) is the batch dim: a number for all of them, null for none
 * (not batched), or a prefix of the arguments' pytree (an array with one entry per argument, a
 * plain object or Map per dict argument) holding numbers and nulls.
 * @example { inDims: [null, 0, { w: 0, b: null }] }
 */
export type InDims = number | null | readonly unknown[] | Record<string, unknown> | Map<unknown, unknown>;
/** Options of {@link vmap}. */
export interface VmapOptions {
  /** The batch dim of each argument (default 0 for all); see {@link InDims}. */
  inDims?: InDims;
  /** Where the batch dim goes in each output (default 0 for all); see {@link InDims}. */
  outDims?: InDims;
  /** Random ops in f: 'error' (default), 'different' per batch member, or 'same' for all. */
  randomness?: Randomness;
  /** Run f on chunks of this many batch members at a time and concatenate (null: all at once). */
  chunkSize?: number | null;
}

/** in_dims / out_dims as written: numbers and nulls by value, containers by their entries. */
function dimsStr(x: unknown): string {
  if (x === null || x === undefined) return 'null';
  if (Array.isArray(x)) return `[${x.map(dimsStr).join(', ')}]`;
  if (x instanceof Map) return `Map{${[...x.entries()].map(([k, v]) => `${String(k)}: ${dimsStr(v)}`).join(', ')}}`;
  if (isContainer(x)) return `{${Object.entries(x as object).map(([k, v]) => `${k}: ${dimsStr(v)}`).join(', ')}}`;
  return typeof x === 'string' ? JSON.stringify(x) : String(x);
}

function treeStr(x: unknown): string {
  if (x instanceof Tensor) return 'Tensor';
  if (Array.isArray(x)) return `[${x.map(treeStr).join(', ')}]`;
  if (x instanceof Map) return `Map{${[...x.entries()].map(([k, v]) => `${String(k)}: ${treeStr(v)}`).join(', ')}}`;
  if (isContainer(x)) return `{${Object.entries(x as object).map(([k, v]) => `${k}: ${treeStr(v)}`).join(', ')}}`;
  return x === null || x === undefined ? 'null' : typeof x;
}

/**
 * Vectorizing map: f over a dimension of its inputs, batched by each primitive's rule
 * (torch.func.vmap). The result has f's type: the same parameters and return type, each Tensor
 * now carrying the batch dim.
 * @typeParam F - the type of f, kept by the batched function.
 * @example const batchedDot = torch.func.vmap(torch.dot); batchedDot(a, b) // a, b: [B, n]
 * @example torch.func.vmap(f, { inDims: [null, 0, 0] })(params, xs, ys)
 */
export function vmap<F extends (...args: any[]) => any>(f: F, opts: VmapOptions = {}): (...args: Parameters<F>) => ReturnType<F> {
  checkOptions('vmap()', opts, ['inDims', 'outDims', 'randomness', 'chunkSize']);
  const randomness = opts.randomness ?? 'error';
  if (randomness !== 'error' && randomness !== 'different' && randomness !== 'same') {
    throw new ValueError(`Only allowed values for randomness are 'error', 'different', or 'same'. Got ${String(randomness)}`);
  }
  const chunkSize = opts.chunkSize ?? null;
  if (chunkSize !== null && !(Number.isInteger(chunkSize) && chunkSize > 0)) {
    throw new ValueError(`vmap: chunk_size should be None or greater than 0. (got ${chunkSize})`);
  }
  const inDims = opts.inDims === undefined ? 0 : opts.inDims;
  const outDims = opts.outDims === undefined ? 0 : opts.outDims;
  const name = f.name || 'f';
  return ((...args: unknown[]) => {
    if (args.length === 0) {
      throw new ValueError(`vmap(${name})(<inputs>): got no inputs. Maybe you forgot to add inputs, or you are trying to vmap over a function with no inputs. The latter is unsupported.`);
    }
    if (!(inDims === null || typeof inDims === 'number' || Array.isArray(inDims))) {
      throw new ValueError(
        `vmap(${name}, in_dims=${dimsStr(inDims)}, ...)(<inputs>): expected \`in_dims\` to be int or a (potentially nested) tuple matching the structure of inputs, got: ${dimsStr(inDims)}.`,
      );
    }
    if (Array.isArray(inDims) && inDims.length !== args.length) {
      throw new ValueError(
        `vmap(${name}, in_dims=${dimsStr(inDims)}, ...)(<inputs>): in_dims is not compatible with the structure of \`inputs\`. in_dims has structure ${treeStr(inDims)} but inputs has structure ${treeStr(args)}.`,
      );
    }
    const [leaves, def] = treeFlatten(args);
    const dims = broadcastPrefix(inDims, args);
    if (dims === null) {
      throw new ValueError(
        `vmap(${name}, in_dims=${dimsStr(inDims)}, ...)(<inputs>): in_dims is not compatible with the structure of \`inputs\`. in_dims has structure ${treeStr(inDims)} but inputs has structure ${treeStr(args)}.`,
      );
    }
    let size = -1;
    const sizes: number[] = [];
    const norm = leaves.map((leaf, i) => {
      const d = dims[i];
      if (d === null || d === undefined) return null;
      if (typeof d !== 'number' || !Number.isInteger(d)) {
        throw new ValueError(`vmap(${name}, in_dims=${dimsStr(inDims)}, ...)(<inputs>): in_dims must be int or None, got ${String(d)}`);
      }
      if (!(leaf instanceof Tensor)) {
        throw new ValueError(
          `vmap(${name}, in_dims=${dimsStr(inDims)}, ...)(<inputs>): Got in_dim=${d} for an input but the input is of type ${leaf === null ? 'null' : typeof leaf}. We cannot vmap over non-Tensor arguments, please use None as the respective in_dim`,
        );
      }
      const r = leaf.ndim;
      if (d < -r || d >= r) {
        throw new ValueError(
          `vmap(${name}, in_dims=${dimsStr(inDims)}, ...)(<inputs>): Got in_dim=${d} for some input, but that input is a Tensor of dimensionality ${r} so expected in_dim to satisfy -${r} <= in_dim < ${r}.`,
        );
      }
      const nd = d < 0 ? d + r : d;
      sizes.push(leaf.shape[nd]!);
      size = leaf.shape[nd]!;
      return nd;
    });
    if (sizes.length === 0) {
      throw new ValueError(`vmap(${name}, in_dims=${dimsStr(inDims)}, ...)(<inputs>): vmap: Expected at least one Tensor to vmap over`);
    }
    if (sizes.some((s) => s !== size)) {
      throw new ValueError(
        `vmap(${name}, in_dims=${dimsStr(inDims)}, ...)(<inputs>): vmap: Expected all tensors to have the same size in the mapped dimension, got sizes [${sizes.join(', ')}] for the mapped dimension`,
      );
    }
    const run = (ls: unknown[], n: number) => runBatched(f, name, def, ls, norm, n, outDims, randomness);
    if (chunkSize === null || chunkSize >= size) return run(leaves, size).out;
    // Chunks bound the memory of one call; results are concatenated along each output's out dim.
    const parts: { out: unknown; dims: (number | null)[] }[] = [];
    for (let start = 0; start < size; start += chunkSize) {
      const n = Math.min(chunkSize, size - start);
      const ls = leaves.map((l, i) => (norm[i] === null ? l : lax.slice(l as Tensor, { dim: norm[i]!, start, end: start + n, step: 1 })));
      parts.push(run(ls, n));
    }
    const [firstLeaves, outDef] = treeFlatten(parts[0]!.out);
    const chunked = parts.map((p) => treeFlatten(p.out)[0]);
    const merged = firstLeaves.map((l, k) => {
      const d = parts[0]!.dims[k];
      if (d === null || d === undefined || !(l instanceof Tensor)) return l;
      return cat(chunked.map((c) => c[k] as Tensor), d);
    });
    return treeUnflatten(outDef, merged);
  }) as (...args: Parameters<F>) => ReturnType<F>;
}

function runBatched(
  f: (...a: any[]) => unknown,
  name: string,
  def: ReturnType<typeof treeFlatten>[1],
  leaves: unknown[],
  dims: (number | null)[],
  size: number,
  outDims: InDims,
  randomness: Randomness,
): { out: unknown; dims: (number | null)[] } {
  return withLevel(new BatchLevel(size, randomness), (level) => {
    const wrapped = leaves.map((l, i) => (dims[i] === null ? l : makeBatched(level, l as Tensor, dims[i]!)));
    const out = f(...(treeUnflatten(def, wrapped) as unknown[]));
    const [outLeaves, outDef] = treeFlatten(out);
    const od = broadcastPrefix(outDims, out);
    if (od === null) {
      throw new ValueError(`vmap(${name}, ..., out_dims=${dimsStr(outDims)})(<inputs>): out_dims is not compatible with the structure of \`outputs\`. out_dims has structure ${treeStr(outDims)} but outputs has structure ${treeStr(out)}.`);
    }
    const finalDims: (number | null)[] = [];
    const res = outLeaves.map((leaf, k) => {
      const d = od[k] as number | null | undefined;
      if (d === null || d === undefined) {
        if (leaf instanceof Tensor && leaf._level === level) {
          throw new ValueError(`vmap(${name}, ...): \`${name}\` can not return a BatchedTensor when out_dim is None`);
        }
        finalDims.push(null);
        return leaf;
      }
      if (!(leaf instanceof Tensor)) {
        throw new ValueError(`vmap(${name}, ...): \`${name}\` must only return Tensors, got type ${leaf === null ? 'null' : typeof leaf}. Did you mean to set out_dims= to None for output?`);
      }
      if (typeof d !== 'number' || !Number.isInteger(d)) {
        throw new ValueError(`vmap(${name}, ..., out_dims=${dimsStr(outDims)}): \`out_dims\` must be an int, None or a python collection of ints representing where in the outputs the vmapped dimension should appear.`);
      }
      const rank = leaf.ndim + 1;
      if (d < -rank || d >= rank) {
        throw new IndexError(`vmap(${name}, ...): Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${d})`);
      }
      const nd = d < 0 ? d + rank : d;
      finalDims.push(nd);
      if (leaf._level === level) return lax.moveDim(leaf._inner!, leaf._bdim, nd);
      // Unbatched results are expanded along the batch dim.
      const e = lax.broadcastTo(lax.reshape(leaf, [1, ...leaf.shape]), [size, ...leaf.shape]);
      return lax.moveDim(e, 0, nd);
    });
    return { out: treeUnflatten(outDef, res), dims: finalDims };
  });
}

export { TransformError };
