// matmul with torch.matmul's 1-D / 2-D / batched broadcasting rules, mm, bmm, dot, outer, einsum.
import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { Tensor, lax } from '../primitives/index.js';
import { checkTensor, promote } from './scalars.js';
import { sum } from './reduce.js';
import { diagonal } from './shape.js';

/**
 * torch.matmul: 1-D operands are promoted to a row / column and the added dim removed afterwards;
 * batch dims broadcast.
 * @example torch.matmul(a, b)
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor('matmul', 'input', a);
  checkTensor('matmul', 'other', b);
  [a, b] = promote('matmul', a, b);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul(): both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`);
  }
  const a2 = a.ndim === 1 ? lax.reshape(a, [1, a.shape[0]!]) : a;
  const b2 = b.ndim === 1 ? lax.reshape(b, [b.shape[0]!, 1]) : b;
  if (a2.shape[a2.ndim - 1] !== b2.shape[b2.ndim - 2]) {
    throw new ShapeError(
      `matmul(): shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} cannot be multiplied (${a2.shape[a2.ndim - 2]}x${a2.shape[a2.ndim - 1]} and ${b2.shape[b2.ndim - 2]}x${b2.shape[b2.ndim - 1]})`,
    );
  }
  let r = lax.matmul(a2, b2);
  if (a.ndim === 1 || b.ndim === 1) {
    const shape = [...r.shape];
    if (b.ndim === 1) shape.splice(shape.length - 1, 1);
    if (a.ndim === 1) shape.splice(shape.length - (b.ndim === 1 ? 1 : 2), 1);
    r = lax.reshape(r, shape);
  }
  return r;
}

/** Product of two 2-D matrices [n, m] @ [m, p] (torch.mm; no broadcasting). @example torch.mm(a, b) */
export function mm(a: Tensor, b: Tensor): Tensor {
  checkTensor('mm', 'input', a);
  checkTensor('mm', 'other', b);
  if (a.ndim !== 2 || b.ndim !== 2) throw new ShapeError(`mm(): expected 2-D tensors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  return matmul(a, b);
}

/**
 * Batched product of 3-D tensors [b, n, m] @ [b, m, p] (torch.bmm; equal batch sizes).
 * @example torch.bmm(q, k.transpose(1, 2))
 */
export function bmm(a: Tensor, b: Tensor): Tensor {
  checkTensor('bmm', 'input', a);
  checkTensor('bmm', 'other', b);
  if (a.ndim !== 3 || b.ndim !== 3) throw new ShapeError(`bmm(): expected 3-D tensors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  if (a.shape[0] !== b.shape[0]) throw new ShapeError(`bmm(): batch sizes differ: ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  return matmul(a, b);
}

/** Inner product of two 1-D tensors of equal length, as a 0-d tensor (torch.dot). */
export function dot(a: Tensor, b: Tensor): Tensor {
  checkTensor('dot', 'input', a);
  checkTensor('dot', 'other', b);
  if (a.ndim !== 1 || b.ndim !== 1) throw new ShapeError(`dot(): 1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  if (a.shape[0] !== b.shape[0]) {
    throw new ShapeError(`dot(): inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  }
  return matmul(a, b);
}

/** Outer product of 1-D tensors a [n] and b [m]: the [n, m] matrix a_i * b_j (torch.outer). */
export function outer(a: Tensor, b: Tensor): Tensor {
  checkTensor('outer', 'input', a);
  checkTensor('outer', 'other', b);
  if (a.ndim !== 1 || b.ndim !== 1) throw new ShapeError(`outer(): expected 1-D tensors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const [x, y] = promote('outer', a, b);
  return lax.mul(lax.reshape(x, [x.shape[0]!, 1]), lax.reshape(y, [1, y.shape[0]!]));
}

interface Term {
  t: Tensor;
  letters: string[];
}

/** Removes repeated letters by taking diagonals, and sums letters needed nowhere else. */
function simplify(term: Term, keep: Set<string>): Term {
  let { t, letters } = term;
  for (;;) {
    const dup = letters.findIndex((l, i) => letters.indexOf(l) !== i);
    if (dup < 0) break;
    const first = letters.indexOf(letters[dup]!);
    if (t.shape[first] !== t.shape[dup]) throw new ShapeError(`einsum(): subscript ${letters[dup]} is repeated with different sizes`);
    const restIdx = letters.map((_, i) => i).filter((i) => i !== first && i !== dup);
    t = diagonal(lax.permute(t, [...restIdx, first, dup]), 0, -2, -1);
    letters = [...restIdx.map((i) => letters[i]!), letters[first]!];
  }
  const drop = letters.map((l, i) => (keep.has(l) ? -1 : i)).filter((i) => i >= 0);
  if (drop.length) {
    t = sum(t, drop);
    letters = letters.filter((_, i) => !drop.includes(i));
  }
  return { t, letters };
}

function contract(a: Term, b: Term, keep: Set<string>): Term {
  const inB = new Set(b.letters);
  const inA = new Set(a.letters);
  const batch = a.letters.filter((l) => inB.has(l) && keep.has(l));
  const contr = a.letters.filter((l) => inB.has(l) && !keep.has(l));
  const left = a.letters.filter((l) => !inB.has(l));
  const right = b.letters.filter((l) => !inA.has(l));
  const size = (t: Term, l: string) => t.t.shape[t.letters.indexOf(l)]!;
  for (const l of [...batch, ...contr]) {
    if (size(a, l) !== size(b, l)) {
      throw new ShapeError(`einsum(): operands do not broadcast: subscript ${l} has size ${size(a, l)} and ${size(b, l)}`);
    }
  }
  const prod = (t: Term, ls: string[]) => ls.reduce((p, l) => p * size(t, l), 1);
  const A = lax.reshape(
    lax.permute(a.t, [...batch, ...left, ...contr].map((l) => a.letters.indexOf(l))),
    [prod(a, batch), prod(a, left), prod(a, contr)],
  );
  const B = lax.reshape(
    lax.permute(b.t, [...batch, ...contr, ...right].map((l) => b.letters.indexOf(l))),
    [prod(b, batch), prod(b, contr), prod(b, right)],
  );
  const out = lax.reshape(lax.matmul(A, B), [...batch.map((l) => size(a, l)), ...left.map((l) => size(a, l)), ...right.map((l) => size(b, l))]);
  return { t: out, letters: [...batch, ...left, ...right] };
}

/**
 * Einstein summation over any number of operands, contracted pairwise with matmul.
 * @example torch.einsum('bij,bjk->bik', a, b) ; torch.einsum('ii->', m)
 */
export function einsum(equation: string, ...operands: (Tensor | Tensor[])[]): Tensor {
  const ops = (operands.length === 1 && Array.isArray(operands[0]) ? operands[0] : operands) as Tensor[];
  if (typeof equation !== 'string') throw new ValueError(`einsum(): equation must be a string, got ${typeof equation}`);
  ops.forEach((t, i) => checkTensor('einsum', `operands[${i}]`, t));
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhsRaw] = eq.split('->') as [string, string | undefined];
  const inputs = lhs.split(',');
  if (inputs.length !== ops.length) {
    throw new ValueError(`einsum(): ${inputs.length} operand subscripts given for ${ops.length} operands in '${equation}'`);
  }
  const counts = new Map<string, number>();
  for (const s of inputs) for (const l of s) counts.set(l, (counts.get(l) ?? 0) + 1);
  const rhs = rhsRaw ?? [...counts.keys()].filter((l) => counts.get(l) === 1).sort().join('');
  let terms: Term[] = inputs.map((s, i) => {
    const t = ops[i]!;
    if (!/^[a-zA-Z]*$/.test(s) || s.length !== t.ndim) {
      throw new ValueError(`einsum(): the number of subscripts in '${s}' does not match the number of dimensions (${t.ndim}) of operand ${i}`);
    }
    return { t, letters: [...s] };
  });
  const dtype = promote('einsum', terms[0]!.t, terms[terms.length - 1]!.t)[0].dtype;
  terms = terms.map((x) => ({ ...x, t: lax.cast(x.t, dtype) }));
  const needed = (exclude: number) => {
    const s = new Set(rhs);
    terms.forEach((x, i) => i !== exclude && x.letters.forEach((l) => s.add(l)));
    return s;
  };
  terms = terms.map((x, i) => simplify(x, needed(i)));
  while (terms.length > 1) {
    const [a, b] = [terms[0]!, terms[1]!];
    const rest = terms.slice(2);
    const keep = new Set(rhs);
    rest.forEach((x) => x.letters.forEach((l) => keep.add(l)));
    terms = [contract(a, b, keep), ...rest];
  }
  const last = simplify(terms[0]!, new Set(rhs));
  for (const l of rhs) if (!last.letters.includes(l)) throw new ValueError(`einsum(): output subscript ${l} does not appear in the inputs`);
  return lax.permute(last.t, [...rhs].map((l) => last.letters.indexOf(l)));
}
