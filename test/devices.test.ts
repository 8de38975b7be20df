// Devices: tensors, transforms, modules and optimizers on device 'webgpu' give the values they give on
// 'cpu', and the library never reads the device back behind the user's back. The device here is a
// stand-in (test/support/fake_device.ts: the reference kernels behind a backend whose synchronous read
// throws and counts), so this runs without a GPU; the same checks hold for the real WebGPU backend.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { counts, failNextRead, installFakeWebGPU, resetCounts, uninstallFakeWebGPU } from './support/fake_device.js';

const { nn, func, optim } = torch;
const DEVICE_ERROR = /cannot read a tensor on device 'webgpu' synchronously.*await tensor\.data\(\)/;

async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** Same shape and values within tol (the two devices may run different CPU kernels under TORCHFN_BACKEND=wasm). */
async function assertSame(got: Tensor, want: Tensor, what: string, tol = 1e-5): Promise<void> {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  const [a, b] = [await values(got), await values(want)];
  a.forEach((v, i) => {
    const w = b[i]!;
    const ok = Number.isNaN(w) ? Number.isNaN(v) : Math.abs(v - w) <= tol * (1 + Math.abs(w));
    assert.ok(ok, `${what}: element ${i} is ${v} on webgpu, ${w} on cpu`);
  });
}

/** Runs f on cpu tensors and on their copies on 'webgpu'; compares every tensor leaf of the results. */
async function sameOnBoth(what: string, inputs: Tensor[], f: (...xs: Tensor[]) => Tensor | Tensor[], tol?: number): Promise<void> {
  const want = f(...inputs);
  const got = f(...inputs.map((x) => x.to('webgpu')));
  const ws = Array.isArray(want) ? want : [want];
  const gs = Array.isArray(got) ? got : [got];
  assert.equal(gs.length, ws.length);
  for (let i = 0; i < ws.length; i++) {
    assert.equal(gs[i]!.device, 'webgpu', `${what}: result ${i} is on ${gs[i]!.device}`);
    await assertSame(gs[i]!, ws[i]!, `${what} [${i}]`, tol);
  }
}

before(() => installFakeWebGPU());
after(() => uninstallFakeWebGPU());

