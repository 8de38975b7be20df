// Model-based fuzzing of the public API ("no silent wrong results"). Every generated call either
// returns a valid result (every reachable Tensor has non-negative integer sizes, a known dtype and
// exactly numel values) or throws a torch.TorchfnError; anything else is a finding. A call that throws
// a typed error must also leave the tensors it was given untouched (nothing half-applied).
// Shared by test/fuzz.test.ts (short, fixed seed, in CI) and test/fuzz_campaign.ts (long campaign).
import fc from 'fast-check';
import * as torch from '../../src/index.js';

type DType = 'float32' | 'float64' | 'int32' | 'bool';
const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

// ---------------------------------------------------------------------------------------------
// Tensor descriptors: plain, printable data that `build` turns into fresh tensors for each call.

let tensorId = 0;
/** A tensor to create at call time: shape, dtype, fill, requiresGrad, and whether to make it a non-contiguous view. */
export class TSpec {
  constructor(
    readonly shape: number[],
    readonly dtype: DType,
    readonly fill: 'seq' | 'int' | 'zero' | 'nan' | 'big',
    readonly rg: boolean,
    readonly nc: boolean,
  ) {}
  [fc.toStringMethod](): string {
    const extra = [this.fill !== 'seq' ? `fill:${this.fill}` : '', this.rg ? 'rg' : '', this.nc ? 'noncontig' : ''].filter(Boolean);
    return `T([${this.shape.join(',')}],${this.dtype}${extra.length ? ',' + extra.join(',') : ''})`;
  }
}

function values(n: number, s: TSpec): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let v: number;
    switch (s.fill) {
      case 'zero': v = 0; break;
      case 'int': v = ((i * 31) % 7) - 2; break;
      case 'nan': v = i % 3 === 0 ? NaN : i % 3 === 1 ? Infinity : -1; break;
      case 'big': v = i % 2 ? 1e30 : -3e9; break;
      default: v = (((i * 7919) % 13) - 6) / 3;
    }
    out[i] = s.dtype === 'int32' ? (Number.isFinite(v) && Math.abs(v) < 2 ** 31 ? Math.trunc(v) : 1) : s.dtype === 'bool' ? (v > 0 ? 1 : 0) : v;
  }
  return out;
}

export function makeTensor(s: TSpec): torch.Tensor {
  tensorId++;
  const n = s.shape.reduce((a, b) => a * b, 1);
  const shape = s.nc && s.shape.length >= 2 ? [...s.shape].reverse() : s.shape;
  const data = values(n, s);
  const arr = s.dtype === 'float64' ? Float64Array.from(data) : s.dtype === 'float32' ? Float32Array.from(data) : Int32Array.from(data);
  let t = torch.tensor(arr, { shape, dtype: s.dtype });
  if (s.nc && s.shape.length >= 2) t = t.permute([...shape.keys()].reverse());
  if (s.rg && (s.dtype === 'float32' || s.dtype === 'float64')) t.requiresGrad_(true);
  return t;
}

/** Marks a value that build() replaces by a callable (functions cannot be printed usefully otherwise). */
export class FnSpec {
  constructor(readonly name: string, readonly fn: (...a: any[]) => unknown) {}
  [fc.toStringMethod](): string {
    return this.name;
  }
}

/** Replaces every TSpec (and FnSpec) inside args with a fresh tensor (function); other values as they are. */
export function build(v: unknown, made: torch.Tensor[] = []): unknown {
  if (v instanceof TSpec) {
    const t = makeTensor(v);
    made.push(t);
    return t;
  }
  if (v instanceof FnSpec) return v.fn;
  if (Array.isArray(v)) return v.map((x) => build(x, made));
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = build(x, made);
    return o;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries: valid values mixed with invalid ones.

export const weirdNumber = fc.constantFrom(-1, -3, NaN, 1.5, -0.5, 1e12, 2 ** 31, Infinity, -Infinity, -0, 2 ** 53 + 2, 1e-300);
export const weirdValue = fc.constantFrom<unknown>(null, undefined, 'a', '2', true, {}, [], { bogus: 1 }, [1, [2]], 10n);
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });

/** A number argument: mostly the valid arbitrary, sometimes a bad number or a non-number. */
export function num(valid: fc.Arbitrary<number>, badWeight = 1): fc.Arbitrary<any> {
  return fc.oneof(w(12, valid), w(badWeight, weirdNumber), w(badWeight, weirdValue));
}
export const size = fc.integer({ min: 0, max: 4 });
export const dim = num(fc.integer({ min: -4, max: 4 }));
export const smallInt = num(fc.integer({ min: -3, max: 5 }));
const shapeArb = (maxRank = 4) => fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: maxRank }).filter((s) => s.reduce((a, b) => a * b, 1) <= 64);
/** A size list, sometimes with bad entries or not a list. */
export const sizeList = fc.oneof(
  w(10, shapeArb()),
  w(2, fc.array(fc.oneof(size, weirdNumber), { maxLength: 4 })),
  w(1, weirdValue),
);
export const dtypeArb = fc.oneof(w(10, fc.constantFrom<DType>(...DTYPES)), w(1, fc.constantFrom<unknown>('float16', 'int64', 'Float32', null, 3)));

function tspec(opts: { shape?: fc.Arbitrary<number[]>; dtypes?: readonly DType[]; rg?: boolean } = {}): fc.Arbitrary<TSpec> {
  return fc
    .record({
      shape: opts.shape ?? shapeArb(),
      dtype: fc.oneof(w(6, fc.constant<DType>((opts.dtypes ?? DTYPES)[0]!)), w(2, fc.constantFrom<DType>(...(opts.dtypes ?? DTYPES)))),
      fill: fc.oneof(w(8, fc.constant<'seq'>('seq')), w(1, fc.constantFrom<'int' | 'zero' | 'nan' | 'big'>('int', 'zero', 'nan', 'big'))),
      rg: opts.rg ? fc.boolean() : fc.constant(false),
      nc: fc.boolean(),
    })
    .map((r) => new TSpec(r.shape, r.dtype, r.fill, r.rg, r.nc));
}
/** A tensor argument: mostly a tensor, sometimes a number, null or junk. */
export const T = (opts: Parameters<typeof tspec>[0] = {}): fc.Arbitrary<any> =>
  fc.oneof(w(20, tspec(opts)), w(1, fc.constantFrom<unknown>(1.5, null, undefined, [1, 2], 'x', {})));
