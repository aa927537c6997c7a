// Shared by the browser tests: Debian's Chromium through playwright-core,
// with software WebGL, and a page opener that records console errors and
// CSP violations so each file can assert there were none.
import { chromium } from 'playwright-core';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
}

/** openPage(path) for `origin`, pushing console errors and page errors into `problems`. */
export function pageOpener(getBrowser, getOrigin, problems) {
  return async function openPage(path, { viewport = { width: 1400, height: 900 } } = {}) {
    const page = await getBrowser().newPage({ viewport });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${path}: console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${path}: page error: ${error.message}`));
    await page.goto(`${getOrigin()}${path}`);
    return page;
  };
}

export async function waitReady(page) {
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
}

export const resultWords = (scope) => scope.locator('ol[aria-label="Results"] li .word').allTextContents();
