// The browser page: runs compute() and leaves the result (or the error) on window for the test to read.
import { compute } from './compute.js';

declare global {
  interface Window {
    xentResult?: { ok: true; value: ReturnType<typeof compute> } | { ok: false; error: string };
  }
}

try {
  window.xentResult = { ok: true, value: compute() };
} catch (e) {
  window.xentResult = { ok: false, error: String(e instanceof Error ? (e.stack ?? e.message) : e) };
}