const Tf = (opts: Parameters<typeof tspec>[0] = {}) => T({ dtypes: ['float32', 'float64', 'int32', 'bool'], ...opts });
/** Two tensors whose shapes often agree (so the valid path runs too). */
const shapePair = fc.oneof(
  w(3, shapeArb().map((s) => [s, s] as const)),
  w(1, fc.tuple(shapeArb(), shapeArb())),
  w(1, shapeArb().chain((s) => fc.tuple(fc.constant(s), fc.subarray(s)))),
);
const Tpair = (dtypes?: readonly DType[], rg = false) =>
  shapePair.chain(([a, b]) => fc.tuple(T({ shape: fc.constant([...a]), dtypes, rg }), T({ shape: fc.constant([...b]), dtypes, rg })));
const idxTensor = (maxv = 4) =>
  fc.oneof(
    w(6, fc.tuple(shapeArb(3), fc.integer({ min: -maxv, max: maxv })).map(([s, k]) => new TSpec(s, 'int32', k % 2 ? 'int' : 'seq', false, false))),
    w(1, tspec({ dtypes: ['bool'] })),
    w(1, tspec({ dtypes: ['float32'] })),
  );
const options = (valid: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<any> =>
  fc.oneof(
    w(8, fc.record(valid, { requiredKeys: [] })),
    w(1, fc.record({ ...valid, bogusKey: fc.constant(1) }, { requiredKeys: ['bogusKey'] })),
    w(1, weirdValue),
  );

// ---------------------------------------------------------------------------------------------
// The operations.

export interface Op {
  name: string;
  family: string;
  args: fc.Arbitrary<unknown[]>;
  run: (...args: any[]) => unknown;
  /** Argument positions that an in-place op may write (checked unchanged when it throws). */
  mutates?: number[];
}
const ops: Op[] = [];
function op(family: string, name: string, args: fc.Arbitrary<unknown[]>, run: (...a: any[]) => unknown, mutates?: number[]): void {
  ops.push({ family, name, args, run, mutates });
}
const tup = fc.tuple as (...a: fc.Arbitrary<unknown>[]) => fc.Arbitrary<unknown[]>;

// creation -----------------------------------------------------------------------------------
const nested: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(w(10, fc.double({ noDefaultInfinity: false })), w(2, fc.boolean()), w(1, weirdValue), w(1, fc.integer())),
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, w(3, tie('leaf')), w(2, fc.array(tie('node'), { maxLength: 3 }))),
})).node;
const rect = shapeArb(3).map((s) => {
  const mk = (d: number): unknown => (d === s.length ? d * 1.5 : Array.from({ length: s[d]! }, () => mk(d + 1)));
  return mk(0);
});
const typed = fc.oneof(
  fc.float32Array({ maxLength: 8 }),
  fc.float64Array({ maxLength: 8 }),
  fc.int32Array({ maxLength: 8 }),
  fc.uint8Array({ maxLength: 8 }),
  fc.int16Array({ maxLength: 8 }),
  fc.bigInt64Array({ maxLength: 2 }),
);
const createOpts = options({ dtype: dtypeArb, requiresGrad: fc.boolean() });
op('creation', 'tensor', tup(fc.oneof(rect, nested, typed, weirdValue), createOpts), (d, o) => torch.tensor(d, o));
op('creation', 'tensor(typed,shape)', tup(typed, options({ shape: sizeList, dtype: dtypeArb })), (d, o) => torch.tensor(d, o));
op('creation', 'tensor(deep)', tup(fc.integer({ min: 60, max: 80 })), (n: number) => {
  let a: unknown = 1;
  for (let i = 0; i < n; i++) a = [a];
  return torch.tensor(a as number[]);
});
op('creation', 'tensor(cyclic)', tup(), () => {
  const a: unknown[] = [1];
  a[0] = a;
  return torch.tensor(a as number[]);
});
for (const name of ['zeros', 'ones', 'empty', 'rand', 'randn'] as const) {
  op('creation', name, fc.oneof(tup(sizeList, createOpts), fc.array(num(size), { maxLength: 4 })), (...a) => (torch[name] as any)(...a));
}
op('creation', 'full', tup(sizeList, num(fc.double()), createOpts), (s, v, o) => torch.full(s, v, o));
op('creation', 'arange', fc.oneof(tup(num(fc.integer({ min: -5, max: 20 }))), tup(smallInt, smallInt, num(fc.double({ min: -3, max: 3 }))), tup(smallInt, createOpts)), (...a) =>
  (torch.arange as any)(...a),
);
op('creation', 'linspace', tup(num(fc.double({ min: -5, max: 5 })), num(fc.double({ min: -5, max: 5 })), smallInt, createOpts), (a, b, n, o) => torch.linspace(a, b, n, o));
op('creation', 'eye', fc.oneof(tup(smallInt), tup(smallInt, smallInt), tup(smallInt, smallInt, createOpts)), (...a) => (torch.eye as any)(...a));
op('creation', 'randint', fc.oneof(tup(smallInt, sizeList), tup(smallInt, smallInt, sizeList, createOpts)), (...a) => (torch.randint as any)(...a));
op('creation', 'randperm', tup(smallInt), (n) => torch.randperm(n));
op('creation', 'fullLike', tup(T(), num(fc.double()), createOpts), (x, v, o) => torch.fullLike(x, v, o));
op('creation', 'zerosLike', tup(T(), createOpts), (x, o) => torch.zerosLike(x, o));

