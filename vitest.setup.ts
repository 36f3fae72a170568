// Shared test set-up for every package: the toBeAllClose matcher and a fixed fast-check seed.
import { expect } from 'vitest';
import fc from 'fast-check';
import { toBeAllClose, type AllCloseOptions } from '@xent/tensor';

expect.extend({ toBeAllClose });

// One seed for every property test, so a failing CI run replays exactly: FC_SEED=… pnpm test
const seed = Number(process.env.FC_SEED ?? 20261125);
fc.configureGlobal({ seed, numRuns: 60 });

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- vitest declares Assertion<T = any>; a merged declaration must match
  interface Assertion<T = any> {
    toBeAllClose(expected: unknown, options?: AllCloseOptions): T;
  }
  interface AsymmetricMatchersContaining {
    toBeAllClose(expected: unknown, options?: AllCloseOptions): unknown;
  }
}
