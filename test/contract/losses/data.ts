// Small hand-written inputs for the contract suite: probabilities strictly inside (0, 1) and away from any
// clip edge (so central differences see a smooth function), soft and one-hot targets, integer labels.

/** Probabilities [4, 3], rows summing to 1. */
export const P3 = [
  [0.2, 0.5, 0.3],
  [0.6, 0.3, 0.1],
  [0.25, 0.25, 0.5],
  [0.1, 0.7, 0.2],
];
/** Distribution targets [4, 3] (one-hot and soft rows). */
export const Y3 = [
  [0, 1, 0],
  [0.3, 0.5, 0.2],
  [1, 0, 0],
  [0.1, 0.1, 0.8],
];
/** Integer labels for P3 / Z3. */
export const LABELS = [1, 0, 2, 1];
/** One-hot of LABELS. */
export const ONE_HOT = [
  [0, 1, 0],
  [1, 0, 0],
  [0, 0, 1],
  [0, 1, 0],
];
/** Multi-hot targets [4, 3]: not distributions (rows summing to 2). */
export const MULTI_HOT = [
  [1, 1, 0],
  [0, 1, 0],
  [1, 0, 1],
  [0, 0, 1],
];
/** Logits [4, 3]. */
export const Z3 = [
  [1, -2, 0.5],
  [0.3, 0.1, -1],
  [2.5, 0.2, -0.7],
  [-1.2, 0.4, 1.1],
];
/** Binary probabilities [4, 2]. */
export const PB = [
  [0.9, 0.2],
  [0.35, 0.6],
  [0.05, 0.75],
  [0.5, 0.45],
];
/** Binary targets in [0, 1] [4, 2] (hard and soft). */
export const YB = [
  [1, 0],
  [0, 1],
  [0.3, 1],
  [1, 0.7],
];
/** Binary logits [4, 2]. */
export const ZB = [
  [1.5, -0.3],
  [0.2, 2.1],
  [-2.2, 0.8],
  [0.05, -1.4],
];
/** Probabilities [2, 3, 2] with the class axis 1 (each [i, :, k] sums to 1). */
export const P_AXIS1 = [
  [
    [0.2, 0.5],
    [0.3, 0.25],
    [0.5, 0.25],
  ],
  [
    [0.6, 0.1],
    [0.3, 0.8],
    [0.1, 0.1],
  ],
];
/** Distribution targets [2, 3, 2] along axis 1. */
export const Y_AXIS1 = [
  [
    [0, 0.2],
    [1, 0.5],
    [0, 0.3],
  ],
  [
    [0.5, 0],
    [0.25, 0],
    [0.25, 1],
  ],
];
/** Logits [2, 3, 2], class axis 1. */
export const Z_AXIS1 = [
  [
    [0.4, -1],
    [1.3, 0.2],
    [-0.6, 0.9],
  ],
  [
    [2, 0.1],
    [-0.3, -0.8],
    [0.7, 1.6],
  ],
];
/** Labels [2, 2] for the axis-1 inputs. */
export const LABELS_AXIS1 = [
  [1, 2],
  [0, 1],
];
