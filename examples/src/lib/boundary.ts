// Pictures of a 2-D classifier: its decision regions over a grid, with the
// data points on top — as an SVG (cells shaded by the predicted class, paler
// where the model is less sure) and as a small character map for the terminal.
import { noGrad, softmax } from '@xent/autograd';
import { fromFlat } from '@xent/tensor';
import type { Module } from '@xent/nn';

/** Class colours (tab10), cycled for more classes. */
export const CLASS_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'] as const;

/** The model's decision over a grid of cells covering the points (with a margin). */
export interface DecisionGrid {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  cols: number;
  rows: number;
  /** Predicted class per cell, row-major, row 0 at the top (largest y). */
  classOf: Int32Array;
  /** The predicted class's probability per cell, in [1/classes, 1]. */
  confidence: Float64Array;
}

/** Points as a row-major [n, 2] array with their labels. */
export interface LabelledPoints {
  x: Float64Array;
  labels: Int32Array;
  n: number;
}

/** Evaluates the model's softmax at every cell centre (one forward pass, no gradient recorded). */
export function decisionGrid(model: Module, pts: LabelledPoints, cols = 90, rows = 90, margin = 0.4): DecisionGrid {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < pts.n; i++) {
    x0 = Math.min(x0, pts.x[2 * i]);
    x1 = Math.max(x1, pts.x[2 * i]);
    y0 = Math.min(y0, pts.x[2 * i + 1]);
    y1 = Math.max(y1, pts.x[2 * i + 1]);
  }
  [x0, x1, y0, y1] = [x0 - margin, x1 + margin, y0 - margin, y1 + margin];
  const centres = new Float64Array(cols * rows * 2);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = r * cols + c;
      centres[2 * k] = x0 + ((c + 0.5) * (x1 - x0)) / cols;
      centres[2 * k + 1] = y1 - ((r + 0.5) * (y1 - y0)) / rows;
    }
  }
  const p = noGrad(() => softmax(model.forward(fromFlat(centres, [cols * rows, 2])), -1)).values();
  const k = p.length / (cols * rows);
  const classOf = new Int32Array(cols * rows);
  const confidence = new Float64Array(cols * rows);
  for (let i = 0; i < cols * rows; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (p[i * k + c] > p[i * k + best]) best = c;
    classOf[i] = best;
    confidence[i] = p[i * k + best];
  }
  return { x0, x1, y0, y1, cols, rows, classOf, confidence };
}

const num = (x: number): string => String(Math.round(x * 100) / 100);

/** An SVG of the decision regions with the points (a misclassified point gets a red ring). */
export function boundarySvg(title: string, g: DecisionGrid, pts: LabelledPoints, size = 560): string {
  const top = 34;
  const cw = size / g.cols;
  const ch = size / g.rows;
  const sx = (x: number) => ((x - g.x0) / (g.x1 - g.x0)) * size;
  const sy = (y: number) => top + ((g.y1 - y) / (g.y1 - g.y0)) * size;
  const parts: string[] = [];
  const classes = Math.max(2, ...Array.from(pts.labels, (l) => l + 1));
  for (let r = 0; r < g.rows; r++) {
    for (let c = 0; c < g.cols; c++) {
      const i = r * g.cols + c;
      // Opacity grows from 0.1 (a coin toss) to 0.55 (certain).
      const sure = (g.confidence[i] - 1 / classes) / (1 - 1 / classes);
      const fill = CLASS_COLORS[g.classOf[i] % CLASS_COLORS.length];
      parts.push(
        `<rect x="${num(c * cw)}" y="${num(top + r * ch)}" width="${num(cw)}" height="${num(ch)}" fill="${fill}" fill-opacity="${num(0.1 + 0.45 * sure)}"/>`,
      );
    }
  }
  const cellAt = (x: number, y: number) => {
    const c = Math.min(g.cols - 1, Math.max(0, Math.floor(((x - g.x0) / (g.x1 - g.x0)) * g.cols)));
    const r = Math.min(g.rows - 1, Math.max(0, Math.floor(((g.y1 - y) / (g.y1 - g.y0)) * g.rows)));
    return r * g.cols + c;
  };
  for (let i = 0; i < pts.n; i++) {
    const [x, y, l] = [pts.x[2 * i], pts.x[2 * i + 1], pts.labels[i]];
    const wrong = g.classOf[cellAt(x, y)] !== l;
    parts.push(
      `<circle cx="${num(sx(x))}" cy="${num(sy(y))}" r="4" fill="${CLASS_COLORS[l % CLASS_COLORS.length]}" stroke="${wrong ? '#e00000' : '#222'}" stroke-width="${wrong ? 2.5 : 0.8}"/>`,
    );
  }
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size + top}" viewBox="0 0 ${size} ${size + top}" font-family="Helvetica, Arial, sans-serif">`,
    `  <rect width="${size}" height="${size + top}" fill="white"/>`,
    `  <text x="${size / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>`,
    '  <g shape-rendering="crispEdges">',
    ...parts.filter((p) => p.startsWith('<rect')).map((p) => '    ' + p),
    '  </g>',
    ...parts.filter((p) => !p.startsWith('<rect')).map((p) => '  ' + p),
    `  <rect x="0" y="${top}" width="${size}" height="${size}" fill="none" stroke="#333"/>`,
    '</svg>',
    '',
  ].join('\n');
}

/** The decision regions as characters (' ', '·', ':' …, one per class) with the points as digits (their class). */
export function boundaryAscii(g: DecisionGrid, pts: LabelledPoints, cols = 64, rows = 24): string {
  const shades = ['·', ' ', ':', '-', '+', '='];
  const lines: string[][] = [];
  for (let r = 0; r < rows; r++) {
    const line: string[] = [];
    for (let c = 0; c < cols; c++) {
      const gr = Math.floor(((r + 0.5) / rows) * g.rows);
      const gc = Math.floor(((c + 0.5) / cols) * g.cols);
      line.push(shades[g.classOf[gr * g.cols + gc] % shades.length]);
    }
    lines.push(line);
  }
  for (let i = 0; i < pts.n; i++) {
    const c = Math.floor(((pts.x[2 * i] - g.x0) / (g.x1 - g.x0)) * cols);
    const r = Math.floor(((g.y1 - pts.x[2 * i + 1]) / (g.y1 - g.y0)) * rows);
    if (r >= 0 && r < rows && c >= 0 && c < cols) lines[r][c] = String(pts.labels[i]);
  }
  return lines.map((l) => l.join('')).join('\n');
}
