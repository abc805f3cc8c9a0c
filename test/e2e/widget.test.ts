import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../support/local-parley';
import { browserSuite, joinRoom, screenshot, texts } from './support/browser';

/**
 * The embeddable widget on a host page served from another origin (its own
 * HTTP server on 127.0.0.1, not the web client's), in headless Chromium
 * against the local runtime: a guest joins by name with the keyboard only,
 * reads the history, posts, and a signed-in member sees the guest's message.
 */
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** A host page that embeds the widget the documented way. */
const hostPage = (widgetSrc: string, roomId: string, apiUrl: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A blog</title>
<style>#help{--parley-accent:#7c2d12;--parley-radius:12px;max-width:420px}</style></head>
<body><main><h1>A blog post</h1><p>Some words.</p>
<div id="help"><script async src="${widgetSrc}" data-room="${roomId}" data-api="${apiUrl}" data-title="Ask us"></script></div>
</main></body></html>`;

/** What is focused inside the widget's shadow root: the `name` of the control, or the role of the element. */
const focusedInWidget = (page: Page) =>
  page.evaluate(() => {
    const active = document.querySelector('.parley-widget')?.shadowRoot?.activeElement;
    return active ? (active.getAttribute('name') ?? active.getAttribute('role') ?? active.tagName) : undefined;
  });

describe('the embeddable widget on another site', () => {
  const suite = browserSuite();
  let host: Server;
  let hostUrl: string;
  let owner: TestClient;
  let roomId: string;

  beforeAll(async () => {
    owner = await suite.parley.connect('olga');
    ({ room: { roomId } } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'Help desk', visibility: 'public' }));
    await owner.ok('updateRoom', { roomId, guestAccess: 'post' });
    await owner.ok('sendMessage', { roomId, text: 'Welcome! Ask away.', clientMessageId: 'welcome' });
    const page = hostPage(`${suite.parley.webUrl}/widget.js`, roomId, suite.parley.apiUrl);
    const german = page.replace('data-title="Ask us"', 'data-title="Fragen" data-lang="de"');
    host = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(req.url === '/de' ? german : page));
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
  }, 300_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => (host ? host.close(() => resolve()) : resolve()));
  });

  it('lets a guest join with the keyboard, read the history and post; a member sees it marked as a guest’s', async () => {
    const member = await suite.person('Milo');
    await joinRoom(member.page, roomId);
    const context = await suite.browser.newContext({ locale: 'en-GB', timezoneId: 'UTC' });
    const incidents: string[] = [];
    try {
      const guest = await context.newPage();
      guest.on('pageerror', (error) => incidents.push(error.message));
      await guest.goto(hostUrl);
      expect(new URL(hostUrl).origin).not.toBe(new URL(suite.parley.webUrl).origin);
      const widget = guest.locator('.parley-widget');
      await widget.getByRole('region', { name: 'Ask us' }).waitFor();

      // Keyboard only: Tab into the name field, type, Enter.
      for (let i = 0; i < 6 && (await focusedInWidget(guest)) !== 'name'; i += 1) await guest.keyboard.press('Tab');
      expect(await focusedInWidget(guest)).toBe('name');
      await guest.keyboard.type('Ada');
      await guest.keyboard.press('Enter');

      const log = widget.getByRole('log', { name: 'Messages' });
      await log.getByText('Welcome! Ask away.').waitFor();
      expect(await focusedInWidget(guest)).toBe('message');
      await guest.keyboard.type('Hello from the blog <b>not bold</b>');
      await guest.keyboard.press('Enter');
      await log.getByText('Hello from the blog <b>not bold</b>').waitFor();
      expect(await log.locator('b').count()).toBe(0);

      await member.page.locator('.messages .message-text', { hasText: 'Hello from the blog' }).waitFor();
      expect(await texts(member.page)).toContain('Hello from the blog <b>not bold</b>');
      await expect(member.page.locator('.messages .message', { hasText: 'Hello from the blog' }).textContent()).resolves.toContain('Ada (guest)');
      await screenshot(guest, 'widget-guest');

      // The owner makes guests read-only: the next post is refused and the widget says so.
      await owner.ok('updateRoom', { roomId, guestAccess: 'read' });
      await guest.keyboard.type('One more');
      await guest.keyboard.press('Enter');
      await widget.getByText('Guests can read this room but not post in it.').waitFor();
      await owner.ok('updateRoom', { roomId, guestAccess: 'post' });

      // axe-core on the widget's shadow root (the host page has no CSP, so axe loads as any script would).
      await guest.addScriptTag({ path: AXE });
      const violations = await guest.evaluate(async (tags) => {
        const axe = (window as unknown as { axe: { run(context: object, options: object): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
        const result = await axe.run({ include: [['.parley-widget']] }, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
        return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}`));
      }, WCAG);
      expect(violations).toEqual([]);
      expect(incidents).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('tells people who have not joined, in the room’s preview, that guests may come in', async () => {
    const visitor = await suite.person('Vera');

    await visitor.page.goto(`${suite.parley.webUrl}/#/room/${encodeURIComponent(roomId)}`);

    await visitor.page.locator('.guest-access', { hasText: 'Guests may read and post' }).waitFor();
  });

  it('speaks German when the embed asks for it', async () => {
    const context = await suite.browser.newContext({ locale: 'en-GB' });
    try {
      const page = await context.newPage();
      await page.goto(`${hostUrl}de`);
      await page.locator('.parley-widget').getByLabel('Dein Name').waitFor();
      expect(await page.locator('.parley-widget').getByRole('button').first().textContent()).toBe('Dem Chat beitreten');
    } finally {
      await context.close();
    }
  });
});
