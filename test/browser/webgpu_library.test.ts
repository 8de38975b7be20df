// The library itself (not just its kernels) on the real WebGPU backend in headless Chromium, on
// SwiftShader's software adapter (no GPU needed), as CI runs it: every primitive of the registry with its
// vjp, jvp and vmap rules against the cpu, vmap's GPU command count at two batch sizes (a kernel that
// loops over a batch would differ), torch.func golden cases against PyTorch's numbers, an Adam
// training loop (eager and compiled) against the cpu, and the read discipline (no synchronous read of
// the device anywhere in the library; item() throws, itemAsync() works). webgpu_library_entry.ts runs
// the checks in the page, bundled by esbuild straight from src/ (no build needed); each comes back here
// as its own subtest. Needs Debian's chromium; TORCHFN_REQUIRE_BROWSER=1 makes its absence (or a
// browser without a WebGPU adapter) a failure instead of a skip. FC_SEED=<n> draws other samples and
// FC_RUNS=<factor> more of them (2 per primitive by default: SwiftShader is slow).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, REQUIRE, bundle, launch, pageErrors, serve, skip } from './webgpu_page.js';
import { fcSeed, runs } from '../support/runs.js';
import type { LibraryCheck, LibraryInput, LibraryOutput } from './webgpu_library_entry.js';

const GOLDEN_DIR = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));

/**
 * Primitives that throw the typed "not implemented on device 'webgpu'" DeviceError today: their Backend
 * methods are not written for WebGPU yet (src/backend/webgpu/index.ts wires them to `notImplemented`),
 * and they throw rather than copy the matrix to the host behind the caller's back. A primitive in this
 * list that works on webgpu fails the test (remove it), and one missing from it that throws fails too:
 * the list is the documented gap, kept exact.
 */
const KNOWN_UNAVAILABLE: readonly string[] = [
  // Empty since the WebGPU backend gained svd and pinv (the last of the linalg family): every primitive
  // of the registry runs there. Add a primitive here, with its reason, only for an intended gap.
];

/** A synchronous read of device memory, from any of the three places that refuse one (tensor, in-flight copy, backend). */
const SYNC_READ = /cannot read a tensor on device 'webgpu' synchronously|a copy from 'webgpu' that has not arrived yet|must be read with `await tensor\.data\(\)`/;


function golden(): LibraryInput['golden'] {
  const read = (f: string) => (JSON.parse(readFileSync(`${GOLDEN_DIR}${f}.json`, 'utf8')) as { cases: LibraryInput['golden'][string] }).cases;
  return Object.fromEntries(['grad', 'vmap', 'jacobians', 'vjp_jvp'].map((f) => [f, read(f)]));
}

/** Asserts one check; 'unavailable' passes only for a primitive of KNOWN_UNAVAILABLE. */
async function assertCheck(t: TestContext, c: LibraryCheck): Promise<void> {
  await t.test(c.name, (ct) => {
    ct.diagnostic(`${c.ms.toFixed(0)} ms`);
    if (c.status === 'skip') {
      ct.skip(c.detail);
      return;
    }
    if (c.status === 'unavailable') {
      assert.ok(KNOWN_UNAVAILABLE.includes(c.subject),
        `${c.subject} ${c.name} is not available on webgpu but is not in KNOWN_UNAVAILABLE (add it there, with the reason, only if that gap is intended):\n${c.detail}`);
      ct.diagnostic(`known unavailable: ${c.detail.split('\n')[0]}`);
      return;
    }
    assert.equal(c.status, 'pass', `${c.subject} ${c.name} on webgpu:\n${c.detail}`);
    ct.diagnostic(c.detail);
  });
}

