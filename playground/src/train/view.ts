// The "train" panel's DOM: the configuration, play/pause/step/reset, the
// decision-boundary map (canvas) with the points, and the loss and accuracy
// curves (SVG). Training runs in a Web Worker; this thread only draws.
import { fmt, h, replace, s as svg } from '../dom.js';
import { slider } from '../ce/view.js';
import type { Extent } from './core.js';
import type { FromWorker, ToWorker } from './protocol.js';
import {
  ACTIVATIONS,
  DATASETS,
  LEARNING_RATES,
  MAX_HIDDEN_LAYERS,
  MAX_UNITS,
  OPTIMIZERS,
  TRAIN_LOSSES,
  normalizeTrainState,
  type TrainState,
} from './state.js';

/** Class colours (class 0, 1, 2, …) as RGB. */
const COLORS: [number, number, number][] = [
  [47, 111, 219],
  [224, 123, 0],
  [15, 123, 108],
  [190, 24, 93],
];
const MAP_PX = 480;
const CHART_W = 420;
const CHART_H = 220;
/** While playing, the map and curves are redrawn at most this often. */
const DRAW_MS = 100;

interface Data {
  x: Float64Array;
  labels: Int32Array;
  classes: number;
  extent: Extent;
  refusal: { code: string; message: string } | null;
}

