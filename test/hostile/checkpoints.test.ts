// Hostile checkpoints and toy data: contents and targets that are not
// objects, optimizers that are not optimizers, metadata in the wrong
// container, paths that cannot be written, a failed load that must leave
// model, optimizer and schedule exactly as they were, and data-set options
// that ran the process out of memory or produced Infinity.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as T from '@xent/tensor';
import * as A from '@xent/autograd';
import * as N from '@xent/nn';
import * as O from '@xent/optim';
import { loadCheckpoint, saveCheckpoint } from '@xent/nn/node';
import { flat, refuses } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'xent-hostile-ckpt-'));
const model = (seed = 0) => new N.MLP([2, 3, 1], { rng: new T.Rng(seed) });
const values = (m: N.Module) => m.parameters().map(flat);

/** A model, its Adam and StepLR after two steps: state in every part. */
function trained(seed: number) {
  const m = model(seed);
  const opt = new O.Adam(m.parameters(), { lr: 0.1 });
  const sched = new O.StepLR(opt, { stepSize: 1 });
  for (let i = 0; i < 2; i++) {
    opt.zeroGrad();
    A.sum(m.forward(T.tensor([[1, 2]]))).backward();
    opt.step();
    sched.step();
  }
  return { m, opt, sched };
}

describe('packCheckpoint / unpackCheckpoint arguments', () => {
  it.each([
    ['null', null],
    ['a number', 3],
  ])('contents %s is INVALID_ARGUMENT naming packCheckpoint (a raw TypeError)', (_l, v) => {
    refuses(() => N.packCheckpoint(v as never), 'INVALID_ARGUMENT', /^packCheckpoint: the contents/);
  });
  it('targets null is INVALID_ARGUMENT naming unpackCheckpoint (a raw TypeError)', () => {
    const bytes = N.packCheckpoint({ model: model() });
    refuses(() => N.unpackCheckpoint(bytes, null as never), 'INVALID_ARGUMENT', /^unpackCheckpoint: the targets/);
  });
  it.each([
    ['an empty object', {}],
    ['a string', 'adam'],
  ])('an optimizer that is %s is refused when saving and loading (a raw TypeError)', (_l, v) => {
    const m = model();
    refuses(() => N.packCheckpoint({ model: m, optimizer: v as never }), 'INVALID_ARGUMENT', "option 'optimizer'", 'stateDict');
    const bytes = N.packCheckpoint({ model: m, optimizer: new O.SGD(m.parameters(), { lr: 1 }) });
    refuses(() => N.unpackCheckpoint(bytes, { model: m, optimizer: v as never }), 'INVALID_ARGUMENT', "option 'optimizer'");
  });
  it('a scheduler without loadStateDict is refused before anything is loaded', () => {
    const src = trained(0);
    const bytes = N.packCheckpoint({ model: src.m, optimizer: src.opt, scheduler: src.sched });
    const m = model(1);
    const before = values(m);
    refuses(
      () => N.unpackCheckpoint(bytes, { model: m, scheduler: { stateDict: () => ({}) } as never }),
      'INVALID_ARGUMENT',
      "option 'scheduler'",
    );
    expect(values(m)).toEqual(before);
  });
  it.each([
    ['a Map', () => new Map([['epoch', '3']]), 'Map'],
    ['an array', () => ['3'], 'array'],
  ])('metadata given as %s is refused (it was written as none, or as { "0": … })', (_l, make, frag) => {
    refuses(() => N.packCheckpoint({ model: model(), metadata: make() as never }), 'INVALID_ARGUMENT', /^packCheckpoint/, frag);
  });
});

