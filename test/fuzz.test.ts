// "No silent wrong results": model-based fuzzing of the public API (generators and oracle in
// test/support/fuzz_model.ts). Every call returns a valid result (each reachable Tensor has
// non-negative integer sizes, a known dtype and exactly numel values) or throws a torch.TorchfnError,
// and a call that throws leaves its inputs untouched. Fixed seeds keep CI deterministic; the long
// campaign with other seeds is `npm run fuzz -- [calls] [seed]`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as torch from '../src/index.js';
import { FAMILIES, OPS, callArb, describe, runCall } from './support/fuzz_model.js';
import { runs } from './support/runs.js';

// Calls per family (about 12,000 in all at FC_RUNS=1; FC_RUNS scales them, test/support/runs.ts).
const RUNS: Record<string, number> = {
  creation: 1200, shape: 1500, indexing: 1200, arithmetic: 1500, reductions: 1200, autograd: 600,
  transforms: 900, nn: 900, optim: 500, io: 700, losses: 800, conv: 800,
};

test('every fuzzed family has a budget and every op a family', () => {
  assert.deepEqual([...FAMILIES].sort(), Object.keys(RUNS).sort());
  assert.ok(OPS.length > 100, `only ${OPS.length} ops`);
  assert.ok(Object.values(RUNS).reduce((a, b) => a + b, 0) >= 10_000);
});

for (const family of FAMILIES) {
  test(`fuzz ${family}: a valid result or a TorchfnError, never anything else`, () => {
    const res = fc.check(
      fc.property(callArb(family), ({ op, args }) => {
        const out = runCall(op, args);
        if (out.kind === 'valid' || out.kind === 'typed') return;
        const what = out.kind === 'untyped' ? `untyped ${out.cls}: ${out.message}` : `${out.kind}: ${out.message}`;
        throw new Error(`${describe(op, args)}\n  -> ${what}`);
      }),
      { seed: 42, numRuns: runs(RUNS[family]!) },
    );
    assert.equal(res.numRuns, runs(RUNS[family]!), res.failed ? `${(res.errorInstance as Error)?.message} (seed ${res.seed}, path ${res.counterexamplePath})` : 'too few runs');
  });
}

test('the oracle catches what it must (honesty checks)', () => {
  const probe = (run: (...a: any[]) => unknown) => runCall({ name: 'probe', family: 'probe', args: fc.constant([]), run }, []);
  assert.equal(probe(() => { throw new Error('plain'); }).kind, 'untyped');
  assert.equal(probe(() => { throw new RangeError('x'); }).kind, 'untyped');
  assert.equal(probe(() => { throw new torch.ShapeError('x'); }).kind, 'typed');
  assert.equal(probe(() => torch.ones(2, 3)).kind, 'valid');
  const bad = torch.ones(2);
  Object.defineProperty(bad, 'shape', { value: [NaN] });
  assert.equal(probe(() => [1, { t: bad }]).kind, 'invalid');
  const short = torch.ones(2);
  Object.defineProperty(short, 'shape', { value: [3] });
  assert.equal(probe(() => short).kind, 'invalid');
});