/** Mounts the panel; `onChange` hears every new configuration (for the URL). */
export function mountTrainPanel(root: HTMLElement, initial: TrainState, onChange: (s: TrainState) => void): { set(s: TrainState): void } {
  let state = normalizeTrainState(initial);
  let data: Data | null = null;
  let playing = false;
  let latest: Extract<FromWorker, { type: 'snapshot' }> | null = null;
  let frame = 0;
  let lastDraw = 0;
  const curve: number[] = []; // [step, loss, accuracy] triples

  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  const send = (m: ToWorker): void => worker.postMessage(m);

  const canvas = h('canvas', {
    width: MAP_PX,
    height: MAP_PX,
    role: 'img',
    'aria-label': 'decision boundary with the training points',
    'data-testid': 'train-map',
  });
  const small = document.createElement('canvas');
  const chart = makeChart();
  const stepText = h('span', {}, 'step 0');
  const lossText = h('span', {}, 'loss —');
  const accText = h('span', { 'data-testid': 'train-accuracy', 'data-value': '0' }, 'training accuracy —');
  const stats = h('div', { class: 'stats' }, stepText, lossText, accText);
  const notice = h('div', {});
  const toggle = h(
    'button',
    { type: 'button', 'data-testid': 'train-toggle', 'aria-pressed': 'false', onclick: () => setPlaying(!playing) },
    '▶ Play',
  );
  const controls = h('div', { class: 'controls' });

  function setPlaying(on: boolean): void {
    playing = on && !(data?.refusal ?? false);
    toggle.setAttribute('aria-pressed', String(playing));
    toggle.textContent = playing ? '❚❚ Pause' : '▶ Play';
    send({ type: playing ? 'play' : 'pause' });
  }

  function configure(next: Partial<TrainState>): void {
    state = normalizeTrainState({ ...state, ...next });
    onChange(state);
    restart();
  }

  function restart(): void {
    const wasPlaying = playing;
    curve.length = 0;
    latest = null;
    data = null;
    send({ type: 'config', state });
    if (wasPlaying) send({ type: 'play' });
  }

  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data;
    if (m.type === 'data') {
      // A new run: snapshots of the previous one that were already on their way are dropped with its curve.
      data = m;
      curve.length = 0;
      toggle.setAttribute('aria-disabled', String(m.refusal !== null)); // a refused configuration cannot train
      renderNotice();
      if (m.refusal) setPlaying(false);
    } else if (m.type === 'snapshot') {
      latest = m;
      curve.push(...m.history);
      // Draw at most every DRAW_MS while playing (the page's thread stays free for input), at once otherwise.
      if (!frame) {
        const wait = m.playing ? Math.max(0, DRAW_MS - (performance.now() - lastDraw)) : 0;
        frame = window.setTimeout(() => requestAnimationFrame(draw), wait);
      }
    } else {
      replace(notice, h('p', { class: 'refusal', role: 'alert' }, `Training stopped: ${m.message}`));
    }
  };
  worker.onerror = (e) => replace(notice, h('p', { class: 'refusal', role: 'alert' }, `The training worker failed: ${e.message}`));

  function renderNotice(): void {
    if (!data?.refusal) {
      replace(notice);
      return;
    }
    replace(
      notice,
      h(
        'div',
        { class: 'card mistake' },
        h(
          'p',
          { class: 'refusal', role: 'alert', 'data-testid': 'refusal', 'data-code': data.refusal.code },
          h('strong', {}, `xent refuses: ${data.refusal.code}`),
          ' — ',
          data.refusal.message,
        ),
        h(
          'p',
          { class: 'note' },
          'A library that runs this call computes softmax over the single output, which is always 1: the loss is 0 and every gradient is 0 from the first step, ' +
            'so the network never moves from its random start (the map below). Use two outputs with softmax cross entropy, or one output with sigmoid cross entropy.',
        ),
      ),
    );
  }

  function draw(): void {
    frame = 0;
    lastDraw = performance.now();
    const m = latest;
    if (!m || !data) return;
    drawMap(canvas, small, m.grid, data);
    chart.update(curve);
    stepText.textContent = `step ${m.step}`;
    lossText.textContent = `loss ${Number.isNaN(m.loss) ? '—' : fmt(m.loss)}`;
    accText.textContent = `training accuracy ${(100 * m.accuracy).toFixed(1)} %`;
    accText.setAttribute('data-value', String(m.accuracy));
  }

  function buildControls(): void {
    const radios = <T extends string>(
      name: string,
      legend: string,
      options: readonly { id: T; label: string }[],
      value: T,
      on: (v: T) => void,
    ): HTMLElement =>
      h(
        'fieldset',
        { class: 'radios' },
        h('legend', {}, legend),
        options.map((o) =>
          h(
            'label',
            {},
            h('input', { type: 'radio', name, id: `${name}-${o.id}`, checked: o.id === value, onchange: () => on(o.id) }),
            ' ',
            o.label,
          ),
        ),
      );
    replace(
      controls,
      h(
        'div',
        { class: 'row' },
        radios(
          'tr-data',
          'data set',
          DATASETS.map((id) => ({ id, label: id })),
          state.dataset,
          (v) => configure({ dataset: v }),
        ),
        radios(
          'tr-act',
          'activation',
          ACTIVATIONS.map((id) => ({ id, label: id })),
          state.activation,
          (v) => configure({ activation: v }),
        ),
        radios('tr-loss', 'loss', TRAIN_LOSSES, state.loss, (v) => configure({ loss: v })),
      ),
      h(
        'div',
        { class: 'row' },
        slider({
          id: 'tr-layers',
          label: 'hidden layers',
          min: 0,
          max: MAX_HIDDEN_LAYERS,
          step: 1,
          value: state.hidden.length,
          on: (v) => configure({ hidden: Array.from({ length: v }, () => state.hidden[0] ?? 16) }),
        }),
        slider({
          id: 'tr-units',
          label: 'units per layer',
          min: 1,
          max: MAX_UNITS,
          step: 1,
          value: state.hidden[0] ?? 16,
          on: (v) => configure({ hidden: state.hidden.map(() => v) }),
        }),
        slider({
          id: 'tr-lr',
          label: 'learning rate',
          min: 0,
          max: LEARNING_RATES.length - 1,
          step: 1,
          value: LEARNING_RATES.indexOf(state.lr),
          show: (i) => String(LEARNING_RATES[i]),
          on: (i) => configure({ lr: LEARNING_RATES[i] }),
        }),
        h(
          'div',
          { class: 'slider' },
          h('label', { for: 'tr-opt' }, 'optimizer'),
          h(
            'select',
            {
              id: 'tr-opt',
              onchange: (e: Event) => configure({ optimizer: (e.target as HTMLSelectElement).value as TrainState['optimizer'] }),
            },
            OPTIMIZERS.map((o) => h('option', { value: o.id, selected: o.id === state.optimizer }, o.label)),
          ),
        ),
      ),
    );
  }

  replace(
    root,
    controls,
    h(
      'div',
      { class: 'buttons' },
      toggle,
      h('button', { type: 'button', 'data-testid': 'train-step', onclick: () => (setPlaying(false), send({ type: 'step' })) }, 'Step'),
      h('button', { type: 'button', 'data-testid': 'train-reset', onclick: () => (setPlaying(false), restart()) }, '⟲ Reset'),
      stats,
    ),
    notice,
    h(
      'div',
      { class: 'train-layout' },
      h('div', { class: 'heatmap card' }, canvas),
      h('div', { class: 'card chart' }, h('h3', {}, 'Loss and training accuracy'), chart.el),
    ),
  );
  buildControls();
  restart();
  return {
    set(s: TrainState) {
      state = normalizeTrainState(s);
      buildControls();
      restart();
    },
  };
}

