// `pnpm test:bench`: the benchmark runner's own tests, apart from `pnpm test` (they load TensorFlow.js).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  test: {
    root,
    include: ['bench/test/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 120_000,
    pool: 'threads',
  },
});
