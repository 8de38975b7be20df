// The WebGPU backend's kernels in headless Chromium (SwiftShader's WebGPU adapter: no GPU needed),
// each checked against the reference backend by webgpu_checks.ts, which esbuild bundles straight from
// src/ (no build needed). Needs Debian's chromium; TORCHFN_REQUIRE_BROWSER=1 makes its absence (or a
// browser without a WebGPU adapter) a failure instead of a skip. The same checks also run in Node when
// the optional `webgpu` package (Dawn) is installed, on the machine's GPU or, without one, on the
// SwiftShader Vulkan driver that Debian's chromium ships.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, REQUIRE, bundle, launch, pageErrors, serve, skip } from './webgpu_page.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));

interface CheckResult { method: string; name: string; ratio: number; detail: string; ms: number }

/** Every Backend method the page must have checked (linalg ones only for their error). */
const METHODS = [
  'full', 'fromArray', 'unary', 'binary', 'where', 'copy', 'copyInto', 'reduce', 'argReduce', 'argsort', 'cumsum', 'matmul',
  'fused', 'fusedInto', 'fusedReduce', 'gather', 'scatter', 'indexSelect', 'concat', 'pad', 'unfold', 'fold', 'errors', 'pool', 'grid',
  'linalgSolve', 'slogdet', 'luFactor', 'luPermutation', 'cholesky', 'triangularSolve', 'qr', 'matrixExp', 'eigh', 'svd', 'pinv',
];

/** Asserts every check of a run, one subtest per method and per check. */
async function assertChecks(t: import('node:test').TestContext, results: CheckResult[]): Promise<void> {
  const slow = [...results].sort((a, b) => b.ms - a.ms).slice(0, 8);
  t.diagnostic(`slowest: ${slow.map((c) => `${c.method} ${c.name} ${(c.ms / 1000).toFixed(2)} s`).join('; ')}`);
  const byMethod = new Map<string, CheckResult[]>();
  for (const c of results) {
    if (!byMethod.has(c.method)) byMethod.set(c.method, []);
    byMethod.get(c.method)!.push(c);
  }
  assert.deepEqual([...byMethod.keys()].sort(), [...METHODS].sort(), 'the page checked a different set of methods');
  for (const method of METHODS) {
    await t.test(method, async (mt) => {
      const list = byMethod.get(method)!;
      mt.diagnostic(`${list.length} checks, ${(list.reduce((a, c) => a + c.ms, 0) / 1000).toFixed(2)} s`);
      for (const c of list) {
        await mt.test(c.name, (ct) => {
          ct.diagnostic(`${c.ms.toFixed(0)} ms; ${c.detail}`);
          assert.ok(c.ratio <= 1, `${method} ${c.name}: error ${c.ratio.toPrecision(3)} x tolerance; ${c.detail}`);
        });
      }
    });
  }
}


test('webgpu backend kernels against the reference backend, in headless Chromium', { skip, timeout: 240_000 }, async (t) => {
  assert.ok(CHROMIUM, 'TORCHFN_REQUIRE_BROWSER=1 but no chromium executable was found');
  const t0 = Date.now();
  const { server, url } = await serve('webgpu.html', await bundle('webgpu_entry.ts'));
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await page.goto(url);
    await page.waitForFunction('typeof window.runWebGPUChecks === "function"');
    const r = (await page.evaluate('window.runWebGPUChecks()')) as { adapter: boolean; results: CheckResult[]; ms: number };
    if (!r.adapter) {
      assert.ok(!REQUIRE, 'TORCHFN_REQUIRE_BROWSER=1 but Chromium offers no WebGPU adapter');
      t.skip('Chromium offers no WebGPU adapter here');
      return;
    }
    t.diagnostic(`page ran ${r.results.length} checks in ${(r.ms / 1000).toFixed(1)} s (total ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    await assertChecks(t, r.results);
    await t.test('no page errors, console errors or WebGPU warnings', () => assert.deepEqual(errors, []));
  } finally {
    await browser.close();
    server.close();
  }
});

let hasWebgpuPackage = true;
try {
  createRequire(import.meta.url).resolve('webgpu');
} catch {
  hasWebgpuPackage = false;
}

interface NodeReport { adapter: boolean; results: CheckResult[]; finalization?: CheckResult }

/** Runs webgpu_node_run.ts in a child process with `env` added; resolves to its report. */
function runInNode(env: Record<string, string>): Promise<NodeReport> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', `${HERE}webgpu_node_run.ts`], { env: { ...process.env, ...env }, maxBuffer: 64 << 20, timeout: 400_000 }, (err, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (err && !line.startsWith('{')) reject(new Error(`${err.message}\n${stderr.slice(-2000)}`));
      else resolve(JSON.parse(line) as NodeReport);
    });
  });
}

test('webgpu backend kernels in Node through the optional webgpu package', { skip: hasWebgpuPackage ? false : 'the optional webgpu package is not installed', timeout: 480_000 }, async (t) => {
  let r = await runInNode({});
  // No GPU here: Dawn can use the SwiftShader Vulkan driver that Debian's chromium ships.
  const icd = '/usr/lib/chromium/vk_swiftshader_icd.json';
  if (!r.adapter && existsSync(icd)) r = await runInNode({ VK_ICD_FILENAMES: icd, LD_LIBRARY_PATH: `/usr/lib/chromium:${process.env.LD_LIBRARY_PATH ?? ''}` });
  if (!r.adapter) {
    assert.ok(!REQUIRE, 'TORCHFN_REQUIRE_BROWSER=1 but Dawn found no WebGPU adapter (is libvulkan1 installed?)');
    t.skip('Dawn found no WebGPU adapter');
    return;
  }
  await assertChecks(t, r.results);
  await t.test('GPU memory of a loop without dispose() comes back through the FinalizationRegistry', (ft) => {
    const f = r.finalization!;
    ft.diagnostic(`${(f.ms / 1000).toFixed(1)} s; ${f.detail}`);
    assert.ok(f.ratio <= 1, f.detail);
  });
});