test('the library on the webgpu backend against the cpu, in headless Chromium', { skip, timeout: 300_000 }, async (t) => {
  assert.ok(CHROMIUM, 'TORCHFN_REQUIRE_BROWSER=1 but no chromium executable was found');
  const t0 = Date.now();
  const { server, url } = await serve('webgpu_library.html', await bundle('webgpu_library_entry.ts'));
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await page.goto(url);
    await page.waitForFunction('typeof window.runLibraryChecks === "function"');
    // Every exception thrown in the page, caught or not, pauses the debugger for a moment: a synchronous
    // read the library made and then swallowed would still show up here.
    const syncReads: string[] = [];
    const cdp = await page.context().newCDPSession(page);
    cdp.on('Debugger.paused', (ev) => {
      const what = (ev.data as { description?: string } | undefined)?.description ?? '';
      if (ev.reason === 'exception' && SYNC_READ.test(what)) syncReads.push(what);
      void cdp.send('Debugger.resume').catch(() => undefined);
    });
    await cdp.send('Debugger.enable');
    await cdp.send('Debugger.setPauseOnExceptions', { state: 'all' });
    const input: LibraryInput = { golden: golden(), seed: fcSeed(20261202), numRuns: runs(2) };
    const r = await page.evaluate((inp) => window.runLibraryChecks(inp), input) as LibraryOutput;
    await cdp.send('Debugger.setPauseOnExceptions', { state: 'none' });
    assert.ok(!r.initFailed, 'Chromium offers a WebGPU adapter but torch.webgpu.init() resolved to false (the backend failed to start)');
    if (!r.adapter) {
      assert.ok(!REQUIRE, 'TORCHFN_REQUIRE_BROWSER=1 but Chromium offers no WebGPU adapter');
      t.skip('Chromium offers no WebGPU adapter here');
      return;
    }
    t.diagnostic(`page ran ${r.checks.length} checks in ${(r.ms / 1000).toFixed(1)} s (total ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    const slow = [...r.checks].sort((a, b) => b.ms - a.ms).slice(0, 6);
    t.diagnostic(`slowest: ${slow.map((c) => `${c.subject} ${c.name} ${(c.ms / 1000).toFixed(2)} s`).join('; ')}`);
    t.diagnostic(`KNOWN_UNAVAILABLE (typed "not implemented on webgpu" errors): ${KNOWN_UNAVAILABLE.join(', ') || '(empty: every primitive runs on webgpu)'}`);

    const prims = new Map<string, LibraryCheck[]>();
    for (const c of r.checks.filter((x) => x.group === 'primitive')) {
      if (!prims.has(c.subject)) prims.set(c.subject, []);
      prims.get(c.subject)!.push(c);
    }
    await t.test('every primitive: forward, vjp, jvp and vmap on webgpu equal the cpu, and vmap takes as many GPU commands at B=2 as at B=5', async (pt) => {
      assert.ok(prims.size > 0, 'the page checked no primitive');
      const by = (st: LibraryCheck['status']) => [...prims].filter(([, l]) => l.some((c) => c.status === st)).map(([n]) => n);
      pt.diagnostic(`${prims.size} primitives; failing: ${by('fail').join(', ') || 'none'}; unavailable: ${by('unavailable').join(', ') || 'none'}`);
      for (const [name, list] of prims) {
        await pt.test(name, async (st) => {
          for (const c of list) await assertCheck(st, c);
        });
      }
      await pt.test('KNOWN_UNAVAILABLE lists exactly the primitives that throw "not implemented on webgpu"', () => {
        const stale = KNOWN_UNAVAILABLE.filter((n) => !(prims.get(n) ?? []).some((c) => c.status === 'unavailable'));
        assert.deepEqual(stale, [], `in KNOWN_UNAVAILABLE but ${stale.map((n) => (prims.has(n) ? `${n} works on webgpu now` : `${n} is not a primitive`)).join(', ')}: remove them from the list`);
      });
    });
    for (const group of ['golden', 'training', 'device'] as const) {
      const list = r.checks.filter((c) => c.group === group);
      await t.test(group === 'golden' ? 'torch.func golden cases in float32 on webgpu against PyTorch' : group === 'training' ? 'training on webgpu' : 'reading the device', async (gt) => {
        assert.ok(list.length > 0, `the page ran no ${group} check`);
        for (const c of list) await assertCheck(gt, { ...c, name: group === 'golden' ? `${c.subject}: ${c.name}` : c.name });
      });
    }
    await t.test('the library never read the device synchronously (only the page\'s own item() and tolist() did)', () => {
      const own = syncReads.filter((s) => s.includes('checkReads'));
      const library = syncReads.filter((s) => !s.includes('checkReads'));
      assert.deepEqual(library.map((s) => s.split('\n').slice(0, 8).join('\n')), [], 'synchronous reads of a webgpu tensor');
      assert.ok(own.length >= r.expectedSyncReads, `the debugger saw ${own.length} of the page's ${r.expectedSyncReads} deliberate synchronous reads: it did not watch the exceptions`);
    });
    await t.test('no page errors, console errors or WebGPU warnings', () => assert.deepEqual(errors, []));
  } finally {
    await browser.close();
    server.close();
  }
});
