// torch.nn.functional composites (src/ops/nn) against naive float64 loop references, hand-derived
// numbers and central finite differences; plus their argument errors and a few transform checks.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { mulberry as mulberry32 } from './support/samples.js';

type T = torch.Tensor;

// ------------------------------------------------------------------------------------------------
// Helpers


const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);

function randArr(n: number, seed: number, lo = -1, hi = 1): number[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => lo + (hi - lo) * r());
}

/** A float64 tensor of `shape` with deterministic uniform values. */
interface Arg {
  data: number[];
  shape: number[];
}
const arg = (shape: number[], seed: number, lo = -1, hi = 1): Arg => ({ data: randArr(prod(shape), seed, lo, hi), shape });
const t64 = (a: Arg, requiresGrad = false): T => torch.tensor(Float64Array.from(a.data), { shape: a.shape, dtype: 'float64', requiresGrad });

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-9, what = ''): void {
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} vs ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) {
      assert.fail(`${what}: element ${i}: got ${a}, expected ${e} (tol ${tol})`);
    }
  }
}
const vals = (t: T) => Array.from(t.toArray() as Float64Array);

/**
 * Compares torch.autograd.grad of sum(f(...) * R) (R fixed random weights) with central finite
 * differences, for every input.
 */
function checkGrad(f: (...xs: T[]) => T, args: Arg[], tol = 1e-6, h = 1e-6): void {
  const ts = args.map((a) => t64(a, true));
  const out = f(...ts);
  const weights = t64(arg(out.shape, 999));
  const scalar = (o: T) => o.mul(weights).sum();
  const grads = torch.autograd.grad(scalar(out), ts);
  args.forEach((a, k) => {
    const numeric: number[] = [];
    for (let j = 0; j < a.data.length; j++) {
      const at = (delta: number) => {
        const moved = args.map((b, i) => (i === k ? { shape: b.shape, data: b.data.map((v, q) => (q === j ? v + delta : v)) } : b));
        return scalar(f(...moved.map((m) => t64(m)))).item();
      };
      numeric.push((at(h) - at(-h)) / (2 * h));
    }
    assert.ok(grads[k], `input ${k} got no gradient`);
    assertClose(vals(grads[k]!), numeric, tol, `gradient of input ${k}`);
  });
}

/** Row-major index helper. */
const idx = (shape: number[], ...ix: number[]) => ix.reduce((acc, v, i) => acc * shape[i]! + v, 0);

// ------------------------------------------------------------------------------------------------
// Naive references

function naiveConv2d(
  x: Arg, w: Arg, b: number[] | null,
  stride: [number, number], pads: [number, number, number, number], dil: [number, number], groups: number,
): Arg {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [O, Cg, kh, kw] = w.shape as [number, number, number, number];
  const [pt, pb, pl, pr] = pads;
  const oh = Math.floor((H + pt + pb - dil[0] * (kh - 1) - 1) / stride[0]) + 1;
  const ow = Math.floor((W + pl + pr - dil[1] * (kw - 1) - 1) / stride[1]) + 1;
  const out: number[] = [];
  const og = O / groups;
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let y = 0; y < oh; y++)
        for (let xx = 0; xx < ow; xx++) {
          const g = Math.floor(o / og);
          let acc = b ? b[o]! : 0;
          for (let c = 0; c < Cg; c++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const iy = y * stride[0] - pt + i * dil[0];
                const ix = xx * stride[1] - pl + j * dil[1];
                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                acc += x.data[idx([N, C, H, W], n, g * Cg + c, iy, ix)]! * w.data[idx([O, Cg, kh, kw], o, c, i, j)]!;
              }
          out.push(acc);
        }
  return { data: out, shape: [N, O, oh, ow] };
}

function naiveConvTranspose2d(
  x: Arg, w: Arg, b: number[] | null,
  stride: [number, number], pad: [number, number], outPad: [number, number], dil: [number, number], groups: number,
): Arg {
  const [N, Cin, H, W] = x.shape as [number, number, number, number];
  const [, Og, kh, kw] = w.shape as [number, number, number, number];
  const Cout = Og * groups;
  const Cg = Cin / groups;
  const oh = (H - 1) * stride[0] - 2 * pad[0] + dil[0] * (kh - 1) + outPad[0] + 1;
  const ow = (W - 1) * stride[1] - 2 * pad[1] + dil[1] * (kw - 1) + outPad[1] + 1;
  const shape = [N, Cout, oh, ow];
  const out = new Array<number>(prod(shape)).fill(0);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < Cout; o++)
      for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) out[idx(shape, n, o, y, xx)] = b ? b[o]! : 0;
  for (let n = 0; n < N; n++)
    for (let ci = 0; ci < Cin; ci++)
      for (let y = 0; y < H; y++)
        for (let xx = 0; xx < W; xx++)
          for (let o = 0; o < Og; o++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const oy = y * stride[0] - pad[0] + i * dil[0];
                const ox = xx * stride[1] - pad[1] + j * dil[1];
                if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
                const co = Math.floor(ci / Cg) * Og + o;
                out[idx(shape, n, co, oy, ox)] += x.data[idx(x.shape, n, ci, y, xx)]! * w.data[idx(w.shape, ci, o, i, j)]!;
              }
  return { data: out, shape };
}

/** PyTorch's pooling output size (docs formula, with the ceil-mode rule that windows start inside). */
function poolSize(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const num = size + 2 * p - d * (k - 1) - 1;
  let o = (ceil ? Math.ceil(num / s) : Math.floor(num / s)) + 1;
  if (ceil && (o - 1) * s >= size + p) o--;
  return o;
}

function naiveMaxPool(x: Arg, k: number[], s: number[], p: number[], d: number[], ceil: boolean): Arg {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const oh = poolSize(H, k[0]!, s[0]!, p[0]!, d[0]!, ceil);
  const ow = poolSize(W, k[1]!, s[1]!, p[1]!, d[1]!, ceil);
  const out: number[] = [];
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let y = 0; y < oh; y++)
        for (let xx = 0; xx < ow; xx++) {
          let m = -Infinity;
          for (let i = 0; i < k[0]!; i++)
            for (let j = 0; j < k[1]!; j++) {
              const iy = y * s[0]! - p[0]! + i * d[0]!;
              const ix = xx * s[1]! - p[1]! + j * d[1]!;
              if (iy >= 0 && iy < H && ix >= 0 && ix < W) m = Math.max(m, x.data[idx(x.shape, n, c, iy, ix)]!);
            }
          out.push(m);
        }
  return { data: out, shape: [N, C, oh, ow] };
}

