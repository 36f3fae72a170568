import { bpView } from './src/backprop/model.ts';
import { layoutGraph } from './src/backprop/layout.ts';
import { ceView } from './src/ce/model.ts';
import { mistakeView } from './src/ce/mistakes.ts';
import { normalizeCeState } from './src/ce/state.ts';
const v = bpView({ x: [1, -0.5], label: 2, step: 11 });
for (const n of v.nodes)
  console.log(n.id, n.label, n.op, n.inputs, n.value.map((x) => x.toFixed(3)).join(' '), n.grad?.map((x) => x.toFixed(3)).join(' '));
for (const s of v.steps) console.log(s.kind, s.node, s.text);
console.log(v.update);
const L = layoutGraph(v.nodes, { direction: 'right', nodeWidth: 160, nodeHeight: 90, gap: 30, margin: 10 });
console.log(L.boxes.map((b, i) => `${v.nodes[i].label}:${b.layer}/${b.rank}`).join(' '), L.width, L.height);
for (const o of ['binary', 'classes', 'labels'] as const)
  for (const f of ['logits', 'probabilities'] as const) {
    const s = normalizeCeState({ outcomes: o, form: f, target: o === 'labels' ? 'multihot' : 'index' });
    const cv = ceView(s);
    console.log(
      o,
      f,
      cv.loss,
      cv.helpers.map((h) => `${h.name}=${h.value}${h.chosen ? '*' : ''}${h.error ? h.error.code : ''}`).join(' '),
      'grad',
      cv.grad,
      cv.gradClosedForm,
      'choice' in cv ? JSON.stringify(cv.choice).slice(0, 80) : '',
    );
  }
for (const m of ['singleOutput', 'probsAsLogits', 'logitsAsProbs', 'multiHotSoftmax', 'torchOrder'] as const) {
  const mv = mistakeView(normalizeCeState({ mistake: m }))!;
  console.log(m, mv.refusal?.code, mv.silent.value, mv.right.value);
}
