// The optimizer base class: a list of parameters, a mutable learning rate,
// per-parameter state kept here (never on the tensors), and the step
// protocol shared by SGD, Adam and AdamW:
//
//   step():  under noGrad,
//            1. read and check every gradient (shape, finiteness) — a bad one
//               throws before ANY parameter or state is touched;
//            2. for each parameter whose .grad is not null, run the update
//               kernel on its flat values (in place), with its own state.
//            Parameters whose .grad is null are skipped: neither the values
//            nor the state change (as in PyTorch). step(closure) first runs
//            the closure with gradients on (it recomputes the loss and calls
//            backward) and returns what it returns, as PyTorch's does.
//   zeroGrad(): sets every .grad to null (PyTorch's set_to_none=True);
//            zeroGrad(false) sets existing ones to zeros instead.
import { Tensor, XentError } from '@xent/tensor';
import { checkArgCount, checkOption, describe } from '@xent/tensor/internal';
import { enableGrad, noGrad, zeroGrad } from '@xent/autograd';
import { givenLr } from './options.js';
import { checkParams, readGrads, type FloatArray, type ParamSlot } from './params.js';
import { checkOptimizerStateDict, type OptimizerStateDict, type StateValue } from './state.js';

const GIVEN_LR = givenLr('pass a learning rate such as lr: 0.01');

/** The base of SGD, Adam and AdamW: parameters, the learning rate, per-parameter state and step(). */
export abstract class Optimizer<State = unknown> {
  /** The parameters, in the order given to the constructor. */
  readonly params: readonly Tensor[];
  /** The class name used in error messages ('SGD', 'Adam', …). */
  readonly name: string;
  private readonly slots: readonly ParamSlot[];
  private readonly states: (State | undefined)[];
  /** The memory the parameters live in (a gradient found there is copied before any update). */
  private readonly buffers: ReadonlySet<ArrayBufferLike>;
  private currentLr: number;

  protected constructor(name: string, params: Iterable<Tensor>, lr: number) {
    this.name = name;
    this.slots = checkParams(name, params);
    this.params = Object.freeze(this.slots.map((s) => s.tensor)); // the slots and states follow this list
    this.states = this.params.map(() => undefined);
    this.buffers = new Set(this.params.map((p) => p.view.data.buffer));
    Optimizer.checkLr(name, lr, `option 'lr'`);
    this.currentLr = lr;
  }

  /** The learning rate used by the next step(); schedules (StepLR, …) set it, and so may you. */
  get lr(): number {
    return this.currentLr;
  }
  set lr(value: number) {
    Optimizer.checkLr(this.name, value, 'lr');
    this.currentLr = value;
  }

  private static checkLr(owner: string, value: unknown, what: string): void {
    checkOption(owner, what, value, GIVEN_LR);
  }

  /**
   * Applies one update to every parameter that has a gradient (see the file header). Given a closure
   * (PyTorch's step(closure)), runs it first with gradients recorded — it zeroes the gradients,
   * recomputes the loss and calls backward — and returns its result.
   */
  step<L = void>(closure?: () => L): L | undefined {
    checkArgCount(`${this.name}.step`, arguments.length, 1, 'pass nothing, or a closure that recomputes the loss and returns it');
    if (closure !== undefined && typeof closure !== 'function') {
      throw new XentError(
        'INVALID_ARGUMENT',
        `${this.name}.step: closure is ${describe(closure)}; pass nothing, or a function that recomputes the loss (zeroGrad, forward, backward) and returns it.`,
      );
    }
    const result = closure === undefined ? undefined : enableGrad(closure);
    noGrad(() => {
      // A gradient that lives in a parameter's memory (w2.grad = detach(w1)) is copied first: read
      // in place, it would give w2 the values w1 has after its own update earlier in this loop.
      const grads = readGrads(`${this.name}.step`, this.params).map((g) => (g !== null && this.buffers.has(g.buffer) ? g.slice() : g));
      this.checkStep(`${this.name}.step`, grads);
      grads.forEach((g, i) => {
        if (g === null) return;
        const slot = this.slots[i];
        const values = slot.read();
        const state = this.states[i] ?? (this.states[i] = this.initState(values.length));
        this.update(values, g, state);
        slot.write(values);
      });
    });
    return result;
  }

