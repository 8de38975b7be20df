// `npm run web`: bundles the web example with esbuild into examples/web/out/ (git-ignored) and serves
// it on http://127.0.0.1:8080/ (PORT=... to change; PORT=0 picks a free one) with the COOP/COEP
// headers that make the page cross-origin isolated, so the wasm backend can use worker threads.
// `--no-isolation` serves it without them (one thread). The browser test imports buildWeb and serveWeb.
//
// The bundle has four entry points: the page (app.js, plus app.css from uPlot's stylesheet), the
// training worker (train_worker.js), and the wasm backend's thread-pool worker and its JS tasks
// (thread_worker.js, js_tasks.js), which torchfn loads at run time from next to the module that
// spawns them (new URL('./thread_worker.js', import.meta.url)): in a bundle, next to the bundle.
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..');
export const OUT_DIR = join(HERE, 'out');

/** Bundles the example into `outDir` (emptied first); returns the files written. */
export async function buildWeb(outDir: string = OUT_DIR, opts: { minify?: boolean } = {}): Promise<string[]> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: {
      app: join(HERE, 'app.ts'),
      train_worker: join(HERE, 'train_worker.ts'),
      thread_worker: join(ROOT, 'src/backend/wasm/thread_worker.ts'),
      js_tasks: join(ROOT, 'src/backend/wasm/js_tasks.ts'),
    },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    minify: opts.minify ?? false,
    metafile: true,
    logLevel: 'warning',
  });
  copyFileSync(join(HERE, 'index.html'), join(outDir, 'index.html'));
  copyFileSync(join(ROOT, 'examples/data/digits.json'), join(outDir, 'digits.json'));
  return [...Object.keys(result.metafile.outputs).map((f) => join(ROOT, f)), join(outDir, 'index.html'), join(outDir, 'digits.json')];
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** Serves `dir` on 127.0.0.1 (static files only; COOP/COEP headers unless `isolated` is false). */
export function serveWeb(dir: string = OUT_DIR, opts: { port?: number; isolated?: boolean } = {}): Promise<{ server: Server; url: string }> {
  const isolated = opts.isolated ?? true;
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(dir, path.endsWith('/') ? join(path, 'index.html') : path);
    if (!(file + sep).startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
    if (isolated) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
    }
    res.writeHead(200, headers).end(readFileSync(file));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}/` });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const isolated = !process.argv.includes('--no-isolation');
  const t0 = performance.now();
  await buildWeb(OUT_DIR, { minify: process.argv.includes('--minify') });
  console.log(`built ${normalize(OUT_DIR)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const { url } = await serveWeb(OUT_DIR, { port: Number(process.env.PORT ?? 8080), isolated });
  console.log(`serving the torchfn web example at ${url} (${isolated ? 'cross-origin isolated: worker threads' : 'not isolated: one thread'}; ?steps=N sets the training steps); Ctrl-C stops`);
}
