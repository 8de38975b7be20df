// A small WebAssembly bytecode assembler: kernels are generated at run time from TypeScript (no
// toolchain, no shipped binary), cached per shape/dtype family, and the same generator can serve
// compile's fused kernels. Every module imports one memory ('env' 'mem'), shared when threads are on.

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';
const valCode: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

function uleb(out: number[], v: number): void {
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
}

function sleb(out: number[], v: number): void {
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

function name(out: number[], s: string): void {
  const bytes = new TextEncoder().encode(s);
  uleb(out, bytes.length);
  for (const b of bytes) out.push(b);
}

const f32buf = new Float32Array(1);
const f64buf = new Float64Array(1);

// Plain opcodes by mnemonic (the ones kernels use; add more as needed).
const OPS = {
  unreachable: 0x00, nop: 0x01, else: 0x05, end: 0x0b, return: 0x0f, drop: 0x1a, select: 0x1b,
  'i32.eqz': 0x45, 'i32.eq': 0x46, 'i32.ne': 0x47, 'i32.lt_s': 0x48, 'i32.lt_u': 0x49, 'i32.gt_s': 0x4a,
  'i32.gt_u': 0x4b, 'i32.le_s': 0x4c, 'i32.le_u': 0x4d, 'i32.ge_s': 0x4e, 'i32.ge_u': 0x4f,
  'f32.eq': 0x5b, 'f32.ne': 0x5c, 'f32.lt': 0x5d, 'f32.gt': 0x5e, 'f32.le': 0x5f, 'f32.ge': 0x60,
  'f64.eq': 0x61, 'f64.ne': 0x62, 'f64.lt': 0x63, 'f64.gt': 0x64, 'f64.le': 0x65, 'f64.ge': 0x66,
  'i32.add': 0x6a, 'i32.sub': 0x6b, 'i32.mul': 0x6c, 'i32.div_s': 0x6d, 'i32.div_u': 0x6e, 'i32.rem_s': 0x6f,
  'i32.and': 0x71, 'i32.or': 0x72, 'i32.xor': 0x73, 'i32.shl': 0x74, 'i32.shr_s': 0x75, 'i32.shr_u': 0x76,
  'f32.abs': 0x8b, 'f32.neg': 0x8c, 'f32.ceil': 0x8d, 'f32.floor': 0x8e, 'f32.trunc': 0x8f, 'f32.nearest': 0x90,
  'f32.sqrt': 0x91, 'f32.add': 0x92, 'f32.sub': 0x93, 'f32.mul': 0x94, 'f32.div': 0x95, 'f32.min': 0x96,
  'f32.max': 0x97, 'f32.copysign': 0x98,
  'f64.abs': 0x99, 'f64.neg': 0x9a, 'f64.ceil': 0x9b, 'f64.floor': 0x9c, 'f64.trunc': 0x9d, 'f64.nearest': 0x9e,
  'f64.sqrt': 0x9f, 'f64.add': 0xa0, 'f64.sub': 0xa1, 'f64.mul': 0xa2, 'f64.div': 0xa3, 'f64.min': 0xa4,
  'f64.max': 0xa5, 'f64.copysign': 0xa6,
  'i32.trunc_f32_s': 0xa8, 'i32.trunc_f64_s': 0xaa, 'f32.convert_i32_s': 0xb2, 'f32.demote_f64': 0xb6,
  'f64.convert_i32_s': 0xb7, 'f64.promote_f32': 0xbb, 'i32.reinterpret_f32': 0xbc, 'f32.reinterpret_i32': 0xbe,
} as const;

// SIMD opcodes (0xfd prefix) by mnemonic.
const SIMD = {
  'i32x4.splat': 17, 'i64x2.splat': 18, 'f32x4.splat': 19, 'f64x2.splat': 20,
  'i32x4.eq': 55, 'i32x4.ne': 56, 'i32x4.lt_s': 57, 'i32x4.gt_s': 59, 'i32x4.le_s': 61, 'i32x4.ge_s': 63,
  'f32x4.eq': 65, 'f32x4.ne': 66, 'f32x4.lt': 67, 'f32x4.gt': 68, 'f32x4.le': 69, 'f32x4.ge': 70,
  'f64x2.eq': 71, 'f64x2.ne': 72, 'f64x2.lt': 73, 'f64x2.gt': 74, 'f64x2.le': 75, 'f64x2.ge': 76,
  'v128.not': 77, 'v128.and': 78, 'v128.andnot': 79, 'v128.or': 80, 'v128.xor': 81, 'v128.bitselect': 82,
  'v128.any_true': 83,
  'f32x4.demote_f64x2_zero': 94, 'f64x2.promote_low_f32x4': 95,
  'f32x4.ceil': 103, 'f32x4.floor': 104, 'f32x4.trunc': 105, 'f32x4.nearest': 106,
  'f64x2.ceil': 116, 'f64x2.floor': 117, 'f64x2.trunc': 122, 'f64x2.nearest': 148,
  'i32x4.abs': 160, 'i32x4.neg': 161, 'i32x4.shl': 171, 'i32x4.shr_s': 172, 'i32x4.shr_u': 173,
  'i32x4.add': 174, 'i32x4.sub': 177, 'i32x4.mul': 181, 'i32x4.min_s': 182, 'i32x4.max_s': 184,
  'i64x2.shl': 203, 'i64x2.add': 206, 'i64x2.sub': 209,
  'i64x2.all_true': 195, 'i64x2.bitmask': 196, 'i64x2.shr_s': 204, 'i64x2.shr_u': 205, 'i64x2.mul': 213,
  'i64x2.eq': 214, 'i64x2.ne': 215, 'i64x2.lt_s': 216, 'i64x2.gt_s': 217, 'i64x2.le_s': 218, 'i64x2.ge_s': 219,
  'f32x4.abs': 224, 'f32x4.neg': 225, 'f32x4.sqrt': 227, 'f32x4.add': 228, 'f32x4.sub': 229, 'f32x4.mul': 230,
  'f32x4.div': 231, 'f32x4.min': 232, 'f32x4.max': 233, 'f32x4.pmin': 234, 'f32x4.pmax': 235,
  'f64x2.abs': 236, 'f64x2.neg': 237, 'f64x2.sqrt': 239, 'f64x2.add': 240, 'f64x2.sub': 241, 'f64x2.mul': 242,
  'f64x2.div': 243, 'f64x2.min': 244, 'f64x2.max': 245, 'f64x2.pmin': 246, 'f64x2.pmax': 247,
  'i32x4.trunc_sat_f32x4_s': 248, 'f32x4.convert_i32x4_s': 250, 'i32x4.trunc_sat_f64x2_s_zero': 252,
  'f64x2.convert_low_i32x4_s': 254,
  'f32x4.relaxed_madd': 261, 'f32x4.relaxed_nmadd': 262, 'f64x2.relaxed_madd': 263, 'f64x2.relaxed_nmadd': 264,
} as const;

// Memory instructions: [opcode, natural alignment log2]; SIMD ones are marked by `simd`.
const MEM = {
  'i32.load': [0x28, 2], 'i64.load': [0x29, 3], 'f32.load': [0x2a, 2], 'f64.load': [0x2b, 3],
  'i32.load8_u': [0x2d, 0], 'i32.store': [0x36, 2], 'i64.store': [0x37, 3], 'f32.store': [0x38, 2],
  'f64.store': [0x39, 3], 'i32.store8': [0x3a, 0],
} as const;
const SIMD_MEM = {
  'v128.load': [0, 4], 'v128.load32_splat': [9, 2], 'v128.load64_splat': [10, 3], 'v128.store': [11, 4],
  'v128.load64_zero': [93, 3], 'v128.load32_zero': [92, 2],
} as const;
const LANE = {
  'i32x4.extract_lane': 27, 'i32x4.replace_lane': 28, 'f32x4.extract_lane': 31, 'f32x4.replace_lane': 32,
  'f64x2.extract_lane': 33, 'f64x2.replace_lane': 34,
  'i64x2.extract_lane': 29, 'i64x2.replace_lane': 30,
} as const;

export type Op = keyof typeof OPS | keyof typeof SIMD;
export type MemOp = keyof typeof MEM | keyof typeof SIMD_MEM;
export type LaneOp = keyof typeof LANE;

/** One function body under construction. Methods append instructions and return `this`. */
export class Fn {
  readonly code: number[] = [];
  readonly locals: ValType[] = [];
  constructor(readonly params: readonly ValType[], readonly results: readonly ValType[] = []) {}

  /** A fresh local of type t; its index. */
  local(t: ValType): number {
    this.locals.push(t);
    return this.params.length + this.locals.length - 1;
  }

  op(...ops: Op[]): this {
    for (const o of ops) {
      if (o in OPS) this.code.push(OPS[o as keyof typeof OPS]);
      else {
        this.code.push(0xfd);
        uleb(this.code, SIMD[o as keyof typeof SIMD]);
      }
    }
    return this;
  }

  /** A load or store at the address on the stack plus a constant byte offset. */
  mem(o: MemOp, offset = 0): this {
    if (o in MEM) {
      const [code, align] = MEM[o as keyof typeof MEM];
      this.code.push(code);
      uleb(this.code, align);
    } else {
      const [code, align] = SIMD_MEM[o as keyof typeof SIMD_MEM];
      this.code.push(0xfd);
      uleb(this.code, code);
      uleb(this.code, align);
    }
    uleb(this.code, offset);
    return this;
  }

  lane(o: LaneOp, i: number): this {
    this.code.push(0xfd);
    uleb(this.code, LANE[o]);
    this.code.push(i);
    return this;
  }

  /** i8x16.shuffle of the two v128 on the stack: byte lanes 0-15 from the first, 16-31 from the second. */
  shuffle(lanes: readonly number[]): this {
    this.code.push(0xfd, 0x0d, ...lanes);
    return this;
  }
  /** v128.const from its 16 bytes. */
  v128(bytes: readonly number[]): this {
    this.code.push(0xfd, 0x0c, ...bytes);
    return this;
  }

  get(i: number): this {
    this.code.push(0x20);
    uleb(this.code, i);
    return this;
  }
  set(i: number): this {
    this.code.push(0x21);
    uleb(this.code, i);
    return this;
  }
  tee(i: number): this {
    this.code.push(0x22);
    uleb(this.code, i);
    return this;
  }

  i32(v: number): this {
    this.code.push(0x41);
    sleb(this.code, v | 0);
    return this;
  }
  f32(v: number): this {
    this.code.push(0x43);
    f32buf[0] = v;
    this.code.push(...new Uint8Array(f32buf.buffer));
    return this;
  }
  f64(v: number): this {
    this.code.push(0x44);
    f64buf[0] = v;
    this.code.push(...new Uint8Array(f64buf.buffer));
    return this;
  }
  /** A v128 constant from four f32 lanes (or two f64 lanes with `f64x2`). */
  f32x4(v: number): this {
    return this.f32(v).op('f32x4.splat');
  }
  f64x2(v: number): this {
    return this.f64(v).op('f64x2.splat');
  }

  block(): this {
    this.code.push(0x02, 0x40);
    return this;
  }
  loop(): this {
    this.code.push(0x03, 0x40);
    return this;
  }
  if(): this {
    this.code.push(0x04, 0x40);
    return this;
  }
  end(): this {
    this.code.push(0x0b);
    return this;
  }
  br(depth: number): this {
    this.code.push(0x0c);
    uleb(this.code, depth);
    return this;
  }
  brIf(depth: number): this {
    this.code.push(0x0d);
    uleb(this.code, depth);
    return this;
  }
  call(fnIndex: number): this {
    this.code.push(0x10);
    uleb(this.code, fnIndex);
    return this;
  }

  /** Nested loops 0 <= idx[d] < (local n(d)) over every d, outermost first; `body` runs innermost. */
  nest(idx: readonly number[], n: (d: number) => number, body: () => void, d = 0): this {
    if (d === idx.length) body();
    else this.forLoop(idx[d]!, (g) => g.i32(0), (g) => g.get(n(d)), 1, () => this.nest(idx, n, body, d + 1));
    return this;
  }

  /** Sets local `to` = local `base` + sum of idx[e] * local stride(e): an address inside a loop nest. */
  address(to: number, base: number, idx: readonly number[], stride: (e: number) => number): this {
    this.get(base);
    idx.forEach((x, e) => this.get(x).get(stride(e)).op('i32.mul', 'i32.add'));
    return this.set(to);
  }

  /** `for (i = from; i < to; i += step) body()`, with i, to and step locals or constants given as emitters. */
  forLoop(i: number, from: (f: Fn) => void, to: (f: Fn) => void, step: number, body: (f: Fn) => void): this {
    from(this);
    this.set(i);
    this.block();
    this.get(i);
    to(this);
    this.op('i32.ge_s').brIf(0);
    this.loop();
    body(this);
    this.get(i).i32(step).op('i32.add').tee(i);
    to(this);
    this.op('i32.lt_s').brIf(0);
    this.end().end();
    return this;
  }
}

export interface ModuleSpec {
  funcs: readonly { name: string; fn: Fn }[];
  /** Shared memory (threads) or not; the page limits must match the memory it will be instantiated with. */
  shared: boolean;
  maxPages: number;
}

function section(out: number[], id: number, body: number[]): void {
  out.push(id);
  uleb(out, body.length);
  out.push(...body);
}

/** Encodes a module that imports env.mem and exports the given functions. */
export function assemble(spec: ModuleSpec): Uint8Array {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types: number[] = [];
  uleb(types, spec.funcs.length);
  for (const { fn } of spec.funcs) {
    types.push(0x60);
    uleb(types, fn.params.length);
    for (const p of fn.params) types.push(valCode[p]);
    uleb(types, fn.results.length);
    for (const r of fn.results) types.push(valCode[r]);
  }
  section(out, 1, types);

  const imports: number[] = [1];
  name(imports, 'env');
  name(imports, 'mem');
  imports.push(0x02, spec.shared ? 0x03 : 0x01);
  uleb(imports, 1);
  uleb(imports, spec.maxPages);
  section(out, 2, imports);

  const funcs: number[] = [];
  uleb(funcs, spec.funcs.length);
  for (let i = 0; i < spec.funcs.length; i++) uleb(funcs, i);
  section(out, 3, funcs);

  const exports: number[] = [];
  uleb(exports, spec.funcs.length);
  spec.funcs.forEach(({ name: n }, i) => {
    name(exports, n);
    exports.push(0x00);
    uleb(exports, i);
  });
  section(out, 7, exports);

  const code: number[] = [];
  uleb(code, spec.funcs.length);
  for (const { fn } of spec.funcs) {
    const body: number[] = [];
    // Run-length groups of equal local types.
    const groups: [number, ValType][] = [];
    for (const t of fn.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    uleb(body, groups.length);
    for (const [n, t] of groups) {
      uleb(body, n);
      body.push(valCode[t]);
    }
    body.push(...fn.code, 0x0b);
    uleb(code, body.length);
    code.push(...body);
  }
  section(out, 10, code);
  return new Uint8Array(out);
}
