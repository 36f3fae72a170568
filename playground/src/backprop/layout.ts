// A layered layout for a small computation graph (a DAG), done by the app:
//   1. layer: an op sits one layer after its latest input; a leaf sits just
//      before its first consumer (so W and b appear where they are used);
//   2. order within a layer by the mean position of the inputs (barycentre),
//      which keeps edges short and mostly uncrossed for graphs of this size;
//   3. coordinates: layers left to right (wide screens) or top to bottom
//      (narrow screens), nodes centred on the layer's axis.

/** What the layout needs to know about a node: its inputs, by index into the node list. */
export interface LayoutInput {
  inputs: readonly number[];
}

/** A node's box: top-left corner, size, layer and rank within its layer. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  layer: number;
  rank: number;
}

/** An edge from node `from` (an input) to node `to`, as an SVG path between the boxes' facing sides. */
export interface Edge {
  from: number;
  to: number;
  path: string;
}

/** The boxes (one per node, in the input's order), the edges, and the drawing's size. */
export interface Layout {
  boxes: Box[];
  edges: Edge[];
  width: number;
  height: number;
}

/** Direction of flow, node size, spacing. */
export interface LayoutOptions {
  direction: 'right' | 'down';
  nodeWidth: number;
  nodeHeight: number;
  /** Space between layers and between nodes of one layer. */
  gap: number;
  margin: number;
}

/** Layer of every node: ops after their latest input, leaves just before their first consumer. Throws on a cycle. */
export function layers(nodes: readonly LayoutInput[]): number[] {
  const n = nodes.length;
  const layer = new Array<number>(n).fill(-1);
  const visiting = new Array<boolean>(n).fill(false);
  const opLayer = (i: number): number => {
    if (layer[i] >= 0) return layer[i];
    if (visiting[i]) throw new Error(`layout: the graph has a cycle through node ${i}`);
    visiting[i] = true;
    const ins = nodes[i].inputs;
    layer[i] = ins.length === 0 ? 0 : 1 + Math.max(...ins.map(opLayer));
    visiting[i] = false;
    return layer[i];
  };
  for (let i = 0; i < n; i++) opLayer(i);
  // Pull each leaf forward to one layer before its earliest consumer.
  for (let i = 0; i < n; i++) {
    if (nodes[i].inputs.length > 0) continue;
    const consumers = nodes.map((m, j) => (m.inputs.includes(i) ? layer[j] : Infinity));
    const first = Math.min(...consumers);
    if (Number.isFinite(first)) layer[i] = first - 1;
  }
  // Close gaps: a layer index that no node uses would leave an empty column.
  const used = [...new Set(layer)].sort((a, b) => a - b);
  return layer.map((l) => used.indexOf(l));
}

/** Lays the graph out; boxes never overlap, and every edge runs from an earlier layer to a later one. */
export function layoutGraph(nodes: readonly LayoutInput[], o: LayoutOptions): Layout {
  const layer = layers(nodes);
  const count = layer.length === 0 ? 0 : Math.max(...layer) + 1;
  const byLayer: number[][] = Array.from({ length: count }, () => []);
  layer.forEach((l, i) => byLayer[l].push(i));
  const rank = new Array<number>(nodes.length).fill(0);
  // Barycentre ordering, layer by layer: a node's key is the mean rank of its inputs (leaves keep their order).
  for (const members of byLayer) {
    const key = (i: number): number => {
      const ins = nodes[i].inputs;
      // A leaf sorts by the argument slot it fills in its first consumer (x before W in matmul(x, W)).
      if (ins.length === 0) return Math.max(0, nodes.find((m) => m.inputs.includes(i))?.inputs.indexOf(i) ?? 0);
      return ins.reduce((a, j) => a + rank[j], 0) / ins.length;
    };
    members.sort((a, b) => key(a) - key(b) || a - b);
    members.forEach((i, r) => (rank[i] = r));
  }
  const widest = Math.max(0, ...byLayer.map((m) => m.length));
  const across = o.direction === 'right' ? o.nodeHeight : o.nodeWidth; // size of a node across the layer axis
  const along = o.direction === 'right' ? o.nodeWidth : o.nodeHeight; // size of a node along the flow
  const span = widest * across + (widest - 1) * o.gap;
  const boxes: Box[] = nodes.map((_, i) => {
    const members = byLayer[layer[i]];
    const own = members.length * across + (members.length - 1) * o.gap;
    const a = o.margin + (span - own) / 2 + rank[i] * (across + o.gap); // position across
    const b = o.margin + layer[i] * (along + o.gap); // position along
    return o.direction === 'right'
      ? { x: b, y: a, width: o.nodeWidth, height: o.nodeHeight, layer: layer[i], rank: rank[i] }
      : { x: a, y: b, width: o.nodeWidth, height: o.nodeHeight, layer: layer[i], rank: rank[i] };
  });
  const edges: Edge[] = [];
  nodes.forEach((m, to) => {
    for (const from of m.inputs) edges.push({ from, to, path: edgePath(boxes[from], boxes[to], o.direction) });
  });
  const flow = count * along + Math.max(0, count - 1) * o.gap + 2 * o.margin;
  const cross = Math.max(0, span) + 2 * o.margin;
  return o.direction === 'right' ? { boxes, edges, width: flow, height: cross } : { boxes, edges, width: cross, height: flow };
}

/** A cubic Bézier from the out side of `a` to the in side of `b`. */
function edgePath(a: Box, b: Box, direction: 'right' | 'down'): string {
  const f = (v: number): string => String(Math.round(v * 10) / 10);
  if (direction === 'right') {
    const x1 = a.x + a.width;
    const y1 = a.y + a.height / 2;
    const x2 = b.x;
    const y2 = b.y + b.height / 2;
    const mx = (x1 + x2) / 2;
    return `M${f(x1)},${f(y1)} C${f(mx)},${f(y1)} ${f(mx)},${f(y2)} ${f(x2)},${f(y2)}`;
  }
  const x1 = a.x + a.width / 2;
  const y1 = a.y + a.height;
  const x2 = b.x + b.width / 2;
  const y2 = b.y;
  const my = (y1 + y2) / 2;
  return `M${f(x1)},${f(y1)} C${f(x1)},${f(my)} ${f(x2)},${f(my)} ${f(x2)},${f(y2)}`;
}
