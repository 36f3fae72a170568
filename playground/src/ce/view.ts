// The "one cross entropy" panel's DOM: controls (rebuilt when the structure
// changes) and a readout (redrawn on every change) from ceView().
import { fmt, h, rebuildKeepingFocus, replace, type Child } from '../dom.js';
import { mistakeView, type MistakeView } from './mistakes.js';
import { ceView, type CeView } from './model.js';
import {
  LOGIT_MAX,
  LOGIT_STEP,
  MAX_COUNT,
  MIN_COUNT,
  MISTAKES,
  normalizeCeState,
  snapLogit,
  targetForms,
  type CeState,
  type Mistake,
  type Outcomes,
  type PredictionForm,
  type TargetForm,
} from './state.js';

const SUB = '₀₁₂₃₄₅₆₇₈₉';
const sub = (i: number): string => [...String(i)].map((d) => SUB[Number(d)]).join('');

const TARGET_LABELS: Record<TargetForm, string> = { index: 'class index', onehot: 'one-hot', soft: 'soft', multihot: 'multi-hot' };
const OUTCOME_LABELS: Record<Outcomes, string> = { binary: 'binary (one unit)', classes: 'C classes', labels: 'K labels' };

/** Mounts the panel in `root`; `onChange` hears every new state (for the URL). Returns a setter for outside changes. */
export function mountCePanel(root: HTMLElement, initial: CeState, onChange: (s: CeState) => void): { set(s: CeState): void } {
  let state = normalizeCeState(initial);
  const controls = h('div', { class: 'controls' });
  const readout = h('div', { class: 'readout' });
  replace(root, controls, readout);

  const update: Update = (next, structural) => {
    state = normalizeCeState({ ...state, ...(typeof next === 'function' ? next(state) : next) });
    if (structural) rebuildKeepingFocus(controls, () => buildControls(state, update));
    renderReadout(readout, state);
    onChange(state);
  };
  rebuildKeepingFocus(controls, () => buildControls(state, update));
  renderReadout(readout, state);
  return {
    set(s: CeState) {
      state = normalizeCeState(s);
      rebuildKeepingFocus(controls, () => buildControls(state, update));
      renderReadout(readout, state);
    },
  };
}

/** Applies a change (or a change computed from the current state); `structural` rebuilds the controls. */
type Update = (next: Partial<CeState> | ((cur: CeState) => Partial<CeState>), structural: boolean) => void;

function radios<T extends string>(
  name: string,
  legend: string,
  options: readonly { id: T; label: string }[],
  value: T,
  on: (v: T) => void,
): HTMLElement {
  return h(
    'fieldset',
    { class: 'radios' },
    h('legend', {}, legend),
    options.map((o) =>
      h(
        'label',
        {},
        h('input', { type: 'radio', name, id: `${name}-${o.id}`, value: o.id, checked: o.id === value, onchange: () => on(o.id) }),
        ' ',
        o.label,
      ),
    ),
  );
}

/** A labelled range input with its value shown; keyboard-operable as any native slider. */
export function slider(o: {
  id: string;
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
  testid?: string;
  show?: (v: number) => string;
  on: (v: number) => void;
}): HTMLElement {
  const show = o.show ?? ((v: number) => String(v));
  const out = h('output', { for: o.id, id: `${o.id}-out` }, show(o.value));
  const input = h('input', {
    type: 'range',
    id: o.id,
    min: o.min,
    max: o.max,
    step: o.step,
    value: o.value,
    'data-testid': o.testid,
    oninput: (e: Event) => {
      const v = Number((e.target as HTMLInputElement).value);
      out.textContent = show(v);
      o.on(v);
    },
  });
  return h('div', { class: 'slider' }, h('label', { for: o.id }, o.label), input, out);
}

