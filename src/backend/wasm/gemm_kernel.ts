// Generated WebAssembly for the GEMM inner levels: a register-tiled micro-kernel (one variant per
// row count, so the bottom edge of C costs no wasted rows), the macro-kernel that walks an mc x nc
// block of C tile by tile, the packing routines, and two unpacked kernels for shapes where packing
// costs as much as the multiply (row sweeps for tiny k or few rows, dot products for A @ B^T with
// few rows). Blocking above the macro-kernel is done from JS (gemm.ts), where the few calls per
// block cost nothing next to the work inside them.
import { Fn, type ValType } from './asm.js';
import { instantiate, type Exports } from './memory.js';

export type FloatDType = 'float32' | 'float64';

export interface KernelConfig {
  dtype: FloatDType;
  /** Rows of the register tile (rows of a packed A panel). */
  mr: number;
  /** v128 vectors across the register tile; the tile is mr x nv*lanes. */
  nv: number;
  /** Use relaxed_madd (fused on hardware with FMA) instead of mul + add. */
  fma: boolean;
}

interface Flavour {
  size: number;
  lanes: number;
  splat: 'v128.load32_splat' | 'v128.load64_splat';
  load: 'f32.load' | 'f64.load';
  store: 'f32.store' | 'f64.store';
  vadd: 'f32x4.add' | 'f64x2.add';
  vmul: 'f32x4.mul' | 'f64x2.mul';
  vmadd: 'f32x4.relaxed_madd' | 'f64x2.relaxed_madd';
  sadd: 'f32.add' | 'f64.add';
  szero: (f: Fn) => Fn;
  vzero: (f: Fn) => Fn;
}

const FLAVOURS: Record<FloatDType, Flavour> = {
  float32: {
    size: 4, lanes: 4, splat: 'v128.load32_splat', load: 'f32.load', store: 'f32.store', vadd: 'f32x4.add',
    vmul: 'f32x4.mul', vmadd: 'f32x4.relaxed_madd', sadd: 'f32.add', szero: (f) => f.f32(0), vzero: (f) => f.f32x4(0),
  },
  float64: {
    size: 8, lanes: 2, splat: 'v128.load64_splat', load: 'f64.load', store: 'f64.store', vadd: 'f64x2.add',
    vmul: 'f64x2.mul', vmadd: 'f64x2.relaxed_madd', sadd: 'f64.add', szero: (f) => f.f64(0), vzero: (f) => f.f64x2(0),
  },
};

const i32s = (n: number): ValType[] => Array.from({ length: n }, () => 'i32');

/** `x += y` for an i32 local and a local or constant. */
function inc(f: Fn, x: number, y: number | { c: number }): void {
  f.get(x);
  if (typeof y === 'number') f.get(y);
  else f.i32(y.c);
  f.op('i32.add').set(x);
}

/**
 * C tile (rows x nv*lanes at c, row pitch ldc bytes) = or += A panel (packed: mr values per k) times B
 * panel (nv*lanes contiguous values per k, rows bRs bytes apart, so B may be packed or used in place).
 * params: a, b, bRs, c, ldc, kc, accumulate. kc >= 1.
 */