function naiveAvgPool(x: Arg, k: number[], s: number[], p: number[], ceil: boolean, includePad: boolean, divisor?: number): Arg {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const oh = poolSize(H, k[0]!, s[0]!, p[0]!, 1, ceil);
  const ow = poolSize(W, k[1]!, s[1]!, p[1]!, 1, ceil);
  const out: number[] = [];
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let y = 0; y < oh; y++)
        for (let xx = 0; xx < ow; xx++) {
          // PyTorch's avg_pool2d kernel: window clipped to the padded input for the pool size.
          let hs = y * s[0]! - p[0]!;
          let ws = xx * s[1]! - p[1]!;
          let he = Math.min(hs + k[0]!, H + p[0]!);
          let we = Math.min(ws + k[1]!, W + p[1]!);
          const poolSizeAll = (he - hs) * (we - ws);
          hs = Math.max(hs, 0);
          ws = Math.max(ws, 0);
          he = Math.min(he, H);
          we = Math.min(we, W);
          let acc = 0;
          for (let iy = hs; iy < he; iy++) for (let ix = ws; ix < we; ix++) acc += x.data[idx(x.shape, n, c, iy, ix)]!;
          const div = divisor ?? (includePad ? poolSizeAll : (he - hs) * (we - ws));
          out.push(acc / div);
        }
  return { data: out, shape: [N, C, oh, ow] };
}

function naiveAdaptiveAvg(x: Arg, oh: number, ow: number): Arg {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const out: number[] = [];
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          const hs = Math.floor((i * H) / oh);
          const he = Math.ceil(((i + 1) * H) / oh);
          const ws = Math.floor((j * W) / ow);
          const we = Math.ceil(((j + 1) * W) / ow);
          let acc = 0;
          for (let y = hs; y < he; y++) for (let xx = ws; xx < we; xx++) acc += x.data[idx(x.shape, n, c, y, xx)]!;
          out.push(acc / ((he - hs) * (we - ws)));
        }
  return { data: out, shape: [N, C, oh, ow] };
}

function logSoftmaxRow(row: number[]): number[] {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
}

/** PyTorch's cross_entropy with class-index targets on rows [M][C]: returns per-row terms and the reductions. */
function naiveCrossEntropy(rows: number[][], targets: number[], weight: number[] | null, ignore: number, eps: number) {
  const C = rows[0]!.length;
  const w = weight ?? new Array<number>(C).fill(1);
  let nllSum = 0;
  let smoothSum = 0;
  let wSum = 0;
  const none: number[] = [];
  rows.forEach((row, i) => {
    const t = targets[i]!;
    if (t === ignore) {
      none.push(0);
      return;
    }
    const lp = logSoftmaxRow(row);
    const nll = -w[t]! * lp[t]!;
    const smooth = -lp.reduce((a, v, c) => a + w[c]! * v, 0);
    nllSum += nll;
    smoothSum += smooth;
    wSum += w[t]!;
    none.push((1 - eps) * nll + (eps / C) * smooth);
  });
  return { none, sum: (1 - eps) * nllSum + (eps / C) * smoothSum, mean: (1 - eps) * (nllSum / wSum) + (eps / C) * (smoothSum / wSum) };
}

// ------------------------------------------------------------------------------------------------

describe('linear', () => {
  test('linear and bilinear match loops; gradients match finite differences', () => {
    const x = arg([2, 3, 4], 1);
    const w = arg([5, 4], 2);
    const b = arg([5], 3);
    const y = torch.linear(t64(x), t64(w), t64(b));
    assert.deepEqual(y.shape, [2, 3, 5]);
    const ref: number[] = [];
    for (let m = 0; m < 6; m++) for (let o = 0; o < 5; o++) {
      let acc = b.data[o]!;
      for (let i = 0; i < 4; i++) acc += x.data[m * 4 + i]! * w.data[o * 4 + i]!;
      ref.push(acc);
    }
    assertClose(vals(y), ref);
    // 1-D weight: a dot product over the last dim
    assert.deepEqual(torch.linear(t64(x), t64(arg([4], 4))).shape, [2, 3]);
    checkGrad((a, c, d) => torch.linear(a, c, d), [arg([3, 4], 5), w, b]);

    const x1 = arg([3, 2], 6);
    const x2 = arg([3, 3], 7);
    const bw = arg([4, 2, 3], 8);
    const bb = arg([4], 9);
    const z = torch.bilinear(t64(x1), t64(x2), t64(bw), t64(bb));
    const zr: number[] = [];
    for (let m = 0; m < 3; m++) for (let o = 0; o < 4; o++) {
      let acc = bb.data[o]!;
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) acc += x1.data[m * 2 + i]! * bw.data[(o * 2 + i) * 3 + j]! * x2.data[m * 3 + j]!;
      zr.push(acc);
    }
    assertClose(vals(z), zr);
    checkGrad((a, c, d, e) => torch.bilinear(a, c, d, e), [x1, x2, bw, bb]);
  });

  test('linear errors name the shapes', () => {
    assert.throws(() => torch.linear(torch.randn([2, 3]), torch.randn([4, 5])), {
      name: 'ShapeError',
      message: /linear\(\): input and weight\.T shapes cannot be multiplied \(2x3 and 5x4\)/,
    });
    assert.throws(() => torch.linear(torch.randn([2, 3]), torch.randn([4, 3], { dtype: 'float64' })), { name: 'DTypeError' });
    assert.throws(() => torch.linear(torch.randn([2, 3]), torch.randn([4, 3]), torch.randn([5])), { name: 'ShapeError', message: /bias/ });
  });
});