describe('values on the device equal those on the cpu, read back only when asked', () => {
  beforeEach(() => resetCounts());
  afterEach(() => assert.equal(counts.syncReads, 0, 'the library read the device synchronously behind the user\'s back'));

  test('elementwise, reductions, shapes, indexing, linear algebra', async () => {
    torch.manualSeed(1);
    const a = torch.randn([3, 4]);
    const b = torch.randn([3, 4]);
    const m = torch.randn([4, 4]).add(torch.eye(4).mul(4));
    await sameOnBoth('elementwise', [a, b], (x, y) => [x.add(y).mul(2).sub(1), x.div(y.abs().add(1)), x.exp().log1p(), x.maximum(y), x.gt(y), x.clamp(-0.5, 0.5), x.where(x.gt(0), 0)]);
    await sameOnBoth('numbers and 0-d cpu tensors', [a], (x) => [x.mul(3).add(torch.tensor(2)), x.pow(torch.tensor(2, { dtype: 'int32' })), torch.tensor(1.5).mul(x)]);
    await sameOnBoth('reductions', [a], (x) => [x.sum(), x.mean(1), x.amax(0), x.var(1), x.logsumexp(-1), x.argmax(1), x.norm(), x.cumsum(1), x.softmax(-1)]);
    await sameOnBoth('shapes', [a, b], (x, y) => [x.T.contiguous(), x.reshape(2, 6), torch.cat([x, y], 1), torch.stack([x, y]), x.flip(0), x.roll(1, 1), x.triu(1), x.tril(), x.diagonal(), x.repeat(2, 1)]);
    await sameOnBoth('indexing', [a], (x) => [x.index(1), x.index('0:2', [0, 2]), x.index([2, 0]), x.gather(1, torch.tensor([[0], [1], [3]], { dtype: 'int32' }).to(x.device)), x.sort(1).values, x.topk(2).indices]);
    await sameOnBoth('matmul and linalg', [a, m], (x, y) => [x.matmul(y), torch.linalg.inv(y), torch.linalg.solve(y, x.T), torch.linalg.det(y), torch.linalg.qr(y).R]);
    await sameOnBoth('nn.functional', [a], (x) => [
      torch.layerNorm(x, [4]), torch.gelu(x), torch.logSoftmax(x, 1), torch.dropout(x, { p: 0.5, training: false }),
      torch.conv2d(x.reshape(1, 1, 3, 4), torch.ones([2, 1, 2, 2], { device: x.device }), null, { padding: 1 }),
      torch.maxPool2d(x.reshape(1, 1, 3, 4), 2), torch.avgPool2d(x.reshape(1, 1, 3, 4), 2), torch.pad(x, [1, 1], 'reflect'),
    ]);
  });

  test('random draws match the cpu stream for the same seed', async () => {
    torch.manualSeed(3);
    const c = torch.randn([5]);
    torch.manualSeed(3);
    const g = torch.randn([5], { device: 'webgpu' });
    assert.equal(g.device, 'webgpu');
    await assertSame(g, c, 'randn');
  });

  test('grad, vjp, vmap, jacrev, jacfwd, hessian', async () => {
    const x = torch.tensor([0.5, -1, 2]);
    const f = (t: Tensor) => t.sin().mul(t).sum();
    await sameOnBoth('grad', [x], (t) => func.grad(f)(t));
    await sameOnBoth('vmap', [torch.randn([4, 3])], (t) => func.vmap((r: Tensor) => r.softmax(0).mul(r).sum())(t));
    await sameOnBoth('jacrev', [x], (t) => func.jacrev((r: Tensor) => r.exp().mul(r.sum()))(t));
    await sameOnBoth('jacfwd', [x], (t) => func.jacfwd((r: Tensor) => r.tanh().mul(2))(t));
    await sameOnBoth('hessian', [x], (t) => func.hessian(f)(t));
    await sameOnBoth('vmap(grad)', [torch.randn([2, 3])], (t) => func.vmap(func.grad(f))(t));
  });

  test('module forward and backward, losses, optimizer steps', async () => {
    const run = async (device: 'cpu' | 'webgpu'): Promise<Tensor[]> => {
      torch.manualSeed(7);
      const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.LayerNorm(8), new nn.Linear(8, 3)).to(device);
      const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
      const x = torch.randn([5, 4]).to(device);
      const y = torch.tensor([0, 2, 1, 1, 0], { dtype: 'int32' }).to(device);
      const out: Tensor[] = [];
      for (let step = 0; step < 2; step++) {
        opt.zeroGrad();
        const logits = model.call(x) as Tensor;
        const loss = torch.crossEntropy(logits, y).add(torch.mseLoss(logits.softmax(1), torch.oneHot(y, 3).float()));
        loss.backward();
        opt.step();
        out.push(loss.detach());
      }
      out.push(...model.parameters().map((p) => p.detach()));
      out.push(model.parameters()[0]!.grad!);
      return out;
    };
    const [c, g] = [await run('cpu'), await run('webgpu')];
    for (let i = 0; i < c.length; i++) {
      assert.equal(g[i]!.device, 'webgpu');
      await assertSame(g[i]!, c[i]!, `training value ${i}`, 1e-4);
    }
  });

  test('torch.compile: a compiled training step and a compiled function run on the device as on the cpu', async () => {
    const run = async (device: 'cpu' | 'webgpu'): Promise<Tensor[]> => {
      torch.manualSeed(9);
      const model = new nn.Sequential(new nn.Linear(6, 16), new nn.Tanh(), new nn.Linear(16, 3)).to(device);
      const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
      const x = torch.randn([8, 6]).to(device);
      const y = torch.tensor([0, 2, 1, 1, 0, 2, 2, 1], { dtype: 'int32' }).to(device);
      const step = torch.compile(() => {
        opt.zeroGrad();
        const loss = torch.crossEntropy(model.call(x) as Tensor, y);
        loss.backward();
        opt.step();
        return loss;
      });
      const out = [0, 1, 2].map(() => step().detach());
      // Constants made while tracing (the identity of a jacobian) are made on the device too.
      const f = torch.compile((v: Tensor) => func.jacrev((u: Tensor) => u.tanh().mul(u))(v).sum(0).softmax(0));
      out.push(f(x.index(0)), ...model.parameters().map((p) => p.detach()));
      return out;
    };
    const [c, g] = [await run('cpu'), await run('webgpu')];
    for (let i = 0; i < c.length; i++) {
      assert.equal(g[i]!.device, 'webgpu');
      await assertSame(g[i]!, c[i]!, `compiled value ${i}`, 1e-4);
    }
  });

  test('SGD with momentum, conv, embedding, nll and bce losses', async () => {
    const run = async (device: 'cpu' | 'webgpu'): Promise<Tensor[]> => {
      torch.manualSeed(11);
      const conv = new nn.Conv2d(1, 2, 3, { padding: 1 }).to(device);
      const emb = new nn.Embedding(6, 4).to(device);
      const opt = new optim.SGD([...conv.parameters(), ...emb.parameters()], { lr: 0.1, momentum: 0.9 });
      const img = torch.randn([2, 1, 4, 4]).to(device);
      const ids = torch.tensor([[1, 5], [0, 3]], { dtype: 'int32' }).to(device);
      const h = (conv.call(img) as Tensor).mean([2, 3]); // [2, 2]
      const e = (emb.call(ids) as Tensor).sum(1); // [2, 4]
      const loss = torch.nllLoss(torch.logSoftmax(h, 1), torch.tensor([1, 0], { dtype: 'int32' }).to(device))
        .add(torch.binaryCrossEntropy(e.sigmoid(), torch.ones([2, 4]).to(device)));
      loss.backward();
      opt.step();
      return [loss.detach(), ...conv.parameters().map((p) => p.detach()), emb.weight.detach()];
    };
    const [c, g] = [await run('cpu'), await run('webgpu')];
    for (let i = 0; i < c.length; i++) await assertSame(g[i]!, c[i]!, `value ${i}`, 1e-4);
  });

  test('clipGradNorm_ computes on the device and returns the norm as a device tensor', async () => {
    const grads = async (device: 'cpu' | 'webgpu') => {
      const ps = [torch.tensor([3, 4]), torch.tensor([[12]])].map((p) => p.to(device).requiresGrad_());
      ps[0]!.grad = torch.tensor([3, 4]).to(device);
      ps[1]!.grad = torch.tensor([[12]]).to(device);
      const total = nn.utils.clipGradNorm_(ps, 1);
      return [total, ps[0]!.grad!, ps[1]!.grad!];
    };
    const [c, g] = [await grads('cpu'), await grads('webgpu')];
    assert.equal(g[0]!.device, 'webgpu');
    assert.ok(Math.abs((await g[0]!.itemAsync()) - 13) < 1e-5);
    for (let i = 0; i < 3; i++) await assertSame(g[i]!, c[i]!, `clip ${i}`);
  });

  test('BatchNorm with momentum null keeps its cumulative average on the device', async () => {
    const run = async (device: 'cpu' | 'webgpu') => {
      torch.manualSeed(5);
      const bn = new nn.BatchNorm1d(3, { momentum: null }).to(device);
      for (let i = 0; i < 3; i++) bn.call(torch.randn([6, 3]).to(device));
      return [bn.running_mean!, bn.running_var!, bn.num_batches_tracked!];
    };
    const [c, g] = [await run('cpu'), await run('webgpu')];
    for (let i = 0; i < 3; i++) await assertSame(g[i]!, c[i]!, `BatchNorm state ${i}`);
  });

  test('truncNormal_ stays in range without reading the device', async () => {
    const w = torch.empty([2000], { device: 'webgpu' });
    nn.init.truncNormal_(w, 0, 1, -0.5, 0.5);
    const v = await values(w);
    assert.ok(v.every((x) => x >= -0.5 && x <= 0.5));
    assert.ok(new Set(v).size > 1900, 'values are drawn, not clamped');
  });

  test('mask writes, index bounds and target checks run without a read', async () => {
    const x = torch.tensor([[1, -2], [-3, 4]]).to('webgpu');
    x.indexPut_([x.lt(0)], 0);
    assert.deepEqual(await x.tolistAsync(), [[1, 0], [0, 4]]);
    await sameOnBoth('x[mask] = v through an integer prefix', [torch.tensor([[1, -2], [-3, 4]])], (t) => {
      const c = t.clone();
      c.indexPut_([1, c.index(1).gt(0)], 9);
      return c;
    });
    await sameOnBoth('embedding and crossEntropy targets', [torch.randn([3, 4])], (w) =>
      torch.crossEntropy(torch.embedding(torch.tensor([2, 0], { dtype: 'int32' }).to(w.device), w), torch.tensor([3, 1], { dtype: 'int32' }).to(w.device)));
  });
});