function microKernel(cfg: KernelConfig, rows: number): Fn {
  const F = FLAVOURS[cfg.dtype];
  const f = new Fn(i32s(7));
  const [a, b, bRs, c, ldc, kc, accum] = [0, 1, 2, 3, 4, 5, 6];
  const acc: number[][] = [];
  for (let r = 0; r < rows; r++) acc.push(Array.from({ length: cfg.nv }, () => f.local('v128')));
  const bv = Array.from({ length: cfg.nv }, () => f.local('v128'));
  const av = f.local('v128');
  for (const row of acc) for (const x of row) F.vzero(f).set(x);

  // No k unrolling: TurboFan hoists every load of an unrolled body and the tile then spills (x64
  // has 15 allocatable xmm registers; a 4x2 tile uses 8 accumulators + 2 B + 4 splats).
  f.loop();
  for (let v = 0; v < cfg.nv; v++) f.get(b).mem('v128.load', 16 * v).set(bv[v]!);
  for (let r = 0; r < rows; r++) {
    f.get(a).mem(F.splat, r * F.size).set(av);
    for (let v = 0; v < cfg.nv; v++) {
      const x = acc[r]![v]!;
      if (cfg.fma) f.get(av).get(bv[v]!).get(x).op(F.vmadd);
      else f.get(x).get(av).get(bv[v]!).op(F.vmul, F.vadd);
      f.set(x);
    }
  }
  inc(f, a, { c: cfg.mr * F.size });
  inc(f, b, bRs);
  f.get(kc).i32(1).op('i32.sub').tee(kc).brIf(0);
  f.end();

  // Two store loops rather than a select per vector: the flag is constant for the whole tile.
  f.get(accum).if();
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < cfg.nv; v++) {
      f.get(c).get(c).mem('v128.load', 16 * v).get(acc[r]![v]!).op(F.vadd).mem('v128.store', 16 * v);
    }
    if (r + 1 < rows) inc(f, c, ldc);
  }
  f.op('else');
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < cfg.nv; v++) f.get(c).get(acc[r]![v]!).mem('v128.store', 16 * v);
    if (r + 1 < rows) inc(f, c, ldc);
  }
  f.end();
  return f;
}

/** Copies (or adds) the valid rows x cols corner of a full tile kept at tmp into C. params: tmp, c, ldc, rows, cols, accumulate. */
function copyTile(cfg: KernelConfig): Fn {
  const F = FLAVOURS[cfg.dtype];
  const f = new Fn(i32s(6));
  const [tmp, c, ldc, rows, cols, accum] = [0, 1, 2, 3, 4, 5];
  const r = f.local('i32');
  const j = f.local('i32');
  const colBytes = f.local('i32');
  const t = f.local(cfg.dtype === 'float32' ? 'f32' : 'f64');
  f.get(cols).i32(F.size).op('i32.mul').set(colBytes);
  f.forLoop(r, (g) => g.i32(0), (g) => g.get(rows), 1, (g) => {
    g.forLoop(j, (h) => h.i32(0), (h) => h.get(colBytes), F.size, (h) => {
      h.get(tmp).get(j).op('i32.add').mem(F.load).set(t);
      h.get(accum).if();
      h.get(c).get(j).op('i32.add').mem(F.load).get(t).op(F.sadd).set(t);
      h.end();
      h.get(c).get(j).op('i32.add').get(t).mem(F.store);
    });
    inc(g, c, ldc);
    inc(g, tmp, { c: cfg.nv * F.lanes * F.size });
  });
  return f;
}

/**
 * Walks an mc x nc block of C in mr x nr tiles. A is packed (panels of mr rows, kc*mr values each);
 * B panels of nr columns start bPS bytes apart with rows bRs bytes apart. Tiles that stick out past
 * nc are computed into tmp and their valid part copied, so C is never written outside the block.
 * params: a, b, bRs, bPS, c, ldc, mc, nc, kc, accumulate, tmp.
 */
