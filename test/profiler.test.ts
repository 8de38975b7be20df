// torch.profiler: the table's columns and layout (PyTorch's _build_table), the Chrome trace (valid
// JSON, complete events whose ts/dur nest), module and recordFunction spans, input shapes, and
// nothing recorded (and no observer installed) when no profiler runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../src/index.js';
import { hasDispatchObserver } from '../src/primitives/primitive.js';
import { callObserver } from '../src/nn/call_observer.js';

const { nn, profiler } = torch;

function mlp() {
  torch.manualSeed(0);
  return new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
}

function step(model: torch.nn.Module, x: torch.Tensor) {
  const loss = (model.call(x) as torch.Tensor).pow(2).mean();
  loss.backward();
}

test('table: PyTorch columns, dashed rules, right alignment, time units and footer', () => {
  const model = mlp();
  const x = torch.randn([3, 4]);
  const prof = profiler.profile({ activities: [profiler.ProfilerActivity.CPU], recordShapes: true, profileMemory: true }, () => step(model, x));
  const table = prof.keyAverages().table({ sortBy: 'cpu_time_total', rowLimit: 8 });
  const lines = table.split('\n');
  const rule = lines[0]!;
  assert.match(rule, /^-+( {2}-{12})+ {2}$/);
  assert.equal(lines[2], rule);
  const header = lines[1]!;
  const cols = ['Name', 'Self CPU %', 'Self CPU', 'CPU total %', 'CPU total', 'CPU time avg', 'CPU Mem', 'Self CPU Mem', '# of Calls'];
  assert.deepEqual(header.trim().split(/ {2,}/), cols);
  assert.equal(header.length, rule.length);
  const rows = lines.slice(3, lines.indexOf(rule, 3));
  assert.equal(rows.length, 8);
  for (const r of rows) {
    assert.equal(r.length, rule.length, 'every row right-aligned to the rule');
    const cells = r.trim().split(/ {2,}/);
    assert.match(cells[1]!, /^\d+\.\d\d%$/);
    for (const c of [cells[2], cells[4], cells[5]]) assert.match(c!, /^\d+\.\d{3}(us|ms|s)$/);
    assert.match(cells[6]!, /^-?\d+(\.\d\d)? (b|Kb|Mb|Gb)$/);
    assert.match(cells[8]!, /^\d+$/);
  }
  // sorted by CPU total, descending
  const avgs = [...prof.keyAverages()].sort((a, b) => b.cpuTimeTotal - a.cpuTimeTotal);
  assert.equal(rows[0]!.trim().split(/ {2,}/)[0], avgs[0]!.key);
  assert.equal(lines[lines.indexOf(rule, 3) + 1], `Self CPU time total: ${profiler.formatTime(prof.selfCpuTimeTotal)}`);
  const names = [...prof.keyAverages()].map((a) => a.key);
  for (const n of ['aten::matmul', 'nn.Module: Linear', 'nn.Module: Sequential', 'nn.Module: ReLU']) assert.ok(names.includes(n), n);
  const lin = [...prof.keyAverages()].find((a) => a.key === 'nn.Module: Linear')!;
  assert.equal(lin.count, 2);
  // self times add up to the total; a span's total is at least its self time
  const sumSelf = [...prof.keyAverages()].reduce((s, a) => s + a.selfCpuTimeTotal, 0);
  assert.ok(Math.abs(sumSelf - prof.selfCpuTimeTotal) < 1e-6);
  const top = prof.events().filter((e) => e.parent < 0).reduce((s, e) => s + e.durationUs, 0);
  assert.ok(Math.abs(top - prof.selfCpuTimeTotal) < 1e-3);
});

test('time and memory formats follow PyTorch', () => {
  assert.equal(profiler.formatTime(12.3456), '12.346us');
  assert.equal(profiler.formatTime(1500), '1.500ms');
  assert.equal(profiler.formatTime(2.5e6), '2.500s');
  assert.equal(profiler.formatMemory(512), '512 b');
  assert.equal(profiler.formatMemory(2048), '2.00 Kb');
  assert.equal(profiler.formatMemory(3 * 1024 * 1024), '3.00 Mb');
  assert.equal(profiler.formatTimeShare(5, 20), '25.00%');
});

test('groupByInputShape adds the Input Shapes column; memory counts bytes of created tensors', () => {
  const a = torch.randn([3, 4]);
  const b = torch.randn([4, 5]);
  const prof = profiler.profile({ recordShapes: true, profileMemory: true }, () => {
    a.matmul(b);
    a.matmul(b);
    b.t().matmul(a.t());
  });
  const ka = prof.keyAverages({ groupByInputShape: true });
  const mm = [...ka].filter((r) => r.key === 'aten::matmul');
  assert.deepEqual(mm.map((r) => [r.inputShapes, r.count]), [['[[3, 4], [4, 5]]', 2], ['[[5, 4], [4, 3]]', 1]]);
  assert.equal(mm[0]!.selfCpuMemoryUsage, 2 * 3 * 5 * 4);
  const t = ka.table();
  const header = t.split('\n')[1]!;
  assert.ok(header.trimEnd().endsWith('Input Shapes'));
  assert.ok(t.includes('[[3, 4], [4, 5]]'));
  assert.throws(() => profiler.profile({}, () => a.add(1)).keyAverages({ groupByInputShape: true }), /recordShapes/);
});

