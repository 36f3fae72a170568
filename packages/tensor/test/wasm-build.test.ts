// The shipped WebAssembly module is exactly what its text sources assemble to.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MODULE_FILE, assembleKernels, renderModuleFile } from '../scripts/wasm-source.js';

describe('kernels.generated.ts', () => {
  it('is rebuilt byte for byte from src/wasm/*.wat (run `pnpm --filter @xent/tensor build:wasm` after editing a .wat)', async () => {
    const rebuilt = renderModuleFile(await assembleKernels());
    expect(readFileSync(MODULE_FILE, 'utf8')).toBe(rebuilt);
  });

  it('assembles the same bytes twice (the build is reproducible)', async () => {
    const [a, b] = [await assembleKernels(), await assembleKernels()];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(new Uint8Array(a.subarray(0, 4))).toEqual(new Uint8Array([0, 0x61, 0x73, 0x6d])); // \0asm
    expect(a.length).toBeGreaterThan(1000);
  });
});