describe('conv', () => {
  const cases: { name: string; x: number[]; w: number[]; opts: torch.Conv2dOptions; pads: [number, number, number, number] }[] = [
    { name: 'plain', x: [2, 3, 6, 5], w: [4, 3, 3, 3], opts: {}, pads: [0, 0, 0, 0] },
    { name: 'stride 2, padding 1', x: [1, 2, 7, 6], w: [3, 2, 3, 2], opts: { stride: 2, padding: 1 }, pads: [1, 1, 1, 1] },
    { name: 'pairs + dilation', x: [1, 2, 8, 7], w: [2, 2, 3, 2], opts: { stride: [2, 1], padding: [1, 2], dilation: [2, 3] }, pads: [1, 1, 2, 2] },
    { name: 'groups 2', x: [2, 4, 5, 5], w: [6, 2, 3, 3], opts: { groups: 2, padding: 1 }, pads: [1, 1, 1, 1] },
    { name: 'depthwise', x: [1, 3, 5, 6], w: [6, 1, 2, 3], opts: { groups: 3, stride: [1, 2] }, pads: [0, 0, 0, 0] },
    // 'same' with an even (dilated) kernel pads the odd element after, as PyTorch: total 3 -> (1, 2)
    { name: "padding 'same'", x: [1, 2, 5, 6], w: [3, 2, 4, 3], opts: { padding: 'same', dilation: [1, 2] }, pads: [1, 2, 2, 2] },
    { name: "padding 'valid'", x: [1, 2, 5, 6], w: [3, 2, 2, 2], opts: { padding: 'valid' }, pads: [0, 0, 0, 0] },
  ];
  for (const c of cases) {
    test(`conv2d matches a naive convolution: ${c.name}`, () => {
      const x = arg(c.x, 11);
      const w = arg(c.w, 12);
      const b = arg([c.w[0]!], 13);
      const pair = (v: number | [number, number] | undefined, d: number): [number, number] => (v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : v);
      const ref = naiveConv2d(x, w, b.data, pair(c.opts.stride as never, 1), c.pads, pair(c.opts.dilation, 1), c.opts.groups ?? 1);
      const y = torch.conv2d(t64(x), t64(w), t64(b), c.opts);
      assert.deepEqual(y.shape, ref.shape);
      assertClose(vals(y), ref.data);
    });
  }

  test('conv2d gradients (stride, padding, dilation, groups) match finite differences', () => {
    checkGrad((x, w, b) => torch.conv2d(x, w, b, { stride: [2, 1], padding: 1, dilation: [1, 2], groups: 2 }), [
      arg([1, 4, 5, 6], 21),
      arg([4, 2, 3, 2], 22),
      arg([4], 23),
    ]);
  });

  test('conv2d on an unbatched input and conv1d match the batched / naive results', () => {
    const x = arg([3, 5, 5], 31);
    const w = arg([2, 3, 3, 3], 32);
    const ub = torch.conv2d(t64(x), t64(w), null, { padding: 1 });
    const bt = torch.conv2d(t64({ data: x.data, shape: [1, 3, 5, 5] }), t64(w), null, { padding: 1 });
    assert.deepEqual(ub.shape, [2, 5, 5]);
    assertClose(vals(ub), vals(bt));

    const x1 = arg([2, 4, 9], 33);
    const w1 = arg([6, 2, 3], 34);
    const b1 = arg([6], 35);
    const y1 = torch.conv1d(t64(x1), t64(w1), t64(b1), { stride: 2, padding: 2, dilation: 2, groups: 2 });
    const ref = naiveConv2d({ data: x1.data, shape: [2, 4, 1, 9] }, { data: w1.data, shape: [6, 2, 1, 3] }, b1.data, [1, 2], [0, 0, 2, 2], [1, 2], 2);
    assert.deepEqual(y1.shape, [2, 6, ref.shape[3]!]);
    assertClose(vals(y1), ref.data);
    const same = torch.conv1d(t64({ data: x1.data.slice(0, 36), shape: [4, 9] }), t64(arg([5, 4, 4], 36)), null, { padding: 'same' });
    assert.deepEqual(same.shape, [5, 9]);
    checkGrad((a, c) => torch.conv1d(a, c, null, { padding: 1, stride: 2 }), [arg([1, 2, 6], 37), arg([3, 2, 3], 38)]);
  });

  const tcases: { x: number[]; w: number[]; stride: [number, number]; pad: [number, number]; outPad: [number, number]; dil: [number, number]; groups: number }[] = [
    { x: [2, 3, 4, 4], w: [3, 2, 3, 3], stride: [1, 1], pad: [0, 0], outPad: [0, 0], dil: [1, 1], groups: 1 },
    { x: [1, 4, 3, 4], w: [4, 2, 3, 3], stride: [2, 2], pad: [1, 1], outPad: [1, 1], dil: [1, 1], groups: 1 },
    { x: [1, 4, 3, 3], w: [4, 3, 2, 3], stride: [2, 3], pad: [1, 0], outPad: [0, 2], dil: [2, 1], groups: 2 },
    { x: [1, 2, 3, 3], w: [2, 1, 3, 2], stride: [1, 1], pad: [2, 1], outPad: [1, 0], dil: [2, 2], groups: 2 },
  ];
  tcases.forEach((c, i) => {
    test(`convTranspose2d matches a naive scatter: case ${i}`, () => {
      const x = arg(c.x, 41 + i);
      const w = arg(c.w, 51 + i);
      const b = arg([c.w[1]! * c.groups], 61 + i);
      const ref = naiveConvTranspose2d(x, w, b.data, c.stride, c.pad, c.outPad, c.dil, c.groups);
      const y = torch.convTranspose2d(t64(x), t64(w), t64(b), { stride: c.stride, padding: c.pad, outputPadding: c.outPad, dilation: c.dil, groups: c.groups });
      assert.deepEqual(y.shape, ref.shape);
      assertClose(vals(y), ref.data);
    });
  });

  test('convTranspose2d is the adjoint of conv2d; its gradients match finite differences', () => {
    const w = t64(arg([4, 3, 3, 3], 71)); // conv2d: 3 -> 4 channels; transposed: 4 -> 3
    const x = t64(arg([2, 3, 7, 6], 72));
    const opts = { stride: 2, padding: 1 } as const;
    const y = torch.conv2d(x, w, null, opts);
    const u = t64(arg(y.shape, 73));
    const back = torch.convTranspose2d(u, w, null, { ...opts, outputPadding: [0, 1] });
    assert.deepEqual(back.shape, x.shape);
    assertClose([y.mul(u).sum().item()], [x.mul(back).sum().item()], 1e-10, '<conv x, u> = <x, convT u>');
    checkGrad((a, c, d) => torch.convTranspose2d(a, c, d, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }), [
      arg([1, 4, 3, 3], 74),
      arg([4, 1, 3, 3], 75),
      arg([2], 76),
    ]);
  });

  test('conv errors use PyTorch wording', () => {
    assert.throws(() => torch.conv2d(torch.randn([1, 4, 5, 5]), torch.randn([8, 3, 3, 3])), {
      name: 'ShapeError',
      message: 'conv2d(): Given groups=1, weight of size [8, 3, 3, 3], expected input[1, 4, 5, 5] to have 3 channels, but got 4 channels instead',
    });
    assert.throws(() => torch.conv2d(torch.randn([4, 5, 5]), torch.randn([8, 3, 3, 3])), { message: /expected input\[1, 4, 5, 5\] to have 3 channels/ });
    assert.throws(() => torch.conv2d(torch.randn([1, 4, 5, 5]), torch.randn([6, 2, 3, 3]), null, { groups: 4 }), {
      name: 'ShapeError',
      message: /Given groups=4, expected weight to be divisible by 4 at dimension 0, but got weight of size \[6, 2, 3, 3\] instead/,
    });
    assert.throws(() => torch.conv2d(torch.randn([1, 3, 2, 2]), torch.randn([2, 3, 3, 3])), {
      name: 'ShapeError',
      message: /Calculated padded input size per channel: \(2 x 2\)\. Kernel size: \(3 x 3\)\. Kernel size can't be greater than actual input size/,
    });
    assert.throws(() => torch.conv2d(torch.randn([1, 3, 5, 5]), torch.randn([2, 3, 3, 3]), torch.randn([3])), {
      message: /expected bias to be 1-dimensional with 2 elements, but got bias of size \[3\] instead/,
    });
    assert.throws(() => torch.conv2d(torch.randn([5, 5]), torch.randn([2, 3, 3, 3])), { message: /Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: \[5, 5\]/ });
    assert.throws(() => torch.conv2d(torch.randn([1, 3, 5, 5]), torch.randn([2, 3, 3, 3]), null, { padding: 'same', stride: 2 }), {
      name: 'ValueError',
      message: /padding='same' is not supported for strided convolutions/,
    });
    assert.throws(() => torch.conv1d(torch.randn([1, 3, 5]), torch.randn([2, 2, 3])), { message: /conv1d\(\): Given groups=1, weight of size \[2, 2, 3\], expected input\[1, 3, 5\] to have 2 channels/ });
    assert.throws(() => torch.convTranspose2d(torch.randn([1, 3, 5, 5]), torch.randn([4, 2, 3, 3])), {
      message: /Given transposed=1, weight of size \[4, 2, 3, 3\], expected input\[1, 3, 5, 5\] to have 4 channels, but got 3 channels instead/,
    });
    assert.throws(() => torch.convTranspose2d(torch.randn([1, 4, 5, 5]), torch.randn([4, 2, 3, 3]), null, { outputPadding: 1 }), {
      name: 'ValueError',
      message: /output padding must be smaller than either stride or dilation/,
    });
  });
});

