// Debian's Chromium, as every browser check launches it (the playground's e2e scripts and the consumer test):
// the system browser driven by playwright-core, never a downloaded one. CHROMIUM overrides the path.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** The browser's path: $CHROMIUM, or Debian's /usr/bin/chromium (`apt-get install -y chromium`). */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Headless, no sandbox (CI runs as root), no GPU, and none of the browser's own network traffic or first-run UI. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches that browser with those flags; throws, saying how to install it, when it is missing. */
export async function launchChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