test('Chrome trace: valid JSON, one complete event per span, nesting by ts/dur, modules and recordFunction', () => {
  const model = mlp();
  const x = torch.randn([2, 4]);
  const prof = profiler.profile({ recordShapes: true }, () => {
    profiler.recordFunction('train_step', () => step(model, x));
  });
  const dir = mkdtempSync(join(tmpdir(), 'torchfn-prof-'));
  try {
    const path = join(dir, 'trace.json');
    prof.exportChromeTrace(path);
    const trace = JSON.parse(readFileSync(path, 'utf8')) as torch.profiler.ChromeTrace;
    assert.deepEqual(trace, JSON.parse(JSON.stringify(prof.chromeTrace())));
    const xs = trace.traceEvents.filter((e) => e.ph === 'X');
    assert.equal(xs.length, prof.events().length);
    for (const e of xs) {
      assert.equal(typeof e.ts, 'number');
      assert.ok(e.dur! >= 0);
    }
    const byId = new Map(xs.map((e) => [e.args['External id'] as number, e]));
    let nested = 0;
    for (const e of xs) {
      const pid = e.args['Parent id'] as number | undefined;
      if (pid === undefined) continue;
      const p = byId.get(pid)!;
      assert.ok(e.ts! >= p.ts! - 1e-6 && e.ts! + e.dur! <= p.ts! + p.dur! + 1e-6, `${e.name} inside ${p.name}`);
      nested++;
    }
    assert.ok(nested > 10);
    const root = xs.find((e) => e.name === 'train_step')!;
    assert.equal(root.cat, 'user_annotation');
    const mods = xs.filter((e) => e.cat === 'python_function');
    assert.deepEqual(mods.map((e) => [e.name, e.args['Module']]), [
      ['nn.Module: Sequential', ''], ['nn.Module: Linear', '0'], ['nn.Module: ReLU', '1'], ['nn.Module: Linear', '2'],
    ]);
    for (const m of mods) assert.ok(m.ts! >= root.ts! && m.ts! + m.dur! <= root.ts! + root.dur! + 1e-6);
    const mm = xs.find((e) => e.name === 'aten::matmul')!;
    assert.deepEqual(mm.args['Input Dims'], [[2, 4], [4, 8]]);
    // the matmul of the first Linear is inside that Linear's span
    const lin0 = mods[1]!;
    assert.ok(mm.ts! >= lin0.ts! && mm.ts! + mm.dur! <= lin0.ts! + lin0.dur! + 1e-6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('events name the transform level a primitive ran at', () => {
  const x = torch.randn([3, 2]);
  const prof = profiler.profile({}, () => torch.func.vmap((r: torch.Tensor) => r.mul(2).sum())(x));
  const ev = prof.events();
  const vm = ev.find((e) => e.name === 'vmap::mul')!;
  assert.equal(vm.level, 'vmap');
  const inner = ev.find((e) => e.name === 'aten::mul')!;
  assert.equal(ev[inner.parent], vm, 'the kernel runs inside the vmap-level event');
  const g = profiler.profile({}, () => torch.func.grad((t: torch.Tensor) => t.sin().sum())(x));
  assert.ok(g.events().some((e) => e.name === 'grad::sin'));
});

test('using form: start/stop, dispose stops; recordFunction handle', () => {
  const prof = profiler.profile({ withStack: true });
  assert.equal(profiler.isProfiling(), false);
  {
    using _p = prof.start();
    assert.equal(profiler.isProfiling(), true);
    using _r = profiler.recordFunction('block');
    torch.ones([2]).add(1);
  }
  assert.equal(profiler.isProfiling(), false);
  const ev = prof.events();
  assert.equal(ev[0]!.name, 'block');
  assert.ok(ev.slice(1).every((e) => e.parent === 0));
  assert.ok(ev[0]!.stack !== null);
  assert.throws(() => prof.start(), /already started/);
  assert.throws(() => profiler.profile({}).keyAverages(), /not started/);
  assert.throws(() => profiler.profile({ activities: ['cuda' as 'cpu'] }), /CPU/);
  assert.throws(() => prof.keyAverages().table({ sortBy: 'bogus' }), /sortBy/);
});

test('no profiler: no observer installed, nothing recorded, even after a throw inside profile', () => {
  assert.equal(hasDispatchObserver(), false);
  assert.equal(callObserver, null);
  assert.throws(() => profiler.profile({}, () => {
    torch.ones([2]).add(1);
    throw new Error('boom');
  }), /boom/);
  assert.equal(hasDispatchObserver(), false, 'profile() removes its observer when fn throws');
  assert.equal(callObserver, null);
  assert.equal(profiler.isProfiling(), false);
  // Work outside a profiler reaches no profiler: a finished one sees no new events.
  const prof = profiler.profile({}, () => torch.ones([2]).mul(3));
  const n = prof.events().length;
  mlp().call(torch.randn([1, 4]));
  assert.equal(prof.events().length, n);
  // recordFunction without a profiler just runs fn
  assert.equal(profiler.recordFunction('x', () => 7), 7);
});

test('async profile and recordFunction wait for the promise', async () => {
  const prof = await profiler.profile({}, async () => {
    await profiler.recordFunction('async', async () => {
      await new Promise((r) => setTimeout(r, 1));
      torch.ones([2]).add(1);
    });
  });
  const ev = prof.events();
  assert.equal(ev[0]!.name, 'async');
  assert.ok(ev.some((e) => e.name === 'aten::add' && e.parent === 0));
});