describe('pooling', () => {
  const maxCases: { x: number[]; k: [number, number]; o: torch.MaxPool2dOptions; s: [number, number]; p: [number, number]; d: [number, number] }[] = [
    { x: [2, 2, 6, 6], k: [2, 2], o: {}, s: [2, 2], p: [0, 0], d: [1, 1] },
    { x: [1, 2, 7, 6], k: [3, 3], o: { stride: 2, padding: 1 }, s: [2, 2], p: [1, 1], d: [1, 1] },
    { x: [1, 1, 7, 8], k: [2, 3], o: { stride: [1, 2], dilation: [2, 1], padding: [1, 1] }, s: [1, 2], p: [1, 1], d: [2, 1] },
  ];
  maxCases.forEach((c, i) => {
    for (const ceilMode of [false, true]) {
      test(`maxPool2d matches a naive max: case ${i}, ceilMode ${ceilMode}`, () => {
        const x = arg(c.x, 81 + i);
        const ref = naiveMaxPool(x, c.k, c.s, c.p, c.d, ceilMode);
        const y = torch.maxPool2d(t64(x), c.k, { ...c.o, ceilMode });
        assert.deepEqual(y.shape, ref.shape);
        assertClose(vals(y), ref.data);
      });
    }
  });

  test('ceilMode output sizes follow PyTorch (the last window must start inside the input)', () => {
    assert.deepEqual(torch.maxPool2d(torch.randn([1, 1, 5, 5]), 2, { ceilMode: true }).shape, [1, 1, 3, 3]);
    assert.deepEqual(torch.maxPool2d(torch.randn([1, 1, 5, 5]), 2).shape, [1, 1, 2, 2]);
    // 3 + 2*1 padding, kernel 2, stride 2: ceil gives 3 windows, but the third would start in the padding
    assert.deepEqual(torch.maxPool2d(torch.randn([1, 1, 3, 3]), 2, { padding: 1, ceilMode: true }).shape, [1, 1, 2, 2]);
  });

  test('maxPool2d gradient matches finite differences; unbatched input works', () => {
    checkGrad((x) => torch.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }), [arg([1, 2, 6, 5], 91)]);
    const x = arg([2, 5, 5], 92);
    assertClose(vals(torch.maxPool2d(t64(x), 2)), vals(torch.maxPool2d(t64({ data: x.data, shape: [1, 2, 5, 5] }), 2)));
  });

  const avgCases: { x: number[]; k: [number, number]; s: [number, number]; p: [number, number]; ceil: boolean; include: boolean; div?: number }[] = [
    { x: [2, 2, 6, 6], k: [2, 2], s: [2, 2], p: [0, 0], ceil: false, include: true },
    { x: [1, 2, 7, 6], k: [3, 3], s: [2, 2], p: [1, 1], ceil: false, include: true },
    { x: [1, 2, 7, 6], k: [3, 3], s: [2, 2], p: [1, 1], ceil: false, include: false },
    { x: [1, 1, 7, 8], k: [3, 2], s: [2, 3], p: [1, 1], ceil: true, include: true },
    { x: [1, 1, 7, 8], k: [3, 2], s: [2, 3], p: [1, 1], ceil: true, include: false },
    { x: [1, 1, 5, 5], k: [2, 2], s: [2, 2], p: [0, 0], ceil: true, include: true, div: 3 },
  ];
  avgCases.forEach((c, i) => {
    test(`avgPool2d matches a naive average: case ${i}`, () => {
      const x = arg(c.x, 101 + i);
      const ref = naiveAvgPool(x, c.k, c.s, c.p, c.ceil, c.include, c.div);
      const y = torch.avgPool2d(t64(x), c.k, { stride: c.s, padding: c.p, ceilMode: c.ceil, countIncludePad: c.include, divisorOverride: c.div });
      assert.deepEqual(y.shape, ref.shape);
      assertClose(vals(y), ref.data);
    });
  });

  test('adaptiveAvgPool2d matches PyTorch windows (divisible and not); gradients', () => {
    for (const [h, w, oh, ow] of [[6, 8, 3, 4], [7, 9, 3, 4], [5, 5, 1, 1], [4, 6, 4, 5]] as const) {
      const x = arg([2, 2, h, w], 111 + h);
      const y = torch.adaptiveAvgPool2d(t64(x), [oh, ow]);
      const ref = naiveAdaptiveAvg(x, oh, ow);
      assert.deepEqual(y.shape, ref.shape);
      assertClose(vals(y), ref.data, 1e-12, `${h}x${w} -> ${oh}x${ow}`);
    }
    assert.deepEqual(torch.adaptiveAvgPool2d(torch.randn([3, 7, 9]), [null, 2]).shape, [3, 7, 2]);
    checkGrad((x) => torch.adaptiveAvgPool2d(x, [2, 3]), [arg([1, 1, 5, 7], 121)]);
    checkGrad((x) => torch.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }), [arg([1, 1, 5, 5], 122)]);
  });

  test('pooling errors', () => {
    assert.throws(() => torch.maxPool2d(torch.randn([1, 1, 5, 5]), 3, { padding: 2 }), {
      name: 'ValueError',
      message: /pad should be at most half of effective kernel size, but got pad=2, kernel_size=3 and dilation=1/,
    });
    assert.throws(() => torch.avgPool2d(torch.randn([1, 1, 5, 5]), 2, { padding: 2 }), { name: 'ValueError', message: /avgPool2d\(\): pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 and dilation=1/ });
    assert.throws(() => torch.maxPool2d(torch.randn([5, 5]), 2), { name: 'ShapeError', message: /maxPool2d\(\): Expected 3D or 4D/ });
    assert.throws(() => torch.maxPool2d(torch.randn([1, 1, 2, 2]), 3), { name: 'ShapeError', message: /Output size is too small/ });
    assert.throws(() => torch.adaptiveAvgPool2d(torch.randn([1, 1, 2, 2]), 0), { name: 'ValueError' });
  });
});