/** The map: each grid cell in its predicted class's colour, paler where the model is unsure; then the points. */
function drawMap(canvas: HTMLCanvasElement, small: HTMLCanvasElement, grid: { cls: Uint8Array; conf: Float32Array }, data: Data): void {
  const n = Math.round(Math.sqrt(grid.cls.length));
  small.width = n;
  small.height = n;
  const sctx = small.getContext('2d')!;
  const img = sctx.createImageData(n, n);
  const floor = 1 / data.classes;
  for (let k = 0; k < n * n; k++) {
    const [r, g, b] = COLORS[grid.cls[k] % COLORS.length];
    // Strength 0.12 at chance confidence (1/C), 0.6 at certainty.
    const a = 0.12 + (0.48 * Math.max(0, grid.conf[k] - floor)) / (1 - floor);
    img.data[4 * k] = Math.round(255 + (r - 255) * a);
    img.data[4 * k + 1] = Math.round(255 + (g - 255) * a);
    img.data[4 * k + 2] = Math.round(255 + (b - 255) * a);
    img.data[4 * k + 3] = 255;
  }
  sctx.putImageData(img, 0, 0);
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
  const { x0, y0, size } = data.extent;
  const px = canvas.width / size;
  for (let i = 0; i < data.labels.length; i++) {
    const [r, g, b] = COLORS[data.labels[i] % COLORS.length];
    const cx = (data.x[2 * i] - x0) * px;
    const cy = canvas.height - (data.x[2 * i + 1] - y0) * px;
    ctx.beginPath();
    ctx.arc(cx, cy, 4.5, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fill();
    ctx.lineWidth = 1.2;
    ctx.strokeStyle = '#fff';
    ctx.stroke();
  }
}

/** Loss (left scale, from 0 to its largest value) and accuracy (right scale, 0 to 1) against the step; built once, updated in place. */
function makeChart(): { el: SVGSVGElement; update(curve: readonly number[]): void } {
  const pad = { l: 40, r: 36, t: 10, b: 24 };
  const w = CHART_W - pad.l - pad.r;
  const hgt = CHART_H - pad.t - pad.b;
  const lossPath = svg('path', { class: 'loss' });
  const accPath = svg('path', { class: 'acc' });
  const maxText = svg('text', { x: pad.l - 4, y: pad.t + 8, 'text-anchor': 'end' });
  const stepText = svg('text', { x: pad.l + w, y: CHART_H - 6, 'text-anchor': 'end' });
  const el = svg(
    'svg',
    { viewBox: `0 0 ${CHART_W} ${CHART_H}`, role: 'img', 'aria-label': 'loss and training accuracy by step' },
    svg('line', { x1: pad.l, y1: pad.t + hgt, x2: pad.l + w, y2: pad.t + hgt, class: 'axis' }),
    svg('line', { x1: pad.l, y1: pad.t, x2: pad.l, y2: pad.t + hgt, class: 'axis' }),
    svg('line', { x1: pad.l + w, y1: pad.t, x2: pad.l + w, y2: pad.t + hgt, class: 'axis' }),
    lossPath,
    accPath,
    maxText,
    svg('text', { x: pad.l - 4, y: pad.t + hgt, 'text-anchor': 'end' }, '0'),
    svg('text', { x: pad.l + w + 4, y: pad.t + 8 }, '100%'),
    svg('text', { x: pad.l + w + 4, y: pad.t + hgt }, '0%'),
    stepText,
    svg('text', { x: pad.l + 6, y: CHART_H - 6, class: 'loss-label' }, '— loss'),
    svg('text', { x: pad.l + 70, y: CHART_H - 6, class: 'acc-label' }, '— accuracy'),
  );
  return {
    el,
    update(curve: readonly number[]): void {
      const count = curve.length / 3;
      const last = count > 0 ? curve[3 * (count - 1)] : 1;
      let maxLoss = 0;
      for (let i = 0; i < count; i++) if (Number.isFinite(curve[3 * i + 1])) maxLoss = Math.max(maxLoss, curve[3 * i + 1]);
      maxLoss = maxLoss || 1;
      const every = Math.max(1, Math.ceil(count / 400)); // at most ~400 points per line
      const path = (col: number, scale: number): string => {
        let d = '';
        for (let i = 0; i < count; i += every) {
          const v = curve[3 * i + col];
          if (!Number.isFinite(v)) continue;
          const x = pad.l + (curve[3 * i] / Math.max(1, last)) * w;
          const y = pad.t + hgt - (v / scale) * hgt;
          d += `${d ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
        }
        return d;
      };
      lossPath.setAttribute('d', path(1, maxLoss));
      accPath.setAttribute('d', path(2, 1));
      maxText.textContent = fmt(maxLoss, 2);
      stepText.textContent = `step ${last}`;
    },
  };
}