// shape ops ------------------------------------------------------------------------------------
const listOrInts = (el: fc.Arbitrary<any>) => fc.oneof(fc.array(el, { maxLength: 4 }), fc.array(el, { maxLength: 4 }).map((a) => [a]));
op('shape', 'reshape', tup(T(), listOrInts(num(fc.integer({ min: -1, max: 4 })))), (x, s) => torch.reshape(x, ...s));
op('shape', 'view', tup(T(), listOrInts(num(fc.integer({ min: -1, max: 4 })))), (x, s) => torch.view(x, ...s));
op('shape', 'flatten', tup(T(), dim, dim), (x, a, b) => torch.flatten(x, a, b));
op('shape', 'unflatten', tup(T(), dim, fc.array(num(fc.integer({ min: -1, max: 4 })), { maxLength: 3 })), (x, d, s) => torch.unflatten(x, d, s));
op('shape', 'permute', tup(T(), listOrInts(dim)), (x, d) => torch.permute(x, ...d));
op('shape', 'transpose', tup(T(), dim, dim), (x, a, b) => torch.transpose(x, a, b));
op('shape', 't', tup(T()), (x) => torch.t(x));
op('shape', 'movedim', tup(T(), fc.oneof(dim, fc.array(dim, { maxLength: 3 })), fc.oneof(dim, fc.array(dim, { maxLength: 3 }))), (x, a, b) => torch.movedim(x, a, b));
op('shape', 'squeeze', tup(T(), fc.oneof(fc.constant(undefined), dim, fc.array(dim, { maxLength: 3 }))), (x, d) => torch.squeeze(x, d));
op('shape', 'unsqueeze', tup(T(), dim), (x, d) => torch.unsqueeze(x, d));
op('shape', 'expand', tup(T(), listOrInts(num(fc.integer({ min: -1, max: 4 })))), (x, s) => torch.expand(x, ...s));
op('shape', 'repeat', tup(T(), listOrInts(num(fc.integer({ min: 0, max: 3 })))), (x, s) => torch.repeat(x, ...s));
op('shape', 'cat', tup(fc.array(T({ shape: fc.constantFrom([2, 3], [1, 3], [2], [0, 3], []) }), { maxLength: 3 }), dim), (xs, d) => torch.cat(xs, d));
op('shape', 'stack', tup(fc.array(T({ shape: fc.constantFrom([2, 3], [2, 3], [3], []) }), { maxLength: 3 }), dim), (xs, d) => torch.stack(xs, d));
op('shape', 'split', tup(T(), fc.oneof(smallInt, fc.array(smallInt, { maxLength: 3 })), dim), (x, s, d) => torch.split(x, s, d));
op('shape', 'chunk', tup(T(), smallInt, dim), (x, c, d) => torch.chunk(x, c, d));
op('shape', 'unbind', tup(T(), dim), (x, d) => torch.unbind(x, d));
op('shape', 'narrow', tup(T(), dim, smallInt, smallInt), (x, d, s, l) => torch.narrow(x, d, s, l));
op('shape', 'select', tup(T(), dim, smallInt), (x, d, i) => torch.select(x, d, i));
op('shape', 'sliceDim', tup(T(), dim, smallInt, smallInt, smallInt), (x, d, a, b, s) => torch.sliceDim(x, d, a, b, s));
op('shape', 'flip', tup(T(), fc.oneof(dim, fc.array(dim, { maxLength: 3 }))), (x, d) => torch.flip(x, d));
op('shape', 'roll', tup(T(), fc.oneof(smallInt, fc.array(smallInt, { maxLength: 3 })), fc.oneof(fc.constant(undefined), dim, fc.array(dim, { maxLength: 3 }))), (x, s, d) => torch.roll(x, s, d));
op('shape', 'pad', tup(T(), fc.array(num(fc.integer({ min: -2, max: 3 })), { maxLength: 6 }), fc.oneof(w(5, fc.constantFrom('constant', 'reflect', 'replicate', 'circular')), w(1, weirdValue)), num(fc.double())), (x, p, m, v) =>
  torch.pad(x, p, m, v),
);
op('shape', 'triu', tup(T(), smallInt), (x, d) => torch.triu(x, d));
op('shape', 'diagonal', tup(T()), (x) => torch.diagonal(x));
op('shape', 'broadcastTensors', tup(Tpair()), ([a, b]) => torch.broadcastTensors(a, b));
op('shape', 'contiguous', tup(T()), (x) => torch.contiguous(x));

// indexing ------------------------------------------------------------------------------------
const indexEntry = fc.oneof(
  w(4, smallInt),
  w(3, fc.constantFrom<unknown>(':', '1:', '::2', '-1:', ':-1', '...', '1:3:0', 'a:b', '1:2:3:4', null)),
  w(2, fc.record({ start: fc.option(smallInt), stop: fc.option(smallInt), step: fc.option(smallInt) }, { requiredKeys: [] })),
  w(2, idxTensor()),
  w(1, fc.array(smallInt, { maxLength: 3 })),
  w(1, weirdValue),
);
op('indexing', 'index', tup(T(), fc.array(indexEntry, { maxLength: 4 })), (x, ix) => torch.index(x, ...ix));
op('indexing', 'indexPut_', tup(T(), fc.array(indexEntry, { maxLength: 3 }), fc.oneof(num(fc.double()), T({ shape: shapeArb(2) }))), (x, ix, v) => torch.indexPut_(x, ix, v), [0]);
op('indexing', 'gather', tup(T(), dim, idxTensor()), (x, d, i) => torch.gather(x, d, i));
op('indexing', 'scatter', tup(T(), dim, idxTensor(), fc.oneof(num(fc.double()), T())), (x, d, i, s) => torch.scatter(x, d, i, s));
op('indexing', 'scatterAdd', tup(T(), dim, idxTensor(), T()), (x, d, i, s) => torch.scatterAdd(x, d, i, s));
op('indexing', 'indexSelect', tup(T(), dim, idxTensor()), (x, d, i) => torch.indexSelect(x, d, i));
op('indexing', 'maskedFill', tup(Tpair(['float32', 'bool']), num(fc.double())), ([x, m], v) => torch.maskedFill(x, m, v));
op('indexing', 'where', tup(Tpair(['bool', 'float32']), T()), ([c, a], b) => torch.where(c, a, b));
op('indexing', 'nonzero', tup(T()), (x) => torch.nonzero(x));
op('indexing', 'embedding', tup(idxTensor(), T({ shape: shapeArb(2) })), (i, wt) => torch.embedding(i, wt));
op('indexing', 'maskedFill_', tup(tspec(), T({ dtypes: ['bool', 'float32'] }), fc.oneof(num(fc.double()), T())), (x, m, v) => x.maskedFill_(m, v), [0]);

