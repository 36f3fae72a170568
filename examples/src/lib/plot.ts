// A small hand-written SVG: side-by-side panels of polylines (training and
// test loss, training and test accuracy against the epoch), with nice ticks,
// a legend and optional dashed reference lines (chance, a baseline).
import { accessSync, constants, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunError } from './errors.js';

export interface PlotSeries {
  name: string;
  /** [x, y] pairs, drawn in order. */
  points: readonly (readonly [number, number])[];
  color: string;
}

export interface PlotPanel {
  title: string;
  xLabel: string;
  series: readonly PlotSeries[];
  /** Fix the y range (default: the data's range, padded). */
  yMin?: number;
  yMax?: number;
  /** Dashed horizontal lines, e.g. chance accuracy. */
  refLines?: readonly { y: number; label: string }[];
}

export const COLORS = { train: '#1f77b4', test: '#ff7f0e', extra: '#2ca02c', ref: '#888888' } as const;

const PANEL_W = 440;
const PANEL_H = 300;
const MARGIN = { left: 58, right: 16, top: 34, bottom: 46 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x: number): string => String(Math.round(x * 10) / 10);

/** About `count` round tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

function fmtTick(t: number): string {
  return Math.abs(t) >= 1000 || (Math.abs(t) < 1e-3 && t !== 0) ? t.toExponential(1) : String(Number(t.toPrecision(4)));
}

function panelSvg(p: PlotPanel, ox: number, oy: number): string {
  const all = p.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = all.map(([x]) => x);
  const ys = [...all.map(([, y]) => y), ...(p.refLines ?? []).map((r) => r.y)];
  const x0 = xs.length ? Math.min(...xs) : 0;
  const x1 = xs.length ? Math.max(...xs) : 1;
  let y0 = p.yMin ?? (ys.length ? Math.min(...ys) : 0);
  let y1 = p.yMax ?? (ys.length ? Math.max(...ys) : 1);
  if (y1 - y0 < 1e-12) {
    y0 -= 0.5;
    y1 += 0.5;
  } else if (p.yMin === undefined || p.yMax === undefined) {
    const pad = (y1 - y0) * 0.05;
    if (p.yMin === undefined) y0 -= pad;
    if (p.yMax === undefined) y1 += pad;
  }
  const w = PANEL_W - MARGIN.left - MARGIN.right;
  const h = PANEL_H - MARGIN.top - MARGIN.bottom;
  const left = ox + MARGIN.left;
  const top = oy + MARGIN.top;
  // Data → pixels: x maps [x0, x1] onto [left, left + w]; y is flipped (larger values higher up).
  const sx = (x: number): number => left + (x1 > x0 ? ((x - x0) / (x1 - x0)) * w : w / 2);
  const sy = (y: number): number => top + h - ((y - y0) / (y1 - y0)) * h;
  const parts: string[] = [];
  parts.push(
    `<text x="${num(left + w / 2)}" y="${num(oy + 20)}" text-anchor="middle" font-size="14" font-weight="bold">${esc(p.title)}</text>`,
  );
  for (const t of niceTicks(y0, y1)) {
    if (t < y0 || t > y1) continue;
    parts.push(`<line x1="${num(left)}" x2="${num(left + w)}" y1="${num(sy(t))}" y2="${num(sy(t))}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${num(left - 6)}" y="${num(sy(t) + 4)}" text-anchor="end" font-size="11">${fmtTick(t)}</text>`);
  }
  const xt = niceTicks(x0, x1, Math.min(8, Math.max(1, Math.round(x1 - x0)))).filter((t) => t >= x0 && t <= x1 && Number.isInteger(t));
  for (const t of xt) {
    parts.push(`<line x1="${num(sx(t))}" x2="${num(sx(t))}" y1="${num(top + h)}" y2="${num(top + h + 4)}" stroke="#333"/>`);
    parts.push(`<text x="${num(sx(t))}" y="${num(top + h + 17)}" text-anchor="middle" font-size="11">${fmtTick(t)}</text>`);
  }
  parts.push(`<rect x="${num(left)}" y="${num(top)}" width="${num(w)}" height="${num(h)}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${num(left)}" y="${num(oy + PANEL_H - 10)}" font-size="12">${esc(p.xLabel)} →</text>`);
  for (const r of p.refLines ?? []) {
    parts.push(
      `<line x1="${num(left)}" x2="${num(left + w)}" y1="${num(sy(r.y))}" y2="${num(sy(r.y))}" stroke="${COLORS.ref}" stroke-dasharray="5 4"/>`,
    );
    parts.push(
      `<text x="${num(left + w - 4)}" y="${num(sy(r.y) - 4)}" text-anchor="end" font-size="10" fill="${COLORS.ref}">${esc(r.label)}</text>`,
    );
  }
  p.series.forEach((s, k) => {
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pts.length > 0) {
      parts.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map(([x, y]) => `${num(sx(x))},${num(sy(y))}`).join(' ')}"/>`,
      );
      for (const [x, y] of pts) parts.push(`<circle cx="${num(sx(x))}" cy="${num(sy(y))}" r="2.5" fill="${s.color}"/>`);
    }
    // Legend in the bottom margin, right-aligned (outside the plot area, so it never hides a curve).
    const lx = left + w - 75 * (p.series.length - k);
    const ly = oy + PANEL_H - 10;
    parts.push(`<line x1="${num(lx)}" x2="${num(lx + 20)}" y1="${num(ly - 4)}" y2="${num(ly - 4)}" stroke="${s.color}" stroke-width="2"/>`);
    parts.push(`<text x="${num(lx + 25)}" y="${num(ly)}" font-size="11">${esc(s.name)}</text>`);
  });
  return parts.join('\n  ');
}

/** An SVG document with the panels side by side under a title. */
export function svgChart(title: string, panels: readonly PlotPanel[]): string {
  const width = PANEL_W * panels.length;
  const height = PANEL_H + 30;
  const body = panels.map((p, i) => panelSvg(p, i * PANEL_W, 30)).join('\n  ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `  <rect width="${width}" height="${height}" fill="white"/>`,
    `  <text x="${width / 2}" y="22" text-anchor="middle" font-size="16">${esc(title)}</text>`,
    `  ${body}`,
    '</svg>',
    '',
  ].join('\n');
}