function macroKernel(cfg: KernelConfig, kernIdx: (rows: number) => number, copyIdx: number): Fn {
  const F = FLAVOURS[cfg.dtype];
  const nr = cfg.nv * F.lanes;
  const f = new Fn(i32s(11));
  const [a, b, bRs, bPS, c, ldc, mc, nc, kc, accum, tmp] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const j = f.local('i32');
  const cols = f.local('i32');
  const pa = f.local('i32');
  const cr = f.local('i32');
  const i = f.local('i32');
  const aPS = f.local('i32');
  const rowStep = f.local('i32');
  const rem = f.local('i32');
  f.get(kc).i32(cfg.mr * F.size).op('i32.mul').set(aPS);
  f.get(ldc).i32(cfg.mr).op('i32.mul').set(rowStep);

  const tile = (g: Fn, rows: number): void => {
    g.get(cols).i32(nr).op('i32.ge_s').if();
    g.get(pa).get(b).get(bRs).get(cr).get(ldc).get(kc).get(accum).call(kernIdx(rows));
    g.op('else');
    g.get(pa).get(b).get(bRs).get(tmp).i32(nr * F.size).get(kc).i32(0).call(kernIdx(rows));
    g.get(tmp).get(cr).get(ldc).i32(rows).get(cols).get(accum).call(copyIdx);
    g.end();
  };

  f.forLoop(j, (g) => g.i32(0), (g) => g.get(nc), nr, (g) => {
    g.get(nc).get(j).op('i32.sub').set(cols);
    g.get(a).set(pa);
    g.get(c).get(j).i32(F.size).op('i32.mul').op('i32.add').set(cr);
    g.forLoop(i, (h) => h.i32(0), (h) => h.get(mc).i32(cfg.mr - 1).op('i32.sub'), cfg.mr, (h) => {
      tile(h, cfg.mr);
      inc(h, pa, aPS);
      inc(h, cr, rowStep);
    });
    // i is now the first row not covered by full tiles.
    g.get(mc).get(i).op('i32.sub').set(rem);
    for (let rows = 1; rows < cfg.mr; rows++) {
      g.get(rem).i32(rows).op('i32.eq').if();
      tile(g, rows);
      g.end();
    }
    inc(g, b, bPS);
  });
  return f;
}

/**
 * Packs rows x kc of A (element (i, p) at src + i*rs + p*cs, strides in bytes) into panels of mr rows:
 * panel q holds, for each p, rows q*mr .. q*mr+mr-1; rows past `rows` are zeros.
 * params: dst, src, rs, cs, rows, kc.
 */
function packA(cfg: KernelConfig): Fn {
  const F = FLAVOURS[cfg.dtype];
  const mr = cfg.mr;
  const f = new Fn(i32s(6));
  const [dst, src, rs, cs, rows, kc] = [0, 1, 2, 3, 4, 5];
  const i = f.local('i32');
  const p = f.local('i32');
  const s = f.local('i32');
  const r = f.local('i32');
  const left = f.local('i32');
  const off = Array.from({ length: mr }, () => f.local('i32'));
  f.i32(0).set(off[0]!);
  for (let q = 1; q < mr; q++) f.get(off[q - 1]!).get(rs).op('i32.add').set(off[q]!);
  const panelStride = f.local('i32');
  f.get(rs).i32(mr).op('i32.mul').set(panelStride);

  // Full panels: mr strided loads per k, unrolled, into contiguous stores.
  f.forLoop(i, (g) => g.i32(0), (g) => g.get(rows).i32(mr - 1).op('i32.sub'), mr, (g) => {
    g.get(src).set(s);
    g.forLoop(p, (h) => h.i32(0), (h) => h.get(kc), 1, (h) => {
      for (let q = 0; q < mr; q++) {
        h.get(dst).get(s).get(off[q]!).op('i32.add').mem(F.load).mem(F.store, q * F.size);
      }
      inc(h, s, cs);
      inc(h, dst, { c: mr * F.size });
    });
    inc(g, src, panelStride);
  });
  // Last partial panel: the valid rows, then zeros so the micro-kernel can run the full tile height.
  f.get(rows).get(i).op('i32.sub').tee(left).i32(0).op('i32.gt_s').if();
  const t = f.local(F.size === 4 ? 'f32' : 'f64');
  f.forLoop(p, (g) => g.i32(0), (g) => g.get(kc), 1, (g) => {
    g.get(src).set(s);
    g.forLoop(r, (h) => h.i32(0), (h) => h.i32(mr), 1, (h) => {
      F.szero(h).set(t);
      h.get(r).get(left).op('i32.lt_s').if();
      h.get(s).mem(F.load).set(t);
      inc(h, s, rs);
      h.end();
      h.get(dst).get(t).mem(F.store);
      inc(h, dst, { c: F.size });
    });
    inc(g, src, cs);
  });
  f.end();
  return f;
}