describe('a failed load changes nothing', () => {
  it('a schedule state that does not fit: model and optimizer are put back exactly', () => {
    const src = trained(0);
    const tensors = N.fromSafetensors(N.packCheckpoint({ model: src.m, optimizer: src.opt, scheduler: src.sched }));
    const meta = N.safetensorsMetadata(N.packCheckpoint({ model: src.m, optimizer: src.opt, scheduler: src.sched }));
    const bad = N.toSafetensors(tensors, { ...meta, 'xent.scheduler': JSON.stringify({ last_epoch: 'x' }) });
    const dst = trained(1);
    const before = { p: values(dst.m), o: JSON.stringify(dst.opt.stateDict()), s: JSON.stringify(dst.sched.stateDict()) };
    expect(() => N.unpackCheckpoint(bad, { model: dst.m, optimizer: dst.opt, scheduler: dst.sched })).toThrow(T.XentError);
    expect(values(dst.m)).toEqual(before.p);
    expect(JSON.stringify(dst.opt.stateDict())).toBe(before.o);
    expect(JSON.stringify(dst.sched.stateDict())).toBe(before.s);
  });
  it('a float64 checkpoint into a float32 model is refused, and the model is untouched', () => {
    const bytes = N.packCheckpoint({ model: model(0) });
    const m32 = new N.MLP([2, 3, 1], { dtype: 'float32' });
    const before = values(m32);
    refuses(() => N.unpackCheckpoint(bytes, { model: m32 }), 'DTYPE', 'dtype float64, the parameter float32');
    expect(values(m32)).toEqual(before);
  });
  it('a round trip through the file is bit-exact for model and optimizer', () => {
    const src = trained(0);
    const path = join(dir, 'exact.safetensors');
    saveCheckpoint(path, { model: src.m, optimizer: src.opt, scheduler: src.sched });
    const dst = trained(1);
    loadCheckpoint(path, { model: dst.m, optimizer: dst.opt, scheduler: dst.sched });
    expect(values(dst.m)).toEqual(values(src.m));
    expect(JSON.stringify(dst.opt.stateDict())).toBe(JSON.stringify(src.opt.stateDict()));
    expect(dst.sched.stateDict()).toEqual(src.sched.stateDict());
  });
});

