import type { Browser } from 'puppeteer-core';

/** The browser's path: $FIREFOX, or Debian's /usr/bin/firefox-esr (`apt-get install -y firefox-esr`). */
export declare const FIREFOX: string;
/** Launches that browser headless; throws, saying how to install it, when it is missing. */
export declare function launchFirefox(): Promise<Browser>;
