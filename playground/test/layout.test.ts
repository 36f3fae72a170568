// The graph layout: layers follow the data flow, leaves sit just before their
// first consumer, boxes never overlap, and edges join the boxes they name.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { layers, layoutGraph, type LayoutOptions } from '../src/backprop/layout.js';

const OPTS: LayoutOptions = { direction: 'right', nodeWidth: 100, nodeHeight: 60, gap: 20, margin: 5 };

// The backprop panel's graph: 0 b, 1 P, 2 W, 3 x, 4 matmul(x, W), 5 add(xW, b), 6 ce(P, z), 7 sum(ℓ).
const TINY = [[], [], [], [], [3, 2], [4, 0], [1, 5], [6]].map((inputs) => ({ inputs }));

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** A random DAG: node i takes inputs only from nodes before it. */
const dag = fc
  .integer({ min: 1, max: 12 })
  .chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant([] as number[]) : fc.uniqueArray(fc.nat(i - 1), { maxLength: 3 }))),
    ),
  );

describe('graph layout', () => {
  it('puts the tiny model in five layers, leaves just before their consumers', () => {
    expect(layers(TINY)).toEqual([1, 2, 0, 0, 1, 2, 3, 4]);
  });

  it('orders a leaf by the argument slot it fills (x above W in matmul(x, W))', () => {
    const { boxes } = layoutGraph(TINY, OPTS);
    expect(boxes[3].y).toBeLessThan(boxes[2].y);
    expect(boxes[1].y).toBeLessThan(boxes[5].y); // P (targets) above z (logits) into the loss
  });

  it('lays out any DAG with forward edges and no overlapping boxes, in both directions', () => {
    fc.assert(
      fc.property(dag, fc.constantFrom('right' as const, 'down' as const), (inputs, direction) => {
        const nodes = inputs.map((i) => ({ inputs: i }));
        const o = { ...OPTS, direction };
        const { boxes, edges, width, height } = layoutGraph(nodes, o);
        for (let i = 0; i < boxes.length; i++) {
          const b = boxes[i];
          expect(b.x).toBeGreaterThanOrEqual(0);
          expect(b.y).toBeGreaterThanOrEqual(0);
          expect(b.x + b.width).toBeLessThanOrEqual(width + 1e-9);
          expect(b.y + b.height).toBeLessThanOrEqual(height + 1e-9);
          for (let j = i + 1; j < boxes.length; j++) expect(overlaps(b, boxes[j])).toBe(false);
        }
        expect(edges).toHaveLength(nodes.reduce((a, n) => a + n.inputs.length, 0));
        for (const e of edges) {
          expect(boxes[e.from].layer).toBeLessThan(boxes[e.to].layer);
          // The path starts on the input's outgoing side and ends on the consumer's incoming side.
          const [start, end] = [e.path.match(/^M([\d.]+),([\d.]+)/)!, e.path.match(/ ([\d.]+),([\d.]+)$/)!].map((m) => [
            Number(m[1]),
            Number(m[2]),
          ]);
          const a = boxes[e.from];
          const b = boxes[e.to];
          if (direction === 'right') {
            expect(start[0]).toBeCloseTo(a.x + a.width, 1);
            expect(end[0]).toBeCloseTo(b.x, 1);
          } else {
            expect(start[1]).toBeCloseTo(a.y + a.height, 1);
            expect(end[1]).toBeCloseTo(b.y, 1);
          }
        }
      }),
    );
  });

  it('uses every layer index (no empty columns)', () => {
    fc.assert(
      fc.property(dag, (inputs) => {
        const l = layers(inputs.map((i) => ({ inputs: i })));
        const max = Math.max(...l);
        for (let k = 0; k <= max; k++) expect(l).toContain(k);
      }),
    );
  });

  it('refuses a cycle', () => {
    expect(() => layers([{ inputs: [1] }, { inputs: [0] }])).toThrow(/cycle/);
  });
});