// arithmetic ------------------------------------------------------------------------------------
const scalarOrT = fc.oneof(w(3, T()), w(1, num(fc.double())), w(1, fc.boolean()));
for (const name of ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'atan2', 'remainder', 'eq', 'lt', 'logicalAnd'] as const) {
  op('arithmetic', name, fc.oneof(tup(Tpair()).map(([p]) => p as unknown[]), tup(scalarOrT, scalarOrT)), (a, b) => (torch[name] as any)(a, b));
}
for (const name of ['neg', 'abs', 'exp', 'log', 'sqrt', 'sigmoid', 'floor', 'round', 'logicalNot', 'isnan', 'relu', 'trunc', 'log2', 'exp2', 'square'] as const) {
  op('arithmetic', name, tup(Tf()), (a) => (torch[name] as any)(a));
}
op('arithmetic', 'clamp', tup(T(), fc.oneof(num(fc.double()), options({ min: fc.oneof(num(fc.double()), T()), max: fc.oneof(num(fc.double()), T()) }))), (x, o) => torch.clamp(x, o));
op('arithmetic', 'cast', tup(T(), dtypeArb), (x, d) => torch.cast(x, d));
op('arithmetic', 'add_', tup(tspec(), T()), (a, b) => a.add_(b), [0]);
op('arithmetic', 'mul_', tup(tspec(), scalarOrT), (a, b) => a.mul_(b), [0]);
op('arithmetic', 'matmul', tup(Tpair()), ([a, b]) => torch.matmul(a, b));
op('arithmetic', 'matmul(2)', tup(T({ shape: fc.constantFrom([2, 3], [3], [1, 2, 3], [0, 3]) }), T({ shape: fc.constantFrom([3, 2], [3], [2, 3, 1], [3, 0]) })), (a, b) => torch.matmul(a, b));
op('arithmetic', 'bmm', tup(Tpair()), ([a, b]) => torch.bmm(a, b));
op('arithmetic', 'dot', tup(Tpair()), ([a, b]) => torch.dot(a, b));
op('arithmetic', 'outer', tup(Tpair()), ([a, b]) => torch.outer(a, b));
op('arithmetic', 'einsum', tup(fc.constantFrom('ij,jk->ik', 'ii->i', 'i,i->', 'ij->ji', 'ab', 'i,j->ij', '->', 'ij,jk', '...i->i'), fc.array(T({ shape: fc.constantFrom([2, 2], [2], [2, 3]) }), { maxLength: 3 })), (e, xs) =>
  torch.einsum(e, ...xs),
);
op('arithmetic', 'gelu', tup(T(), options({ approximate: fc.constantFrom('none', 'tanh', 'bad') })), (x, o) => torch.gelu(x, o));
op('arithmetic', 'softplus', tup(T(), options({ beta: num(fc.double()), threshold: num(fc.double()) })), (x, o) => torch.softplus(x, o));

// reductions -------------------------------------------------------------------------------------
const dims = fc.oneof(fc.constant(undefined), dim, fc.array(dim, { maxLength: 3 }), fc.constant(null));
const keep = fc.oneof(w(4, fc.boolean()), w(1, fc.constant(undefined)), w(1, weirdValue));
for (const name of ['sum', 'mean', 'prod', 'amax', 'amin', 'var', 'std', 'logsumexp'] as const) {
  op('reductions', name, fc.oneof(tup(Tf(), dims, keep), tup(Tf(), options({ dim: dims, keepdim: keep }))), (x, d, k) => (torch[name] as any)(x, d, k));
}
op('reductions', 'argmax', tup(Tf(), fc.oneof(dim, fc.constant(null)), keep), (x, d, k) => torch.argmax(x, d, k));
op('reductions', 'max(dim)', tup(Tf(), dim, keep), (x, d, k) => torch.max(x, d, k));
op('reductions', 'min', tup(Tf()), (x) => torch.min(x));
op('reductions', 'norm', tup(Tf(), fc.oneof(num(fc.double({ min: -2, max: 3 })), fc.constant('fro'), fc.constant('nuc')), dims, keep), (x, p, d, k) => torch.norm(x, p, d, k));
op('reductions', 'cumsum', tup(Tf(), dim), (x, d) => torch.cumsum(x, d));
op('reductions', 'any', tup(Tf(), dims, keep), (x, d, k) => torch.any(x, d, k));
op('reductions', 'softmax', tup(Tf(), dim), (x, d) => torch.softmax(x, d));
op('reductions', 'logSoftmax', tup(Tf(), dim), (x, d) => torch.logSoftmax(x, d));
op('reductions', 'sort', tup(Tf(), fc.oneof(dim, options({ dim, descending: fc.boolean(), stable: fc.boolean() }))), (x, d) => torch.sort(x, d));
op('reductions', 'topk', tup(Tf(), smallInt, options({ dim, largest: fc.boolean(), sorted: fc.boolean() })), (x, k, o) => torch.topk(x, k, o));
op('reductions', 'argsort', tup(Tf(), dim, keep), (x, d, k) => torch.argsort(x, d, k));

