// Teaching aids: graphTable and toDot on one softmax-regression step. The
// numbers in the text must match a hand computation: the gradient at the
// logits is softmax(z) − p.
import { describe, it, expect } from 'vitest';
import { Tensor, copyInto } from '@xent/tensor';
import { add, graphTable, matmul, mul, noGrad, param, softmaxCrossEntropyWithLogits, sum, toDot } from '@xent/autograd';
import { expectXentError, flat, naiveSoftmaxCE, naiveSoftmaxRows, t64 } from '../../../test/utils.js';

// X [2,2] · W [2,3] + b [3] → logits [2,3]; targets one-hot [2,3]; loss = Σ rows.
const XV = [1, 2, -1, 0.5];
const WV = [0.1, 0.2, 0.3, 0.4, -0.5, 0.6];
const BV = [0.05, -0.1, 0.2];
const PV = [0, 1, 0, 1, 0, 0];

function step(): { loss: Tensor; W: Tensor; b: Tensor } {
  const W = param(t64(WV, [2, 3]), 'W');
  const b = param(t64(BV, [3]), 'b');
  const X = t64(XV, [2, 2]);
  const P = t64(PV, [2, 3]);
  const loss = sum(softmaxCrossEntropyWithLogits(P, add(matmul(X, W), b)));
  return { loss, W, b };
}

/** The hand computation: logits, softmax − p, per-row losses, dW = Xᵀ(softmax − p), db = column sums. */
function byHand() {
  const z: number[] = [];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) z.push(XV[i * 2] * WV[j] + XV[i * 2 + 1] * WV[3 + j] + BV[j]);
  const s = naiveSoftmaxRows(z, 3);
  const dz = s.map((v, k) => v - PV[k]);
  const rows = naiveSoftmaxCE(PV, z, 3);
  const dW: number[] = [];
  for (let k = 0; k < 2; k++) for (let j = 0; j < 3; j++) dW.push(XV[k] * dz[j] + XV[2 + k] * dz[3 + j]);
  const db = [0, 1, 2].map((j) => dz[j] + dz[3 + j]);
  return { z, dz, rows, loss: rows[0] + rows[1], dW, db };
}

/** Numbers in a printed list such as "[0.3328, -0.9392]" or a bare "2.8". */
function numbers(cell: string): number[] {
  return (cell.match(/-?\d+(\.\d+)?(e[-+]?\d+)?/g) ?? []).map(Number);
}

/** Printed numbers have 4 significant digits. */
function expectPrinted(cell: string, want: number[]) {
  const got = numbers(cell);
  expect(got, cell).toHaveLength(want.length);
  got.forEach((g, i) =>
    expect(Math.abs(g - want[i]), `${cell}: entry ${i} is ${g}, want ${want[i]}`).toBeLessThanOrEqual(6e-4 * Math.abs(want[i]) + 1e-12),
  );
}

/** Parses the table by the header's column offsets. */
function parseTable(text: string): Record<string, string>[] {
  const lines = text.split('\n');
  const header = lines[0];
  const cols = ['tensor', 'op', 'inputs', 'shape', 'value', 'gradient'];
  const starts = cols.map((c) => header.indexOf(c));
  expect(starts.every((s, i) => s >= 0 && (i === 0 || s > starts[i - 1]))).toBe(true);
  expect(lines[1]).toMatch(/^-+( +-+)+$/);
  return lines
    .slice(2)
    .map((line) =>
      Object.fromEntries(cols.map((c, i) => [c, line.slice(starts[i], i + 1 < cols.length ? starts[i + 1] : undefined).trim()])),
    );
}

describe('graphTable', () => {
  it('lists every tensor with op, inputs, shape, value and gradient; the logits carry softmax − p', () => {
    const { loss } = step();
    const h = byHand();
    const rows = parseTable(graphTable(loss));
    expect(rows.map((r) => r.op)).toEqual(['param', 'param', 'const', 'const', 'matmul', 'add', 'softmaxCrossEntropyWithLogits', 'sum']);
    const by = (op: string) => rows.find((r) => r.op === op)!;

    const W = rows.find((r) => r.tensor === 'W')!;
    expect(W.shape).toBe('[2, 3]');
    expectPrinted(W.value, WV);
    expectPrinted(W.gradient, h.dW);
    const b = rows.find((r) => r.tensor === 'b')!;
    expect(b.shape).toBe('[3]');
    expectPrinted(b.gradient, h.db);

    const mm = by('matmul');
    expect(mm.shape).toBe('[2, 3]');
    expect(mm.inputs).toMatch(/^a=const\d b=W$/);
    expectPrinted(
      mm.value,
      h.z.map((v, k) => v - BV[k % 3]),
    );
    expectPrinted(mm.gradient, h.dz);

    const logits = by('add');
    expect(logits.inputs).toBe(`a=${mm.tensor} b=b`);
    expect(logits.shape).toBe('[2, 3]');
    expectPrinted(logits.value, h.z);
    expectPrinted(logits.gradient, h.dz); // softmax(z) − p

    const ce = by('softmaxCrossEntropyWithLogits');
    expect(ce.inputs).toMatch(new RegExp(`^targets=const\\d logits=${logits.tensor}$`));
    expect(ce.shape).toBe('[2]');
    expectPrinted(ce.value, h.rows);
    expectPrinted(ce.gradient, [1, 1]);

    const total = by('sum');
    expect(total.shape).toBe('[]');
    expectPrinted(total.value, [h.loss]);
    expectPrinted(total.gradient, [1]);
  });

  it('does not free the graph: a backward afterwards works and agrees with the table', () => {
    const { loss, W, b } = step();
    graphTable(loss);
    toDot(loss);
    loss.backward();
    const h = byHand();
    expect(W.grad!).toBeAllClose(t64(h.dW, [2, 3]), { rtol: 1e-13, atol: 1e-15 });
    expect(b.grad!).toBeAllClose(t64(h.db, [3]), { rtol: 1e-13, atol: 1e-15 });
  });

  it('shows a size instead of the values of a large tensor, and no gradients with grads: false', () => {
    const { loss } = step();
    const rows = parseTable(graphTable(loss, { maxValues: 4, grads: false }));
    expect(rows.find((r) => r.tensor === 'W')!.value).toBe('(6 values)');
    expect(rows.every((r) => r.gradient === '')).toBe(true);
  });
});

