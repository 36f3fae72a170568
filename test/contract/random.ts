// A seeded generator of our own for the contract suites' test data, so that no input comes from xent's Rng.

/** mulberry32: uniform numbers in [0, 1) from a 32-bit seed; one fast-check integer fixes a whole problem. */
export function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
