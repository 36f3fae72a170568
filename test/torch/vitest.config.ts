// `pnpm test:torch`: xent checked against real PyTorch (Debian's python3-torch, run as a child process),
// apart from `pnpm test`, which needs nothing but Node. The root config with only these tests included.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/torch/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 120_000,
  },
});