function buildControls(s: CeState, update: Update): Child[] {
  const n = s.outcomes === 'binary' ? 1 : s.count;
  const classes = s.outcomes === 'binary' ? 2 : s.count;
  const logitSliders = s.logits.map((z, c) =>
    slider({
      id: `ce-z${c}`,
      label: n === 1 ? 'logit z' : `logit z${sub(c)}`,
      min: -LOGIT_MAX,
      max: LOGIT_MAX,
      step: LOGIT_STEP,
      value: z,
      testid: `logit-${c}`,
      on: (v) => update((cur) => ({ logits: cur.logits.map((old, k) => (k === c ? snapLogit(v) : old)) }), false),
    }),
  );
  let targetControls: Child;
  if (s.target === 'index' || s.target === 'onehot') {
    targetControls = radios(
      'ce-label',
      s.outcomes === 'binary' ? 'target y' : 'target class y',
      Array.from({ length: classes }, (_, c) => ({
        id: String(c),
        label: s.outcomes === 'binary' ? (c === 1 ? '1 (yes)' : '0 (no)') : String(c),
      })),
      String(s.label),
      (v) => update({ label: Number(v) }, true),
    );
  } else if (s.target === 'multihot') {
    targetControls = h(
      'fieldset',
      { class: 'radios' },
      h('legend', {}, 'target labels t (on/off)'),
      s.hot.slice(0, s.count).map((v, k) =>
        h(
          'label',
          {},
          h('input', {
            type: 'checkbox',
            id: `ce-hot${k}`,
            checked: v === 1,
            onchange: (e: Event) => {
              const on = (e.target as HTMLInputElement).checked ? 1 : 0;
              update((cur) => ({ hot: cur.hot.map((o, j) => (j === k ? on : o)) }), true);
            },
          }),
          ` t${sub(k)}`,
        ),
      ),
    );
  } else {
    const m = s.outcomes === 'binary' ? 1 : s.count;
    targetControls = h(
      'fieldset',
      { class: 'sliders' },
      h('legend', {}, s.outcomes === 'classes' ? 'soft target weights (normalised to P)' : 'soft targets p ∈ [0, 1]'),
      Array.from({ length: m }, (_, k) =>
        slider({
          id: `ce-soft${k}`,
          label: m === 1 ? 'p (class 1)' : `p${sub(k)}`,
          min: 0,
          max: 1,
          step: 0.01,
          value: s.soft[k],
          on: (v) => update((cur) => ({ soft: cur.soft.map((o, j) => (j === k ? v : o)) }), false),
        }),
      ),
    );
  }
  return [
    h(
      'div',
      { class: 'row' },
      radios(
        'ce-outcomes',
        'outcomes',
        (['binary', 'classes', 'labels'] as const).map((id) => ({ id, label: OUTCOME_LABELS[id] })),
        s.outcomes,
        (v) => update({ outcomes: v }, true),
      ),
      s.outcomes !== 'binary'
        ? slider({
            id: 'ce-count',
            label: s.outcomes === 'classes' ? 'classes C' : 'labels K',
            min: MIN_COUNT,
            max: MAX_COUNT,
            step: 1,
            value: s.count,
            on: (v) => update({ count: v }, true),
          })
        : null,
      radios<PredictionForm>(
        'ce-form',
        'the model outputs',
        [
          { id: 'logits', label: 'logits' },
          { id: 'probabilities', label: 'probabilities' },
        ],
        s.form,
        (v) => update({ form: v }, true),
      ),
      radios<TargetForm>(
        'ce-target',
        'target form',
        targetForms(s.outcomes).map((id) => ({ id, label: TARGET_LABELS[id] })),
        s.target,
        (v) => update({ target: v }, true),
      ),
    ),
    h('fieldset', { class: 'sliders' }, h('legend', {}, 'logits (one slider per output unit)'), logitSliders),
    targetControls,
    h(
      'div',
      { class: 'slider' },
      h('label', { for: 'ce-mistake' }, 'wrong helper'),
      h(
        'select',
        {
          id: 'ce-mistake',
          'data-testid': 'mistake',
          onchange: (e: Event) => update({ mistake: (e.target as HTMLSelectElement).value as Mistake }, true),
        },
        MISTAKES.map((m) => h('option', { value: m.id, selected: m.id === s.mistake }, m.label)),
      ),
    ),
  ];
}

function bar(value: number, cls: string, label: string): HTMLElement {
  const w = Math.max(0, Math.min(1, value)) * 100;
  return h('div', { class: `bar ${cls}`, role: 'img', 'aria-label': label }, h('span', { style: `width:${w}%` }));
}

/** A diverging bar: value in [−1, 1] drawn from the centre. */
function gradBar(g: number): HTMLElement {
  const w = Math.min(1, Math.abs(g)) * 50;
  const left = g < 0 ? 50 - w : 50;
  return h(
    'div',
    { class: 'gbar', role: 'img', 'aria-label': `gradient ${fmt(g)}` },
    h('span', { class: g < 0 ? 'neg' : 'pos', style: `left:${left}%;width:${w}%` }),
  );
}

function renderReadout(el: HTMLElement, s: CeState): void {
  const v = ceView(s);
  replace(el, table(v), gradients(v), helpersTable(v), choice(v), mistakeBox(mistakeView(s)));
}

function table(v: CeView): HTMLElement {
  const link = v.link === 'softmax' ? 'Q = softmax(z)' : 'q = σ(z)';
  return h(
    'section',
    { class: 'card' },
    h('h3', {}, `Prediction and target (${link})`),
    h(
      'table',
      { class: 'terms' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'outcome'),
          h('th', {}, 'Q'),
          h('th', {}, 'P'),
          h('th', { class: 'wide' }, ''),
          h('th', {}, v.link === 'softmax' ? '−P log Q' : 'term'),
        ),
      ),
      h(
        'tbody',
        {},
        v.rows.map((r) =>
          h(
            'tr',
            {},
            h('td', {}, r.label),
            h('td', { class: 'num' }, fmt(r.q)),
            h('td', { class: 'num' }, fmt(r.p)),
            h('td', { class: 'wide' }, bar(r.q, 'q', `Q ${fmt(r.q)}`), bar(r.p, 'p', `P ${fmt(r.p)}`)),
            h('td', { class: 'num' }, fmt(r.term)),
          ),
        ),
      ),
      h(
        'tfoot',
        {},
        h(
          'tr',
          {},
          h('td', { colspan: 4 }, v.meanOver === null ? 'loss = Σ terms' : `loss = mean of the ${v.meanOver} label terms`),
          h('td', { class: 'num', 'data-testid': 'ce-loss-sum', 'data-value': String(v.loss) }, fmt(v.loss, 6)),
        ),
      ),
    ),
  );
}