/**
 * Packs kc x cols of B (element (p, j) at src + p*rs + j*cs, strides in bytes) into panels of nr
 * columns, kc*nr values each; columns past `cols` are zeros. params: dst, src, rs, cs, kc, cols.
 */
function packB(cfg: KernelConfig): Fn {
  const F = FLAVOURS[cfg.dtype];
  const nr = cfg.nv * F.lanes;
  const f = new Fn(i32s(6));
  const [dst, src, rs, cs, kc, cols] = [0, 1, 2, 3, 4, 5];
  const j = f.local('i32');
  const p = f.local('i32');
  const s = f.local('i32');
  const s2 = f.local('i32');
  const q = f.local('i32');
  const left = f.local('i32');
  const panelStride = f.local('i32');
  const t = f.local(F.size === 4 ? 'f32' : 'f64');
  const off = Array.from({ length: nr }, () => f.local('i32'));
  f.i32(0).set(off[0]!);
  for (let x = 1; x < nr; x++) f.get(off[x - 1]!).get(cs).op('i32.add').set(off[x]!);
  f.get(cs).i32(nr).op('i32.mul').set(panelStride);

  f.forLoop(j, (g) => g.i32(0), (g) => g.get(cols).i32(nr - 1).op('i32.sub'), nr, (g) => {
    g.get(src).set(s);
    // Rows of B contiguous along n (the common, untransposed case): copy whole vectors.
    g.get(cs).i32(F.size).op('i32.eq').if();
    g.forLoop(p, (h) => h.i32(0), (h) => h.get(kc), 1, (h) => {
      for (let v = 0; v < cfg.nv; v++) h.get(dst).get(s).mem('v128.load', 16 * v).mem('v128.store', 16 * v);
      inc(h, s, rs);
      inc(h, dst, { c: nr * F.size });
    });
    g.op('else');
    g.forLoop(p, (h) => h.i32(0), (h) => h.get(kc), 1, (h) => {
      for (let x = 0; x < nr; x++) h.get(dst).get(s).get(off[x]!).op('i32.add').mem(F.load).mem(F.store, x * F.size);
      inc(h, s, rs);
      inc(h, dst, { c: nr * F.size });
    });
    g.end();
    inc(g, src, panelStride);
  });
  f.get(cols).get(j).op('i32.sub').tee(left).i32(0).op('i32.gt_s').if();
  f.get(src).set(s);
  f.forLoop(p, (g) => g.i32(0), (g) => g.get(kc), 1, (g) => {
    g.get(s).set(s2);
    g.forLoop(q, (h) => h.i32(0), (h) => h.i32(nr), 1, (h) => {
      F.szero(h).set(t);
      h.get(q).get(left).op('i32.lt_s').if();
      h.get(s2).mem(F.load).set(t);
      inc(h, s2, cs);
      h.end();
      h.get(dst).get(t).mem(F.store);
      inc(h, dst, { c: F.size });
    });
    inc(g, s, rs);
  });
  f.end();
  return f;
}

/**
 * C (rows x n, row pitch ldc bytes) = A (rows x k) B (k x n) with nothing packed: each row of C is
 * swept once per chunk of up to four k steps, with the chunk's A values held splatted and the row of
 * C (in L1) re-read after the first chunk. B rows must be contiguous along n. For k <= 4 this is one
 * pass of stores (outer products are pure writes); for a few rows of a larger k it reads B once per
 * row, contiguously, where the register-tiled path would pack B or stride down it.
 * params: a, aRs, aCs, b, bRs, c, ldc, rows, n, k (strides and pitches in bytes, n and k in elements).
 */
