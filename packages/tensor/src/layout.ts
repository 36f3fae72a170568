// Shape and flat-index arithmetic shared by checks and messages: the one place
// that compares shapes and the one place that turns a flat position into [i, j, …].

/** True when two shapes have the same rank and the same size on every axis. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** The multi-index of row-major flat position i in a tensor of this shape: 5 in [2, 3] → [1, 2]. */
export function unravelIndex(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = i % shape[k];
    i = Math.floor(i / shape[k]);
  }
  return idx;
}

/** The multi-index of flat position i, formatted for messages: fmtIndex(5, [2, 3]) → '[1, 2]'. */
export function fmtIndex(i: number, shape: readonly number[]): string {
  return `[${unravelIndex(i, shape).join(', ')}]`;
}