describe('moving between devices', () => {
  test('to() overloads, cpu(), round trips, and 0-d cpu tensors', async () => {
    const c = torch.tensor([[1, 2], [3, 4]]);
    const g = c.to('webgpu');
    assert.equal(g.device, 'webgpu');
    assert.equal(g.to('webgpu'), g, 'to() its own device is the tensor itself');
    assert.equal(c.to('cpu'), c);
    assert.equal(c.to({ device: 'webgpu', dtype: 'int32' }).dtype, 'int32');
    assert.equal(c.to('webgpu', 'int32').device, 'webgpu');
    assert.equal(c.to(g).device, 'webgpu');
    const back = g.mul(10).cpu();
    assert.equal(back.device, 'cpu');
    // A copy from the device arrives asynchronously, as PyTorch's non_blocking copies.
    assert.throws(() => back.tolist(), /tolist\(\): this cpu tensor is a copy from 'webgpu' that has not arrived yet.*synchronize/);
    assert.deepEqual(await back.tolistAsync(), [[10, 20], [30, 40]]);
    const back2 = g.to('cpu');
    await torch.webgpu.synchronize();
    assert.deepEqual(back2.tolist(), [[1, 2], [3, 4]]);
    assert.deepEqual(await g.add(torch.tensor(1)).tolistAsync(), [[2, 3], [4, 5]], '0-d cpu tensor combines');
  });

  test('a copy from the device that fails rejects whoever awaits it, with the device\'s error', async () => {
    const g = torch.tensor([1, 2]).to('webgpu');
    failNextRead(new Error('fake webgpu: device lost'));
    const back = g.to('cpu');
    await assert.rejects(back.data(), /fake webgpu: device lost/);
    failNextRead(new Error('fake webgpu: device lost again'));
    await assert.rejects(g.mul(2).tolistAsync(), /device lost again/);
    assert.deepEqual(await g.tolistAsync(), [1, 2], 'the next copy succeeds');
  });

  test('gradients flow back across to() in both directions', async () => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    x.to('webgpu').square().sum().backward();
    assert.equal(x.grad!.device, 'cpu');
    assert.deepEqual(await x.grad!.tolistAsync(), [2, 4, 6]);
    const w = torch.tensor([1, 2], { device: 'webgpu', requiresGrad: true });
    const onCpu = w.cpu();
    await torch.webgpu.synchronize(); // the copy has to arrive before the CPU computes with it
    onCpu.mul(torch.tensor([3, 4])).sum().backward();
    assert.equal(w.grad!.device, 'webgpu');
    assert.deepEqual(await w.grad!.tolistAsync(), [3, 4]);
    await torch.webgpu.synchronize();
    // A cpu op before the move needs the device's gradient inside backward(), which cannot wait for it:
    // a DeviceError that says so and names the device, not a wrong value.
    const v = torch.tensor([1, 2, 3], { requiresGrad: true });
    assert.throws(() => v.mul(3).to('webgpu').sum().backward(), /copy from 'webgpu' that has not arrived.*gradients that backward\(\) sends back/);
    await torch.webgpu.synchronize();
  });

  test('module.to moves parameters and buffers in place, keeping Parameter identity', async () => {
    const m = new nn.Sequential(new nn.Linear(2, 3), new nn.BatchNorm1d(3));
    const params = m.parameters();
    const before = await Promise.all(params.map(values));
    assert.equal(m.to('webgpu'), m);
    assert.deepEqual(m.parameters(), params);
    assert.ok([...m.parameters(), ...m.buffers()].every((t) => t.device === 'webgpu'));
    assert.ok(nn.isParameter(m.parameters()[0]!));
    m.cpu();
    await torch.webgpu.synchronize();
    assert.ok(m.parameters().every((p, i) => p === params[i] && p.device === 'cpu'));
    assert.deepEqual(m.parameters().map((p) => Array.from(p.toArray())), before);
  });

  test('mixing devices is PyTorch\'s error; numbers and 0-d cpu tensors combine', () => {
    const g = torch.ones([2], { device: 'webgpu' });
    const c = torch.ones([2]);
    const text = 'Expected all tensors to be on the same device, but found at least two devices, webgpu and cpu!';
    assert.throws(() => g.add(c), (e: Error) => e instanceof torch.DeviceError && e.message === text);
    assert.throws(() => c.add(g), (e: Error) => e.message === text, 'the device other than cpu is named first, as PyTorch');
    assert.throws(() => torch.matmul(c.reshape(1, 2), g.reshape(2, 1)), { message: text });
    assert.equal(g.mul(2).device, 'webgpu');
    assert.equal(g.mul(torch.tensor(2)).device, 'webgpu');
    assert.equal(torch.where(g.gt(0), torch.tensor(1), g).device, 'webgpu');
  });

  test('float64 cannot live on webgpu', () => {
    const msg = /float64 is not supported on device 'webgpu'/;
    assert.throws(() => torch.zeros([2], { dtype: 'float64', device: 'webgpu' }), (e: Error) => e instanceof torch.DTypeError && msg.test(e.message));
    assert.throws(() => torch.tensor([1], { dtype: 'float64' }).to('webgpu'), msg);
    assert.throws(() => torch.randn([2], { dtype: 'float64', device: 'webgpu' }), msg);
    assert.throws(() => torch.ones([2], { device: 'webgpu' }).double(), msg);
    const m = new nn.Linear(2, 2).double();
    assert.throws(() => m.to('webgpu'), msg);
    assert.equal(m.weight.device, 'cpu', 'a refused move leaves the module where it was');
    assert.equal(torch.tensor([1], { dtype: 'float64' }).to('webgpu', 'float32').device, 'webgpu');
  });
});