function sweep(cfg: KernelConfig): Fn {
  const F = FLAVOURS[cfg.dtype];
  const st: ValType = F.size === 4 ? 'f32' : 'f64';
  const sMul = F.size === 4 ? 'f32.mul' : 'f64.mul';
  const vSplat = F.size === 4 ? 'f32x4.splat' : 'f64x2.splat';
  const CH = 4;
  const f = new Fn(i32s(10));
  const [a, aRs, aCs, b, bRs, c, ldc, rows, n, k] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const i = f.local('i32');
  const j = f.local('i32');
  const p = f.local('i32');
  const ap = f.local('i32');
  const nBytes = f.local('i32');
  const nVec = f.local('i32');
  const nVecU = f.local('i32');
  const first = f.local('i32');
  const t = f.local(st);
  const tmpV = f.local('v128');
  const av = Array.from({ length: CH }, () => f.local('v128'));
  const sa = Array.from({ length: CH }, () => f.local(st));
  const bp = Array.from({ length: CH }, () => f.local('i32'));
  f.get(n).i32(F.size).op('i32.mul').tee(nBytes).i32(-16).op('i32.and').set(nVec);

  // One vector of C at c + j + off from kk chunk terms, added to C's old value when accumulating.
  // madd takes its addend last, so a running sum on the stack goes through a local first.
  const vector = (g: Fn, kk: number, accum: boolean, off: number): void => {
    const bLoad = (q: number) => g.get(bp[q]!).get(j).op('i32.add').mem('v128.load', off);
    let q0 = 0;
    if (accum) g.get(c).get(j).op('i32.add').mem('v128.load', off);
    else {
      g.get(av[0]!);
      bLoad(0);
      g.op(F.vmul);
      q0 = 1;
    }
    for (let q = q0; q < kk; q++) {
      if (cfg.fma) {
        g.set(tmpV).get(av[q]!);
        bLoad(q);
        g.get(tmpV).op(F.vmadd);
      } else {
        g.get(av[q]!);
        bLoad(q);
        g.op(F.vmul, F.vadd);
      }
    }
  };
  // A chunk of kk k steps over the whole row: splat A's values, then vectors (unrolled), then the
  // columns past the last whole vector one by one.
  const chunk = (g: Fn, kk: number, accum: boolean): void => {
    for (let q = 0; q < kk; q++) {
      g.get(ap).mem(F.load).tee(sa[q]!).op(vSplat).set(av[q]!);
      inc(g, ap, aCs);
      if (q > 0) g.get(bp[q - 1]!).get(bRs).op('i32.add').set(bp[q]!);
    }
    const unroll = kk >= 3 ? 2 : 4;
    g.get(nBytes).i32(-16 * unroll).op('i32.and').set(nVecU);
    g.forLoop(j, (h) => h.i32(0), (h) => h.get(nVecU), 16 * unroll, (h) => {
      for (let u = 0; u < unroll; u++) {
        h.get(c).get(j).op('i32.add');
        vector(h, kk, accum, 16 * u);
        h.mem('v128.store', 16 * u);
      }
    });
    g.forLoop(j, (h) => h.get(j), (h) => h.get(nVec), 16, (h) => {
      h.get(c).get(j).op('i32.add');
      vector(h, kk, accum, 0);
      h.mem('v128.store');
    });
    g.forLoop(j, (h) => h.get(j), (h) => h.get(nBytes), F.size, (h) => {
      if (accum) h.get(c).get(j).op('i32.add').mem(F.load);
      for (let q = 0; q < kk; q++) {
        h.get(sa[q]!).get(bp[q]!).get(j).op('i32.add').mem(F.load).op(sMul);
        if (q > 0 || accum) h.op(F.sadd);
      }
      h.set(t);
      h.get(c).get(j).op('i32.add').get(t).mem(F.store);
    });
    // Next chunk's B rows start after this chunk's.
    g.get(bp[kk - 1]!).get(bRs).op('i32.add').set(bp[0]!);
  };
  // Dispatch on a chunk size 1..CH held in `first` (first chunk) or computed from p (the remainder).
  const byCount = (g: Fn, count: number, accum: boolean): void => {
    for (let kk = 1; kk <= CH; kk++) {
      g.get(count).i32(kk).op('i32.eq').if();
      chunk(g, kk, accum);
      g.end();
    }
  };

  f.forLoop(i, (g) => g.i32(0), (g) => g.get(rows), 1, (g) => {
    g.get(a).set(ap);
    g.get(b).set(bp[0]!);
    g.get(k).i32(CH).get(k).i32(CH).op('i32.lt_s').op('select').set(first);
    byCount(g, first, false);
    g.forLoop(p, (h) => h.get(first), (h) => h.get(k).i32(CH - 1).op('i32.sub'), CH, (h) => chunk(h, CH, true));
    g.get(k).get(p).op('i32.sub').set(first);
    g.get(first).i32(0).op('i32.gt_s').if();
    byCount(g, first, true);
    g.end();
    inc(g, a, aRs);
    inc(g, c, ldc);
  });
  return f;
}

