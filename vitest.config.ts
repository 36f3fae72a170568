import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The bench's own tests (they load TensorFlow.js) run under `pnpm test:bench` (bench/vitest.config.ts).
    include: ['packages/*/test/**/*.test.ts', 'examples/test/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 60_000,
    pool: 'threads',
  },
});
