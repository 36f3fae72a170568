// pnpm --filter @xent/tensor build:wasm — assembles src/wasm/*.wat and writes src/wasm/kernels.generated.ts.
import { writeFileSync } from 'node:fs';
import { MODULE_FILE, assembleKernels, renderModuleFile } from './wasm-source.js';

const bytes = await assembleKernels();
writeFileSync(MODULE_FILE, renderModuleFile(bytes));
console.log(`wrote ${MODULE_FILE} (${bytes.length} bytes of WebAssembly)`);
