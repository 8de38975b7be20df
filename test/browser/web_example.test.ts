// The web example (examples/web/, `npm run web`) in headless Chromium: builds it with esbuild, serves it
// cross-origin isolated on 127.0.0.1, waits for the training worker to finish, checks the test accuracy
// the page reports, picks a digit and checks its Grad-CAM canvas is drawn, and saves a screenshot to
// test/browser/out/web_example.png (git-ignored). Any page error, console error or failed request fails
// it. Skipped without Debian's chromium unless TORCHFN_REQUIRE_BROWSER=1. TORCHFN_WEB_STEPS sets the
// training steps (the page's default otherwise).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildWeb, serveWeb, OUT_DIR } from '../../examples/web/serve.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const SHOT_DIR = fileURLToPath(new URL('./out/', import.meta.url));
const skip = !CHROMIUM && process.env.TORCHFN_REQUIRE_BROWSER !== '1' ? 'Debian chromium is not installed' : false;

interface Demo {
  state: 'loading' | 'training' | 'done' | 'error';
  backend?: string;
  threads?: number;
  isolated: boolean;
  step: number;
  steps: number;
  losses: number[];
  seconds?: number;
  trainAcc?: number;
  testAcc?: number;
  memory?: { usedBytes: number; memoryBytes: number; collections: number; evictions: number };
  cam?: { index: number; label: number; pred: number; prob: number; camMax: number };
  frames: number;
  maxFrameGapMs: number;
  error?: string;
}

test('web example (examples/web) in headless Chromium: trains in a worker, plots the loss, shows Grad-CAM', { skip, timeout: 120_000 }, async (t) => {
  assert.ok(CHROMIUM, 'TORCHFN_REQUIRE_BROWSER=1 but no chromium executable was found');
  const t0 = performance.now();
  await buildWeb(OUT_DIR);
  t.diagnostic(`built examples/web in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const { server, url } = await serveWeb(OUT_DIR, { port: 0, isolated: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 800, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()} (${m.location().url})`); });
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
    const steps = process.env.TORCHFN_WEB_STEPS;
    await page.goto(steps ? `${url}?steps=${steps}` : url);
    const t1 = performance.now();
    await page.waitForFunction('window.demo && (window.demo.state === "done" || window.demo.state === "error")', null, { timeout: 90_000, polling: 250 });
    const demo = (await page.evaluate('window.demo')) as Demo;
    t.diagnostic(`trained ${demo.steps} steps in ${demo.seconds?.toFixed(1)} s in the worker (${((performance.now() - t1) / 1000).toFixed(1)} s from load), backend ${demo.backend}, ${demo.threads} threads; worker's wasm memory ${JSON.stringify(demo.memory)}`);

    await t.test('training ran in the worker and the loss went down', () => {
      assert.equal(demo.state, 'done', demo.error ?? 'the page did not finish');
      assert.equal(demo.backend, 'wasm');
      assert.equal(demo.isolated, true, 'the page is not cross-origin isolated');
      assert.equal(demo.losses.length, demo.steps, 'one loss per step reached the page');
      const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
      const first = mean(demo.losses.slice(0, 20)), last = mean(demo.losses.slice(-20));
      assert.ok(last < first / 4, `loss ${first.toFixed(3)} -> ${last.toFixed(3)}`);
    });
    await t.test('the page stayed responsive while training', (st) => {
      st.diagnostic(`${demo.frames} frames while training, longest gap ${demo.maxFrameGapMs.toFixed(0)} ms`);
      assert.ok(demo.frames >= 10, `only ${demo.frames} animation frames while training`);
      assert.ok(demo.maxFrameGapMs < 1000, `a frame took ${demo.maxFrameGapMs.toFixed(0)} ms`);
    });
    await t.test('test accuracy reported by the page is above 0.85', (st) => {
      st.diagnostic(`test accuracy ${demo.testAcc}, train accuracy ${demo.trainAcc}`);
      assert.ok(demo.testAcc! > 0.85, `test accuracy ${demo.testAcc}`);
    });
    await t.test('a chosen digit gets a non-blank Grad-CAM', async () => {
      await page.waitForFunction('window.demo.cam !== undefined', null, { timeout: 10_000 });
      await page.click('#digits button[data-digit="7"]');
      await page.waitForFunction('window.demo.cam && window.demo.cam.label === 7', null, { timeout: 10_000 });
      const cam = ((await page.evaluate('window.demo')) as Demo).cam!;
      assert.equal(cam.label, 7);
      assert.ok(cam.pred >= 0 && cam.pred <= 9 && cam.prob > 0 && cam.prob <= 1, JSON.stringify(cam));
      assert.ok(cam.camMax > 0, 'the CAM is zero everywhere');
      // The canvases: distinct colours drawn, and not all black.
      const pix = (await page.evaluate(`['input', 'cam', 'overlay'].map((id) => {
        const c = document.getElementById(id);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const colours = new Set();
        let lit = 0;
        for (let i = 0; i < d.length; i += 4) { colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]); if (d[i] + d[i + 1] + d[i + 2] > 60) lit++; }
        return { id, colours: colours.size, lit: lit / (d.length / 4) };
      })`)) as { id: string; colours: number; lit: number }[];
      for (const p of pix) assert.ok(p.colours >= 4 && p.lit > 0.05, `canvas #${p.id} looks blank: ${JSON.stringify(p)}`);
      const text = await page.textContent('#result');
      assert.match(text ?? '', /label 7, predicted \d/);
    });
    await t.test('screenshot saved to test/browser/out/web_example.png', async () => {
      mkdirSync(SHOT_DIR, { recursive: true });
      await page.screenshot({ path: `${SHOT_DIR}web_example.png`, fullPage: true });
      assert.ok(existsSync(`${SHOT_DIR}web_example.png`));
    });
    await t.test('no page errors, console errors or failed requests', () => assert.deepEqual(errors, []));
  } finally {
    await browser.close();
    server.close();
  }
});