describe('saveCheckpoint paths', () => {
  it('a folder as the path is INVALID_ARGUMENT (a raw EISDIR) and leaves no temporary file', () => {
    const folder = mkdtempSync(join(dir, 'target-'));
    refuses(() => saveCheckpoint(folder, { model: model() }), 'INVALID_ARGUMENT', /^saveCheckpoint: cannot write/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
  it('a missing folder is INVALID_ARGUMENT (a raw ENOENT)', () => {
    refuses(() => saveCheckpoint(join(dir, 'no', 'such', 'm.safetensors'), { model: model() }), 'INVALID_ARGUMENT', 'cannot write');
  });
  it('a failed save leaves the file already there as it was', () => {
    const path = join(dir, 'keep.safetensors');
    writeFileSync(path, 'old');
    refuses(() => saveCheckpoint(path, { model: model(), metadata: { format: 'x' } }), 'INVALID_ARGUMENT', /^saveCheckpoint/, 'reserved');
    expect(readFileSync(path, 'utf8')).toBe('old');
  });
  it('loadCheckpoint names itself for a file that is not a checkpoint of this model', () => {
    const path = join(dir, 'other.safetensors');
    saveCheckpoint(path, { model: new N.MLP([2, 4, 1]) });
    refuses(() => loadCheckpoint(path, { model: model() }), 'SHAPE_MISMATCH', 'has shape [4, 2], the parameter [3, 2]');
    refuses(
      () => loadCheckpoint(path, { model: model(), optimizer: {} as never }),
      'INVALID_ARGUMENT',
      /^loadCheckpoint: option 'optimizer'/,
    );
  });
});

describe('toy data sets', () => {
  it.each(['makeMoons', 'makeCircles', 'makeSpirals', 'makeXor'] as const)(
    '%s with n = 1e9 is INVALID_OPTION (it ran the process out of memory: a fatal crash)',
    (f) => {
      refuses(() => N[f]({ n: 1e9 }), 'INVALID_OPTION', "option 'n'", '16777216');
      refuses(() => N[f]({ n: 2 ** 24 + 1 }), 'INVALID_OPTION', "option 'n'");
    },
  );
  it.each(['makeMoons', 'makeCircles', 'makeSpirals', 'makeXor'] as const)(
    '%s with noise 1e308 is refused (it gave Infinity coordinates)',
    (f) => {
      refuses(() => N[f]({ noise: 1e308 }), 'INVALID_OPTION', "option 'noise'", '1e300');
      const d = N[f]({ noise: 1e300, n: 500 });
      expect(d.x.every(Number.isFinite)).toBe(true);
    },
  );
  it.each([
    ['n 0', { n: 0 }],
    ['n -5', { n: -5 }],
    ['n 2.5', { n: 2.5 }],
    ['n NaN', { n: NaN }],
    ['n Infinity', { n: Infinity }],
    ["n '200'", { n: '200' }],
    ['noise NaN', { noise: NaN }],
    ['noise -1', { noise: -1 }],
    ['noise Infinity', { noise: Infinity }],
    ['rng 5', { rng: 5 }],
  ])('%s is INVALID_OPTION', (_l, o) => {
    refuses(() => N.makeMoons(o as never), 'INVALID_OPTION', /^makeMoons/);
  });
  it('the same seed gives the same bits, and a refused call leaves the rng where it was', () => {
    const a = N.makeSpirals({ n: 301, classes: 3, rng: new T.Rng(9), noise: 0.2 });
    const b = N.makeSpirals({ n: 301, classes: 3, rng: new T.Rng(9), noise: 0.2 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    const rng = new T.Rng(4);
    expect(() => N.makeSpirals({ n: 3, classes: 4, rng })).toThrow(T.XentError);
    expect(rng.next()).toBe(new T.Rng(4).next());
  });
  it('labels are those of the clean shape: xor without noise is exactly sign(x) ≠ sign(y)', () => {
    const d = N.makeXor({ n: 1000, noise: 0, rng: new T.Rng(2) });
    for (let i = 0; i < d.n; i++) expect(d.labels[i]).toBe(d.x[2 * i] * d.x[2 * i + 1] < 0 ? 1 : 0);
  });
});

describe('a failed load leaves the parameters unwritten', () => {
  it('a graph recorded before a failed load still runs backward (the undo bumped the versions: MODIFIED_IN_PLACE)', () => {
    const src = trained(0);
    const tensors = N.fromSafetensors(N.packCheckpoint({ model: src.m, optimizer: src.opt, scheduler: src.sched }));
    const meta = N.safetensorsMetadata(N.packCheckpoint({ model: src.m, optimizer: src.opt, scheduler: src.sched }));
    const bad = N.toSafetensors(tensors, { ...meta, 'xent.scheduler': JSON.stringify({ last_epoch: -1 }) });
    const dst = trained(1);
    dst.opt.zeroGrad();
    const y = A.sum(dst.m.forward(T.tensor([[1, 2]])));
    expect(() => N.unpackCheckpoint(bad, { model: dst.m, optimizer: dst.opt, scheduler: dst.sched })).toThrow(T.XentError);
    expect(() => y.backward()).not.toThrow();
    expect(dst.m.parameters().every((p) => p.grad !== null)).toBe(true);
  });
});

describe('checkpoint refusals say what to do', () => {
  it('no optimizer state in the file, but an optimizer to load into', () => {
    const m = model();
    const bytes = N.packCheckpoint({ model: m });
    refuses(
      () => N.unpackCheckpoint(bytes, { model: m, optimizer: new O.SGD(m.parameters(), { lr: 1 }) }),
      'INVALID_ARGUMENT',
      'pass no optimizer',
    );
  });
  it('a child module named optimizer collides with the optimizer tensors', () => {
    class Wrapper extends N.Module {
      constructor() {
        super();
        this.registerModule('optimizer', new N.Linear(1, 1));
      }
      forward(x: T.Tensor): T.Tensor {
        return x;
      }
    }
    refuses(() => N.packCheckpoint({ model: new Wrapper() }), 'INVALID_ARGUMENT', /^packCheckpoint/, 'another name');
  });
  it('optimizer metadata that is not JSON, and optimizer tensors with a bad name, are corrupt files', () => {
    const m = model();
    const opt = new O.SGD(m.parameters(), { lr: 1, momentum: 0.9 });
    const bytes = N.packCheckpoint({ model: m, optimizer: opt });
    const { tensors, metadata } = N.readSafetensors(bytes);
    const badMeta = N.toSafetensors(tensors, { ...metadata, 'xent.optimizer': '{' });
    refuses(() => N.unpackCheckpoint(badMeta, { model: m, optimizer: opt }), 'INVALID_ARGUMENT', 'write it again');
    const badName = N.toSafetensors({ ...tensors, 'optimizer.state.x': T.tensor([1]) }, metadata);
    refuses(() => N.unpackCheckpoint(badName, { model: m, optimizer: opt }), 'INVALID_ARGUMENT', 'optimizer.state.<index>.<key>');
  });
  it('registerModule of a non-module and getParameter of an unknown name', () => {
    class Bad extends N.Module {
      constructor(which: 'child' | 'param') {
        super();
        if (which === 'child') this.registerModule('x', {} as never);
        else this.getParameter('nope');
      }
      forward(x: T.Tensor): T.Tensor {
        return x;
      }
    }
    refuses(() => new Bad('child'), 'INVALID_ARGUMENT', /^Bad.registerModule/);
    refuses(() => new Bad('param'), 'INVALID_ARGUMENT', /^Bad: no parameter named 'nope'/);
  });
});

describe('state dict → safetensors → state dict, bit for bit', () => {
  /** The bit patterns of a tensor's values, as strings (so −0 and NaN payloads compare exactly). */
  const bitsOf = (t: T.Tensor): string[] => {
    const v = t.values();
    const words = v instanceof Float64Array ? new BigUint64Array(v.slice().buffer) : new Uint32Array(v.slice().buffer);
    return Array.from(words, (w: bigint | number) => w.toString(16));
  };
  const special = [0, -0, 5e-324, -1e-310, 1.4e-45, Infinity, -Infinity, NaN, 1e308, -3.5];
  it('random MLPs of either dtype, with special values written into them, load back exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 }),
        fc.constantFrom('float64', 'float32') as fc.Arbitrary<'float64' | 'float32'>,
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...special)), { maxLength: 6 }),
        (sizes, dtype, bias, pokes) => {
          const src = new N.MLP(sizes, { dtype, bias, rng: new T.Rng(1) });
          const ps = src.parameters();
          for (const [k, v] of pokes) {
            const p = ps[k % ps.length];
            if (p.dtype === 'float32' && Math.abs(v) > 3.4e38 && Number.isFinite(v)) continue; // float32 cannot hold it
            A.noGrad(() => T.copyInto(p, T.full(p.shape, v, p.dtype)));
          }
          const dst = new N.MLP(sizes, { dtype, bias, rng: new T.Rng(2) });
          dst.loadStateDict(N.fromSafetensors(N.toSafetensors(src.stateDict())));
          expect(dst.parameters().map(bitsOf)).toEqual(src.parameters().map(bitsOf));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('reserved metadata keys', () => {
  it("every key starting with 'xent.' is reserved, as CheckpointContents says ('xent.foo' was written and read back)", () => {
    refuses(() => N.packCheckpoint({ model: model(), metadata: { 'xent.foo': 'x' } }), 'INVALID_ARGUMENT', "'xent.foo' is reserved");
    const bytes = N.packCheckpoint({ model: model(), metadata: { xentish: 'y' } });
    expect(N.unpackCheckpoint(bytes, { model: model() })).toEqual({ xentish: 'y' });
  });
});
