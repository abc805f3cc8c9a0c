import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DynamoMessageRepository } from '../../lambdas/adapters/dynamodb/message-repository';
import { createIdGenerator } from '../../lambdas/domain/ids';
import { browserSuite, createRoom, joinRoom, screenshot, send, texts } from './support/browser';

/**
 * The timeline, the connection and the message box as people see them, in
 * headless Chromium against the local runtime: grouping, day separators,
 * timestamps, "jump to newest", the tab title, mention notifications, the
 * heartbeat, going offline, @mention suggestions, and dark mode's contrast.
 * Figures (row heights, time to notice a dead socket, time to first message)
 * are printed, never asserted.
 */
const soon = { timeout: 20_000, interval: 100 };

/** Relative luminance and contrast as WCAG 2 computes them, for colours as getComputedStyle gives them. */
const lowContrastIn = (page: Page) =>
  page.evaluate(() => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) =>
      [r, g, b]
        .map((v) => (v ?? 0) / 255)
        .map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
    const background = (element: Element | null): number[] => {
      for (let e = element; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c[3] ?? 0) > 0.5) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const failures: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!element || node.textContent?.trim() === '' || element.closest('[hidden], .visually-hidden, [aria-hidden="true"]')) continue;
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      if (style.visibility === 'hidden' || Number(style.opacity) < 1 || box.width === 0 || box.height === 0) continue;
      const [a, b] = [lum(rgb(style.color)), lum(background(element))].sort((x, y) => y - x) as [number, number];
      const ratio = (a + 0.05) / (b + 0.05);
      const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) failures.push(`${element.tagName.toLowerCase()}.${element.className} "${node.textContent?.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`);
    }
    return failures;
  });

/** Pretends the tab went out of sight (or came back), as switching tabs does. */
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);

