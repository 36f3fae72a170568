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
//            nor the state change (as in PyTorch).
//   zeroGrad(): sets every .grad to null (PyTorch's set_to_none=True).
import { Tensor, checkOption, numberOption, requiredOption } from '@xent/tensor';
import { noGrad, zeroGrad } from '@xent/autograd';
import { checkParams, readGrads, type FloatArray, type ParamSlot } from './params.js';

const LR = requiredOption(numberOption(0, '[0, ∞)', 'pass a learning rate such as lr: 0.01'), 'pass a learning rate such as lr: 0.01');

/** The base of SGD, Adam and AdamW: parameters, the learning rate, per-parameter state and step(). */
export abstract class Optimizer<State = unknown> {
  /** The parameters, in the order given to the constructor. */
  readonly params: readonly Tensor[];
  /** The class name used in error messages ('SGD', 'Adam', …). */
  readonly name: string;
  private readonly slots: readonly ParamSlot[];
  private readonly states: (State | undefined)[];
  private currentLr: number;

  protected constructor(name: string, params: Iterable<Tensor>, lr: number) {
    this.name = name;
    this.slots = checkParams(name, params);
    this.params = this.slots.map((s) => s.tensor);
    this.states = this.params.map(() => undefined);
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
    checkOption(owner, what, value, LR);
  }

  /** Applies one update to every parameter that has a gradient (see the file header). */
  step(): void {
    noGrad(() => {
      const grads = readGrads(`${this.name}.step`, this.params);
      grads.forEach((g, i) => {
        if (g === null) return;
        const slot = this.slots[i];
        const values = slot.read();
        const state = this.states[i] ?? (this.states[i] = this.initState(values.length));
        this.update(values, g, state);
        slot.write(values);
      });
    });
  }

  /** Clears every parameter's .grad (to null), ready for the next backward(). */
  zeroGrad(): void {
    zeroGrad(this.params);
  }

  /**
   * The optimizer's state for a parameter (momentum buffer, Adam moments and
   * step count), or undefined before its first update. For inspection: the
   * arrays are the live buffers.
   */
  stateOf(p: Tensor): Readonly<State> | undefined {
    const i = this.params.indexOf(p);
    return i < 0 ? undefined : this.states[i];
  }

  /** Fresh state for a parameter of n elements, created at its first update. */
  protected abstract initState(n: number): State;

  /** The update rule: writes new parameter values into `p` and advances `state`. */
  protected abstract update(p: FloatArray, g: ArrayLike<number>, state: State): void;
}