function gradients(v: CeView): HTMLElement {
  return h(
    'section',
    { class: 'card' },
    // K labels: the table shows the mean of the K terms, but the bars are the gradient of their sum (σ(z) − P, not (σ(z) − P)/K).
    h(
      'h3',
      {},
      v.meanOver === null
        ? `Gradient ∂ℓ/∂z = ${v.gradFormula}`
        : `Gradient of Σ terms, ∂/∂z = ${v.gradFormula} (of the mean: ÷ ${v.meanOver})`,
    ),
    h(
      'div',
      { class: 'grads', 'data-testid': 'grad', 'data-values': JSON.stringify(v.grad) },
      v.grad.map((g, i) =>
        h(
          'div',
          { class: 'grow' },
          h('span', {}, v.grad.length === 1 ? 'z' : `z${sub(i)}`),
          gradBar(g),
          h('span', { class: 'num' }, fmt(g)),
        ),
      ),
    ),
    h(
      'p',
      { class: 'note' },
      `From xent's autograd (backward through the fused op); the closed form ${v.gradFormula} computed directly differs by at most ${fmt(maxDiff(v.grad, v.gradClosedForm), 2)}. ` +
        'Bars point right where the model overshoots (lower this logit) and left where it falls short.',
    ),
  );
}

function maxDiff(a: readonly number[], b: readonly number[]): number {
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
}

function helpersTable(v: CeView): HTMLElement {
  return h(
    'section',
    { class: 'card' },
    h('h3', {}, 'Every helper that applies: one formula'),
    h(
      'table',
      { class: 'helpers' },
      h(
        'tbody',
        {},
        v.helpers.map((r) =>
          h(
            'tr',
            { class: r.chosen ? 'chosen' : '' },
            h('td', {}, h('code', {}, r.call), r.chosen ? h('span', { class: 'badge' }, 'chooseLoss') : null),
            r.error
              ? h('td', { class: 'num', 'data-testid': `loss-${r.name}`, 'data-code': r.error.code }, r.error.code)
              : h('td', { class: 'num', 'data-testid': `loss-${r.name}`, 'data-value': String(r.value) }, String(r.value)),
          ),
        ),
      ),
    ),
  );
}

function choice(v: CeView): HTMLElement {
  const c = v.choice;
  const spec = JSON.stringify(c.spec)
    .replace(/"(\w+)":/g, '$1: ')
    .replace(/,/g, ', ');
  return h(
    'section',
    { class: 'card' },
    h('h3', {}, 'chooseLoss'),
    h('p', {}, h('code', {}, `chooseLoss(${spec})`)),
    'error' in c
      ? h(
          'p',
          { class: 'refusal', role: 'alert', 'data-testid': 'choose-refusal', 'data-code': c.error.code },
          `${c.error.code}: ${c.error.message}`,
        )
      : h('p', { 'data-testid': 'choice', 'data-value': c.name }, h('strong', {}, c.name), ': ', c.why),
    'name' in c && !v.helpers.some((r) => r.chosen)
      ? h(
          'p',
          { class: 'note' },
          `${c.name} is not in the list above: for two exclusive outcomes chooseLoss recommends one output unit and a sigmoid. ` +
            'Switch the outcomes to binary to see it; the softmax over two logits gives the same loss with logits (0, z₁ − z₀).',
        )
      : null,
  );
}

function mistakeBox(m: MistakeView | null): HTMLElement | null {
  if (!m) return null;
  return h(
    'section',
    { class: 'card mistake' },
    h('h3', {}, `Wrong helper: ${m.title}`),
    h('p', {}, h('code', {}, m.call)),
    m.refusal
      ? h(
          'p',
          { class: 'refusal', role: 'alert', 'data-testid': 'refusal', 'data-code': m.refusal.code },
          h('strong', {}, `xent refuses: ${m.refusal.code}`),
          ' — ',
          m.refusal.message,
        )
      : h('p', { class: 'warn', 'data-testid': 'no-refusal' }, h('strong', {}, 'xent runs it.')),
    h(
      'p',
      {},
      m.refusal ? 'Without the check it would silently compute ' : 'It computes ',
      h('strong', { 'data-testid': 'silent-value', 'data-value': String(m.silent.value) }, fmt(m.silent.value, 6)),
      m.silent.grad ? ` with gradient [${m.silent.grad.map((g) => fmt(g)).join(', ')}] with respect to the predictions it was given` : '',
      `; the right call ${m.right.call} gives ${fmt(m.right.value, 6)}.`,
    ),
    h('p', { class: 'note' }, m.silent.note),
  );
}