describe('graphTable and toDot on graphs they cannot print', () => {
  it('a graph freed by backward() is GRAPH_FREED naming the printer (it printed the loss alone, with no inputs)', () => {
    for (const print of [graphTable, toDot]) {
      const { loss } = step();
      loss.backward();
      expectXentError(() => print(loss), 'GRAPH_FREED', `${print.name}:`, 'retainGraph');
    }
  });

  it('a graph partly freed by another backward through a shared node is refused too', () => {
    const w = param(t64([1, 2], [2]), 'w');
    const shared = mul(w, w);
    const first = sum(shared);
    const second = sum(mul(shared, 3));
    first.backward();
    expectXentError(() => graphTable(second), 'GRAPH_FREED', "op 'mul'");
  });

  it('a saved tensor written since names the printer, not "graph"', () => {
    const { loss, W } = step();
    noGrad(() => copyInto(W, t64([0, 0, 0, 0, 0, 0], [2, 3])));
    expectXentError(() => graphTable(loss), 'MODIFIED_IN_PLACE', 'graphTable:');
  });
});

describe('toDot', () => {
  it('is valid-looking DOT: digraph, balanced braces, one edge per op input, known node ids', () => {
    const { loss } = step();
    const dot = toDot(loss, { maxValues: 8 });
    expect(dot.startsWith('digraph')).toBe(true);
    let depth = 0;
    for (const ch of dot) {
      if (ch === '{') depth++;
      if (ch === '}') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    // quotes balanced on every line
    for (const line of dot.split('\n')) expect((line.replace(/\\"/g, '').match(/"/g) ?? []).length % 2).toBe(0);

    const nodes = [...dot.matchAll(/^\s*(t\d+) \[shape=(box|ellipse), label="([^"]*)"\];$/gm)];
    const edges = [...dot.matchAll(/^\s*(t\d+) -> (t\d+) \[label="([^"]*)"\];$/gm)];
    expect(nodes).toHaveLength(8); // W, b, X, P, matmul, add, CE, sum
    // matmul(2) + add(2) + CE(2) + sum(1) inputs
    expect(edges).toHaveLength(7);
    expect(dot.split('\n').filter((l) => l.includes('->'))).toHaveLength(7);
    const ids = new Set(nodes.map((n) => n[1]));
    for (const e of edges) {
      expect(ids.has(e[1])).toBe(true);
      expect(ids.has(e[2])).toBe(true);
    }
    expect(edges.map((e) => e[3]).sort()).toEqual(['a', 'a', 'b', 'b', 'logits', 'targets', 'x']);
    expect(nodes.filter((n) => n[2] === 'box')).toHaveLength(4);
    expect(nodes.filter((n) => n[2] === 'ellipse')).toHaveLength(4);
  });

  it('labels carry op names, shapes, values and gradients; the logits node shows softmax − p', () => {
    const { loss } = step();
    const h = byHand();
    const dot = toDot(loss, { maxValues: 8 });
    const label = (op: string) => {
      const m = new RegExp(`label="(%\\d+ = ${op}[^"]*)"`).exec(dot);
      expect(m, op).not.toBeNull();
      return m![1].split('\\n');
    };
    const [head, shape, value, gradient] = label('add');
    expect(head).toMatch(/^%\d+ = add$/);
    expect(shape).toBe('[2, 3]');
    expectPrinted(value, h.z);
    expect(gradient.startsWith('grad ')).toBe(true);
    expectPrinted(gradient, h.dz);
    expect(label('matmul')[1]).toBe('[2, 3]');
    const ce = label('softmaxCrossEntropyWithLogits');
    expect(ce[1]).toBe('[2]');
    expectPrinted(ce[2], h.rows);
    const total = label('sum');
    expect(total[1]).toBe('[]');
    expectPrinted(total[2], [h.loss]);
    // the parameter W by name, with its gradient Xᵀ(softmax − p)
    const w = /label="(W\\n[^"]*)"/.exec(dot)![1].split('\\n');
    expect(w[1]).toBe('[2, 3]');
    expectPrinted(w[3], h.dW);
    // edges into the logits node come from matmul (a) and b (b)
    const idOf = (re: RegExp) => re.exec(dot)![1];
    const addId = idOf(/(t\d+) \[shape=ellipse, label="%\d+ = add/);
    const bId = idOf(/(t\d+) \[shape=box, label="b\\n/);
    expect(dot).toContain(`${bId} -> ${addId} [label="b"];`);
  });

  it('escapes quotes and backslashes in names', () => {
    const x = param(t64([1, 2], [2]), 'say "hi"');
    const dot = toDot(sum(x));
    expect(dot).toContain('say \\"hi\\"');
    // a\ must stay a\ and keep its line break: "a\\\n[1]…", not "a\\n[1]…" (an escaped backslash, then a letter n)
    expect(toDot(sum(param(t64([1], [1]), 'a\\')))).toContain('label="a\\\\\\n[1]\\n[1]\\ngrad [1]"');
    for (const line of dot.split('\n')) expect((line.replace(/\\"/g, '').match(/"/g) ?? []).length % 2).toBe(0);
    expect(flat(x)).toEqual([1, 2]);
  });
});
