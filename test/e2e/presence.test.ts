import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, createRoom, joinRoom, screenshot, send } from './support/browser';

/**
 * Presence, typing and unread counts in a real headless Chromium against
 * the local runtime. A person's second tab is a second browser context
 * signed in with the same name: the same person, another connection.
 */
const soon = { timeout: 20_000, interval: 100 };

describe('presence, typing and unread in the web client', () => {
  const suite = browserSuite();
  const { person, people } = suite;

  /** Whether the member list shows `name` with the online dot. */
  const shownOnline = (page: Page, name: string) =>
    page.locator('.member-list .member', { hasText: name }).getAttribute('data-online');
  const unreadBadge = (page: Page, roomName: string) =>
    page.locator('.room-link', { hasText: roomName }).locator('.unread');
  const openRoomNamed = async (page: Page, roomName: string) => {
    await page.locator('.room-link', { hasText: roomName }).click();
    await page.locator('#room-title', { hasText: roomName }).waitFor();
  };

  it('shows two people each other online, then typing, then offline when one leaves', async () => {
    const ana = await person('ana-presence');
    const ben = await person('ben-presence');
    const roomId = await createRoom(ana.page, 'Porch');
    await joinRoom(ben.page, roomId);

    await expect.poll(() => shownOnline(ana.page, 'ben-presence'), soon).toBe('true');
    await expect.poll(() => shownOnline(ben.page, 'ana-presence'), soon).toBe('true');
    expect(await ben.page.locator('.member-list .member', { hasText: 'ana-presence' }).locator('.visually-hidden').last().innerText()).toBe(
      'online',
    );

    await ben.page.getByLabel('Message', { exact: true }).pressSequentially('hel');
    const typing = ana.page.locator('.typing');
    await expect.poll(() => typing.innerText(), soon).toBe('ben-presence is typing…');
    expect(await typing.getAttribute('aria-live')).toBe('polite');
    expect(await ben.page.locator('.typing').innerText()).toBe('');
    await screenshot(ana.page, 'presence-typing');

    // A message from the typist ends their notice at once.
    await ben.page.getByLabel('Message', { exact: true }).press('Enter');
    await expect.poll(() => typing.innerText(), soon).toBe('');

    await ben.context.close();
    await expect.poll(() => shownOnline(ana.page, 'ben-presence'), soon).toBe('false');
    await screenshot(ana.page, 'presence-offline');
  });

  it('keeps unread counts in agreement across two tabs of the same person', { timeout: 120_000 }, async () => {
    const cleo1 = await person('cleo-unread');
    const quiet = await createRoom(cleo1.page, 'Quiet corner');
    const roomId = await createRoom(cleo1.page, 'Reading room');
    expect(roomId).not.toBe(quiet);
    const dev = await person('dev-unread');
    await joinRoom(dev.page, roomId);
    const cleo2 = await person('cleo-unread');
    // Both tabs look at the other room while dev talks in the reading room.
    await openRoomNamed(cleo1.page, 'Quiet corner');
    await openRoomNamed(cleo2.page, 'Quiet corner');

    await send(dev.page, 'first unread');
    await send(dev.page, 'second unread');
    await expect.poll(() => unreadBadge(cleo1.page, 'Reading room').innerText(), soon).toBe('2');
    await expect.poll(() => unreadBadge(cleo2.page, 'Reading room').innerText(), soon).toBe('2');
    await screenshot(cleo2.page, 'unread-before');

    // Reading the room in one tab clears its count in the other.
    await openRoomNamed(cleo1.page, 'Reading room');
    await expect.poll(() => unreadBadge(cleo1.page, 'Reading room').count(), soon).toBe(0);
    await expect.poll(() => unreadBadge(cleo2.page, 'Reading room').count(), soon).toBe(0);

    // Whatever comes next counts again in the tab that is elsewhere, and not in the one reading.
    await send(dev.page, 'third unread');
    await expect.poll(() => unreadBadge(cleo2.page, 'Reading room').innerText(), soon).toBe('1');
    await expect.poll(() => cleo1.page.locator('.messages .message-text', { hasText: 'third unread' }).count(), soon).toBe(1);
    await expect.poll(() => unreadBadge(cleo2.page, 'Reading room').count(), soon).toBe(0);

    // A tab opened now starts from the server's mark: its divider sits above what came after it.
    await openRoomNamed(cleo1.page, 'Quiet corner');
    await send(dev.page, 'fourth unread');
    await expect.poll(() => unreadBadge(cleo2.page, 'Reading room').innerText(), soon).toBe('1');
    const cleo3 = await person('cleo-unread');
    await openRoomNamed(cleo3.page, 'Reading room');
    await expect.poll(() => cleo3.page.locator('.message.unread-start .message-text').allInnerTexts(), soon).toEqual(['fourth unread']);
    await screenshot(cleo3.page, 'unread-divider');
    // And reading it there clears it in the other tabs.
    await expect.poll(() => unreadBadge(cleo2.page, 'Reading room').count(), soon).toBe(0);
    await expect.poll(() => unreadBadge(cleo1.page, 'Reading room').count(), soon).toBe(0);
    await screenshot(cleo2.page, 'unread-after');

    for (const p of people) expect(p.incidents).toEqual([]);
  });
});
