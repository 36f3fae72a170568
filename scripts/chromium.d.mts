import type { Browser } from 'playwright-core';

/** The browser's path: $CHROMIUM, or Debian's /usr/bin/chromium (`apt-get install -y chromium`). */
export declare const CHROMIUM: string;
/** Headless, no sandbox (CI runs as root), no GPU, and none of the browser's own network traffic or first-run UI. */
export declare const CHROMIUM_ARGS: readonly string[];
/** Launches that browser with those flags; throws, saying how to install it, when it is missing. */
export declare function launchChromium(): Promise<Browser>;