// autograd -----------------------------------------------------------------------------------------
/** The user function's tensor: x itself, or the first tensor leaf of a pytree argument (user code, not the library, would fail otherwise). */
const lead = (x: unknown): torch.Tensor => (x instanceof torch.Tensor ? x : ((torch.treeFlatten(x)[0].find((l) => l instanceof torch.Tensor) as torch.Tensor | undefined) ?? torch.ones(2)));
const unaryFns = [
  new FnSpec('x=>x.mul(x).sum()', (x: torch.Tensor) => lead(x).mul(x).sum()),
  new FnSpec('x=>x.sin()', (x: torch.Tensor) => lead(x).sin()),
  new FnSpec('x=>x.exp().mean()', (x: torch.Tensor) => lead(x).exp().mean()),
  new FnSpec('x=>torch.softmax(x,-1)', (x: torch.Tensor) => torch.softmax(lead(x), -1)),
  new FnSpec('x=>x.sum(0)', (x: torch.Tensor) => lead(x).sum(0)),
  new FnSpec('x=>[x,x]', (x: torch.Tensor) => [lead(x), lead(x)]),
  new FnSpec('x=>3', () => 3),
  new FnSpec('x=>x.reshape(-1)[0]', (x: torch.Tensor) => torch.index(lead(x).reshape(-1), 0)),
  new FnSpec('x=>cyclic', () => {
    const a: unknown[] = [];
    a.push(a);
    return a;
  }),
  new FnSpec('x=>{a:x.sum()}', (x: torch.Tensor) => ({ a: lead(x).sum() })),
  new FnSpec('x=>x.item()', (x: torch.Tensor) => lead(x).sum().item()),
];
const fnArb = fc.constantFrom(...unaryFns);
const Tg = () => T({ dtypes: ['float32', 'float64', 'int32'], rg: true, shape: shapeArb(3) });
op('autograd', 'backward', tup(Tg(), fnArb, fc.oneof(fc.constant(undefined), T()), options({ retainGraph: fc.boolean(), createGraph: fc.boolean() })), (x, f, g, o) => {
  const y = f(x);
  torch.autograd.backward(y, g, o);
  return x.grad ?? null;
});
op('autograd', 'autograd.grad', tup(Tg(), fnArb, options({ allowUnused: fc.boolean(), createGraph: fc.boolean(), retainGraph: fc.boolean() })), (x, f, o) => torch.autograd.grad(f(x), x, o));
op('autograd', 'backward twice', tup(Tg()), (x0) => {
  const x = lead(x0);
  const y = x.mul(x).sum();
  y.backward();
  y.backward();
  return x.grad;
});

// transforms -----------------------------------------------------------------------------------------
const pytreeArg = fc.oneof(w(5, Tg()), w(1, fc.array(Tg(), { maxLength: 2 })), w(1, fc.record({ a: Tg() })), w(1, fc.constant('cyclic')), w(1, fc.integer({ min: 60, max: 70 })));
function pytree(v: unknown): unknown {
  if (v === 'cyclic') {
    const a: unknown[] = [torch.ones(2)];
    a.push(a);
    return a;
  }
  if (typeof v === 'number') {
    let a: unknown = torch.ones(2);
    for (let i = 0; i < v; i++) a = [a];
    return a;
  }
  return v;
}
const argnums = fc.oneof(w(5, fc.constant(undefined)), w(1, fc.constantFrom<unknown>(0, 1, -1, [0], [0, 0], 1.5, 'a', [])));
op('transforms', 'func.grad', tup(fnArb, pytreeArg, options({ argnums, hasAux: fc.boolean() })), (f, x, o) => torch.func.grad(f, o)(pytree(x)));
op('transforms', 'func.vjp', tup(fnArb, pytreeArg), (f, x) => {
  const [out, fn] = torch.func.vjp(f, pytree(x));
  return [out, fn(out)];
});
op('transforms', 'func.vmap', tup(fnArb, pytreeArg, options({ inDims: fc.constantFrom<unknown>(0, 1, -1, null, [0], 5, 'a'), outDims: fc.constantFrom<unknown>(0, 1, -1, 5), randomness: fc.constantFrom('error', 'same', 'different', 'bad') })), (f, x, o) =>
  torch.func.vmap(f, o)(pytree(x)),
);
op('transforms', 'func.jvp', tup(fnArb, pytreeArg, pytreeArg), (f, p, t) => torch.func.jvp(f, [pytree(p)], [pytree(t)]));
op('transforms', 'func.jacrev', tup(fnArb, Tg()), (f, x) => torch.func.jacrev(f)(x));
op('transforms', 'func.jacfwd', tup(fnArb, Tg()), (f, x) => torch.func.jacfwd(f)(x));
op('transforms', 'treeFlatten', tup(pytreeArg), (x) => torch.treeFlatten(pytree(x)));
op('transforms', 'treeMap', tup(pytreeArg), (x) => torch.treeMap(pytree(x), (t) => t));
op('transforms', 'functionalCall', tup(fc.integer({ min: 1, max: 3 }), fc.record({ weight: T({ shape: fc.constantFrom([2, 3], [3, 2], [2]) }), bias: fc.option(T({ shape: fc.constantFrom([2], [3]) })), extra: fc.option(T()) }, { requiredKeys: ['weight'] }), T({ shape: fc.constantFrom([4, 3], [3], [4, 2]) }), options({ strict: fc.boolean(), tieWeights: fc.boolean() })), (_n, params, x, o) => {
  const m = new torch.nn.Linear(3, 2);
  const dict: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (v !== null) dict[k] = v;
  return torch.func.functionalCall(m, dict as Record<string, torch.Tensor>, [x], o);
});

