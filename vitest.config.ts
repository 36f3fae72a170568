import { defineConfig } from 'vitest/config';

// Tests import @xent/* through the "@xent/source" export condition: the TypeScript source, no build needed.
// (What a user installs resolves through "import"/"default" to the compiled dist/; scripts/consumer checks that.)
const source = '@xent/source';

export default defineConfig({
  resolve: { conditions: [source, 'module', 'browser', 'development|production'] }, // Vite's client defaults, after ours
  ssr: { resolve: { conditions: [source, 'module', 'node', 'development|production'] } }, // Vite's server defaults, after ours
  test: {
    // The bench's own tests (they load TensorFlow.js) run under `pnpm test:bench` (bench/vitest.config.ts).
    include: ['packages/*/test/**/*.test.ts', 'examples/test/**/*.test.ts', 'test/**/*.test.ts', 'playground/test/**/*.test.ts'],
    // The checks against real PyTorch need Debian's python3-torch: `pnpm test:torch` (test/torch/vitest.config.ts).
    exclude: ['**/node_modules/**', 'test/torch/**'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 60_000,
    pool: 'threads',
  },
});
