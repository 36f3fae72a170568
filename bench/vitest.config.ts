// `pnpm test:bench`: the benchmark runner's own tests, apart from `pnpm test` (they load TensorFlow.js).
// The root config (module resolution, set-up file) with only the bench's tests included.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../vitest.config.js';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['bench/test/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