// nn --------------------------------------------------------------------------------------------
const featArb = num(fc.integer({ min: 0, max: 4 }));
op('nn', 'nn.Linear', tup(featArb, featArb, options({ bias: fc.boolean(), dtype: dtypeArb }), T({ shape: fc.constantFrom([2, 3], [3], [0, 3], [2, 2], []) })), (i, o, opts, x) => new torch.nn.Linear(i, o, opts).call(x));
op('nn', 'nn.Conv2d', tup(featArb, featArb, fc.oneof(featArb, fc.tuple(featArb, featArb)), options({ stride: featArb, padding: fc.oneof(featArb, fc.constantFrom('same', 'valid', 'bad')), dilation: featArb, groups: featArb, bias: fc.boolean() }), T({ shape: fc.constantFrom([1, 2, 5, 5], [2, 5, 5], [1, 1, 3, 3], [1, 2, 1, 1], [0, 2, 4, 4], [2]) })), (i, o, k, opts, x) =>
  new torch.nn.Conv2d(i, o, k, opts).call(x),
);
op('nn', 'nn.BatchNorm1d', tup(featArb, options({ eps: num(fc.double()), momentum: num(fc.double()), affine: fc.boolean(), trackRunningStats: fc.boolean() }), T({ shape: fc.constantFrom([3, 2], [1, 2], [2, 2, 3], [2], [0, 2]) }), fc.boolean()), (n, o, x, train) => {
  const m = new torch.nn.BatchNorm1d(n, o);
  if (!train) m.eval();
  return [m.call(x), m.stateDict()];
}, [2]);
op('nn', 'nn.BatchNorm2d', tup(featArb, T({ shape: fc.constantFrom([2, 2, 3, 3], [1, 2, 1, 1], [2, 3, 2]) })), (n, x) => new torch.nn.BatchNorm2d(n).call(x));
op('nn', 'nn.LayerNorm', tup(fc.oneof(featArb, fc.array(featArb, { maxLength: 2 })), options({ eps: num(fc.double()), elementwiseAffine: fc.boolean() }), T({ shape: fc.constantFrom([2, 3], [3], [2, 0], []) })), (s, o, x) =>
  new torch.nn.LayerNorm(s, o).call(x),
);
op('nn', 'nn.Embedding', tup(featArb, featArb, options({ paddingIdx: smallInt, maxNorm: num(fc.double()) }), idxTensor(5)), (n, d, o, i) => new torch.nn.Embedding(n, d, o).call(i));
op('nn', 'nn.GroupNorm', tup(featArb, featArb, T({ shape: fc.constantFrom([2, 4, 3], [1, 2], [2, 4]) })), (g, c, x) => new torch.nn.GroupNorm(g, c).call(x));
op('nn', 'layerNorm', tup(T(), fc.oneof(featArb, fc.array(featArb, { maxLength: 3 })), fc.option(T()), fc.option(T())), (x, s, a, b) => torch.layerNorm(x, s, a, b));
op('nn', 'linear', tup(T(), T(), fc.option(T())), (x, wt, b) => torch.linear(x, wt, b));
op('nn', 'dropout', tup(T(), num(fc.double({ min: 0, max: 1 })), fc.boolean()), (x, p, t) => torch.dropout(x, p, t));
op('nn', 'loadStateDict', tup(fc.dictionary(fc.constantFrom('weight', 'bias', 'other', 'weight.x'), fc.oneof(T({ shape: fc.constantFrom([2, 3], [2], [3, 2], [], [2, 3]) }), weirdValue), { maxKeys: 3 }), options({ strict: fc.boolean(), assign: fc.boolean() })), (sd, o) => {
  const m = new torch.nn.Linear(3, 2);
  const before = m.stateDict();
  const snap = Object.fromEntries(Object.entries(before).map(([k, v]) => [k, [...v.toArray()]]));
  try {
    return m.loadStateDict(sd, o);
  } catch (e) {
    // Nothing half-applied: a failed load leaves every parameter as it was.
    for (const [k, v] of Object.entries(m.stateDict())) {
      if (JSON.stringify([...v.toArray()]) !== JSON.stringify(snap[k])) throw new HalfApplied(`loadStateDict threw ${(e as Error).name} but changed '${k}'`);
    }
    throw e;
  }
});

// optimizers ---------------------------------------------------------------------------------------
const optNames = ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad'] as const;
op('optim', 'optimizer.step', tup(fc.constantFrom(...optNames), options({ lr: num(fc.double({ min: 0, max: 1 })), momentum: num(fc.double({ min: 0, max: 1 })), weightDecay: num(fc.double({ min: 0, max: 1 })), betas: fc.oneof(fc.constant([0.9, 0.99]), fc.array(num(fc.double()), { maxLength: 3 })), eps: num(fc.double()) }), fc.array(T({ shape: fc.constantFrom([2], [2, 2], [], [0]), dtypes: ['float32', 'float64'], rg: true }), { maxLength: 3 }), fc.boolean(), fc.boolean()), (name, o, params, withGrad, wrongGrad) => {
  const opt = new (torch.optim as any)[name](params, o);
  if (withGrad) for (const p of params) if (p instanceof torch.Tensor) p.grad = wrongGrad ? torch.ones(3) : torch.onesLike(p);
  opt.step();
  opt.step();
  return [params, opt.stateDict()];
});

