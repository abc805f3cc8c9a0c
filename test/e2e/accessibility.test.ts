import { describe, expect, it } from 'vitest';
import { browserSuite, createRoom, screenshot, send } from './support/browser';
import { violations } from './support/axe';

/**
 * axe-core's WCAG 2.x A and AA rules on each view of the web client, in
 * light and dark mode, at desktop and phone sizes, in headless Chromium
 * against the local runtime. Every violation is listed with the elements it
 * found, so a failure says what to fix.
 */
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

describe('accessibility of the web client (axe-core)', () => {
  const suite = browserSuite();

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      it(`finds no violation on any view, ${colorScheme} mode, ${size}`, async () => {
        // The local server's CSP allows only its own scripts: axe is injected past it, for the test only.
        const context = await suite.browser.newContext({ viewport, colorScheme, bypassCSP: true, locale: 'en-GB', timezoneId: 'UTC' });
        try {
          const page = await context.newPage();
          const found: Record<string, string[]> = {};
          const check = async (view: string) => {
            found[view] = await violations(page);
          };

          await page.goto(suite.parley.webUrl);
          await page.getByLabel('Your name').waitFor();
          await check('sign-in');

          await page.getByLabel('Your name').fill(`axe-${colorScheme}-${size}`);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.locator('.status[data-status="online"]').waitFor();
          if (size === 'phone') await page.getByRole('button', { name: 'Rooms' }).click();
          await createRoom(page, `Checked ${colorScheme} ${size}`);
          await send(page, 'A **first** message, with `code` and a [link](https://example.com).');
          await send(page, 'And a second one from the same person.');
          await page.locator('.messages .message[data-key^="m:"]').nth(1).waitFor();
          await check('room');

          if (size === 'phone') {
            await page.getByRole('button', { name: 'Details' }).click();
            await page.getByRole('tab', { name: 'Members', exact: true }).waitFor();
            await check('details drawer');
          } else {
            for (const tab of ['Members', 'Agents', 'Moderation', 'Audit log', 'Documents', 'Settings']) {
              await page.getByRole('tab', { name: tab, exact: true }).click();
              await page.getByRole('tabpanel', { name: tab }).waitFor();
              await check(`${tab} tab`);
            }
          }
          await screenshot(page, `axe-${colorScheme}-${size}`);

          expect(found).toEqual(Object.fromEntries(Object.keys(found).map((view) => [view, []])));
        } finally {
          await context.close();
        }
      });
    }
  }
});