describe('reading values', () => {
  test('synchronous reads of a device tensor throw a DeviceError naming the call', () => {
    const g = torch.tensor([1.5], { device: 'webgpu' });
    for (const [name, read] of [['item', () => g.item()], ['toArray', () => g.toArray()], ['tolist', () => g.tolist()]] as const) {
      assert.throws(read, (e: Error) => e instanceof torch.DeviceError && e.message.startsWith(`${name}():`) && DEVICE_ERROR.test(e.message));
    }
    assert.throws(() => Number(g), DEVICE_ERROR);
    assert.throws(() => (g as unknown as number) > 0, DEVICE_ERROR);
    assert.throws(() => torch.allclose(g, g), /allclose\(\).*itemAsync/);
    assert.throws(() => torch.equal(g, g), /equal\(\)/);
  });

  test('data(), itemAsync(), tolistAsync() work on both devices', async () => {
    for (const device of ['cpu', 'webgpu'] as const) {
      const t = torch.tensor([[1, 2], [3, 4]], { device });
      assert.deepEqual(Array.from(await t.data()), [1, 2, 3, 4]);
      assert.equal(await t.sum().itemAsync(), 10);
      assert.deepEqual(await t.gt(2).tolistAsync(), [[false, false], [true, true]]);
    }
  });

  test('printing shows shape, dtype and device, not values', () => {
    const g = torch.tensor([1, 2, 3], { device: 'webgpu', dtype: 'int32' });
    assert.equal(String(g), "tensor(..., size=[3], device='webgpu', dtype=torch.int32)");
    const p = torch.ones([2], { device: 'webgpu', requiresGrad: true });
    assert.match(String(p.mul(2)), /^tensor\(\.\.\., size=\[2\], device='webgpu', grad_fn=<MulBackward0>\)$/);
  });

  test('mask indexing and nonzero need the values: an error naming the async form', async () => {
    const x = torch.tensor([5, 6, 7], { device: 'webgpu' });
    const mask = x.gt(5);
    assert.throws(() => x.index(mask), (e: Error) => e instanceof torch.DeviceError && /index\(\).*nonzeroAsync/.test(e.message));
    assert.throws(() => torch.nonzero(mask), /nonzero\(\).*nonzeroAsync/);
    const idx = await torch.nonzeroAsync(mask);
    assert.equal(idx.device, 'webgpu');
    assert.deepEqual(await idx.tolistAsync(), [[1], [2]]);
    assert.deepEqual(await x.index(...idx.unbind(1)).tolistAsync(), [6, 7]);
    assert.throws(() => torch.oneHot(torch.tensor([1], { dtype: 'int32', device: 'webgpu' })), /pass numClasses/);
  });

  test('safetensors: save refuses a device tensor, saveAsync writes it', async () => {
    const state = { w: torch.tensor([[1, 2]], { device: 'webgpu' }), b: torch.tensor([3], { dtype: 'int32' }) };
    assert.throws(() => torch.safetensors.save(state), (e: Error) => e instanceof torch.DeviceError && /'w'.*saveAsync/.test(e.message));
    const bytes = await torch.safetensors.saveAsync(state);
    const cpuBytes = torch.safetensors.save({ w: torch.tensor([[1, 2]]), b: torch.tensor([3], { dtype: 'int32' }) });
    assert.deepEqual(bytes, cpuBytes);
    const back = torch.safetensors.load(bytes);
    assert.equal(back.w!.device, 'cpu');
  });

  test('clipGradNorm_ errorIfNonfinite needs the norm: a DeviceError on the device', () => {
    const p = torch.ones([2], { device: 'webgpu', requiresGrad: true });
    p.grad = torch.ones([2], { device: 'webgpu' });
    assert.throws(() => nn.utils.clipGradNorm_([p], 1, { errorIfNonfinite: true }), /errorIfNonfinite.*itemAsync/);
  });
});

