// torchfn's coverage of PyTorch's torch.nn.functional and torch.nn names (test/fixtures/nn_coverage.ts):
// the targets of issue 15 hold, every name left out has a reason, and the README's table is current.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { coverage, LEFT_OUT, readmeWithCoverage } from './fixtures/nn_coverage.js';

test('at least 95% of the nn.functional names and 90% of the nn module classes', () => {
  const c = coverage();
  const share = (xs: { torchfn: string | null }[]) => xs.filter((x) => x.torchfn).length / xs.length;
  assert.ok(c.functional.length > 100 && c.modules.length > 120, 'the name lists look complete');
  assert.ok(share(c.functional) >= 0.95, `functional: ${share(c.functional)}`);
  assert.ok(share(c.modules) >= 0.9, `modules: ${share(c.modules)}`);
});

test('every missing name has a reason, and no reason is stale', () => {
  const c = coverage();
  const missing = [...c.functional.filter((x) => !x.torchfn).map((x) => `F.${x.name}`), ...c.modules.filter((x) => !x.torchfn).map((x) => `nn.${x.name}`)];
  assert.deepEqual(missing.filter((m) => !(m in LEFT_OUT)), [], 'missing names without a reason in LEFT_OUT');
  assert.deepEqual(Object.keys(LEFT_OUT).filter((m) => !missing.includes(m)), [], 'LEFT_OUT entries for names torchfn now has');
});

test("the README's coverage section is current", () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  assert.ok(readmeWithCoverage(readme) === readme, 'README.md is stale: run node --import tsx test/fixtures/nn_coverage.ts');
});