// safetensors ---------------------------------------------------------------------------------------
op('io', 'safetensors round trip', tup(fc.dictionary(fc.string({ maxLength: 4 }), tspec(), { maxKeys: 3 }), fc.option(fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.string(), weirdValue)), { nil: undefined })), (d, meta) => {
  const bytes = torch.safetensors.save(d, meta);
  const back = torch.safetensors.load(bytes);
  for (const [k, t] of Object.entries(d as Record<string, torch.Tensor>)) {
    const b = back[k];
    if (!b || JSON.stringify(b.shape) !== JSON.stringify(t.shape) || b.dtype !== t.dtype || JSON.stringify([...b.toArray()]) !== JSON.stringify([...t.contiguous().toArray()])) {
      throw new InvalidResult(`safetensors round trip changed '${k}'`);
    }
  }
  return back;
});
const header = (h: unknown) => new TextEncoder().encode(typeof h === 'string' ? h : JSON.stringify(h));
const corrupt = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.tuple(fc.constantFrom<unknown>({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, { a: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, { a: { dtype: 'F32', shape: [2.5], data_offsets: [0, 8] } }, { a: { dtype: 'I8', shape: [2], data_offsets: [0, 2] } }, { a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, { a: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, { a: { dtype: 'F32', shape: [2], data_offsets: [0, 800] } }, { a: { dtype: 'F32', shape: 'x', data_offsets: [0, 8] } }, { a: { dtype: 'F32', shape: [1e10, 0], data_offsets: [0, 0] } }, { a: { dtype: 'F32', shape: [1e200, 1e200], data_offsets: [0, 8] } }, { a: 1 }, { __metadata__: 5 }, [1], 'null', '{', { a: { dtype: 'BOOL', shape: [2], data_offsets: [0, 2] } }, { a: { dtype: 'F32', shape: [2], data_offsets: [0, NaN] } }, { a: { dtype: 'F32', shape: [2] } }), fc.integer({ min: -4, max: 12 }), fc.uint8Array({ maxLength: 12 })).map(([h, lenDelta, body]) => {
    const hb = header(h);
    const out = new Uint8Array(8 + hb.length + 8 + body.length);
    new DataView(out.buffer).setBigUint64(0, BigInt(Math.max(0, hb.length + lenDelta)), true);
    out.set(hb, 8);
    out.set(body, 8 + hb.length + 8);
    return out;
  }),
  fc.constantFrom<unknown>(null, 'abc', [1, 2], new ArrayBuffer(3)),
);
op('io', 'safetensors.load(corrupt)', tup(corrupt), (b) => torch.safetensors.load(b));
op('io', 'safetensors.loadMetadata(corrupt)', tup(corrupt), (b) => torch.safetensors.loadMetadata(b));
op('io', 'safetensors.save(bad)', tup(fc.oneof(fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(tspec(), weirdValue), { maxKeys: 2 }), weirdValue)), (d) => torch.safetensors.save(d));

// losses ---------------------------------------------------------------------------------------------
const red = options({ reduction: fc.constantFrom('mean', 'sum', 'none', 'bad') });
for (const name of ['mseLoss', 'l1Loss', 'smoothL1Loss', 'huberLoss', 'binaryCrossEntropy', 'binaryCrossEntropyWithLogits', 'klDiv'] as const) {
  op('losses', name, tup(Tpair(['float32', 'float64', 'int32']), red), ([a, b], o) => (torch[name] as any)(a, b, o));
}
const clsTarget = fc.oneof(idxTensor(4), T({ shape: fc.constantFrom([2, 3], [2]) }));
const ceOpts = options({ reduction: fc.constantFrom('mean', 'sum', 'none', 'bad'), ignoreIndex: smallInt, labelSmoothing: num(fc.double({ min: 0, max: 1 })), weight: T({ shape: fc.constantFrom([3], [2]) }) });
op('losses', 'crossEntropy', tup(T({ shape: fc.constantFrom([2, 3], [3], [2, 3, 2], [0, 3], [2, 0]) }), clsTarget, ceOpts), (x, t, o) => torch.crossEntropy(x, t, o));
op('losses', 'nllLoss', tup(T({ shape: fc.constantFrom([2, 3], [3], [2, 3, 2], [0, 3]) }), clsTarget, ceOpts), (x, t, o) => torch.nllLoss(x, t, o));

// conv -----------------------------------------------------------------------------------------------
const pairArb = fc.oneof(num(fc.integer({ min: 0, max: 3 })), fc.array(num(fc.integer({ min: 0, max: 3 })), { maxLength: 3 }));
const imgShape: fc.Arbitrary<number[]> = fc.constantFrom<number[]>([1, 2, 5, 5], [2, 4, 4], [1, 1, 3, 3], [1, 2, 0, 4], [1, 2, 1, 1], [2], [1, 2, 6, 6]);
op('conv', 'conv2d', tup(T({ shape: imgShape }), T({ shape: fc.constantFrom([3, 2, 3, 3], [1, 1, 2, 2], [2, 1, 3, 3], [4, 2, 1, 1], [2, 2, 7, 7], [3, 2]) }), fc.option(T({ shape: fc.constantFrom([3], [2], [4]) })), options({ stride: pairArb, padding: fc.oneof(pairArb, fc.constantFrom('same', 'valid', 'bad')), dilation: pairArb, groups: featArb })), (x, wt, b, o) =>
  torch.conv2d(x, wt, b, o),
);
op('conv', 'conv1d', tup(T({ shape: fc.constantFrom([1, 2, 5], [2, 4], [1, 2, 0]) }), T({ shape: fc.constantFrom([3, 2, 3], [1, 1, 2], [2, 2, 9]) }), fc.option(T({ shape: fc.constantFrom([3], [2]) })), options({ stride: featArb, padding: fc.oneof(featArb, fc.constantFrom('same', 'valid')), dilation: featArb, groups: featArb })), (x, wt, b, o) =>
  torch.conv1d(x, wt, b, o),
);
op('conv', 'convTranspose2d', tup(T({ shape: imgShape }), T({ shape: fc.constantFrom([2, 3, 3, 3], [1, 1, 2, 2], [2, 1, 3, 3]) }), fc.option(T({ shape: fc.constantFrom([3], [1]) })), options({ stride: pairArb, padding: pairArb, outputPadding: pairArb, dilation: pairArb, groups: featArb })), (x, wt, b, o) =>
  torch.convTranspose2d(x, wt, b, o),
);
op('conv', 'maxPool2d', tup(T({ shape: imgShape }), pairArb, options({ stride: pairArb, padding: pairArb, dilation: pairArb, ceilMode: fc.boolean() })), (x, k, o) => torch.maxPool2d(x, k, o));
op('conv', 'avgPool2d', tup(T({ shape: imgShape }), pairArb, options({ stride: pairArb, padding: pairArb, ceilMode: fc.boolean(), countIncludePad: fc.boolean() })), (x, k, o) => torch.avgPool2d(x, k, o));
op('conv', 'adaptiveAvgPool2d', tup(T({ shape: imgShape }), fc.oneof(featArb, fc.tuple(fc.option(featArb), fc.option(featArb)))), (x, s) => torch.adaptiveAvgPool2d(x, s));

export const OPS: readonly Op[] = ops;
export const FAMILIES: readonly string[] = [...new Set(ops.map((o) => o.family))];

// ---------------------------------------------------------------------------------------------
// The oracle.

/** A result that is not a valid value (a tensor with a bad shape, too little data...). */
export class InvalidResult extends Error {
  override name = 'InvalidResult';
}
/** A call that threw a typed error after changing one of its inputs. */
export class HalfApplied extends Error {
  override name = 'HalfApplied';
}

const VALID_DTYPES = new Set(['float32', 'float64', 'int32', 'bool']);

export function checkTensorValid(t: torch.Tensor, where: string): void {
  const shape = t.shape as unknown;
  if (!Array.isArray(shape)) throw new InvalidResult(`${where}: shape is not an array`);
  for (const d of shape) if (!Number.isInteger(d) || d < 0) throw new InvalidResult(`${where}: bad size ${String(d)} in shape [${shape.join(', ')}]`);
  if (!VALID_DTYPES.has(t.dtype)) throw new InvalidResult(`${where}: unknown dtype ${String(t.dtype)}`);
  const n = (shape as number[]).reduce((a, b) => a * b, 1);
  let len: number;
  try {
    len = t.contiguous().toArray().length;
  } catch (e) {
    throw new InvalidResult(`${where}: reading the result threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
  }
  if (len !== n) throw new InvalidResult(`${where}: ${len} values for shape [${shape.join(', ')}] (${n} expected)`);
}

/** Walks the result and checks every reachable tensor (and number). */
export function checkResult(v: unknown, where = 'result', depth = 0, seen = new Set<unknown>()): void {
  if (depth > 8 || seen.has(v)) return;
  if (v instanceof torch.Tensor) return checkTensorValid(v, where);
  if (typeof v === 'function') return;
  if (v === null || typeof v !== 'object') return;
  seen.add(v);
  if (v instanceof torch.nn.Module) return;
  if (Array.isArray(v)) return v.forEach((x, i) => checkResult(x, `${where}[${i}]`, depth + 1, seen));
  if (v instanceof Map) return [...v].forEach(([k, x]) => checkResult(x, `${where}.get(${String(k)})`, depth + 1, seen));
  if (ArrayBuffer.isView(v)) return;
  for (const [k, x] of Object.entries(v)) checkResult(x, `${where}.${k}`, depth + 1, seen);
}

export type Outcome =
  | { kind: 'valid' }
  | { kind: 'typed'; cls: string; message: string }
  | { kind: 'untyped'; cls: string; message: string; error: unknown }
  | { kind: 'invalid'; message: string }
  | { kind: 'halfApplied'; message: string };

export const describe = (o: Op, args: unknown[]): string => `${o.name}(${args.map((a) => fc.stringify(a)).join(', ')})`;

function snapshot(t: unknown): string | null {
  if (!(t instanceof torch.Tensor)) return null;
  try {
    return JSON.stringify([t.shape, t.dtype, Array.from(t.contiguous().toArray(), (x) => (Number.isNaN(x) ? 'NaN' : x))]);
  } catch {
    return null;
  }
}

/** Runs one call of `o` with the described arguments and classifies what happened. */
export function runCall(o: Op, args: unknown[]): Outcome {
  let built: unknown[];
  try {
    built = build(args) as unknown[];
  } catch (e) {
    return { kind: 'untyped', cls: 'HarnessError', message: `building the arguments failed: ${String(e)}`, error: e };
  }
  const before = (o.mutates ?? []).map((i) => snapshot(built[i]));
  let result: unknown;
  try {
    result = o.run(...built);
  } catch (e) {
    if (e instanceof HalfApplied) return { kind: 'halfApplied', message: e.message };
    if (e instanceof InvalidResult) return { kind: 'invalid', message: e.message };
    if (e instanceof torch.TorchfnError) {
      const after = (o.mutates ?? []).map((i) => snapshot(built[i]));
      const changed = (o.mutates ?? []).find((_, j) => before[j] !== null && before[j] !== after[j]);
      if (changed !== undefined) return { kind: 'halfApplied', message: `threw ${e.name} (${e.message}) but changed argument ${changed}` };
      return { kind: 'typed', cls: e.name, message: e.message };
    }
    const err = e as { name?: string; message?: string; constructor?: { name?: string } } | undefined;
    return { kind: 'untyped', cls: err?.constructor?.name ?? typeof e, message: String(err?.message ?? e), error: e };
  }
  try {
    checkResult(result);
  } catch (e) {
    if (e instanceof InvalidResult) return { kind: 'invalid', message: e.message };
    return { kind: 'untyped', cls: (e as Error)?.constructor?.name ?? 'unknown', message: `checking the result: ${String((e as Error)?.message ?? e)}`, error: e };
  }
  return { kind: 'valid' };
}

/** One generated call: which op and its argument descriptors. */
export interface Call {
  op: Op;
  args: unknown[];
}
export const callArb = (family?: string): fc.Arbitrary<Call> => {
  const list = OPS.filter((o) => family === undefined || o.family === family);
  return fc.oneof(...list.map((o) => o.args.map((args): Call => ({ op: o, args, [fc.toStringMethod]: () => describe(o, args) }) as Call)));
};