/** dst (rows x cols, contiguous) = src with element (r, q) at src + r*rs + q*cs. params: dst, src, rs, cs, rows, cols. */
function copy2d(cfg: KernelConfig): Fn {
  const F = FLAVOURS[cfg.dtype];
  const f = new Fn(i32s(6));
  const [dst, src, rs, cs, rows, cols] = [0, 1, 2, 3, 4, 5];
  const r = f.local('i32');
  const q = f.local('i32');
  const s = f.local('i32');
  f.forLoop(r, (g) => g.i32(0), (g) => g.get(rows), 1, (g) => {
    g.get(src).set(s);
    g.forLoop(q, (h) => h.i32(0), (h) => h.get(cols), 1, (h) => {
      h.get(dst).get(s).mem(F.load).mem(F.store);
      inc(h, s, cs);
      inc(h, dst, { c: F.size });
    });
    inc(g, src, rs);
  });
  return f;
}

/**
 * C (rows x n) = A B where A's rows and B's columns are both contiguous along k: one vectorised dot
 * product per element, four columns at a time sharing the A loads. For few rows with B transposed
 * (x @ W^T for one sample, a matrix-vector product) this reads B once and packs nothing.
 * params: a, aRs, b, bCs, c, ldc, rows, n, k (strides and pitches in bytes, n and k in elements).
 */
function dotKernel(cfg: KernelConfig): Fn {
  const F = FLAVOURS[cfg.dtype];
  const st: ValType = F.size === 4 ? 'f32' : 'f64';
  const f = new Fn(i32s(9));
  const [a, aRs, b, bCs, c, ldc, rows, n, k] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const i = f.local('i32');
  const j = f.local('i32');
  const p = f.local('i32');
  const kBytes = f.local('i32');
  const kVec = f.local('i32');
  const cb = f.local('i32');
  const cc = f.local('i32');
  const av = f.local('v128');
  const W = 4;
  const acc = Array.from({ length: W }, () => f.local('v128'));
  const bq = Array.from({ length: W }, () => f.local('i32'));
  const sum = Array.from({ length: W }, () => f.local(st));
  const sa = f.local(st);
  const sMul = F.size === 4 ? 'f32.mul' : 'f64.mul';
  const extract = F.size === 4 ? 'f32x4.extract_lane' : 'f64x2.extract_lane';
  f.get(k).i32(F.size).op('i32.mul').tee(kBytes).i32(-16).op('i32.and').set(kVec);

  // Dot products of A's row with `w` columns starting at cb, stored at cc.
  const columns = (g: Fn, w: number): void => {
    g.get(cb).set(bq[0]!);
    for (let q = 1; q < w; q++) g.get(bq[q - 1]!).get(bCs).op('i32.add').set(bq[q]!);
    for (let q = 0; q < w; q++) F.vzero(g).set(acc[q]!);
    g.forLoop(p, (h) => h.i32(0), (h) => h.get(kVec), 16, (h) => {
      h.get(a).get(p).op('i32.add').mem('v128.load').set(av);
      for (let q = 0; q < w; q++) {
        if (cfg.fma) h.get(av).get(bq[q]!).get(p).op('i32.add').mem('v128.load').get(acc[q]!).op(F.vmadd);
        else h.get(acc[q]!).get(av).get(bq[q]!).get(p).op('i32.add').mem('v128.load').op(F.vmul, F.vadd);
        h.set(acc[q]!);
      }
    });
    for (let q = 0; q < w; q++) {
      for (let l = 0; l < F.lanes; l++) {
        g.get(acc[q]!).lane(extract, l);
        if (l > 0) g.op(F.sadd);
      }
      g.set(sum[q]!);
    }
    g.forLoop(p, (h) => h.get(kVec), (h) => h.get(kBytes), F.size, (h) => {
      h.get(a).get(p).op('i32.add').mem(F.load).set(sa);
      for (let q = 0; q < w; q++) {
        h.get(sum[q]!).get(sa).get(bq[q]!).get(p).op('i32.add').mem(F.load).op(sMul).op(F.sadd).set(sum[q]!);
      }
    });
    for (let q = 0; q < w; q++) g.get(cc).get(sum[q]!).mem(F.store, q * F.size);
  };

  f.forLoop(i, (g) => g.i32(0), (g) => g.get(rows), 1, (g) => {
    g.get(b).set(cb);
    g.get(c).set(cc);
    g.forLoop(j, (h) => h.i32(0), (h) => h.get(n).i32(W - 1).op('i32.sub'), W, (h) => {
      columns(h, W);
      h.get(cb).get(bCs).i32(W).op('i32.mul').op('i32.add').set(cb);
      inc(h, cc, { c: W * F.size });
    });
    g.forLoop(j, (h) => h.get(j), (h) => h.get(n), 1, (h) => {
      columns(h, 1);
      inc(h, cb, bCs);
      inc(h, cc, { c: F.size });
    });
    inc(g, a, aRs);
    inc(g, c, ldc);
  });
  return f;
}

