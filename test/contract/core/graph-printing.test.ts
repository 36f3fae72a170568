// Contract §3: "for teaching, the recorded graph can be printed (op, shapes, values, gradients) and exported
// as Graphviz DOT" — graphTable(y) and toDot(y) of @xent/autograd.
import { describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import { expectClose, expectXent, softmaxRow, type Nested } from './ref.js';

const numbersIn = (s: string): number[] => (s.match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi) ?? []).map(Number);
/** True when every expected value appears among the numbers of `text` to 3 significant digits. */
const mentionsAll = (text: string, expected: number[]): boolean => {
  const nums = numbersIn(text);
  return expected.every((e) => nums.some((n) => Math.abs(n - e) <= 5e-3 * Math.max(Math.abs(e), 1e-3)));
};

function build() {
  const logits = A.param(T.tensor([[2, 0, 0]]), 'logits');
  const w = A.param(T.tensor([[1.5, -0.5, 2]]), 'w');
  const z = A.mul(logits, w);
  const loss = A.sum(A.softmaxCrossEntropyWithLogits([[0, 1, 0]], z));
  return { logits, w, z, loss };
}

describe('graphTable(y)', () => {
  it('one row per tensor with the op, the inputs, the shape, the value and the gradient of y', () => {
    const { loss } = build();
    const table = A.graphTable(loss);
    const lines = table.split('\n');
    const header = lines[0];
    for (const col of ['op', 'shape', 'value', 'grad']) expect(header.toLowerCase()).toContain(col);
    for (const op of ['param', 'mul', 'softmaxCrossEntropyWithLogits', 'sum']) expect(table).toContain(op);
    const row = (name: string): string => lines.find((l) => l.startsWith(name)) ?? '';
    const logitsRow = row('logits');
    const wRow = row('w ');
    expect(logitsRow).toContain('[1, 3]');
    // values, and the gradients d loss/d logits = (softmax(z) − P)·w and d loss/d w = (softmax(z) − P)·logits
    const z = [3, 0, 0];
    const g = softmaxRow(z).map((s, k) => s - (k === 1 ? 1 : 0));
    expect(mentionsAll(logitsRow, [2, 0, 0, ...g.map((v, k) => v * [1.5, -0.5, 2][k])]), logitsRow).toBe(true);
    expect(mentionsAll(wRow, [1.5, -0.5, 2, g[0] * 2]), wRow).toBe(true);
    // the loss value itself appears: lse(z) − z_1
    const lossValue = Math.log(Math.exp(3) + 2);
    expect(mentionsAll(table, [lossValue]), table).toBe(true);
    expect(loss.item()).toBeCloseTo(lossValue, 12);
  });

  it('printing does not touch .grad and leaves the graph usable: backward afterwards gives the gradient once', () => {
    const { logits, loss } = build();
    A.graphTable(loss);
    A.toDot(loss);
    expect(logits.grad).toBeNull();
    loss.backward();
    const g = softmaxRow([3, 0, 0]).map((s, k) => (s - (k === 1 ? 1 : 0)) * [1.5, -0.5, 2][k]);
    expectClose(logits.grad!.toArray() as Nested, [g], 1e-15, 1e-13);
  });

  it('a tensor used twice shows the gradient summed over both paths', () => {
    const w = A.param(T.tensor([0.5, 1]), 'w');
    const h = A.exp(w);
    const y = A.sum(A.add(A.mul(h, h), h)); // d/dh = 2h + 1, d/dw = (2h + 1)·h
    const lines = A.graphTable(y).split('\n');
    const e = [Math.exp(0.5), Math.E];
    const hRow = lines.find((l) => /\bexp\b/.test(l)) ?? '';
    expect(
      mentionsAll(
        hRow,
        e.map((v) => 2 * v + 1),
      ),
      hRow,
    ).toBe(true);
    const wRow = lines.find((l) => l.startsWith('w ')) ?? '';
    expect(
      mentionsAll(
        wRow,
        e.map((v) => (2 * v + 1) * v),
      ),
      wRow,
    ).toBe(true);
  });

  it('a non-scalar output takes a seed dy', () => {
    const x = A.param(T.tensor([1, 2]), 'x');
    const y = A.mul(x, 3);
    const table = A.graphTable(y, { dy: T.tensor([1, 10]) });
    expect(mentionsAll(table.split('\n').find((l) => l.startsWith('x')) ?? '', [3, 30])).toBe(true);
  });

  it('after backward has freed the graph: GRAPH_FREED', () => {
    const { loss } = build();
    loss.backward();
    expectXent(() => A.graphTable(loss), 'GRAPH_FREED');
    expectXent(() => A.toDot(loss), 'GRAPH_FREED');
  });
});

describe('toDot(y)', () => {
  it('is a Graphviz digraph with a node per tensor and edges labelled by input name', () => {
    const { loss } = build();
    const dot = A.toDot(loss);
    expect(dot.trimStart().startsWith('digraph')).toBe(true);
    expect(dot.trim().endsWith('}')).toBe(true);
    expect((dot.match(/{/g) ?? []).length).toBe((dot.match(/}/g) ?? []).length);
    for (const s of ['logits', 'w', 'mul', 'softmaxCrossEntropyWithLogits', 'sum']) expect(dot).toContain(s);
    const edges = dot.split('\n').filter((l) => l.includes('->'));
    // logits→mul, w→mul, targets const→CE, mul→CE, CE→sum
    expect(edges.length).toBeGreaterThanOrEqual(5);
    expect(edges.some((e) => /label\s*=\s*"?logits/.test(e))).toBe(true);
    expect(edges.some((e) => /label\s*=\s*"?targets/.test(e))).toBe(true);
    expect(dot).toMatch(/shape\s*=\s*"?box/);
    expect(dot).toMatch(/shape\s*=\s*"?ellipse/);
  });
});
