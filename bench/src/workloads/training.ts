// One epoch of training on MNIST: softmax regression (10 classes) and logistic
// regression ("is it a 7?"), mini-batch SGD from zero weights. xent as a user
// writes it (param, matmul, add, the fused loss, backward, SGD), in float64 and in
// float32, against the same model in TensorFlow.js (cpu and wasm backends, float32)
// and in hand-written float64 loops.
import { createRequire } from 'node:module';
import { add, matmul, param } from '@xent/autograd';
import { sigmoidCrossEntropyWithLogits, sparseSoftmaxCrossEntropyWithLogits } from '@xent/losses';
import { SGD } from '@xent/optim';
import { Rng, fromFlat, readFlat, zeros, type Tensor } from '@xent/tensor';
import { getGc } from '../gc.js';
import type { Check, CheckResult, Impl, Prepared, RunOptions, Workload } from '../runner.js';
import { TfScope, tf, tfCpu, tfWasm, type TfBackend } from '../tfjs.js';
import { packCols4 } from './matmul.js';

// ---------------------------------------------------------------- data

/** MNIST as the `mnist` package ships it: 10,000 digits of 28·28 grey values in [0, 1], ordered by digit. */
interface Mnist {
  x: Float64Array;
  labels: Int32Array;
  n: number;
  d: number;
}

let mnistCache: Mnist | null = null;

/**
 * Reads the per-digit raw arrays of the `mnist` package (as examples/src/lib/data.ts
 * does; the package's own mnist.set() shuffles with Math.random). Cached: parsing
 * its JSON takes a quarter of a second.
 */
export function loadMnist(): Mnist {
  if (mnistCache) return mnistCache;
  const digits = createRequire(import.meta.url)('mnist') as readonly { id: number; raw: readonly number[]; length: number }[];
  const d = 28 * 28;
  const n = digits.reduce((s, dg) => s + dg.length, 0);
  const x = new Float64Array(n * d);
  const labels = new Int32Array(n);
  let row = 0;
  for (const dg of digits) {
    for (let i = 0; i < dg.length * d; i++) x[row * d + i] = dg.raw[i];
    labels.fill(dg.id, row, row + dg.length);
    row += dg.length;
  }
  mnistCache = { x, labels, n, d };
  return mnistCache;
}

/** One mini-batch, cut in setup(): `size` contiguous rows of features, their digits and the 0/1 "is it a 7" targets. */
export interface TrainBatch {
  size: number;
  x: Float64Array;
  labels: Int32Array;
  is7: Float64Array;
}

/**
 * The first n digits of one seeded shuffle of MNIST, cut into batches of
 * `batch` rows (the last one may be smaller). The same batches, in the same
 * order, serve every epoch and every implementation.
 */
export function mnistBatches(
  n: number | undefined,
  batch: number,
  seed: number,
): { batches: TrainBatch[]; n: number; d: number; total: number } {
  const all = loadMnist();
  const m = Math.min(n ?? all.n, all.n);
  const perm = new Rng(seed).permutation(all.n);
  const { d } = all;
  const batches: TrainBatch[] = [];
  for (let start = 0; start < m; start += batch) {
    const size = Math.min(batch, m - start);
    const x = new Float64Array(size * d);
    const labels = new Int32Array(size);
    const is7 = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const r = perm[start + i];
      x.set(all.x.subarray(r * d, r * d + d), i * d);
      labels[i] = all.labels[r];
      is7[i] = labels[i] === 7 ? 1 : 0;
    }
    batches.push({ size, x, labels, is7 });
  }
  return { batches, n: m, d, total: all.n };
}

// ---------------------------------------------------------------- hand-written loops
// Float64 only (the workload's dtype), each in one copy: every array they see is a Float64Array.

/** Weights and scratch of a hand-written trainer; W is [d, C] row-major, b is [C]. */
interface LoopModel {
  d: number;
  C: number;
  W: Float64Array;
  b: Float64Array;
  /** Logits, then the loss gradient G, [B, C] for the largest batch. */
  Z: Float64Array;
  dW: Float64Array;
  db: Float64Array;
}

