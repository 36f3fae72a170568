// Hostile inputs, options read through the prototype chain: a polluted
// Object.prototype (`Object.prototype.momentum = 0.9`, what a `__proto__` key
// merged by a careless deep-merge does) must not become an option of any xent
// call, while options given by a class (getters) or an object's own prototype
// are still read. Each probe sets one name on Object.prototype, runs the call
// and compares with the same call on a clean prototype.
import { afterEach, describe, expect, it } from 'vitest';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import * as L from '@xent/losses';
import * as O from '@xent/optim';
import { expectClose, flat, refuses } from './helpers.js';

const polluted: string[] = [];
/** Sets Object.prototype[name] = value until the end of the test. */
function pollute(name: string, value: unknown): void {
  Object.defineProperty(Object.prototype, name, { value, configurable: true, writable: true, enumerable: false });
  polluted.push(name);
}
afterEach(() => {
  for (const n of polluted.splice(0)) delete (Object.prototype as Record<string, unknown>)[n];
});

const w0 = () => {
  const w = A.param(T.tensor([1, 2]));
  w.grad = T.tensor([0.5, -1]);
  return w;
};

describe('a polluted Object.prototype is not an option', () => {
  it('SGD: momentum, nesterov, weightDecay from Object.prototype are ignored', () => {
    pollute('momentum', 0.9);
    pollute('weightDecay', 5);
    const o = new O.SGD([w0()], { lr: 1 });
    expect(o.hyper).toMatchObject({ momentum: 0, weightDecay: 0 });
  });
  it('SGD: an lr only on Object.prototype is "not given" (SGD has no default)', () => {
    pollute('lr', 0.5);
    refuses(() => new O.SGD([w0()], {} as never), 'INVALID_OPTION', 'lr');
  });
  it('Adam: eps and betas from Object.prototype are ignored', () => {
    pollute('eps', 0.5);
    pollute('betas', [0.1, 0.2]);
    expect(new O.Adam([w0()]).hyper).toMatchObject({ eps: 1e-8, betas: [0.9, 0.999] });
  });
  it('StepLR: gamma from Object.prototype is ignored (default 0.1)', () => {
    pollute('gamma', 100);
    const o = new O.SGD([w0()], { lr: 1 });
    const s = new O.StepLR(o, { stepSize: 1 });
    s.step();
    expect(o.lr).toBeCloseTo(0.1, 15);
  });
  it('tensor(): dtype and shape from Object.prototype are ignored', () => {
    pollute('dtype', 'float32');
    pollute('shape', [2, 1]);
    const t = T.tensor([1, 2]);
    expect(t.dtype).toBe('float64');
    expect(t.shape).toEqual([2]);
  });
  it('randn(): dtype from Object.prototype is ignored', () => {
    pollute('dtype', 'float32');
    expect(T.randn([2], 1).dtype).toBe('float64');
  });
  it('backward(): retainGraph from Object.prototype does not keep the graph', () => {
    pollute('retainGraph', true);
    const w = A.param(T.tensor([1]));
    const y = A.sum(A.mul(w, w));
    y.backward();
    refuses(() => y.backward(), 'GRAPH_FREED');
  });
  it('gradCheck(): eps from Object.prototype is not the finite-difference step', () => {
    pollute('eps', 0.5);
    expect(A.gradCheck((x: T.Tensor) => A.exp(x), [T.tensor([1])]).ok).toBe(true);
  });
  it('param(): copy from Object.prototype does not make a param share its source', () => {
    pollute('copy', false);
    const src = T.tensor([1, 2]);
    const w = A.param(src);
    A.noGrad(() => T.copyInto(w, T.tensor([9, 9])));
    expect(flat(src)).toEqual([1, 2]);
  });
  it.each([
    ['reduction', 'sum'],
    ['fromLogits', true],
    ['labelSmoothing', 0.5],
    ['validate', false],
  ])('losses: %s from Object.prototype is ignored', (name, value) => {
    const y = [0, 1];
    const z = [
      [0.3, 0.7],
      [0.6, 0.4],
    ];
    const clean = flat(L.sparseCategoricalCrossentropy(y, z));
    pollute(name, value);
    expectClose(L.sparseCategoricalCrossentropy(y, z), clean, 0, 0);
  });
  it('valueAndGrad(): dy from Object.prototype is not a seed', () => {
    pollute('dy', T.tensor([10, 10]));
    refuses(() => A.valueAndGrad((x: T.Tensor) => A.mul(x, x))([1, 2]), 'SHAPE_MISMATCH', 'seed');
  });
});

describe('options a user legitimately inherits are still read', () => {
  it('an options object made with Object.create({ lr }) gives SGD its lr', () => {
    const w = w0();
    new O.SGD([w], Object.create({ lr: 0.1 }) as O.SGDOptions).step();
    expectClose(w, [0.95, 2.1]);
  });
  it('a class getter gives gradCheck its option', () => {
    class Opts {
      get wrt(): number[] {
        return [5];
      }
    }
    refuses(() => A.gradCheck((x: T.Tensor) => A.exp(x), [T.tensor([1])], new Opts() as never), 'INVALID_OPTION', 'wrt');
  });
  it("a JSON '__proto__' key is an own property: an unknown option, refused", () => {
    refuses(() => new O.SGD([w0()], JSON.parse('{"lr": 0.1, "__proto__": {"momentum": 0.9}}') as never), 'INVALID_OPTION', '__proto__');
  });
});
