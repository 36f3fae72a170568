// A few lines of DOM building, so the views read as the markup they make.

/** Attributes and properties for h(): strings/numbers become attributes, functions on* become listeners, booleans toggle. */
export type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;
/** What h() and s() take as children: nodes, text, numbers; null, undefined and false are skipped. */
export type Child = Node | string | number | null | undefined | false;

/** Creates an element: h('label', { for: 'z0' }, 'z₀'). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element: s('rect', { x: 0, y: 0, width: 10, height: 10 }). */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
}

function append(el: Element, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces an element's children. */
export function replace(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

/** Rebuilds `el`'s content with `build`, then gives focus back to the element that had it (matched by id). */
export function rebuildKeepingFocus(el: Element, build: () => (Child | Child[])[]): void {
  const focused = document.activeElement instanceof HTMLElement && el.contains(document.activeElement) ? document.activeElement.id : '';
  replace(el, ...build());
  if (focused) document.getElementById(focused)?.focus();
}

/** A number for reading: 4 significant digits, no exponent noise for ordinary sizes. */
export function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e6 ? String(Number(x.toPrecision(digits))) : x.toExponential(digits - 1);
}