function loopModel(d: number, C: number, maxBatch: number): LoopModel {
  return {
    d,
    C,
    W: new Float64Array(d * C),
    b: new Float64Array(C),
    Z: new Float64Array(maxBatch * C),
    dW: new Float64Array(d * C),
    db: new Float64Array(C),
  };
}

/** Weights, then bias, as one array (what result() compares). */
function concat(W: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(W.length + b.length);
  out.set(W);
  out.set(b, W.length);
  return out;
}

/**
 * Z ← (softmax(Z) − onehot(y)) / B row by row, in place, and db ← column sums of
 * that gradient: the fused gradient of the mean sparse softmax cross entropy
 * (the same arithmetic as xent's fused op: e = exp(z − max), then e·((1/B)·(1/Σe)) − [c = y]/B).
 */
function softmaxCEGrad(Z: Float64Array, y: Int32Array, B: number, C: number, db: Float64Array): void {
  const g = 1 / B;
  db.fill(0);
  for (let r = 0, base = 0; r < B; r++, base += C) {
    let m = -Infinity;
    for (let c = 0; c < C; c++) if (Z[base + c] > m) m = Z[base + c];
    let s = 0;
    for (let c = 0; c < C; c++) {
      const e = Math.exp(Z[base + c] - m);
      Z[base + c] = e;
      s += e;
    }
    const k = g * (1 / s);
    for (let c = 0; c < C; c++) Z[base + c] *= k;
    Z[base + y[r]] -= g;
    for (let c = 0; c < C; c++) db[c] += Z[base + c];
  }
}

/** z ← (σ(z) − t) / B in place, and db[0] ← its sum: the gradient of the mean sigmoid cross entropy (xent's formula for σ). */
function sigmoidCEGrad(Z: Float64Array, t: Float64Array, B: number, db: Float64Array): void {
  const g = 1 / B;
  let s = 0;
  for (let i = 0; i < B; i++) {
    const z = Z[i];
    const e = Math.exp(-Math.abs(z));
    const sig = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    const v = (sig - t[i]) * g;
    Z[i] = v;
    s += v;
  }
  db[0] = s;
}

/** W ← W − lr·dW, b ← b − lr·db. */
function sgdLoop(m: LoopModel, lr: number): void {
  const { W, dW, b, db } = m;
  for (let i = 0; i < W.length; i++) W[i] -= lr * dW[i];
  for (let i = 0; i < b.length; i++) b[i] -= lr * db[i];
}

/** Z[B×C] ← X·W + b with the naive i-k-j loop (the matmul first, then the bias, as xent adds them). */
function naiveForward(m: LoopModel, X: Float64Array, B: number): void {
  const { d, C, W, b, Z } = m;
  Z.fill(0, 0, B * C);
  for (let i = 0; i < B; i++) {
    const zi = i * C;
    const xi = i * d;
    for (let k = 0; k < d; k++) {
      const a = X[xi + k];
      const wk = k * C;
      for (let j = 0; j < C; j++) Z[zi + j] += a * W[wk + j];
    }
    for (let j = 0; j < C; j++) Z[zi + j] += b[j];
  }
}

/** dW[d×C] ← Xᵀ·G with the naive loop: for each row of X, dW += x_iᵀ g_i (k-j inner loops). */
function naiveWeightGrad(m: LoopModel, X: Float64Array, B: number): void {
  const { d, C, Z: G, dW } = m;
  dW.fill(0);
  for (let i = 0; i < B; i++) {
    const gi = i * C;
    const xi = i * d;
    for (let k = 0; k < d; k++) {
      const a = X[xi + k];
      const wk = k * C;
      for (let j = 0; j < C; j++) dW[wk + j] += a * G[gi + j];
    }
  }
}

