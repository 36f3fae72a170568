// `pnpm test:playground` runs this: every end-to-end script in turn, each on its own
// server and browser (Chromium; Firefox for firefox.ts), each printing its own `<suite>: N passed, M failed` line.
await import('./run.js');
await import('./contract.js');
await import('./firefox.js');

export {};
