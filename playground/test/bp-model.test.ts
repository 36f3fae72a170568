// The backprop walk-through: the recorded graph, its values and gradients
// against the chain rule written out by hand, and the order of the steps.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFlat } from '@xent/tensor';
import { bpView, initialWeights, normalizeBpState } from '../src/backprop/model.js';

describe('bpView', () => {
  it('records x, W, b, P → matmul → add → softmax CE → sum', () => {
    const v = bpView(normalizeBpState({}));
    expect(v.nodes.map((n) => n.label).sort()).toEqual(['L', 'P', 'W', 'b', 'x', 'xW', 'z', 'ℓ'].sort());
    expect(v.nodes.filter((n) => n.op !== null).map((n) => n.op)).toEqual(['matmul', 'add', 'softmaxCrossEntropyWithLogits', 'sum']);
  });

  it('matches the chain rule by hand: ∂L/∂z = softmax(z) − P, ∂L/∂W = xᵀ(softmax(z) − P), ∂L/∂b = softmax(z) − P', () => {
    const W = Array.from(readFlat(initialWeights().W));
    fc.assert(
      fc.property(
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.integer({ min: 0, max: 2 }),
        (a, b, y) => {
          const s = normalizeBpState({ x: [a, b], label: y, step: 100 });
          const [x0, x1] = s.x;
          const z = [0, 1, 2].map((c) => x0 * W[c] + x1 * W[3 + c]);
          const m = Math.max(...z);
          const e = z.map((v) => Math.exp(v - m));
          const q = e.map((v) => v / e.reduce((p, r) => p + r, 0));
          const dz = q.map((qc, c) => qc - (c === s.label ? 1 : 0));
          const v = bpView(s);
          const node = (label: string) => v.nodes.find((n) => n.label === label)!;
          expect(v.loss).toBeCloseTo(-Math.log(q[s.label]), 12);
          node('z').grad!.forEach((g, c) => expect(g).toBeCloseTo(dz[c], 12));
          node('b').grad!.forEach((g, c) => expect(g).toBeCloseTo(dz[c], 12));
          node('W').grad!.forEach((g, i) => expect(g).toBeCloseTo((i < 3 ? x0 : x1) * dz[i % 3], 12));
          expect(node('x').grad).toBeNull();
          expect(node('P').grad).toBeNull();
          expect(node('L').grad).toEqual([1]);
          // The SGD step lowers the loss of the example (η = 0.5 on a convex loss in W, b).
          expect(v.update!.loss).toBeLessThan(v.loss);
        },
      ),
    );
  });

  it('steps the forward pass op by op, then the backward pass from the loss down, then the update', () => {
    const v = bpView(normalizeBpState({}));
    expect(v.steps.map((t) => t.kind)).toEqual([...Array(4).fill('forward'), ...Array(6).fill('backward'), 'update']);
    const label = (i: number | null) => v.nodes.find((n) => n.id === i)?.label;
    expect(v.steps.slice(0, 4).map((t) => label(t.node))).toEqual(['xW', 'z', 'ℓ', 'L']);
    const back = v.steps.slice(4, 10).map((t) => label(t.node));
    expect(back.slice(0, 4)).toEqual(['L', 'ℓ', 'z', 'xW']);
    expect(back.slice(4).sort()).toEqual(['W', 'b']);
  });

  it('reveals exactly what the steps so far have computed', () => {
    const at = (step: number) => bpView(normalizeBpState({ step }));
    const shown = (step: number, label: string) => at(step).nodes.find((n) => n.label === label)!;
    expect(shown(0, 'W').showValue).toBe(true);
    expect(shown(0, 'xW').showValue).toBe(false);
    expect(shown(1, 'xW').showValue).toBe(true);
    expect(shown(1, 'xW').active).toBe(true);
    expect(shown(4, 'L').showGrad).toBe(false);
    expect(shown(5, 'L').showGrad).toBe(true);
    expect(shown(7, 'z').showGrad).toBe(true);
    expect(shown(7, 'W').showGrad).toBe(false);
    expect(at(10).update).toBeNull();
    expect(at(11).update).not.toBeNull();
    expect(at(99).step).toBe(11);
  });
});
