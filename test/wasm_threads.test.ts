// The wasm thread pool: generated kernels split over workers and the caller on the shared memory give
// the same results as on one thread, traps surface as Errors without breaking the pool, an idle pool
// lets the process exit, and the round trip / speedup are reported as diagnostics.
import * as torch from '../src/index.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fn } from '../src/backend/wasm/asm.js';
import { compile, ensureBytes, memory, shared } from '../src/backend/wasm/memory.js';
import {
  getNumThreads,
  parallelRun,
  poolSize,
  setNumThreads,
  shouldSplit,
  startThreads,
  workerTasks,
} from '../src/backend/wasm/threads.js';
import { runScript } from './support/child.js';

const BASE = 1 << 20; // clear of whatever else may use the low memory

// fill(base, from, to): i32 at base + 4i = 7i + 1 for i in [from, to)
const fill = new Fn(['i32', 'i32', 'i32']);
{
  const i = fill.local('i32');
  fill.forLoop(i, (g) => g.get(1), (g) => g.get(2), 1, (g) => {
    g.get(0).get(i).i32(2).op('i32.shl').op('i32.add');
    g.get(i).i32(7).op('i32.mul').i32(1).op('i32.add');
    g.mem('i32.store');
  });
}
// boom(x, reps): busy for reps iterations, then traps when x is 1
const boom = new Fn(['i32', 'i32']);
{
  const r = boom.local('i32');
  boom.forLoop(r, (g) => g.i32(0), (g) => g.get(1), 1, () => {});
  boom.get(0).i32(1).op('i32.eq').if().op('unreachable').end();
}
const nop = new Fn([]);
// spin(n): an empty loop of n iterations (scalar work, no memory)
const spin = new Fn(['i32']);
{
  const r = spin.local('i32');
  spin.forLoop(r, (g) => g.i32(0), (g) => g.get(0), 1, () => {});
}
// heavy(ptr, bytes, reps): x = x * 0.999 + 0.5 over f32x4 lanes of [ptr, ptr + bytes), reps times
const heavy = new Fn(['i32', 'i32', 'i32']);
{
  const r = heavy.local('i32');
  const i = heavy.local('i32');
  const a = heavy.local('i32');
  heavy.forLoop(r, (g) => g.i32(0), (g) => g.get(2), 1, (g) => {
    g.forLoop(i, (h) => h.i32(0), (h) => h.get(1), 16, (h) => {
      h.get(0).get(i).op('i32.add').tee(a);
      h.get(a).mem('v128.load');
      h.f32x4(0.999).op('f32x4.mul').f32x4(0.5).op('f32x4.add');
      h.f32x4(0.999).op('f32x4.mul').f32x4(0.5).op('f32x4.add');
      h.mem('v128.store');
    });
  });
}
const mod = compile([
  { name: 'fill', fn: fill },
  { name: 'boom', fn: boom },
  { name: 'nop', fn: nop },
  { name: 'heavy', fn: heavy },
  { name: 'spin', fn: spin },
]);
ensureBytes(BASE + (8 << 20));

function checkFill(n: number): void {
  const v = new Int32Array(memory.buffer, BASE, n);
  for (let i = 0; i < n; i++) if (v[i] !== 7 * i + 1) assert.fail(`element ${i}: ${v[i]} != ${7 * i + 1}`);
}

function fillTasks(n: number, parts: number): number[][] {
  const tasks: number[][] = [];
  for (let p = 0; p < parts; p++) tasks.push([BASE, Math.floor((n * p) / parts), Math.floor((n * (p + 1)) / parts)]);
  return tasks;
}

test('the memory is shared under Node and defaults to the available cores', () => {
  assert.ok(shared);
  assert.ok(getNumThreads() >= 1);
});

test('fills ranges exactly on 1 and 2 threads, also past one job of arguments', async () => {
  const n = 1 << 18;
  for (const threads of [1, 2]) {
    setNumThreads(threads);
    await startThreads();
    assert.equal(poolSize(), threads - 1);
    assert.deepEqual(torch.backends.wasm.threads(), { requested: threads, running: threads, sharedMemory: true, error: null });
    for (const parts of [2, 7, 64, 3000]) {
      new Int32Array(memory.buffer, BASE, n).fill(-1);
      parallelRun(mod, 'fill', fillTasks(n, parts));
      checkFill(n);
    }
  }
});

test('setNumThreads(1) runs everything on the caller and stops the workers', async () => {
  setNumThreads(2);
  await startThreads();
  assert.equal(poolSize(), 1);
  setNumThreads(1);
  assert.equal(poolSize(), 0);
  assert.equal(getNumThreads(), 1);
  const n = 1000;
  new Int32Array(memory.buffer, BASE, n).fill(-1);
  parallelRun(mod, 'fill', fillTasks(n, 5));
  assert.equal(poolSize(), 0);
  checkFill(n);
  assert.equal(shouldSplit(1e9), false);
  setNumThreads(2);
  assert.equal(shouldSplit(1e9), true);
  assert.equal(shouldSplit(50_000), false);
});

test('a trap in a task fails the call with an Error and the pool stays usable', async () => {
  for (const threads of [1, 2]) {
    setNumThreads(threads);
    await startThreads();
    // The caller claims task 0 first, so with 2 threads task 1 (the trap) runs on the worker.
    assert.throws(() => parallelRun(mod, 'boom', [[0, 200_000], [1, 200_000]]), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.match(e.message, /boom task 1: RuntimeError: unreachable/);
      return true;
    });
    assert.throws(() => parallelRun(mod, 'boom', [[1, 0], [0, 0], [0, 0]]), /boom task 0/);
    assert.throws(() => parallelRun(mod, 'nope', [[1]]), /no function 'nope'/);
    const n = 1 << 16;
    new Int32Array(memory.buffer, BASE, n).fill(-1);
    parallelRun(mod, 'fill', fillTasks(n, 8));
    checkFill(n);
  }
});