/**
 * C[M×N] = A·B in 4×4 register tiles, the micro-kernel of matmul.ts's blocked
 * loop (16 sums in locals over the whole k loop; per k step 4 values of A and 4
 * of B feed 16 multiply-adds), except that A is read where it lies: element
 * (i, k) of A is A[i·rs + k·cs]. X·W reads X's rows (rs = d, cs = 1); Xᵀ·G reads
 * 4 adjacent columns of X (rs = 1, cs = d), 4 contiguous values per step, so
 * neither product copies the big operand. Bp is B packed by matmul.ts's
 * packCols4 (4-column panels, zero-padded: N = 10 runs as 3 full tiles); rows
 * past M in the last tile repeat row M−1 and are not stored. T is a 16-value scratch.
 */
function tiles4x4(
  A: Float64Array,
  rs: number,
  cs: number,
  Bp: Float64Array,
  C: Float64Array,
  M: number,
  K: number,
  N: number,
  T: Float64Array,
): void {
  const np = Math.ceil(N / 4);
  const L = K * 4;
  for (let i = 0; i < M; i += 4) {
    const rows = Math.min(4, M - i);
    const r0 = i * rs;
    const r1 = rows > 1 ? r0 + rs : r0;
    const r2 = rows > 2 ? r1 + rs : r1;
    const r3 = rows > 3 ? r2 + rs : r2;
    for (let q = 0; q < np; q++) {
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      let s20 = 0,
        s21 = 0,
        s22 = 0,
        s23 = 0,
        s30 = 0,
        s31 = 0,
        s32 = 0,
        s33 = 0;
      for (let b = q * L, end = b + L, o = 0; b < end; b += 4, o += cs) {
        const b0 = Bp[b],
          b1 = Bp[b + 1],
          b2 = Bp[b + 2],
          b3 = Bp[b + 3];
        let x = A[r0 + o];
        s00 += x * b0;
        s01 += x * b1;
        s02 += x * b2;
        s03 += x * b3;
        x = A[r1 + o];
        s10 += x * b0;
        s11 += x * b1;
        s12 += x * b2;
        s13 += x * b3;
        x = A[r2 + o];
        s20 += x * b0;
        s21 += x * b1;
        s22 += x * b2;
        s23 += x * b3;
        x = A[r3 + o];
        s30 += x * b0;
        s31 += x * b1;
        s32 += x * b2;
        s33 += x * b3;
      }
      const j = q * 4;
      const cols = Math.min(4, N - j);
      const c = i * N + j;
      if (rows === 4 && cols === 4) {
        C[c] = s00;
        C[c + 1] = s01;
        C[c + 2] = s02;
        C[c + 3] = s03;
        C[c + N] = s10;
        C[c + N + 1] = s11;
        C[c + N + 2] = s12;
        C[c + N + 3] = s13;
        C[c + 2 * N] = s20;
        C[c + 2 * N + 1] = s21;
        C[c + 2 * N + 2] = s22;
        C[c + 2 * N + 3] = s23;
        C[c + 3 * N] = s30;
        C[c + 3 * N + 1] = s31;
        C[c + 3 * N + 2] = s32;
        C[c + 3 * N + 3] = s33;
      } else {
        T[0] = s00;
        T[1] = s01;
        T[2] = s02;
        T[3] = s03;
        T[4] = s10;
        T[5] = s11;
        T[6] = s12;
        T[7] = s13;
        T[8] = s20;
        T[9] = s21;
        T[10] = s22;
        T[11] = s23;
        T[12] = s30;
        T[13] = s31;
        T[14] = s32;
        T[15] = s33;
        for (let r = 0; r < rows; r++) for (let t = 0; t < cols; t++) C[c + r * N + t] = T[r * 4 + t];
      }
    }
  }
}

/** Scratch of the blocked loop: W's and G's zero-padded 4-column panels, and one tile. */
interface Panels {
  w: Float64Array;
  g: Float64Array;
  tile: Float64Array;
}

function panels(d: number, C: number, maxBatch: number): Panels {
  const width = Math.ceil(C / 4) * 4;
  return { w: new Float64Array(d * width), g: new Float64Array(maxBatch * width), tile: new Float64Array(16) };
}

