// An argument past a function's last parameter is dropped by JavaScript, and with it what the caller meant
// (model.forward(x, y) dropped y, new ReLU(0.1) made a plain ReLU): each public function and method here refuses it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rand, tensor } from '@xent/tensor';
import { SGD } from '@xent/optim';
import { noGrad } from '@xent/autograd';
import { Linear, MLP, ReLU, Sigmoid, Tanh, assignInPlace, packCheckpoint, unpackCheckpoint, withParameters } from '@xent/nn';
import { loadCheckpoint, saveCheckpoint } from '@xent/nn/node';
import { callWith, expectXentError } from '../../../test/utils.js';

describe('assignInPlace takes (dst, src)', () => {
  it('a third argument is refused and nothing is written', () => {
    const w = new Linear(2, 1).weight;
    const before = w.toArray();
    expectXentError(
      callWith(assignInPlace, w, rand([1, 2], 1), 'w'),
      'INVALID_ARGUMENT',
      "assignInPlace: takes at most 2 arguments, got 3; pass (dst, src): all of src is written into dst, whose shape must equal src's.",
    );
    expect(w.toArray()).toEqual(before);
    noGrad(() => assignInPlace(w, rand([1, 2], 1)));
    expect(w.toArray()).toEqual(rand([1, 2], 1).toArray());
  });
});

describe('the modules: forward, zeroGrad, withParameters and the checkpoints take no argument past their own', () => {
  it("a module's forward takes one input (model.forward(x, y) dropped y)", () => {
    const mlp = new MLP([2, 3, 1], { rng: 1 });
    const x = rand([4, 2], 2);
    const modules = [new Linear(2, 2), mlp, mlp.layers[1], new Tanh(), new Sigmoid()];
    for (const m of modules) {
      expectXentError(
        callWith(m.forward.bind(m), x, x),
        'INVALID_ARGUMENT',
        `${m.constructor.name}.forward: takes at most 1 argument, got 2; pass one input x (a batch is one tensor, its rows the examples).`,
      );
    }
    expect(mlp.forward(x).shape).toEqual([4, 1]);
  });
  it('zeroGrad takes setToNone only', () => {
    const lin = new Linear(2, 1);
    lin.weight.grad = tensor([[1, 1]]);
    expectXentError(
      callWith(lin.zeroGrad.bind(lin), false, true),
      'INVALID_ARGUMENT',
      'Linear.zeroGrad: takes at most 1 argument, got 2; pass nothing, or setToNone (false: zeros instead of null).',
    );
    expect(lin.weight.grad?.toArray()).toEqual([[1, 1]]);
  });
  it('withParameters, packCheckpoint and unpackCheckpoint', () => {
    const lin = new Linear(2, 1);
    expectXentError(
      callWith(withParameters, lin, lin.parameters(), () => 1, 'x'),
      'INVALID_ARGUMENT',
      'withParameters: takes at most 3 arguments, got 4; pass (module, params, fn): the parameters as one array.',
    );
    const opt = new SGD(lin.parameters(), { lr: 0.1 });
    expectXentError(
      callWith(packCheckpoint, { model: lin }, { optimizer: opt }),
      'INVALID_ARGUMENT',
      'packCheckpoint: takes at most 1 argument, got 2; pass one object, e.g. packCheckpoint({ model, optimizer, scheduler, metadata }).',
    );
    const bytes = packCheckpoint({ model: lin, metadata: { run: 'a' } });
    expectXentError(
      callWith(unpackCheckpoint, bytes, { model: lin }, { optimizer: opt }),
      'INVALID_ARGUMENT',
      'unpackCheckpoint: takes at most 2 arguments, got 3; pass (bytes, { model, optimizer, scheduler }).',
    );
    expect(unpackCheckpoint(bytes, { model: lin })).toEqual({ run: 'a' });
  });
});

describe('the activations take no argument', () => {
  it("new ReLU(0.1) (a leaky slope, or torch's inplace) is refused", () => {
    for (const [name, M] of [
      ['ReLU', ReLU],
      ['Tanh', Tanh],
      ['Sigmoid', Sigmoid],
    ] as const) {
      expectXentError(
        () => new (M as new (...a: unknown[]) => unknown)(0.1),
        'INVALID_ARGUMENT',
        `${name}: takes no arguments, got 1; an activation has no options (new ReLU(), new Tanh(), new Sigmoid()).`,
      );
    }
    expect(new ReLU().forward(tensor([-1, 2])).toArray()).toEqual([0, 2]);
  });
});

describe('saveCheckpoint and loadCheckpoint take (path, contents)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xent-args-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('a third argument is refused, and nothing is written', () => {
    const lin = new Linear(2, 1);
    const path = join(dir, 'a.safetensors');
    expectXentError(
      callWith(saveCheckpoint, path, { model: lin }, { metadata: { run: 'a' } }),
      'INVALID_ARGUMENT',
      'saveCheckpoint: takes at most 2 arguments, got 3; pass (path, { model, optimizer, scheduler, metadata }).',
    );
    expectXentError(() => loadCheckpoint(path, { model: lin }), 'INVALID_ARGUMENT'); // no file was written
    saveCheckpoint(path, { model: lin, metadata: { run: 'a' } });
    expectXentError(
      callWith(loadCheckpoint, path, { model: lin }, { strict: false }),
      'INVALID_ARGUMENT',
      'loadCheckpoint: takes at most 2 arguments, got 3; pass (path, { model, optimizer, scheduler }).',
    );
    expect(loadCheckpoint(path, { model: lin })).toEqual({ run: 'a' });
  });
});

describe('namedChildren takes no argument', () => {
  it("namedChildren('enc') (a prefix, as namedParameters takes) is refused", () => {
    const mlp = new MLP([2, 3, 1]);
    expectXentError(
      callWith(mlp.namedChildren.bind(mlp), 'enc'),
      'INVALID_ARGUMENT',
      'MLP.namedChildren: takes no arguments, got 1; it lists the direct children; namedParameters() reaches every descendant.',
    );
    expect(mlp.namedChildren().map(([n]) => n)).toEqual(['0', '1', '2']);
  });
});