/** examples/out/, next to src/ (git-ignored). */
export function defaultOutDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'out');
}

/** Why a file-system call failed, in a few words ("EEXIST: file already exists"). */
function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code}: ${err.message.replace(/^\w+: /, '').replace(/, \w+ .*$/, '')}` : String(err.message ?? e);
}

/**
 * Makes sure the plot can be written to `outDir` (creating the folder), so a
 * folder that is a file or read-only is reported before training, not after.
 * Throws RunError naming the folder, the reason and the fix.
 */
export function ensureOutDir(outDir: string): void {
  try {
    mkdirSync(outDir, { recursive: true });
    if (!statSync(outDir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(outDir, constants.W_OK);
  } catch (e) {
    throw new RunError(`cannot write the plot to ${displayPath(outDir)} (${reason(e)}); pass --out-dir <a writable folder>, or --no-plot.`);
  }
}

/** Writes `<outDir>/<name>.svg` (creating the folder) and returns its absolute path; RunError when it cannot. */
export function writeSvg(name: string, svg: string, outDir: string = defaultOutDir()): string {
  ensureOutDir(outDir);
  const file = join(outDir, `${name}.svg`);
  try {
    writeFileSync(file, svg);
  } catch (e) {
    throw new RunError(`cannot write ${displayPath(file)} (${reason(e)}); pass --out-dir <a writable folder>, or --no-plot.`);
  }
  return file;
}

/** A path to show the user: relative to the directory the command was started from (pnpm sets INIT_CWD), when that is shorter. */
export function displayPath(file: string): string {
  const rel = relative(process.env.INIT_CWD ?? process.cwd(), file);
  return rel.length < file.length && !rel.startsWith('..' + '/..') ? rel : file;
}
