// `pnpm test:playground` runs this: every end-to-end script in turn, each on its own
// server and browser, each printing its own `<suite>: N passed, M failed` line.
await import('./run.js');
await import('./contract.js');

export {};