describe('dropout and embedding', () => {
  test('dropout masks with probability p and scales by 1 / (1 - p)', () => {
    torch.manualSeed(0);
    const x = torch.ones([4000], { dtype: 'float64', requiresGrad: true });
    const y = torch.dropout(x, 0.25);
    const v = vals(y);
    const kept = v.filter((e) => e !== 0);
    assert.ok(kept.every((e) => Math.abs(e - 4 / 3) < 1e-12));
    assert.ok(Math.abs(kept.length / 4000 - 0.75) < 0.04, `kept fraction ${kept.length / 4000}`);
    const [g] = torch.autograd.grad(y.sum(), x);
    assertClose(vals(g!), v, 0, 'gradient = mask / (1 - p)');
    assert.equal(torch.dropout(x, 0.5, false), x);
    assert.equal(torch.dropout(x, { p: 0.5, training: false }), x);
    assert.equal(torch.dropout(x, 0), x);
    assert.ok(vals(torch.dropout(x, 1)).every((e) => e === 0));
    assert.throws(() => torch.dropout(x, 1.5), { name: 'ValueError', message: /dropout probability has to be between 0 and 1, but got 1.5/ });
  });

  test('embedding looks up rows; the padding row gets no gradient', () => {
    const w = arg([5, 3], 131);
    const wt = t64(w, true);
    const ids = torch.tensor([[1, 0, 4], [0, 2, 2]], { dtype: 'int32' });
    const e = torch.embedding(ids, wt, { paddingIdx: 0 });
    assert.deepEqual(e.shape, [2, 3, 3]);
    const flatIds = [1, 0, 4, 0, 2, 2];
    assertClose(vals(e), flatIds.flatMap((i) => w.data.slice(i * 3, i * 3 + 3)));
    const [g] = torch.autograd.grad(e.sum(), wt);
    assert.deepEqual(g!.tolist(), [[0, 0, 0], [1, 1, 1], [2, 2, 2], [0, 0, 0], [1, 1, 1]]);
    const [g2] = torch.autograd.grad(torch.embedding(ids, wt).sum(), wt);
    assert.deepEqual((g2!.tolist() as number[][])[0], [2, 2, 2]);
    assert.throws(() => torch.embedding(torch.tensor([0.5]), wt), { name: 'DTypeError' });
    assert.throws(() => torch.embedding(torch.tensor([5], { dtype: 'int32' }), wt), { name: 'IndexError', message: /index out of range/ });
    assert.throws(() => torch.embedding(ids, wt, { paddingIdx: 7 }), { name: 'IndexError', message: /Padding_idx must be within num_embeddings/ });
  });
});