describe('the timeline, the connection and the message box in the browser', () => {
  const suite = browserSuite();
  const { person } = suite;

  const repository = () => {
    const tableName = Object.entries(suite.parley.tables).find(([key]) => /TablesMessages/.test(key))?.[1];
    if (tableName === undefined) throw new Error('No messages table in the local runtime');
    const client = new DynamoDBClient({
      endpoint: suite.parley.dynamoDbEndpoint,
      region: suite.parley.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    return new DynamoMessageRepository(DynamoDBDocumentClient.from(client), tableName);
  };

  /** Stores messages straight in the table, already moderated, at the given times. */
  const seed = async (roomId: string, entries: ReadonlyArray<{ text: string; at: number }>) => {
    const nextId = createIdGenerator();
    const messages = repository();
    for (const [i, { text, at }] of entries.entries()) {
      const createdAt = new Date(at).toISOString();
      await messages.saveMessage({
        roomId,
        messageId: nextId(at),
        senderId: 'someone',
        senderName: 'Someone',
        senderType: 'human',
        text,
        clientMessageId: `seed-${roomId}-${i}`,
        createdAt,
        moderation: 'allowed',
        decision: 'allowed',
        moderatedAt: createdAt,
      } as Parameters<DynamoMessageRepository['saveMessage']>[0]);
    }
  };

  it('groups a person’s messages under one name, with compact times and the full timestamp on hover and focus', async () => {
    const ann = await person('ann');
    const ben = await person('ben');
    const roomId = await createRoom(ann.page, 'Grouping');
    await joinRoom(ben.page, roomId);

    const started = Date.now();
    await send(ann.page, 'one');
    await expect.poll(() => texts(ben.page), soon).toEqual(['one']);
    console.log(`time to first message on another screen: ${Date.now() - started} ms`);
    await send(ann.page, 'two');
    await send(ann.page, 'three');
    // Parley orders a room by when it stored each message, and ann's client sends one at a time:
    // "four" goes after "three" only once "three" is stored, which ann's screen shows.
    await expect.poll(() => texts(ann.page), soon).toEqual(['one', 'two', 'three']);
    await send(ben.page, 'four');
    await expect.poll(() => texts(ben.page), soon).toEqual(['one', 'two', 'three', 'four']);

    const rows = ben.page.locator('.messages .message');
    expect(await ben.page.locator('.messages .message .author').allInnerTexts()).toEqual(['ann', 'ben']);
    expect(await rows.evaluateAll((items) => items.map((i) => i.classList.contains('continues')))).toEqual([false, true, true, false]);
    expect(await ben.page.locator('.day-separator').allInnerTexts()).toEqual(['Today']);
    const time = rows.nth(1).locator('time');
    const title = await time.getAttribute('title');
    expect(title).toMatch(/^\w+day, \d+ \w+ \d{4} at \d\d:\d\d:\d\d$/);
    expect(await time.innerText()).toMatch(/^\d\d:\d\d$/);
    // Keyboard focus shows the time of a grouped row and its whole timestamp.
    await ben.page.bringToFront();
    await rows.nth(0).locator('time').focus();
    await ben.page.keyboard.press('Tab');
    expect(await ben.page.evaluate(() => document.activeElement?.getAttribute('title'))).toBe(title);
    expect(await time.getAttribute('aria-label')).toBe(title);
    expect(await time.evaluate((t) => [getComputedStyle(t).opacity, getComputedStyle(t, '::after').content])).toEqual(['1', JSON.stringify(title)]);

    const heights = await rows.evaluateAll((items) => items.map((i) => Math.round(i.getBoundingClientRect().height)));
    // The second row may carry the unread divider's label: the third is a plain grouped row.
    console.log(`one-line rows: first of a group ${heights[0]} px, grouped ${heights[2]} px (cards were about 65 px)`);
    await screenshot(ben.page, 'timeline-grouped');
  }, 90_000);

  it('puts a separator above each day: a date, a weekday, Yesterday, Today', async () => {
    const cal = await person('cal');
    const roomId = await createRoom(cal.page, 'Days');
    const day = 86_400_000;
    const noon = new Date();
    noon.setUTCHours(12, 0, 0, 0);
    await seed(roomId, [
      { text: 'long ago', at: noon.getTime() - 20 * day },
      { text: 'this week', at: noon.getTime() - 3 * day },
      { text: 'yesterday', at: noon.getTime() - day },
    ]);
    const reloaded = Date.now();
    await cal.page.reload();
    await cal.page.locator('.messages .message').first().waitFor();
    console.log(`time to first message on a reload (signed in, room in the address): ${Date.now() - reloaded} ms`);
    await expect.poll(() => texts(cal.page), soon).toEqual(['long ago', 'this week', 'yesterday']);
    await send(cal.page, 'today');

    await expect.poll(() => texts(cal.page), soon).toEqual(['long ago', 'this week', 'yesterday', 'today']);
    const labels = await cal.page.locator('.day-separator').allInnerTexts();
    const weekday = (offset: number) => new Date(noon.getTime() - offset * day).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
    expect(labels).toEqual([expect.stringMatching(new RegExp(`^${weekday(20)}`)), weekday(3), 'Yesterday', 'Today']);
    await screenshot(cal.page, 'timeline-days');
  }, 90_000);

  it('offers to jump to the newest messages when scrolled up, and counts them in the tab title', async () => {
    const dot = await person('dot');
    const eli = await person('eli');
    const roomId = await createRoom(dot.page, 'Busy');
    const start = Date.now() - 3_600_000;
    await seed(roomId, Array.from({ length: 60 }, (_, i) => ({ text: `old ${i}`, at: start + i * 1000 })));
    await joinRoom(eli.page, roomId);
    await expect.poll(async () => (await texts(eli.page)).length, soon).toBeGreaterThanOrEqual(50);
    await expect.poll(() => eli.page.title()).toBe('Busy · Parley');

    await eli.page.locator('.timeline').evaluate((log) => (log.scrollTop = 0));
    await send(dot.page, 'news 1');
    await send(dot.page, 'news 2');

    const jump = eli.page.getByRole('button', { name: /Jump to newest/ });
    await expect.poll(() => jump.innerText(), soon).toBe('Jump to newest · 2 new messages');
    await expect.poll(() => eli.page.title()).toBe('(2) Busy · Parley');
    await screenshot(eli.page, 'timeline-jump');
    await jump.click();
    await expect.poll(() => jump.isHidden()).toBe(true);
    await expect.poll(() => eli.page.title()).toBe('Busy · Parley');

    // A hidden tab counts what arrives even at the bottom of the log.
    await setHidden(eli.page, true);
    await send(dot.page, 'news 3');
    await expect.poll(() => eli.page.title(), soon).toBe('(1) Busy · Parley');
    await setHidden(eli.page, false);
    await expect.poll(() => eli.page.title()).toBe('Busy · Parley');
  }, 90_000);

  it('asks for notifications only on a click, and notifies a mention while the tab is hidden', async () => {
    const fay = await person('fay');
    const gus = await person('gus');
    // The browser's notifications, recorded: permission starts unanswered.
    await gus.page.addInitScript(() => {
      const w = window as unknown as { __asked: number; __shown: Array<{ title: string; body?: string }> };
      w.__asked = 0;
      w.__shown = [];
      class RecordedNotification {
        static permission: NotificationPermission = 'default';
        static async requestPermission(): Promise<NotificationPermission> {
          w.__asked += 1;
          RecordedNotification.permission = 'granted';
          return 'granted';
        }
        onclick: (() => void) | null = null;
        constructor(title: string, options?: { body?: string }) {
          w.__shown.push({ title, ...(options?.body === undefined ? {} : { body: options.body }) });
        }
        close(): void {}
      }
      (window as unknown as { Notification: unknown }).Notification = RecordedNotification;
    });
    await gus.page.reload();
    await gus.page.locator('.status[data-status="online"]').waitFor();
    const roomId = await createRoom(fay.page, 'Pings');
    await joinRoom(gus.page, roomId);
    const asked = () => gus.page.evaluate(() => (window as unknown as { __asked: number }).__asked);
    const shown = () => gus.page.evaluate(() => (window as unknown as { __shown: unknown[] }).__shown);

    expect(await asked()).toBe(0);
    await gus.page.getByRole('button', { name: 'Notify me of mentions' }).click();
    await expect.poll(asked).toBe(1);
    await expect.poll(() => gus.page.getByRole('button', { name: 'Notify me of mentions' }).isHidden()).toBe(true);

    await send(fay.page, '@gus not while you look');
    await expect.poll(() => texts(gus.page), soon).toEqual(['@gus not while you look']);
    await setHidden(gus.page, true);
    await send(fay.page, 'no mention here');
    await send(fay.page, '@gus are you there?');
    await expect.poll(async () => (await texts(gus.page)).length, soon).toBe(3);

    await expect.poll(shown, soon).toEqual([{ title: 'fay mentioned you in Pings', body: '@gus are you there?' }]);
    await expect.poll(() => gus.page.locator('.message.mentions-me').count()).toBe(2);
  }, 90_000);

  it('notices a socket that stopped answering within about 10 s, and reconnects', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: 'UTC' });
    let silent = false;
    // Forwards frames both ways until told to stop: a socket dead without closing.
    await context.routeWebSocket(/.*/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => {
        if (!silent) server.send(m);
      });
      server.onMessage((m) => {
        if (!silent) ws.send(m);
      });
    });
    const page = await context.newPage();
    await page.goto(suite.parley.webUrl);
    await page.getByLabel('Your name').fill('hal');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.status[data-status="online"]').waitFor();
    await createRoom(page, 'Heartbeat');

    // Every status the page shows, however briefly: a reconnecting socket may open again at once and show
    // "online" before a poll of the element would see "reconnecting".
    await page.evaluate(() => {
      const shown: string[] = [];
      (window as unknown as { statusesShown: string[] }).statusesShown = shown;
      const status = document.querySelector('.status')!;
      new MutationObserver(() => shown.push(status.getAttribute('data-status') ?? '')).observe(status, { attributes: true, attributeFilter: ['data-status'] });
    });
    silent = true;
    const cut = Date.now();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { statusesShown: string[] }).statusesShown), { timeout: 60_000 })
      .toContain('reconnecting');
    console.log(`dead socket noticed after ${Date.now() - cut} ms`);
    silent = false;
    await page.locator('.status[data-status="online"]').waitFor({ timeout: 30_000 });
    await send(page, 'back again');
    await expect.poll(() => texts(page), soon).toEqual(['back again']);
    await context.close();
  }, 90_000);

  it('says so when the browser goes offline, keeps what is written queued, and sends it in order when back', async () => {
    const ida = await person('ida');
    const roomId = await createRoom(ida.page, 'Offline');
    expect(roomId).not.toBe('');

    await ida.context.setOffline(true);
    const status = ida.page.locator('.status');
    await expect.poll(() => status.getAttribute('data-status')).toBe('offline');
    expect(await status.innerText()).not.toMatch(/Connected/);
    await send(ida.page, 'first, offline');
    await send(ida.page, 'second, offline');
    const queued = ida.page.locator('.messages .message[data-key^="p:"]');
    await expect.poll(() => queued.count()).toBe(2);
    expect(await queued.locator('.badge').allInnerTexts()).toEqual(['sending', 'sending']);
    await screenshot(ida.page, 'timeline-offline');

    await ida.context.setOffline(false);
    await ida.page.locator('.status[data-status="online"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => texts(ida.page), soon).toEqual(['first, offline', 'second, offline']);
    expect(await queued.count()).toBe(0);
  }, 90_000);

  it('suggests members and agents after @, by keyboard, as a combobox', async () => {
    const jo = await person('jo');
    const kim = await person('kim');
    const roomId = await createRoom(jo.page, 'Mentions');
    await joinRoom(kim.page, roomId);
    await expect.poll(() => jo.page.locator('.member-list .member').count(), soon).toBe(2);
    const box = jo.page.getByRole('combobox', { name: 'Message' });

    await box.pressSequentially('hi @k');
    const list = jo.page.getByRole('listbox', { name: 'People and agents to mention' });
    await list.waitFor();
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    expect(await list.getByRole('option').allInnerTexts()).toEqual([expect.stringMatching(/^@kim\s*kim$/)]);
    expect(await box.getAttribute('aria-activedescendant')).toBe(await list.getByRole('option').first().getAttribute('id'));
    await box.press('Enter');
    expect(await box.inputValue()).toBe('hi @kim ');
    expect(await list.isHidden()).toBe(true);

    await box.pressSequentially('and @');
    await list.waitFor();
    await box.press('Escape');
    expect(await list.isHidden()).toBe(true);
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    await box.press('Enter');
    await expect.poll(() => texts(kim.page), soon).toEqual(['hi @kim and @']);
    await expect.poll(() => kim.page.locator('.message.mentions-me').count(), soon).toBe(1);

    // A handle typed out in full: Enter sends rather than picking it again.
    await box.pressSequentially('thanks @kim');
    await list.waitFor();
    await box.press('Enter');
    await expect.poll(() => texts(kim.page), soon).toEqual(['hi @kim and @', 'thanks @kim']);
  }, 90_000);

  it('keeps every text at 4.5:1 or more in dark mode, on desktop and phone', async () => {
    const lee = await person('lee');
    await createRoom(lee.page, 'Dark');
    await send(lee.page, 'in the dark');
    await expect.poll(() => texts(lee.page), soon).toEqual(['in the dark']);
    await lee.page.emulateMedia({ colorScheme: 'dark' });
    await lee.page.getByLabel('Message', { exact: true }).fill('a draft');

    expect(await lowContrastIn(lee.page)).toEqual([]);
    await screenshot(lee.page, 'timeline-dark-desktop');
    await lee.page.setViewportSize({ width: 390, height: 844 });
    expect(await lowContrastIn(lee.page)).toEqual([]);
    await screenshot(lee.page, 'timeline-dark-phone');
  }, 90_000);
});