/** Z ← X·W + b (4×4 tiles over X's rows in place, W packed), then the bias. */
function blockedForward(m: LoopModel, p: Panels, X: Float64Array, B: number): void {
  const { d, C, W, b, Z } = m;
  packCols4(W, d, C, p.w);
  tiles4x4(X, d, 1, p.w, Z, B, d, C, p.tile);
  for (let i = 0, zi = 0; i < B; i++, zi += C) for (let j = 0; j < C; j++) Z[zi + j] += b[j];
}

/** dW ← Xᵀ·G (4×4 tiles over X's columns in place, G packed). */
function blockedWeightGrad(m: LoopModel, p: Panels, X: Float64Array, B: number): void {
  const { d, C, Z: G, dW } = m;
  packCols4(G, B, C, p.g);
  tiles4x4(X, 1, d, p.g, dW, d, B, C, p.tile);
}

/**
 * Logistic regression has one output column, so a 4×4 tile would waste three
 * quarters of its work: these are the register-blocked matrix-vector loops.
 * z = X·w + b four rows at a time (each w[k] loaded once for four rows);
 * dW = Xᵀ·g four rows of X at a time (each dW[k] loaded and stored once per four terms,
 * added in row order as the plain loop does).
 */
function gemvForward(m: LoopModel, X: Float64Array, B: number): void {
  const { d, W, b, Z } = m;
  const B4 = B - (B % 4);
  const bias = b[0];
  for (let i = 0; i < B4; i += 4) {
    const r0 = i * d,
      r1 = r0 + d,
      r2 = r1 + d,
      r3 = r2 + d;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let k = 0; k < d; k++) {
      const w = W[k];
      s0 += X[r0 + k] * w;
      s1 += X[r1 + k] * w;
      s2 += X[r2 + k] * w;
      s3 += X[r3 + k] * w;
    }
    Z[i] = s0 + bias;
    Z[i + 1] = s1 + bias;
    Z[i + 2] = s2 + bias;
    Z[i + 3] = s3 + bias;
  }
  for (let i = B4; i < B; i++) {
    let s = 0;
    for (let k = 0, r = i * d; k < d; k++) s += X[r + k] * W[k];
    Z[i] = s + bias;
  }
}

function gemvWeightGrad(m: LoopModel, X: Float64Array, B: number): void {
  const { d, Z: g, dW } = m;
  dW.fill(0);
  const B4 = B - (B % 4);
  for (let i = 0; i < B4; i += 4) {
    const r0 = i * d,
      r1 = r0 + d,
      r2 = r1 + d,
      r3 = r2 + d;
    const g0 = g[i],
      g1 = g[i + 1],
      g2 = g[i + 2],
      g3 = g[i + 3];
    for (let k = 0; k < d; k++) dW[k] = dW[k] + X[r0 + k] * g0 + X[r1 + k] * g1 + X[r2 + k] * g2 + X[r3 + k] * g3;
  }
  for (let i = B4; i < B; i++) {
    const gi = g[i];
    for (let k = 0, r = i * d; k < d; k++) dW[k] += X[r + k] * gi;
  }
}

// ---------------------------------------------------------------- the heap check

const MB = 1024 * 1024;

/** Digits in the `mnist` package. */
const MNIST_SIZE = 10_000;

export interface HeapCheckOptions {
  epochs: number;
  /** Epochs in a quick run (default 5). */
  quickEpochs?: number;
  /** Largest growth allowed from after epoch 1 to after the last epoch, in bytes, for the JS heap and for typed-array storage each. */
  maxGrowth: number;
}

/**
 * Runs `epoch` again and again; after each, a full GC, then heapUsed (JS
 * objects: tensors, tape nodes) and arrayBuffers (typed-array storage, where
 * tensor data lives) are read. A tape or a .grad that kept the previous
 * epochs alive would grow both by megabytes per epoch; flat means growth from
 * epoch 1 to the last ≤ maxGrowth for both.
 */
