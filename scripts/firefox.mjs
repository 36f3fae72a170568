// Debian's Firefox ESR, for the checks that a page works in a second browser engine (SpiderMonkey, beside
// Chromium's V8): the system browser driven by puppeteer-core over WebDriver BiDi, never a downloaded one.
// FIREFOX overrides the path.
import puppeteer from 'puppeteer-core';

/** The browser's path: $FIREFOX, or Debian's /usr/bin/firefox-esr (`apt-get install -y firefox-esr`). */
export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';

/** Launches that browser headless. */
export const launchFirefox = () => puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
