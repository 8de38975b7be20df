// What the two WebGPU browser tests share: an entry bundled by esbuild straight from src/, served with
// its page from 127.0.0.1, and Debian's chromium started headless on SwiftShader's WebGPU adapter.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';

const HERE = fileURLToPath(new URL('.', import.meta.url));

/** Debian's chromium, when installed. */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
/** TORCHFN_REQUIRE_BROWSER=1: a missing browser or adapter fails instead of skipping. */
export const REQUIRE = process.env.TORCHFN_REQUIRE_BROWSER === '1';
/** The `skip` option of a browser test. */
export const skip = !CHROMIUM && !REQUIRE ? 'Debian chromium is not installed' : false;

/** The entry (a file of this folder) bundled for the page. */
export async function bundle(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [`${HERE}${entry}`],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    // package.json's "sideEffects" names dist/ files; from src/ it would drop side-effect imports
    // (tensor methods, backend registration), so bundle every import as written.
    ignoreAnnotations: true,
  });
  return out.outputFiles[0]!.text;
}

/** Serves `page` (an html file of this folder, which loads /bundle.js) and the bundle on 127.0.0.1. */
export function serve(page: string, js: string): Promise<{ server: Server; url: string }> {
  const html = readFileSync(`${HERE}${page}`);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === `/${page}`) res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else if (path === '/bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const addr = server.address() as { port: number };
    resolve({ server, url: `http://127.0.0.1:${addr.port}/${page}` });
  }));
}

/** Headless chromium with WebGPU on SwiftShader (no GPU needed). */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM!,
    headless: true,
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-webgpu-adapter=swiftshader', '--disable-gpu-sandbox',
      '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Page errors, console errors and warnings (WebGPU validation messages arrive as warnings), as they come. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
  return errors;
}