export function heapCheck(what: string, epoch: () => void, { epochs: full, quickEpochs = 5, maxGrowth }: HeapCheckOptions): Check {
  return {
    name: `heap flat across epochs of ${what}`,
    run(opts: RunOptions): CheckResult {
      const epochs = opts.heapEpochs ?? (opts.quick ? Math.min(quickEpochs, full) : full);
      const gc = getGc();
      if (gc === null) return { ok: true, text: `skipped: no way to force a GC (run node with --expose-gc)` };
      const heap: number[] = [];
      const buffers: number[] = [];
      gc();
      for (let e = 1; e <= epochs; e++) {
        epoch();
        // Twice: the first GC frees the dead tensors' buffers, whose storage
        // the count of array buffers may only drop after a second.
        gc();
        gc();
        const mu = process.memoryUsage();
        heap.push(mu.heapUsed);
        buffers.push(mu.arrayBuffers);
      }
      const marks = [...new Set([1, 5, 10, 20, 50, epochs].filter((e) => e <= epochs))].sort((a, b) => a - b);
      const fmt = (xs: number[]) => marks.map((e) => (xs[e - 1] / MB).toFixed(1)).join(', ');
      const growHeap = heap[epochs - 1] - heap[0];
      const growBuf = buffers[epochs - 1] - buffers[0];
      const ok = growHeap <= maxGrowth && growBuf <= maxGrowth;
      const sign = (x: number) => {
        const mb = Math.round((x / MB) * 100) / 100;
        return `${mb < 0 ? '−' : '+'}${Math.abs(mb).toFixed(2)} MB`;
      };
      const text =
        `over ${epochs} epochs, heap used after epochs ${marks.join(', ')}: ${fmt(heap)} MB; typed-array storage: ${fmt(buffers)} MB ` +
        `(after a full GC each; growth from epoch 1 to ${epochs}: ${sign(growHeap)} heap, ${sign(growBuf)} storage; ` +
        `bound ${(maxGrowth / MB).toFixed(0)} MB each) — ${ok ? 'flat' : 'GROWING: something keeps every epoch alive (the tape? .grad?)'}`;
      return { ok, text };
    },
  };
}

// ---------------------------------------------------------------- the workload

export type TrainingModel = 'softmax' | 'logistic';

export interface TrainingOptions {
  model: TrainingModel;
  /** Digits used (default: all the package has, 10,000). */
  n?: number;
  batch?: number;
  lr?: number;
  seed?: number;
  /** Epochs of the untimed heap check (default 20; 0 skips it; `pnpm bench --heap-epochs N` overrides it). */
  heapEpochs?: number;
  /** Growth bound of the heap check, bytes (default 4 MB). */
  heapMaxGrowth?: number;
  /** Caps the timed phase of this workload, seconds (default 15). */
  maxSeconds?: number;
}