  /**
   * Clears every parameter's .grad, ready for the next backward(): to null, or with `setToNone`
   * false to zeros where a gradient exists (PyTorch's zero_grad(set_to_none=False)).
   */
  zeroGrad(setToNone = true): void {
    checkArgCount(`${this.name}.zeroGrad`, arguments.length, 1, 'pass nothing, or setToNone (false: zeros instead of null)');
    zeroGrad(this.params, setToNone);
  }

  /**
   * The optimizer's state for a parameter (momentum buffer, Adam moments and
   * step count), or undefined before its first update. For inspection: the
   * arrays are the live buffers.
   */
  stateOf(p: Tensor): Readonly<State> | undefined {
    checkArgCount(`${this.name}.stateOf`, arguments.length, 1, 'pass one parameter');
    const i = this.params.indexOf(p);
    return i < 0 ? undefined : this.states[i];
  }

  /** The state of params[i] (stateOf without the search: O(1), for per-parameter loops). */
  protected stateAt(i: number): Readonly<State> | undefined {
    return this.states[i];
  }

  /**
   * A copy of the optimizer's state shaped like PyTorch's state_dict():
   * `{ state: { index: { buffers and counters } }, param_groups: [{ lr, hyperparameters, params: [0, 1, …] }] }`.
   * Parameters not updated yet have no entry. The tensors are copies.
   */
  stateDict(): OptimizerStateDict {
    checkArgCount(`${this.name}.stateDict`, arguments.length, 0, 'it takes no argument');
    const state: Record<number, Record<string, StateValue>> = {};
    this.states.forEach((s, i) => {
      if (s === undefined) return;
      const entry = this.stateEntry(s, this.params[i]);
      if (Object.keys(entry).length > 0) state[i] = entry;
    });
    return { state, param_groups: [{ ...this.groupHyper(), lr: this.lr, params: this.params.map((_, i) => i) }] };
  }

  /**
   * Restores a state saved by stateDict() (the same optimizer class over
   * parameters of the same shapes, in the same order): every buffer, counter
   * and the lr. The other hyperparameters must equal this optimizer's (build
   * it with the saved options). Everything is checked first; a mismatch is an
   * XentError and nothing changes.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const owner = `${this.name}.loadStateDict`;
    checkArgCount(owner, arguments.length, 1, 'pass what stateDict() returned, only');
    const { lr, entries } = checkOptimizerStateDict(owner, sd, this.params.length, this.groupHyper());
    const states: (State | undefined)[] = this.params.map(() => undefined);
    for (const [i, entry] of entries) states[i] = this.readStateEntry(owner, i, entry, this.params[i]);
    states.forEach((s, i) => (this.states[i] = s));
    this.currentLr = lr;
  }

  /**
   * Runs before any parameter changes, with every gradient (null = skipped): throws an
   * XentError for a step the update rule cannot make (Adam: a g² that overflows).
   */
  protected checkStep(_owner: string, _grads: readonly (ArrayLike<number> | null)[]): void {}

  /** The hyperparameters other than lr, in PyTorch's names (weight_decay, betas, …), for param_groups. */
  protected abstract groupHyper(): Record<string, number | boolean | number[]>;

  /** One parameter's state in PyTorch's names, with copied buffers shaped like the parameter. */
  protected abstract stateEntry(state: State, param: Tensor): Record<string, StateValue>;

  /** The inverse of stateEntry: checks a saved entry and builds a fresh state (throws XentError on anything wrong). */
  protected abstract readStateEntry(owner: string, index: number, entry: Record<string, unknown>, param: Tensor): State;

  /** Fresh state for a parameter of n elements, created at its first update. */
  protected abstract initState(n: number): State;

  /** The update rule: writes new parameter values into `p` and advances `state`. */
  protected abstract update(p: FloatArray, g: ArrayLike<number>, state: State): void;
}
