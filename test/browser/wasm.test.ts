// The built package (dist/, as a browser loads ES modules) in headless Chromium, on pages served from
// 127.0.0.1: once cross-origin isolated (COOP/COEP headers: shared memory, worker threads) and once
// not (one thread, plain memory). Each page checks the wasm backend against references computed in
// the page itself. Needs Debian's chromium (.ci/run installs it; TORCHFN_REQUIRE_BROWSER=1 makes its
// absence a failure instead of a skip) and a build (npm test builds first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json' };

function serve(isolated: boolean): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(ROOT, path);
    if (!(path.startsWith('/dist/') || path.startsWith('/test/browser/')) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
    if (isolated) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
    }
    res.writeHead(200, headers).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const addr = server.address() as { port: number };
    resolve({ server, url: `http://127.0.0.1:${addr.port}/test/browser/index.html` });
  }));
}

interface PageResult {
  backend: string;
  isolated: boolean;
  threads: number;
  matmulErr: number;
  matmulBound: number;
  tanhMaxUlp: number;
  gradErr: number;
  perSampleErr: number;
  threadsAgree: boolean;
  workerTasks: number;
}

/** The checks of index.html's runSubset(), each reported as its own subtest. */
const SUBSET = [
  'grad: d/dx sum(x^3) = 3x^2, and grad of grad = 6x',
  'grad: torch.autograd.grad and .backward agree with the closed form of a float64 product',
  'vmap: a per-row dot equals a loop of separate torch.dot calls and a plain JavaScript dot',
  'vmap: inDims [null, 0] matrix-vector products and outDims 1',
  'module hooks: a forward hook sees the output, a forward pre-hook modifies the input, a full backward hook sees the gradients',
  'optimizer: SGD on a least-squares problem reaches the closed-form solution',
  'optimizer: Adam on a least-squares problem reaches the closed-form solution',
  'safetensors: save to bytes and load back gives identical values, dtypes and shapes',
  'printing: DevTools custom formatters show the repr; modules print their PyTorch class names',
];

const skip = !CHROMIUM && process.env.TORCHFN_REQUIRE_BROWSER !== '1' ? 'Debian chromium is not installed' : false;

for (const isolated of [true, false]) {
  test(`wasm backend in headless Chromium, ${isolated ? 'cross-origin isolated (threads)' : 'not isolated (one thread)'}`, { skip, timeout: 120_000 }, async (t) => {
    assert.ok(CHROMIUM, 'TORCHFN_REQUIRE_BROWSER=1 but no chromium executable was found');
    assert.ok(existsSync(join(ROOT, 'dist/index.js')), 'dist/ is missing: run npm run build');
    const { server, url } = await serve(isolated);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()} (${m.location().url})`); });
      await page.goto(url);
      const r = (await page.evaluate('window.runChecks()')) as PageResult;
      // The library subset (grad, vmap, module hooks, optimizer loops, safetensors), one subtest per check.
      const subset = (await page.evaluate('window.runSubset()')) as Record<string, { ok: boolean; detail: string }>;
      assert.deepEqual(Object.keys(subset).sort(), [...SUBSET].sort(), 'the page ran a different set of checks');
      for (const name of SUBSET) {
        await t.test(name, (st) => {
          st.diagnostic(subset[name]!.detail);
          assert.ok(subset[name]!.ok, subset[name]!.detail);
        });
      }
      await t.test('no page errors or console errors', () => assert.deepEqual(errors, []));
      assert.equal(r.backend, 'wasm');
      assert.equal(r.isolated, isolated);
      if (isolated) {
        assert.ok(r.threads >= 2, `expected several threads when isolated, got ${r.threads}`);
        assert.ok(r.workerTasks > 0, 'no GEMM task ran on a worker');
      } else assert.equal(r.threads, 1);
      assert.ok(r.matmulErr <= r.matmulBound, `matmul error ${r.matmulErr} above ${r.matmulBound}`);
      assert.ok(r.tanhMaxUlp <= 2, `tanh off by ${r.tanhMaxUlp} ulp`);
      assert.ok(r.gradErr < 1e-6, `grad error ${r.gradErr}`);
      assert.ok(r.perSampleErr < 1e-5, `per-sample grad error ${r.perSampleErr}`);
      assert.ok(r.threadsAgree, '1 and 2 threads disagree');
    } finally {
      await browser.close();
      server.close();
    }
  });
}