export function trainingWorkload({
  model,
  n,
  batch = 128,
  lr = 0.1,
  seed = 20261127,
  heapEpochs = 20,
  heapMaxGrowth = 4 * MB,
  maxSeconds = 15,
}: TrainingOptions): Workload {
  const softmax = model === 'softmax';
  const name = `training-${model}`;
  const C = softmax ? 10 : 1;
  const blockedName = softmax ? 'loop: blocked 4×4' : 'loop: blocked gemv';
  const what = softmax
    ? `softmax regression (W [784, 10], b [10], mean sparse softmax cross entropy over the digit labels)`
    : `logistic regression "is it a 7?" (W [784, 1], b [1], mean sigmoid cross entropy with 0/1 float targets)`;
  const digits = n ?? MNIST_SIZE;
  // flops of the two matmuls per epoch: X·W and Xᵀ·G, 2·n·784·C each.
  const flops = 4 * digits * 784 * C;
  return {
    name,
    description:
      `One epoch of ${what} on ${digits} MNIST digits (pixels in [0, 1], one seeded shuffle), ` +
      `${Math.ceil(digits / batch)} mini-batches of ${batch}, plain SGD lr ${lr} from zero weights, float64 (tfjs: float32); ${flops.toExponential(2)} matmul flops per epoch.`,
    dtype: 'float64',
    maxSeconds,
    throughput: { perRun: flops, unit: 'GFLOP/s', scale: 1e9 },
    goals: [
      { baseline: 'tfjs-wasm', maxRatio: softmax ? 0.7 : 0.5 },
      { baseline: 'tfjs', maxRatio: 1 / 4 },
      { baseline: blockedName, maxRatio: 1.5 },
      { subject: 'xent: float32', baseline: 'xent', maxRatio: 1, text: 'xent in float32 no slower than xent in float64' },
    ],
    notes: [
      'Every run() starts from zero weights (xent: param(zeros(…)) and new SGD, as a user starts training; tfjs: assign zeros to its variables; loops: fill(0)) and ends with the weights, which are compared: W then b, flattened.',
      'The batches are cut once in setup() (untimed) for every implementation: float64 (and float32) arrays wrapped as tensors for xent, float32 tensors (and one-hot labels for tf.losses.softmaxCrossEntropy, made as int32 and cast) for tfjs on each backend. For tfjs-wasm this also sidesteps tf.slice, which copies its whole input out of WASM memory on every call in 4.22. The loops reuse logits, gradient and panel buffers allocated once; xent allocates its tensors and its tape at every step, as a library must.',
    ],
    async setup(): Promise<Prepared> {
      const data = mnistBatches(digits, batch, seed);
      if (data.n !== digits) throw new Error(`${name}: asked for ${digits} digits, the mnist package has ${data.total}`);
      const { batches, d } = data;
      const maxBatch = Math.max(...batches.map((bt) => bt.size));

      // ---- xent: exactly the user's training loop
      const xentTrainer = (dtype: 'float64' | 'float32') => {
        const cast = (a: Float64Array) => (dtype === 'float64' ? a : Float32Array.from(a));
        const xb = batches.map((bt) => ({
          x: fromFlat(cast(bt.x), [bt.size, d]),
          y: softmax ? fromFlat(bt.labels, [bt.size]) : fromFlat(cast(bt.is7), [bt.size, 1]),
        }));
        let W: Tensor = param(zeros([d, C], dtype));
        let b: Tensor = param(zeros([C], dtype));
        const epoch = (): void => {
          W = param(zeros([d, C], dtype));
          b = param(zeros([C], dtype));
          const opt = new SGD([W, b], { lr });
          for (const { x, y } of xb) {
            opt.zeroGrad();
            const logits = add(matmul(x, W), b);
            const loss = softmax ? sparseSoftmaxCrossEntropyWithLogits(y, logits) : sigmoidCrossEntropyWithLogits(y, logits);
            loss.backward();
            opt.step();
          }
        };
        return { epoch, result: () => concat(readFlat(W), readFlat(b)) };
      };
      const x64 = xentTrainer('float64');
      const xentEpoch = x64.epoch;
      const xent: Impl = { name: 'xent', kind: 'xent', run: xentEpoch, result: x64.result };
      const x32 = xentTrainer('float32');
      const xent32: Impl = {
        name: 'xent: float32',
        kind: 'variant',
        dtype: 'float32',
        note: 'The same training loop on float32 pixels and float32 parameters (matmul multiplies in float32).',
        run: x32.epoch,
        result: x32.result,
      };

      // ---- TensorFlow.js: variables, tf.train.sgd, optimizer.minimize (tf.variableGrads + applyGradients)
      const optimizers: tf.Optimizer[] = [];
      const tfTrainer = (backend: TfBackend): Impl => {
        const tbatches = batches.map((bt) => ({
          x: scope.keep(tf.tensor2d(Float32Array.from(bt.x), [bt.size, d], 'float32')),
          y: scope.keep(
            softmax
              ? tf.tidy(() => tf.oneHot(tf.tensor1d(bt.labels, 'int32'), C).toFloat())
              : tf.tensor2d(Float32Array.from(bt.is7), [bt.size, 1], 'float32'),
          ),
        }));
        const tzW = scope.keep(tf.zeros([d, C], 'float32'));
        const tzb = scope.keep(tf.zeros([C], 'float32'));
        const tW = scope.keep(tf.tidy(() => tf.variable(tf.zeros([d, C], 'float32'))));
        const tb = scope.keep(tf.tidy(() => tf.variable(tf.zeros([C], 'float32'))));
        const optimizer = tf.train.sgd(lr);
        optimizers.push(optimizer);
        let tfOut: Float64Array = new Float64Array(0);
        return {
          name: backend === 'cpu' ? 'tfjs' : 'tfjs-wasm',
          kind: 'tfjs',
          dtype: 'float32',
          note: 'TensorFlow.js has no float64: it trains in float32 on the same pixels rounded to float32, so its weights after the epoch are checked with the float32 tolerance.',
          run() {
            if (tf.getBackend() !== backend) void tf.setBackend(backend); // both initialised: a synchronous switch
            tW.assign(tzW);
            tb.assign(tzb);
            for (const { x, y } of tbatches) {
              tf.tidy(() => {
                optimizer.minimize(() => {
                  const logits = tf.add(tf.matMul(x, tW), tb);
                  return (softmax ? tf.losses.softmaxCrossEntropy(y, logits) : tf.losses.sigmoidCrossEntropy(y, logits)) as tf.Scalar;
                });
              });
            }
            tfOut = concat(tW.dataSync(), tb.dataSync());
          },
          result: () => tfOut,
        };
      };
      await tfCpu();
      const scope = new TfScope(name);
      const tfjs = tfTrainer('cpu');
      await tfWasm();
      const tfjsWasm = tfTrainer('wasm');

      // ---- hand-written loops, float64
      const plain = loopModel(d, C, maxBatch);
      const blocked = loopModel(d, C, maxBatch);
      const pn = panels(d, C, maxBatch);
      const plainEpoch = (): void => {
        const m = plain;
        m.W.fill(0);
        m.b.fill(0);
        for (const bt of batches) {
          naiveForward(m, bt.x, bt.size);
          if (softmax) softmaxCEGrad(m.Z, bt.labels, bt.size, C, m.db);
          else sigmoidCEGrad(m.Z, bt.is7, bt.size, m.db);
          naiveWeightGrad(m, bt.x, bt.size);
          sgdLoop(m, lr);
        }
      };
      const blockedEpoch = (): void => {
        const m = blocked;
        m.W.fill(0);
        m.b.fill(0);
        for (const bt of batches) {
          if (softmax) {
            blockedForward(m, pn, bt.x, bt.size);
            softmaxCEGrad(m.Z, bt.labels, bt.size, C, m.db);
            blockedWeightGrad(m, pn, bt.x, bt.size);
          } else {
            gemvForward(m, bt.x, bt.size);
            sigmoidCEGrad(m.Z, bt.is7, bt.size, m.db);
            gemvWeightGrad(m, bt.x, bt.size);
          }
          sgdLoop(m, lr);
        }
      };
      const loops: Impl[] = [
        {
          name: 'loop: plain',
          kind: 'loop',
          note: 'Naive i-k-j loops for X·W and for Xᵀ·G, the fused loss gradient, the SGD update; float64 buffers allocated once.',
          run: plainEpoch,
          result: () => concat(plain.W, plain.b),
        },
        {
          name: blockedName,
          kind: 'loop',
          note: softmax
            ? "4×4 register tiles (matmul.ts's micro-kernel) for X·W and Xᵀ·G, reading X in place (its rows, then 4 adjacent columns: no copy, no transpose) against W and G packed into zero-padded 4-column panels; the fused softmax-CE gradient with the bias sums; the SGD update."
            : 'One output column: register-blocked matrix–vector loops (z = X·w four rows at a time, dW += four rows of X per pass), the fused sigmoid-CE gradient, the SGD update.',
          run: blockedEpoch,
          result: () => concat(blocked.W, blocked.b),
        },
      ];

      return {
        impls: [xent, xent32, tfjsWasm, tfjs, ...loops],
        checks: heapEpochs > 0 ? [heapCheck(`xent ${model} regression`, xentEpoch, { epochs: heapEpochs, maxGrowth: heapMaxGrowth })] : [],
        dispose: () => {
          for (const o of optimizers) o.dispose();
          scope.dispose();
        },
      };
    },
  };
}
