// Debian's Firefox ESR, for the checks that a page works in a second browser engine (SpiderMonkey, beside
// Chromium's V8): the system browser driven by puppeteer-core over WebDriver BiDi, never a downloaded one.
// FIREFOX overrides the path.
import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';

/** The browser's path: $FIREFOX, or Debian's /usr/bin/firefox-esr (`apt-get install -y firefox-esr`). */
export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';

/** Launches that browser headless; throws, saying how to install it, when it is missing. */
export async function launchFirefox() {
  if (!existsSync(FIREFOX)) throw new Error(`no Firefox at ${FIREFOX}: apt-get install -y firefox-esr`);
  return puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
}