describe('normalization', () => {
  function naiveNorm(data: number[], groups: number, groupSize: number, eps: number): number[] {
    const out: number[] = [];
    for (let g = 0; g < groups; g++) {
      const seg = data.slice(g * groupSize, (g + 1) * groupSize);
      const mu = seg.reduce((a, b) => a + b, 0) / groupSize;
      const v = seg.reduce((a, b) => a + (b - mu) ** 2, 0) / groupSize;
      out.push(...seg.map((e) => (e - mu) / Math.sqrt(v + eps)));
    }
    return out;
  }

  test('layerNorm over the trailing dims, with affine parameters; gradients', () => {
    const x = arg([2, 3, 4], 141);
    const w = arg([3, 4], 142);
    const b = arg([3, 4], 143);
    const y = torch.layerNorm(t64(x), [3, 4], t64(w), t64(b), 1e-5);
    const ref = naiveNorm(x.data, 2, 12, 1e-5).map((e, i) => e * w.data[i % 12]! + b.data[i % 12]!);
    assertClose(vals(y), ref);
    assertClose(vals(torch.layerNorm(t64(x), 4)), naiveNorm(x.data, 6, 4, 1e-5));
    checkGrad((a, c, d) => torch.layerNorm(a, [4], c, d), [arg([3, 4], 144), arg([4], 145), arg([4], 146)]);
    assert.throws(() => torch.layerNorm(t64(x), [3]), {
      name: 'ShapeError',
      message: 'layerNorm(): Given normalized_shape=[3], expected input with shape [*, 3], but got input of size [2, 3, 4]',
    });
  });

  test('batchNorm: batch statistics, in-place running stats (unbiased variance), evaluation mode', () => {
    const x = arg([4, 2, 3], 151);
    const rm = torch.zeros([2], { dtype: 'float64' });
    const rv = torch.ones([2], { dtype: 'float64' });
    const w = arg([2], 152);
    const b = arg([2], 153);
    const y = torch.batchNorm(t64(x), rm, rv, t64(w), t64(b), { training: true, momentum: 0.1 });
    const chan = (c: number) => x.data.filter((_, i) => Math.floor(i / 3) % 2 === c);
    const ref = new Array<number>(24);
    for (let c = 0; c < 2; c++) {
      const seg = chan(c);
      const mu = seg.reduce((a, v) => a + v, 0) / 12;
      const v = seg.reduce((a, e) => a + (e - mu) ** 2, 0) / 12;
      x.data.forEach((e, i) => {
        if (Math.floor(i / 3) % 2 === c) ref[i] = ((e - mu) / Math.sqrt(v + 1e-5)) * w.data[c]! + b.data[c]!;
      });
      assertClose([vals(rm)[c]!], [0.1 * mu], 1e-12, 'running mean');
      assertClose([vals(rv)[c]!], [0.9 + 0.1 * v * (12 / 11)], 1e-12, 'running var (unbiased)');
    }
    assertClose(vals(y), ref);
    // evaluation mode normalizes with the running statistics
    const ye = torch.batchNorm(t64(x), rm, rv, null, null);
    const m = vals(rm);
    const s = vals(rv);
    assertClose(vals(ye), x.data.map((e, i) => (e - m[Math.floor(i / 3) % 2]!) / Math.sqrt(s[Math.floor(i / 3) % 2]! + 1e-5)));
    checkGrad((a, c, d) => torch.batchNorm(a, null, null, c, d, { training: true }), [arg([3, 2, 2], 154), w, b]);
    assert.throws(() => torch.batchNorm(torch.randn([1, 3]), null, null, null, null, { training: true }), {
      name: 'ValueError',
      message: /Expected more than 1 value per channel when training, got input size \[1, 3\]/,
    });
    assert.throws(() => torch.batchNorm(torch.randn([2, 3]), torch.zeros([4]), torch.ones([4])), { name: 'ShapeError', message: /running_mean should contain 3 elements not 4/ });
    assert.throws(() => torch.batchNorm(torch.randn([2, 3]), null, null), { name: 'ValueError', message: /evaluation mode/ });
  });

  test('groupNorm and normalize', () => {
    const x = arg([2, 6, 2, 2], 161);
    const w = arg([6], 162);
    const b = arg([6], 163);
    const y = torch.groupNorm(t64(x), 3, t64(w), t64(b));
    const ref = naiveNorm(x.data, 6, 8, 1e-5).map((e, i) => {
      const c = Math.floor(i / 4) % 6;
      return e * w.data[c]! + b.data[c]!;
    });
    assertClose(vals(y), ref);
    checkGrad((a, c, d) => torch.groupNorm(a, 2, c, d), [arg([2, 4, 3], 164), arg([4], 165), arg([4], 166)]);
    assert.throws(() => torch.groupNorm(torch.randn([2, 6, 4]), 4), {
      name: 'ShapeError',
      message: /Expected number of channels in input to be divisible by num_groups, but got input of shape \[2, 6, 4\] and num_groups=4/,
    });

    const v = torch.tensor([[3, 4], [0, 0]], { dtype: 'float64', requiresGrad: true });
    const n = torch.normalize(v);
    assertClose(vals(n), [0.6, 0.8, 0, 0]);
    const [g] = torch.autograd.grad(n.sum(), v);
    assert.ok(vals(g!).every(Number.isFinite), 'finite gradient at a zero row');
    assertClose(vals(torch.normalize(t64({ data: [3, -4], shape: [2] }), { p: 1, dim: 0 })), [3 / 7, -4 / 7]);
    checkGrad((a) => torch.normalize(a, { dim: 1 }), [arg([2, 3], 167)]);
    checkGrad((a) => torch.normalize(a, { p: 3, dim: 0 }), [arg([2, 3], 168, 0.5, 1)]);
  });
});

