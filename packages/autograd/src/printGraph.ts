// Teaching aids: the recorded graph as a table or as Graphviz DOT, with the
// gradient that reaches every tensor (computed with a retained graph, so the
// caller's own backward still works afterwards).
import { Tensor, XentError, readFlat } from '@xent/tensor';
import { booleanOption, checkArgCount, customOption, describe, fmtShape, numberOption, parseOptions } from '@xent/tensor/internal';
import type { Input } from './convert.js';
import { gradients, type Node } from './engine.js';
import { freedError } from './graphChecks.js';
import { inputName } from './protocol.js';

/** Options of graphTable and toDot: the seed dy, whether to compute and show gradients, and formatting. */
export interface GraphOptions {
  /** Seed for a non-scalar output. */
  dy?: Input;
  /** Compute and show gradients (default true; needs an output that requires a gradient). */
  grads?: boolean;
  /** Show values of tensors with at most this many elements (default 8). */
  maxValues?: number;
}

/** GraphOptions through the shared validator: a typo (maxValue) or a negative count is INVALID_OPTION. */
const GRAPH_OPTIONS = {
  dy: customOption<Input, Input | undefined>(undefined, (v) => v as Input),
  grads: booleanOption(true),
  maxValues: numberOption(undefined, '[0, ∞) whole', 'the largest tensor whose values are shown, e.g. maxValues: 8'),
};

/** How to call graphTable and toDot, for a call with more than two arguments. */
const GRAPH_CALL = 'pass (y, { dy, grads, maxValues }), every option in one object';

interface Entry {
  t: Tensor;
  label: string;
  node: Node | null;
}

/** Every tensor in the graph of y, inputs before the ops that use them; GRAPH_FREED once a backward freed a node of it. */
function walk(y: Tensor, where: string): Entry[] {
  const nodes = new Set<Node>();
  const stack: Tensor[] = [y];
  const tensors = new Set<Tensor>();
  while (stack.length) {
    const t = stack.pop()!;
    if (tensors.has(t)) continue;
    tensors.add(t);
    const n = t.node as Node | null;
    if (n) {
      if (n.freed) throw freedError(n, where); // its inputs are gone: the table would end at this node
      nodes.add(n);
      n.inputs.forEach((x) => stack.push(x));
    }
  }
  const ordered = [...tensors].sort((a, b) => ((a.node as Node | null)?.id ?? 0) - ((b.node as Node | null)?.id ?? 0));
  // Labels local to this graph: %1, %2, … for op outputs; a leaf's name, or param0/const1/….
  let leafCount = 0;
  let opCount = 0;
  return ordered.map((t) => {
    const n = t.node as Node | null;
    const label = n ? `%${++opCount}` : (t.name ?? `${t.requiresGrad ? 'param' : 'const'}${leafCount++}`);
    return { t, label, node: n };
  });
}

function fmtValues(t: Tensor | undefined, max: number): string {
  if (!t) return '';
  if (t.size > max) return `(${t.size} values)`;
  const v = Array.from(readFlat(t), (x) => (Number.isInteger(x) ? String(x) : Number(x.toPrecision(4)).toString()));
  return t.rank === 0 ? v[0] : `[${v.join(', ')}]`;
}

/** The gradient at every tensor, from a sweep that keeps the graph; a leaf's accumulated .grad when there is no sweep to make. */
function gradMap(y: Tensor, entries: Entry[], o: GraphOptions, where: string): Map<Tensor, Tensor> {
  if (o.grads === false) return new Map();
  if (y.requiresGrad && (y.size === 1 || o.dy !== undefined)) return gradients(y, { dy: o.dy, retainGraph: true }, where);
  return new Map(entries.filter((e) => !e.node && e.t.grad).map((e) => [e.t, e.t.grad!]));
}

/**
 * A table of the graph that produced y: one row per tensor (leaves and op
 * outputs, in recording order) with the op, its inputs, shape, values and
 * the gradient of y with respect to it. Print before backward() frees the graph (GRAPH_FREED), or backward with
 * { retainGraph: true }.
 */
export function graphTable(y: Tensor, options?: GraphOptions): string {
  checkArgCount('graphTable', arguments.length, 2, GRAPH_CALL);
  checkOutput(y, 'graphTable');
  options = parseOptions('graphTable', options, GRAPH_OPTIONS);
  const max = options.maxValues ?? 8;
  const entries = walk(y, 'graphTable');
  const grads = gradMap(y, entries, options, 'graphTable');
  const labels = new Map(entries.map((e) => [e.t, e.label]));
  const rows = entries.map((e) => [
    e.label,
    e.node ? e.node.op.name : e.t.requiresGrad ? 'param' : 'const',
    e.node ? e.node.inputs.map((x, i) => `${inputName(e.node!.op, i)}=${labels.get(x)}`).join(' ') : '',
    fmtShape(e.t.shape),
    fmtValues(e.t, max),
    fmtValues(grads.get(e.t), max),
  ]);
  const header = ['tensor', 'op', 'inputs', 'shape', 'value', 'gradient'];
  const widths = header.map((h, k) => rows.reduce((w, r) => Math.max(w, r[k].length), h.length)); // no spread: rows may be 10⁵
  const line = (r: string[]) =>
    r
      .map((c, k) => c.padEnd(widths[k]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The graph as Graphviz DOT: boxes for leaves, ellipses for op outputs, edges labelled by input name (GRAPH_FREED as graphTable). */
export function toDot(y: Tensor, options?: GraphOptions): string {
  checkArgCount('toDot', arguments.length, 2, GRAPH_CALL);
  checkOutput(y, 'toDot');
  options = parseOptions('toDot', options, GRAPH_OPTIONS);
  const max = options.maxValues ?? 4;
  const entries = walk(y, 'toDot');
  const grads = gradMap(y, entries, options, 'toDot');
  const id = new Map(entries.map((e, i) => [e.t, `t${i}`]));
  const esc = (s: string) => s.replace(/[\\"]/g, '\\$&'); // a DOT string: \ and " escaped
  const lines = ['digraph xent {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=10];'];
  for (const e of entries) {
    const g = grads.get(e.t);
    const parts = [e.node ? `${e.label} = ${e.node.op.name}` : e.label, fmtShape(e.t.shape), fmtValues(e.t, max)];
    if (g) parts.push(`grad ${fmtValues(g, max)}`);
    const shape = e.node ? 'ellipse' : 'box';
    lines.push(`  ${id.get(e.t)} [shape=${shape}, label="${parts.filter(Boolean).map(esc).join('\\n')}"];`);
  }
  for (const e of entries) {
    if (!e.node) continue;
    e.node.inputs.forEach((x, i) => lines.push(`  ${id.get(x)} -> ${id.get(e.t)} [label="${esc(inputName(e.node!.op, i))}"];`));
  }
  lines.push('}');
  return lines.join('\n');
}

/** The graph printers take the Tensor whose graph to print. */
function checkOutput(y: unknown, where: string): void {
  if (!(y instanceof Tensor))
    throw new XentError('INVALID_ARGUMENT', `${where}: y is ${describe(y)}; pass the Tensor whose graph to print (e.g. the loss).`);
}