describe('creation on a device', () => {
  test('every creation function takes a device; *Like follows the input', () => {
    const d = { device: 'webgpu' } as const;
    const made = [
      torch.tensor([1, 2], d), torch.zeros([2], d), torch.ones(2, 2, d), torch.full([2], 3, d), torch.empty([1], d),
      torch.arange(3, d), torch.linspace(0, 1, 3, d), torch.eye(2, d), torch.rand([2], d), torch.randn(2, d), torch.randint(0, 5, [2], d),
    ];
    assert.ok(made.every((t) => t.device === 'webgpu'));
    const g = made[1]!;
    for (const t of [torch.zerosLike(g), torch.onesLike(g), torch.fullLike(g, 2), torch.emptyLike(g), torch.randLike(g), torch.randnLike(g)]) assert.equal(t.device, 'webgpu');
    assert.equal(torch.zerosLike(g, { device: 'cpu' }).device, 'cpu');
    assert.throws(() => torch.zeros([1], { device: 'cuda' as never }), /zeros\(\): argument 'device' must be one of 'cpu', 'webgpu', got 'cuda'/);
  });

  test('setDefaultDevice places new tensors and modules', () => {
    assert.equal(torch.getDefaultDevice(), 'cpu');
    torch.setDefaultDevice('webgpu');
    try {
      assert.equal(torch.zeros([1]).device, 'webgpu');
      assert.equal(new nn.Linear(2, 2).weight.device, 'webgpu');
      assert.equal(torch.randperm(4).device, 'webgpu');
    } finally {
      torch.setDefaultDevice('cpu');
    }
    assert.equal(torch.zeros([1]).device, 'cpu');
  });

  test('torch.webgpu.init is idempotent and agrees with isAvailable', async () => {
    assert.equal(await torch.webgpu.init(), true, 'the stand-in device is registered');
    assert.equal(torch.webgpu.isAvailable(), true);
    uninstallFakeWebGPU();
    try {
      assert.throws(() => torch.zeros([1], { device: 'webgpu' }), /device 'webgpu' is not available: call \(and await\) torch\.webgpu\.init\(\)/);
      const ok = await torch.webgpu.init();
      assert.equal(await torch.webgpu.init(), ok);
      assert.equal(torch.webgpu.isAvailable(), ok);
    } finally {
      installFakeWebGPU();
    }
  });
});