describe('losses', () => {
  const T = (d: number[], shape?: number[]) => torch.tensor(Float64Array.from(d), { shape: shape ?? [d.length], dtype: 'float64' });

  test('regression losses on hand-computed values', () => {
    const a = T([1, 2, 3]);
    const b = T([1, 1, 1]);
    assertClose([torch.mseLoss(a, b).item()], [5 / 3]);
    assertClose([torch.mseLoss(a, b, { reduction: 'sum' }).item()], [5]);
    assertClose(vals(torch.mseLoss(a, b, { reduction: 'none' })), [0, 1, 4]);
    assertClose([torch.l1Loss(a, b).item()], [1]);
    const p = T([0.5, 3, -1]);
    const z = T([0, 0, 0]);
    // |d| < 1: 0.5 d^2; else |d| - 0.5
    assertClose(vals(torch.smoothL1Loss(p, z, { reduction: 'none' })), [0.125, 2.5, 0.5]);
    assertClose(vals(torch.smoothL1Loss(p, z, { reduction: 'none', beta: 2 })), [0.0625, 2, 0.25]);
    assertClose(vals(torch.smoothL1Loss(p, z, { reduction: 'none', beta: 0 })), [0.5, 3, 1]);
    // |d| <= delta: 0.5 d^2; else delta (|d| - 0.5 delta)
    assertClose(vals(torch.huberLoss(p, z, { reduction: 'none', delta: 2 })), [0.125, 4, 0.5]);
    assertClose([torch.huberLoss(p, z).item()], [(0.125 + 2.5 + 0.5) / 3]);
    checkGrad((x, y) => torch.smoothL1Loss(x, y, { beta: 0.7 }), [arg([5], 171, -2, 2), arg([5], 172)]);
    checkGrad((x, y) => torch.huberLoss(x, y, { delta: 0.5 }), [arg([5], 173, -2, 2), arg([5], 174)]);
  });

  test('nllLoss with weights and ignoreIndex divides by the summed weights of kept targets', () => {
    const lp = [[-0.1, -2, -3], [-1, -0.5, -2], [-2, -1, -0.3], [-0.7, -0.8, -0.9]];
    const x = T(lp.flat(), [4, 3]);
    const t = torch.tensor([0, 2, 1, 2], { dtype: 'int32' });
    const w = T([1, 2, 3]);
    // targets 0, 2, 1, (ignored): losses 0.1*1, 2*3, 1*2 ; weights 1 + 3 + 2
    const l = torch.nllLoss(x, t, { weight: w, ignoreIndex: 2 });
    assertClose([l.item()], [(0.1 + 1 * 2) / (1 + 2)]);
    assertClose([torch.nllLoss(x, t, { weight: w }).item()], [(0.1 + 6 + 2 + 2.7) / (1 + 3 + 2 + 3)]);
    assertClose(vals(torch.nllLoss(x, t, { reduction: 'none', ignoreIndex: 2 })), [0.1, 0, 1, 0]);
    assertClose([torch.nllLoss(x, t, { reduction: 'sum' }).item()], [0.1 + 2 + 1 + 0.9]);
  });

  test('crossEntropy matches the PyTorch formula (weights, ignoreIndex, labelSmoothing, reductions)', () => {
    assertClose([torch.crossEntropy(T([0, 0], [1, 2]), torch.tensor([0], { dtype: 'int32' })).item()], [Math.LN2], 1e-12, 'ln 2');
    const x = arg([5, 4], 181, -2, 2);
    const rows = Array.from({ length: 5 }, (_, i) => x.data.slice(i * 4, i * 4 + 4));
    const targets = [3, 0, 1, 1, 2];
    const weight = [0.5, 1, 2, 1.5];
    for (const eps of [0, 0.2]) {
      for (const wgt of [null, weight]) {
        for (const ignore of [-100, 1]) {
          const ref = naiveCrossEntropy(rows, targets, wgt, ignore, eps);
          const o = { labelSmoothing: eps, weight: wgt ? T(wgt) : null, ignoreIndex: ignore };
          const tt = torch.tensor(targets, { dtype: 'int32' });
          const what = `eps ${eps} weight ${!!wgt} ignore ${ignore}`;
          assertClose([torch.crossEntropy(t64(x), tt, o).item()], [ref.mean], 1e-12, `mean ${what}`);
          assertClose([torch.crossEntropy(t64(x), tt, { ...o, reduction: 'sum' }).item()], [ref.sum], 1e-12, `sum ${what}`);
          assertClose(vals(torch.crossEntropy(t64(x), tt, { ...o, reduction: 'none' })), ref.none, 1e-12, `none ${what}`);
        }
      }
    }
    checkGrad((a, w) => torch.crossEntropy(a, torch.tensor(targets, { dtype: 'int32' }), { weight: w, labelSmoothing: 0.1, ignoreIndex: 0 }), [x, { data: weight, shape: [4] }]);
  });

  test('crossEntropy on [N, C, d] and unbatched [C] inputs, and with class-probability targets', () => {
    // [N=2, C=3, d=2]: the class dim is 1
    const x = arg([2, 3, 2], 191, -2, 2);
    const t = [[2, 0], [1, 1]];
    const rows: number[][] = [];
    for (let n = 0; n < 2; n++) for (let d = 0; d < 2; d++) rows.push([0, 1, 2].map((c) => x.data[idx([2, 3, 2], n, c, d)]!));
    const ref = naiveCrossEntropy(rows, t.flat(), null, -100, 0.1);
    const y = torch.crossEntropy(t64(x), torch.tensor(t, { dtype: 'int32' }), { reduction: 'none', labelSmoothing: 0.1 });
    assert.deepEqual(y.shape, [2, 2]);
    assertClose(vals(y), ref.none);
    // unbatched
    const u = torch.crossEntropy(T([1, 2, 3]), torch.tensor(2, { dtype: 'int32' }));
    assert.deepEqual(u.shape, []);
    assertClose([u.item()], [-logSoftmaxRow([1, 2, 3])[2]!]);
    // probabilities (with smoothing and weights): -sum_c w_c logp_c ((1 - s) p_c + s / C), mean over N
    const logits = arg([3, 4], 192, -2, 2);
    const probs = arg([3, 4], 193, 0, 1);
    const w = [1, 2, 0.5, 1];
    let total = 0;
    for (let n = 0; n < 3; n++) {
      const lp = logSoftmaxRow(logits.data.slice(n * 4, n * 4 + 4));
      lp.forEach((v, c) => (total -= w[c]! * v * (0.7 * probs.data[n * 4 + c]! + 0.3 / 4)));
    }
    assertClose([torch.crossEntropy(t64(logits), t64(probs), { labelSmoothing: 0.3, weight: T(w) }).item()], [total / 3]);
    checkGrad((a, p) => torch.crossEntropy(a, p, { labelSmoothing: 0.1 }), [logits, probs]);
  });

  test('crossEntropy and nllLoss reject bad targets clearly', () => {
    const x = torch.randn([3, 5]);
    assert.throws(() => torch.crossEntropy(x, torch.tensor([1, 2, 0, 1], { dtype: 'int32' })), {
      name: 'ShapeError',
      message: /Expected input batch_size \(3\) to match target batch_size \(4\)\./,
    });
    assert.throws(() => torch.crossEntropy(x, torch.tensor([1.0, 2.5, 0.5])), {
      name: 'ShapeError',
      message: /expected target to be int32 class indices of shape \[3\] or floating class probabilities of the input's shape \[3, 5\], but got float32 target of shape \[3\]/,
    });
    assert.throws(() => torch.crossEntropy(x, torch.tensor([true, false, true])), { name: 'DTypeError' });
    assert.throws(() => torch.crossEntropy(x, torch.tensor([1, 7, 0], { dtype: 'int32' })), { name: 'IndexError', message: /Target 7 is out of bounds/ });
    assert.throws(() => torch.crossEntropy(x, torch.tensor([1, 2, 0], { dtype: 'int32' }), { weight: torch.ones([4]) }), {
      message: /weight tensor should be defined either for all 5 classes or no classes but got weight tensor of shape: \[4\]/,
    });
    assert.throws(() => torch.crossEntropy(torch.randn([2, 3, 4]), torch.tensor([[0, 1, 2], [0, 1, 2]], { dtype: 'int32' })), { message: /Expected target size \[2, 4\], got \[2, 3\]/ });
    assert.throws(() => torch.crossEntropy(x, torch.tensor([1, 2, 0], { dtype: 'int32' }), { labelSmoothing: 1.5 }), { name: 'ValueError' });
    assert.throws(() => torch.nllLoss(x, torch.tensor([1, 2, 0], { dtype: 'int32' }), { reduction: 'avg' as never }), {
      name: 'ValueError',
      message: /avg is not a valid value for reduction/,
    });
    assert.throws(() => torch.mseLoss(torch.randn([3]), torch.randn([3, 1])), {
      name: 'ShapeError',
      message: /Using a target size \(\[3, 1\]\) that is different to the input size \(\[3\]\)/,
    });
    assert.throws(() => torch.mseLoss(torch.randn([3]), torch.tensor([1, 2, 3], { dtype: 'int32' })), { name: 'DTypeError' });
  });

  test('binary cross entropy (on probabilities, clamped; on logits, stable, with posWeight)', () => {
    const p = T([0.5, 0.9, 0, 1]);
    const y = T([1, 0, 1, 1]);
    assertClose(vals(torch.binaryCrossEntropy(p, y, { reduction: 'none' })), [Math.LN2, -Math.log(0.1), 100, 0], 1e-12);
    assertClose([torch.binaryCrossEntropy(p, y, { weight: T([2, 1, 0, 1]) }).item()], [(2 * Math.LN2 - Math.log(0.1)) / 4], 1e-12);
    const pg = torch.tensor([0, 0.3], { dtype: 'float64', requiresGrad: true });
    const [g] = torch.autograd.grad(torch.binaryCrossEntropy(pg, T([1, 1])), pg);
    assert.ok(vals(g!).every(Number.isFinite), 'finite gradient at p = 0');
    assert.throws(() => torch.binaryCrossEntropy(T([1.5]), T([1])), { name: 'ValueError', message: /between 0 and 1/ });
    checkGrad((a, b) => torch.binaryCrossEntropy(a, b), [arg([4], 201, 0.1, 0.9), arg([4], 202, 0, 1)]);

    const x = T([0, 100, -100, 2]);
    const yl = T([1, 0, 1, 0.3]);
    const lsig = (v: number) => -Math.log1p(Math.exp(-v));
    const ref = [0, 100, -100, 2].map((v, i) => -([1, 0, 1, 0.3][i]! * lsig(v) + (1 - [1, 0, 1, 0.3][i]!) * lsig(-v)));
    ref[1] = 100;
    ref[2] = 100;
    assertClose(vals(torch.binaryCrossEntropyWithLogits(x, yl, { reduction: 'none' })), ref, 1e-12);
    // posWeight scales the positive term: -(pw y log s(x) + (1 - y) log(1 - s(x)))
    const pw = T([3]);
    const refPw = [0, 100, -100, 2].map((v, i) => -(3 * [1, 0, 1, 0.3][i]! * lsig(v) + (1 - [1, 0, 1, 0.3][i]!) * lsig(-v)));
    refPw[1] = 100;
    refPw[2] = 300;
    assertClose(vals(torch.binaryCrossEntropyWithLogits(x, yl, { reduction: 'none', posWeight: pw })), refPw, 1e-12);
    checkGrad((a, b, c) => torch.binaryCrossEntropyWithLogits(a, b, { posWeight: c }), [arg([2, 3], 203, -3, 3), arg([2, 3], 204, 0, 1), arg([3], 205, 0.5, 2)]);
  });

  test('klDiv reductions and logTarget', () => {
    const q = [0.2, 0.3, 0.5, 0.6, 0.4, 0];
    const p = [0.1, 0.6, 0.3, 0, 0.5, 0.5];
    const logq = T(q.map((v) => Math.log(Math.max(v, 1e-300))), [2, 3]);
    const pt = T(p, [2, 3]);
    const terms = p.map((v, i) => (v === 0 ? 0 : v * (Math.log(v) - Math.log(Math.max(q[i]!, 1e-300)))));
    assertClose(vals(torch.klDiv(logq, pt, { reduction: 'none' })), terms, 1e-12);
    const total = terms.reduce((a, b) => a + b, 0);
    assertClose([torch.klDiv(logq, pt, { reduction: 'batchmean' }).item()], [total / 2], 1e-12);
    assertClose([torch.klDiv(logq, pt, { reduction: 'sum' }).item()], [total], 1e-12);
    assertClose([torch.klDiv(logq, pt).item()], [total / 6], 1e-12);
    const p2 = [0.1, 0.6, 0.3, 0.2, 0.5, 0.3];
    const logp2 = T(p2.map(Math.log), [2, 3]);
    const t2 = p2.map((v, i) => v * (Math.log(v) - Math.log(Math.max(q[i]!, 1e-300))));
    assertClose(vals(torch.klDiv(logq, logp2, { reduction: 'none', logTarget: true })), t2, 1e-12);
    checkGrad((a, b) => torch.klDiv(a, b, { reduction: 'batchmean' }), [arg([2, 3], 211, -2, 0), arg([2, 3], 212, 0.1, 1)]);
  });
});