export interface GemmKernels {
  readonly cfg: KernelConfig;
  /** Tile width in elements. */
  readonly nr: number;
  /** (a, b, bRs, bPS, c, ldc, mc, nc, kc, accumulate, tmp) */
  macro(...args: number[]): void;
  /** (dst, src, rs, cs, rows, kc) */
  packA(...args: number[]): void;
  /** (dst, src, rs, cs, kc, cols) */
  packB(...args: number[]): void;
  /** (dst, src, rs, cs, rows, cols) */
  copy2d(...args: number[]): void;
  /** (a, aRs, aCs, b, bRs, c, ldc, rows, n, k) */
  sweep(...args: number[]): void;
  /** (a, aRs, b, bCs, c, ldc, rows, n, k) */
  dot(...args: number[]): void;
}


const cache = new Map<string, GemmKernels>();

/** The kernels for one configuration, generated and instantiated on first use. */
export function gemmKernels(cfg: KernelConfig): GemmKernels {
  const key = `${cfg.dtype}:${cfg.mr}x${cfg.nv}:${cfg.fma ? 'fma' : 'muladd'}`;
  let k = cache.get(key);
  if (k) return k;
  const funcs: { name: string; fn: Fn }[] = [];
  for (let rows = 1; rows <= cfg.mr; rows++) funcs.push({ name: `k${rows}`, fn: microKernel(cfg, rows) });
  const copyIdx = funcs.length;
  funcs.push({ name: 'copy', fn: copyTile(cfg) });
  funcs.push({ name: 'macro', fn: macroKernel(cfg, (rows) => rows - 1, copyIdx) });
  funcs.push({ name: 'packA', fn: packA(cfg) });
  funcs.push({ name: 'packB', fn: packB(cfg) });
  funcs.push({ name: 'copy2d', fn: copy2d(cfg) });
  funcs.push({ name: 'dot', fn: dotKernel(cfg) });
  funcs.push({ name: 'sweep', fn: sweep(cfg) });
  const ex: Exports = instantiate(funcs);
  k = {
    cfg,
    nr: cfg.nv * FLAVOURS[cfg.dtype].lanes,
    macro: ex.macro as GemmKernels['macro'],
    packA: ex.packA as GemmKernels['packA'],
    packB: ex.packB as GemmKernels['packB'],
    copy2d: ex.copy2d as GemmKernels['copy2d'],
    dot: ex.dot as GemmKernels['dot'],
    sweep: ex.sweep as GemmKernels['sweep'],
  };
  cache.set(key, k);
  return k;
}
