// A small PNG helper for the demo sections: writes a grid of tiles (grayscale images or heatmaps,
// optionally a heatmap blended over a grayscale image), each upscaled with nearest-neighbour to a
// fixed cell size and normalized on its own unless given a range. Encoding is pngjs's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import type { Tensor } from '../src/index.js';

export type Colormap = 'gray' | 'heat';

export interface Tile {
  /** Row-major h×w values. */
  data: ArrayLike<number>;
  h: number;
  w: number;
  /** 'gray' (black→white, the default) or 'heat' (black→blue→red→yellow→white). */
  cmap?: Colormap;
  /** Values mapped to [0, 1]: [lo, hi]; by default the tile's own min..max (a constant tile is black). */
  range?: [number, number];
  /**
   * A second map (same aspect, 'heat' by default) blended over this one, e.g. a heatmap over a digit;
   * each pixel's opacity is `alpha` (default 0.6) times the overlay's normalized value there, so
   * where the overlay is low the base shows through.
   */
  overlay?: Omit<Tile, 'overlay'> & { alpha?: number };
}

/** A tile from a 2-D tensor [h, w] (or [1, h, w]), on any device. */
export async function tileOf(t: Tensor, opts: Omit<Tile, 'data' | 'h' | 'w'> = {}): Promise<Tile> {
  const shape = t.shape.filter((d, i) => !(d === 1 && i < t.shape.length - 2));
  if (shape.length !== 2) throw new Error(`tileOf: expected a 2-D map, got shape [${t.shape.join(', ')}]`);
  return { data: (await t.float().data()) as Float32Array, h: shape[0]!, w: shape[1]!, ...opts };
}

type RGB = [number, number, number];

const HEAT_STOPS: [number, RGB][] = [
  [0, [0, 0, 0]],
  [0.25, [40, 30, 160]],
  [0.5, [200, 30, 60]],
  [0.75, [250, 170, 20]],
  [1, [255, 255, 230]],
];

function colour(v: number, cmap: Colormap): RGB {
  const t = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0));
  if (cmap === 'gray') {
    const g = Math.round(t * 255);
    return [g, g, g];
  }
  for (let i = 1; i < HEAT_STOPS.length; i++) {
    const [t1, c1] = HEAT_STOPS[i]!;
    if (t <= t1) {
      const [t0, c0] = HEAT_STOPS[i - 1]!;
      const f = (t - t0) / (t1 - t0);
      return [0, 1, 2].map((k) => Math.round(c0[k]! + f * (c1[k]! - c0[k]!))) as RGB;
    }
  }
  return HEAT_STOPS[HEAT_STOPS.length - 1]![1];
}

/** The tile's values mapped to [0, 1]. */
function normalized(tile: Omit<Tile, 'overlay'>): Float64Array {
  const n = tile.h * tile.w;
  if (tile.data.length !== n) throw new Error(`png tile: ${tile.data.length} values for ${tile.h}×${tile.w}`);
  let [lo, hi] = tile.range ?? [Infinity, -Infinity];
  if (!tile.range) {
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, tile.data[i]!);
      hi = Math.max(hi, tile.data[i]!);
    }
  }
  const out = new Float64Array(n);
  const span = hi - lo;
  for (let i = 0; i < n; i++) out[i] = span > 0 ? (tile.data[i]! - lo) / span : 0;
  return out;
}

export interface GridOptions {
  /** Side of each (square) cell in pixels; tiles are upscaled to it with nearest-neighbour. Default 48. */
  cell?: number;
  /** Gap between cells and around the grid, in pixels. Default 4. */
  gap?: number;
  /** Gap colour. Default a dark blue, so black and grey tiles both stand out. */
  background?: RGB;
}

/**
 * Writes `rows` of tiles (rows may differ in length; `null` leaves a cell empty) as an RGB PNG at
 * `path` (folders created), and returns the absolute path.
 * @example writeGrid('out/maps.png', [[tileOf(img), tileOf(map, { cmap: 'heat' })]], { cell: 64 })
 */
export function writeGrid(path: string, rows: (Tile | null)[][], opts: GridOptions = {}): string {
  const cell = opts.cell ?? 48;
  const gap = opts.gap ?? 4;
  const bg = opts.background ?? [40, 70, 130];
  const cols = Math.max(1, ...rows.map((r) => r.length));
  const width = gap + cols * (cell + gap);
  const height = gap + Math.max(1, rows.length) * (cell + gap);
  const png = new PNG({ width, height, colorType: 2, inputHasAlpha: true });
  for (let i = 0; i < width * height; i++) png.data.set([bg[0], bg[1], bg[2], 255], i * 4);

  rows.forEach((row, r) => {
    row.forEach((tile, c) => {
      if (!tile) return;
      const base = normalized(tile);
      const cmap = tile.cmap ?? 'gray';
      const ov = tile.overlay ? { t: tile.overlay, v: normalized(tile.overlay), cmap: tile.overlay.cmap ?? 'heat', alpha: tile.overlay.alpha ?? 0.6 } : null;
      const x0 = gap + c * (cell + gap);
      const y0 = gap + r * (cell + gap);
      for (let py = 0; py < cell; py++) {
        for (let px = 0; px < cell; px++) {
          let rgb = colour(base[Math.floor((py * tile.h) / cell) * tile.w + Math.floor((px * tile.w) / cell)]!, cmap);
          if (ov) {
            const v = ov.v[Math.floor((py * ov.t.h) / cell) * ov.t.w + Math.floor((px * ov.t.w) / cell)]!;
            const o = colour(v, ov.cmap);
            const a = ov.alpha * v;
            rgb = [0, 1, 2].map((k) => Math.round((1 - a) * rgb[k]! + a * o[k]!)) as RGB;
          }
          png.data.set([rgb[0], rgb[1], rgb[2], 255], ((y0 + py) * width + x0 + px) * 4);
        }
      }
    });
  });

  const abs = resolve(path);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, PNG.sync.write(png, { colorType: 2 }));
  return abs;
}

/** Where the demo writes its images: `out/<name>` at the repository root (gitignored). */
export function outPath(name: string): string {
  return fileURLToPath(new URL(`../out/${name}`, import.meta.url));
}

/** `abs` relative to the working directory, for printing. */
export function shown(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel.startsWith('..') ? abs : rel;
}
