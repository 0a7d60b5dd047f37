// SPDX-License-Identifier: EUPL-1.2
// Shared set-up for browser tests: Debian's Chromium driven by playwright-core (never a downloaded
// browser) against the real binary, phone-sized pages that fail on script errors or CSP
// violations, and screenshots under build/test-artifacts/screenshots/.
//
// Set VK_WEB_ROOT=web to test the files on disk instead of the assets built into the binary.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, repoRoot } from './server.mjs';

export const SHOTS = join(repoRoot, 'build', 'test-artifacts', 'screenshots');
export const VIEWPORT = { width: 360, height: 740 };
export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const locale = (l) => JSON.parse(readFileSync(join(repoRoot, 'web', 'locales', `${l}.json`), 'utf8'));
export const fill = (s, vars) => s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));

/**
 * One server and one browser for a test file. opts.prefix names the screenshots, opts.args are
 * extra server flags, opts.timeout the default wait per page action.
 */
export function browserSuite({ prefix, args = [], timeout = 10000 }) {
  const suite = {
    server: null,
    browser: null,
    async start() {
      mkdirSync(SHOTS, { recursive: true });
      const root = process.env.VK_WEB_ROOT ? ['--web-root', resolve(repoRoot, process.env.VK_WEB_ROOT)] : [];
      suite.server = await startServer({ demo: true, args: [...root, ...args] });
      suite.browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
      return suite;
    },
    async stop() {
      await suite.browser?.close();
      await suite.server?.stop();
    },
    /** A fresh phone-sized page that records script errors and CSP violations. */
    async newPage() {
      const context = await suite.browser.newContext({ viewport: VIEWPORT });
      const page = await context.newPage();
      page.problems = [];
      page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) page.problems.push(m.text());
      });
      page.setDefaultTimeout(timeout);
      return page;
    },
    async closePage(page) {
      assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
      await page.context().close();
    },
    async noHorizontalScroll(page, where) {
      const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(sw <= cw, `${where}: page scrolls sideways (${sw} > ${cw})`);
    },
    async shot(page, name) {
      await page.screenshot({ path: join(SHOTS, `${prefix}-${name}.png`), fullPage: true });
    },
  };
  return suite;
}

/**
 * A client's first login with a card, in the browser: sets the UI language, opens url (the card's
 * login URL or #/card/CODE), chooses the PIN and waits for the home page in that language.
 */
export async function firstCardLogin(page, url, { lang = 'nl', pin = '583920' } = {}) {
  await page.addInitScript((l) => { try { localStorage.setItem('vk.lang', l); } catch { /* ignore */ } }, lang);
  await page.goto(url);
  await page.locator('#card-new-pin').fill(pin);
  await page.locator('#card-repeat').fill(pin);
  await page.locator('#card-submit').click();
  await page.getByRole('heading', { level: 1, name: locale(lang).home.title }).waitFor();
}
