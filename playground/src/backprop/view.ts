// The "backprop, step by step" panel's DOM: the example's controls, the step
// buttons, and the recorded graph drawn as SVG with the app's own layout.
import { fmt, h, replace, s as svg } from '../dom.js';
import { slider } from '../ce/view.js';
import { layoutGraph } from './layout.js';
import { CLASSES, FEATURE_MAX, bpView, normalizeBpState, type BpNode, type BpState } from './model.js';

const NODE_W = 184;
const NODE_H = 104;
const LINE = 15;
/** Below this width the graph flows top to bottom. */
const NARROW = '(max-width: 760px)';

/** Mounts the panel in `root`; `onChange` hears every new state (for the URL). */
export function mountBpPanel(root: HTMLElement, initial: BpState, onChange: (s: BpState) => void): { set(s: BpState): void } {
  let state = normalizeBpState(initial);
  const graph = h('div', { class: 'graph', 'data-testid': 'bp-graph' });
  const text = h('p', { class: 'steptext', 'aria-live': 'polite', 'data-testid': 'bp-text' });
  const counter = h('span', { class: 'counter', 'data-testid': 'bp-counter' });
  const go = (step: number): void => set({ ...state, step });
  const set = (next: BpState, notify = true): void => {
    state = normalizeBpState(next);
    render();
    if (notify) onChange(state);
  };
  const buttons = h(
    'div',
    { class: 'buttons' },
    h('button', { type: 'button', 'data-testid': 'bp-reset', onclick: () => go(0) }, '⟲ Reset'),
    h('button', { type: 'button', 'data-testid': 'bp-back', onclick: () => go(Math.max(0, state.step - 1)) }, '◀ Back'),
    h('button', { type: 'button', 'data-testid': 'bp-step', onclick: () => go(state.step + 1) }, 'Step ▶'),
    h('button', { type: 'button', 'data-testid': 'bp-all', onclick: () => go(Number.MAX_SAFE_INTEGER) }, 'All ▶▶'),
    counter,
  );
  const controls = h('div', { class: 'controls row' });
  const buildControls = (): void =>
    replace(
      controls,
      [0, 1].map((i) =>
        slider({
          id: `bp-x${i}`,
          label: `feature x${i === 0 ? '₀' : '₁'}`,
          min: -FEATURE_MAX,
          max: FEATURE_MAX,
          step: 0.1,
          value: state.x[i],
          on: (v) => set({ ...state, x: i === 0 ? [v, state.x[1]] : [state.x[0], v] }),
        }),
      ),
      h(
        'fieldset',
        { class: 'radios' },
        h('legend', {}, 'target class y'),
        Array.from({ length: CLASSES }, (_, c) =>
          h(
            'label',
            {},
            h('input', {
              type: 'radio',
              name: 'bp-label',
              id: `bp-y${c}`,
              checked: c === state.label,
              onchange: () => set({ ...state, label: c }),
            }),
            ` ${c}`,
          ),
        ),
      ),
    );
  replace(root, controls, buttons, text, graph);
  const media = window.matchMedia(NARROW);
  media.addEventListener('change', () => render());

  function render(): void {
    const v = bpView(state);
    state = { ...state, step: v.step }; // 'All' asks for more steps than there are
    counter.textContent = `step ${v.step} / ${v.steps.length}`;
    text.textContent =
      v.step === 0
        ? `One training step of a linear softmax classifier, 2 features → 3 classes. The loss is ${fmt(v.loss)}. Press Step to run the forward pass one op at a time, then the backward pass one node at a time.`
        : v.steps[v.step - 1].text;
    const layout = layoutGraph(v.nodes, {
      direction: media.matches ? 'down' : 'right',
      nodeWidth: NODE_W,
      nodeHeight: NODE_H,
      gap: 28,
      margin: 6,
    });
    const active = v.nodes.find((n) => n.active);
    const backward = v.step > 0 && v.steps[v.step - 1].kind === 'backward';
    const el = svg(
      'svg',
      {
        viewBox: `0 0 ${layout.width} ${layout.height}`,
        style: `max-width:${layout.width}px`,
        role: 'img',
        'aria-label': 'the computation graph with each value and gradient',
      },
      svg(
        'defs',
        {},
        svg(
          'marker',
          { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
          svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }),
        ),
      ),
      layout.edges.map((e) => {
        const hot = active !== undefined && (backward ? e.from === active.id : e.to === active.id);
        return svg('path', { d: e.path, class: `edge${hot ? (backward ? ' hot back' : ' hot') : ''}`, 'marker-end': 'url(#arrow)' });
      }),
      v.nodes.map((n, i) => nodeBox(n, layout.boxes[i].x, layout.boxes[i].y)),
    );
    replace(graph, el);
    if (v.update) {
      graph.append(
        h(
          'p',
          { class: 'note', 'data-testid': 'bp-update' },
          `After the step: W = [${v.update.W.map((x) => fmt(x)).join(', ')}], b = [${v.update.b.map((x) => fmt(x)).join(', ')}], loss ${fmt(v.update.loss)} (was ${fmt(v.loss)}).`,
        ),
      );
    }
  }
  buildControls();
  render();
  return {
    set(s: BpState) {
      state = normalizeBpState(s);
      buildControls();
      render();
    },
  };
}

/** Rows of numbers for a tensor's flat values (a [2, 3] matrix gives two rows). */
function rows(values: readonly number[], shape: readonly number[]): string[] {
  const cols = shape.length >= 2 ? shape[shape.length - 1] : values.length;
  const out: string[] = [];
  for (let i = 0; i < values.length; i += Math.max(1, cols))
    out.push(
      values
        .slice(i, i + cols)
        .map((x) => fmt(x, 3))
        .join('  '),
    );
  return out.length ? out : [''];
}

function nodeBox(n: BpNode, x: number, y: number): SVGElement {
  const lines: { text: string; cls: string }[] = [{ text: `${n.label} = ${n.expr}`, cls: 'title' }];
  for (const r of n.showValue ? rows(n.value, n.shape) : ['?']) lines.push({ text: r, cls: 'value' });
  if (n.grad !== null) for (const r of n.showGrad ? rows(n.grad, n.shape) : ['?']) lines.push({ text: r, cls: 'grad' });
  else lines.push({ text: 'no gradient (data)', cls: 'nograd' });
  const cls = `node${n.op === null ? ' leaf' : ''}${n.active ? ' active' : ''}`;
  return svg(
    'g',
    {
      class: cls,
      transform: `translate(${x},${y})`,
      'data-testid': `bp-node-${n.label}`,
      'data-value': JSON.stringify(n.showValue ? n.value : null),
      'data-grad': JSON.stringify(n.showGrad ? n.grad : null),
    },
    svg('rect', { width: NODE_W, height: NODE_H, rx: 6 }),
    lines.map((l, i) =>
      svg('text', { x: 8, y: 18 + i * LINE, class: l.cls }, i === 0 ? l.text : (l.cls === 'grad' ? '∂ ' : '= ') + l.text),
    ),
  );
}
