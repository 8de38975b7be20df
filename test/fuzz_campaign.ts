// A long fuzz campaign over the public API (see test/support/fuzz_model.ts for the model and oracle).
// Usage: npm run fuzz -- [calls] [seed]   or   FUZZ_CALLS=500000 FUZZ_SEED=7 npm run fuzz
// Exits 1 when any call threw an untyped error, returned an invalid result or half-applied a change.
import fc from 'fast-check';
import { writeSync } from 'node:fs';
import { callArb, describe, runCall } from './support/fuzz_model.js';

const calls = Number(process.argv[2] ?? process.env.FUZZ_CALLS ?? 200_000);
const seed = Number(process.argv[3] ?? process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
if (!Number.isInteger(calls) || calls < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [calls >= 1] [integer seed]');
  process.exit(2);
}

/** FUZZ_TRACE=1 prints every call before making it (to find a call that crashes the process). */
const trace = !!process.env.FUZZ_TRACE;
const counts = { valid: 0, typed: 0, untyped: 0, invalid: 0, halfApplied: 0 };
const typedByClass = new Map<string, number>();
const findings = new Map<string, { kind: string; count: number; repro: string }>();
const perOp = new Map<string, number>();
const arb = callArb();
const t0 = performance.now();
const BATCH = 500;
let done = 0;
for (let b = 0; done < calls; b++) {
  const n = Math.min(BATCH, calls - done);
  for (const { op, args } of fc.sample(arb, { seed: seed + b * 7919, numRuns: n })) {
    if (trace) writeSync(2, `${describe(op, args).slice(0, 300)}\n`);
    const out = runCall(op, args);
    perOp.set(op.name, (perOp.get(op.name) ?? 0) + 1);
    counts[out.kind]++;
    if (out.kind === 'typed') typedByClass.set(out.cls, (typedByClass.get(out.cls) ?? 0) + 1);
    else if (out.kind !== 'valid') {
      const key = `${out.kind === 'untyped' ? out.cls + ': ' : ''}${out.message.replace(/\d+/g, 'N').slice(0, 160)}`;
      const f = findings.get(key);
      if (f) f.count++;
      else findings.set(key, { kind: out.kind, count: 1, repro: describe(op, args).slice(0, 400) });
    }
  }
  done += n;
  if (process.stderr.isTTY) process.stderr.write(`\r${done}/${calls}`);
}
if (process.stderr.isTTY) process.stderr.write('\n');
const secs = (performance.now() - t0) / 1000;

const row = (k: string, v: number | string) => console.log(`  ${k.padEnd(28)} ${String(v).padStart(9)}`);
console.log(`torchfn fuzz campaign: ${calls} calls, seed ${seed}, ${secs.toFixed(1)} s (${perOp.size} operations)`);
row('calls', calls);
row('valid results', counts.valid);
row('typed errors', counts.typed);
for (const [cls, n] of [...typedByClass].sort((a, b) => b[1] - a[1])) row(`  ${cls}`, n);
row('untyped errors', counts.untyped);
row('invalid results', counts.invalid);
row('half-applied on error', counts.halfApplied);
const list = [...findings.values()].sort((a, b) => b.count - a.count);
if (list.length) {
  console.log(`\n${list.length} distinct finding(s); up to 10 shown with a repro (op(args...)):`);
  for (const [k, f] of [...findings].sort((a, b) => b[1].count - a[1].count).slice(0, Number(process.env.FUZZ_SHOW ?? 10))) {
    console.log(`  [${f.kind} x${f.count}] ${k}\n      repro: ${f.repro}`);
  }
}
process.exit(counts.untyped + counts.invalid + counts.halfApplied > 0 ? 1 : 0);