describe('activations and transforms', () => {
  test('relu6, hardsigmoid, hardswish, glu', () => {
    const x = torch.tensor([-4, -1, 0, 1.5, 4, 8], { dtype: 'float64' });
    assertClose(vals(torch.relu6(x)), [0, 0, 0, 1.5, 4, 6]);
    assertClose(vals(torch.hardsigmoid(x)), [0, 2 / 6, 0.5, 0.75, 1, 1]);
    assertClose(vals(torch.hardswish(x)), [0, -2 / 6, 0, 1.125, 4, 8]);
    const g = arg([2, 4], 221);
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const ref = [0, 1].flatMap((r) => [0, 1].map((c) => g.data[r * 4 + c]! * sig(g.data[r * 4 + c + 2]!)));
    assertClose(vals(torch.glu(t64(g))), ref);
    assert.throws(() => torch.glu(torch.randn([2, 5])), { name: 'ShapeError', message: /Halving dimension must be even/ });
  });

  test('vmap over conv2d / maxPool2d / crossEntropy agrees with the batched call; jvp of conv2d', () => {
    const x = t64(arg([3, 4, 6, 6], 231));
    const w = t64(arg([6, 2, 3, 3], 232));
    const f = (xi: T) => torch.maxPool2d(torch.conv2d(xi, w, null, { groups: 2, padding: 1, stride: 2 }), 2, { ceilMode: true });
    const batched = torch.func.vmap(f)(x);
    assertClose(vals(batched), vals(f(x)), 1e-12);
    const logits = t64(arg([4, 5], 233));
    const targets = torch.tensor([1, 0, 4, 2], { dtype: 'int32' });
    const per = torch.func.vmap((l: T, t: T) => torch.crossEntropy(l, t, { labelSmoothing: 0.1 }))(logits, targets);
    assertClose(vals(per), vals(torch.crossEntropy(logits, targets, { labelSmoothing: 0.1, reduction: 'none' })), 1e-12);
    const tangent = t64(arg([3, 4, 6, 6], 234));
    const conv = (xi: T) => torch.conv2d(xi, w, null, { groups: 2, padding: 1 });
    const [, jt] = torch.func.jvp(conv, [x], [tangent]) as [T, T];
    assertClose(vals(jt), vals(conv(tangent)), 1e-12);
  });
});

test('maxPool2dWithIndices gives flat input indices, as return_indices=True', () => {
  const x = torch.tensor([[[[1, 5, 2, 0], [3, 4, 9, 1], [0, 2, 1, 7], [6, 1, 3, 2]]]], { dtype: 'float32' });
  const r = torch.maxPool2dWithIndices(x, 2);
  assert.deepEqual(r.values.tolist(), [[[[5, 9], [6, 7]]]]);
  assert.deepEqual(r.indices.tolist(), [[[[1, 6], [12, 11]]]]);
  assert.deepEqual(torch.maxPool2dWithIndices(x, 3, { stride: 1, padding: 1 }).indices.tolist(), [[[[1, 6, 6, 6], [1, 6, 6, 6], [12, 6, 6, 6], [12, 12, 11, 11]]]]);
  const m = new torch.nn.MaxPool2d(2, { returnIndices: true });
  const [v, i] = m.call(x);
  assert.deepEqual(v.tolist(), r.values.tolist());
  assert.deepEqual(i.tolist(), r.indices.tolist());
});