test('a second module reaches the workers too', async () => {
  setNumThreads(2);
  await startThreads();
  const f = new Fn(['i32', 'i32']);
  f.get(0).get(1).mem('i32.store');
  const m2 = compile([{ name: 'put', fn: f }]);
  const tasks = Array.from({ length: 256 }, (_, i) => [BASE + 4 * i, 1000 + i]);
  for (let rep = 0; rep < 3; rep++) {
    new Int32Array(memory.buffer, BASE, 256).fill(0);
    parallelRun(m2, 'put', tasks);
    const v = new Int32Array(memory.buffer, BASE, 256);
    for (let i = 0; i < 256; i++) assert.equal(v[i], 1000 + i);
  }
});

test('round trip and speedup (diagnostics)', async (t) => {
  setNumThreads(2);
  await startThreads();
  const med = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1]!;
  const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;
  const timed = (f: () => void): number => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  for (let k = 0; k < 50; k++) parallelRun(mod, 'spin', [[1e6], [1e6]]); // tier-up

  // Empty tasks: the caller often takes both before the worker gets there, so this is the floor.
  // Back to back the worker is still spinning from the last job; apart it sleeps in Atomics.wait.
  let w0 = workerTasks();
  const hot = Array.from({ length: 2000 }, () => timed(() => parallelRun(mod, 'nop', [[], []])));
  const hotShare = (workerTasks() - w0) / 4000;
  const cold: number[] = [];
  w0 = workerTasks();
  for (let k = 0; k < 100; k++) {
    await new Promise((r) => setTimeout(r, 1));
    cold.push(timed(() => parallelRun(mod, 'nop', [[], []])));
  }
  const coldShare = (workerTasks() - w0) / 200;
  t.diagnostic(
    `empty 2-task job: ${us(med(hot))} back to back (worker ran ${(100 * hotShare).toFixed(0)}% of tasks), ` +
      `${us(med(cold))} from sleep (${(100 * coldShare).toFixed(0)}%) (medians)`,
  );

  // Round trip with real work: two ~50 µs tasks split, against one such task alone.
  const n50 = 150_000;
  const one50 = med(Array.from({ length: 200 }, () => timed(() => parallelRun(mod, 'spin', [[n50]]))));
  w0 = workerTasks();
  const two50 = med(Array.from({ length: 200 }, () => timed(() => parallelRun(mod, 'spin', [[n50], [n50]]))));
  t.diagnostic(
    `two ${us(one50)} tasks on 2 threads: ${us(two50)}, overhead ${us(two50 - one50)} ` +
      `(worker ran ${((100 * (workerTasks() - w0)) / 400).toFixed(0)}%)`,
  );

  // Speedup of long tasks: 2 tasks one after the other on the caller against split over 2 threads.
  const best = (f: () => void): number => Math.min(timed(f), timed(f), timed(f));
  const bytes = 16384;
  const reps = 20000;
  const tasks = [[BASE, bytes, reps], [BASE + bytes, bytes, reps]];
  const region = (): Float32Array => new Float32Array(memory.buffer, BASE, (2 * bytes) / 4);
  parallelRun(mod, 'heavy', tasks);
  const serialHeavy = best(() => {
    region().fill(1);
    parallelRun(mod, 'heavy', [tasks[0]!]);
    parallelRun(mod, 'heavy', [tasks[1]!]);
  });
  const ref = region().slice();
  w0 = workerTasks();
  const splitHeavy = best(() => {
    region().fill(1);
    parallelRun(mod, 'heavy', tasks);
  });
  assert.deepEqual(region(), ref);
  assert.ok(workerTasks() > w0, 'the worker ran none of the split tasks');
  const nSpin = 10_000_000;
  const serialSpin = best(() => {
    parallelRun(mod, 'spin', [[nSpin]]);
    parallelRun(mod, 'spin', [[nSpin]]);
  });
  const splitSpin = best(() => parallelRun(mod, 'spin', [[nSpin], [nSpin]]));
  const ms = (x: number): string => `${x.toFixed(1)} ms`;
  t.diagnostic(
    `speedup of 2 threads: f32x4 mul/add kernel ${ms(serialHeavy)} -> ${ms(splitHeavy)} = ${(serialHeavy / splitHeavy).toFixed(2)}x; ` +
      `scalar loop ${ms(serialSpin)} -> ${ms(splitSpin)} = ${(serialSpin / splitSpin).toFixed(2)}x`,
  );
});

test('an idle pool lets the process exit', () => {
  const url = new URL('../src/backend/wasm/threads.ts', import.meta.url).href;
  const script = `
    import { compile } from ${JSON.stringify(new URL('../src/backend/wasm/memory.ts', import.meta.url).href)};
    import { Fn } from ${JSON.stringify(new URL('../src/backend/wasm/asm.ts', import.meta.url).href)};
    import { parallelRun, setNumThreads, startThreads } from ${JSON.stringify(url)};
    setNumThreads(2);
    await startThreads();
    parallelRun(compile([{ name: 'nop', fn: new Fn([]) }]), 'nop', [[], [], []]);
    console.log('done');
  `;
  const r = runScript(script, { timeoutMs: 20_000 });
  assert.equal(r.error, undefined, 'the child did not exit by itself');
  assert.equal(r.stdout.trim(), 'done', r.stderr);
  assert.equal(r.status, 0);
});
